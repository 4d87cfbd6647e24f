"""The admin's search page: the same index and facets, linking to each item's page in the admin."""

from flask import request, url_for
from flask_admin import expose
from flask_login import current_user

from cms.admin.base import StaffView
from cms.i18n import current_language
from cms.search import pages, query


class SearchView(StaffView):
    """Search everything the staff member may view, with facets (drafts included where they may see them)."""

    @expose("/")
    def index(self):
        """Show the search form, the ranked results and the facets."""
        text, filters, page = query.parse(request.args)
        found = pages.results(
            current_user,
            text,
            filters,
            page,
            url_for("search.index"),
            current_language(),
            lambda hit: url_for(f"content_{hit.type}.workflow_view", id=hit.id),
        )
        return self.render("admin/search.html", found=found)
