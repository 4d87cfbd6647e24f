"""The editing interface: Flask-Admin views, every one asking can()."""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from cms.admin.accounts import CityView, UserView
from cms.admin.base import SecureIndexView, refuse_outsiders_before_reading  # noqa: F401  (wired by create_app)
from cms.admin.content import AllContentView, ContentView
from cms.admin.outbox import NotificationSettingsView, OutboxView
from cms.admin.search import SearchView
from cms.admin.workflow_pages import AuditLogView, WorkflowDiagramsView, WorklistView
from cms.headers import csp_nonce
from cms.revisions import summary_of
from content_types import AuditEntry, Content, MemberCity, OutboxMessage, User
from workflows.types import TYPES

# The breadcrumb's last step on an admin page other than a list (keyed by the view's method).
PAGE_NAMES = {
    "create_view": _l("New"),
    "edit_view": _l("Edit"),
    "details_view": _l("Details"),
    "compare_view": _l("Compare revisions"),
    "message_view": _l("Mail"),
    "previews_view": _l("Mail previews"),
    "preview_view": _l("Mail preview"),
}


def init_app(app) -> None:
    """Mount the admin at /admin with a view per content type, users and cities."""
    app.jinja_env.globals["summary_of"] = summary_of
    app.jinja_env.globals["page_names"] = PAGE_NAMES
    admin = Admin(
        app,
        name=_l("Alliance CMS"),
        index_view=SecureIndexView(name=_l("Start"), url="/admin"),
        theme=Bootstrap4Theme(swatch="cerulean", base_template="admin/cms_base.html"),
        csp_nonce_generator=csp_nonce,
        # Flask-Admin's own strings: our catalogs (domain "admin") come first.
        translations_path=str(app.config["CMS_TRANSLATIONS_DIR"]),
    )
    admin.add_view(WorklistView(name=_l("My worklist"), endpoint="worklist"))
    admin.add_view(SearchView(name=_l("Search"), endpoint="search"))
    admin.add_view(AllContentView(Content, name=_l("All documents"), endpoint="content_all", category=_l("Documents")))
    for type_name, registered in TYPES.items():
        admin.add_view(
            ContentView(
                registered.cls,
                type_name,
                name=registered.plural,
                endpoint=f"content_{type_name}",
                category=_l("Documents"),
            )
        )
    admin.add_view(CityView(MemberCity, name=_l("Member cities"), endpoint="cities"))
    admin.add_view(UserView(User, name=_l("Users"), endpoint="users"))
    admin.add_view(WorkflowDiagramsView(name=_l("Workflows"), endpoint="workflows"))
    admin.add_view(AuditLogView(AuditEntry, name=_l("Audit log"), endpoint="audit"))
    admin.add_view(OutboxView(OutboxMessage, name=_l("Outbox"), endpoint="outbox"))
    admin.add_view(NotificationSettingsView(name=_l("Your notifications"), endpoint="notifications"))
