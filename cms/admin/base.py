"""Flask-Admin views that ask can() before anything, and answer every refusal the way the API does.

A refusal (content_types.refusals) raised anywhere in an admin view is
answered here once: its message is flashed and the page it concerns is shown
with the refusal's status — the status the API answers the same refusal
with. A form that an operation refused keeps the user's input and gets that
status too.
"""

from datetime import date, datetime

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.mongoengine import ModelView
from flask_admin.contrib.mongoengine.typefmt import DEFAULT_FORMATTERS
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.dashboard import dashboard
from cms.labels import FIELD_LABELS
from cms.security import can, is_logged_in
from content_types.refusals import BadRequest, Refused
from workflows.permissions import ACCESS_ADMIN


def _refuse():
    if not is_logged_in(current_user):
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    abort(403)


# What Flask-Admin's list reads from the query string, and the most each may be.
_LIST_NUMBERS = {"page": 6, "sort": 3, "page_size": 4}
MAX_SEARCH = 200


def _check_list_arguments() -> None:
    # Flask-Admin turns these into skips and regexes as they come: a negative
    # or 20-digit page, or a NUL in the search, would reach the driver.
    for name, digits in _LIST_NUMBERS.items():
        value = request.args.get(name)
        if value is not None and (not value.isdigit() or len(value) > digits):
            raise BadRequest(_("There is no such page."), {"parameter": name}, code="invalid_parameter")
    texts = [value for name, value in request.args.items() if name == "search" or name.startswith("flt")]
    if any(len(text) > MAX_SEARCH or any(ord(char) < 32 for char in text) for text in texts):
        raise BadRequest(_("The search text is too long or holds control characters."), code="invalid_parameter")


def refuse_outsiders_before_reading(app) -> None:
    """Refuse admin posts from anyone who may not use the admin before anything reads their body (CSRF included)."""

    @app.before_request
    def _staff_only():
        if request.path.startswith("/admin/") and request.method not in ("GET", "HEAD", "OPTIONS"):
            if not can(current_user, ACCESS_ADMIN):
                return _refuse()
        return None


def flash_refusal(refusal: Refused) -> None:
    """Show a refusal's message, and each field's reason where it names fields."""
    flash(refusal.message, "error")
    for field, reason in refusal.details.items():
        if field in FIELD_LABELS and isinstance(reason, str):
            flash(_("%(label)s: %(value)s", label=FIELD_LABELS[field], value=reason), "error")


def note_refusal(refusal: Refused) -> None:
    """Remember that an operation refused this request's form (flashed; the page gets its status)."""
    flash_refusal(refusal)
    g.admin_refusal = refusal


class AnswersRefusals:
    """Mixin for admin views: a refusal becomes the page with its message and status."""

    def _run_view(self, fn, *args, **kwargs):
        try:
            response = super()._run_view(fn, *args, **kwargs)
        except Refused as refusal:
            flash_refusal(refusal)
            return make_response(self.refusal_page(refusal), refusal.status)
        refusal = g.pop("admin_refusal", None)
        if refusal is not None:
            response = make_response(response)
            if not 300 <= response.status_code < 400:
                response.status_code = refusal.status
        return response

    def refusal_page(self, refusal: Refused):
        """Return what to show after `refusal` (views with items show the item)."""
        return self.render("admin/refused.html")


class StaffView(AnswersRefusals, BaseView):
    """A plain admin page for staff."""

    def is_accessible(self) -> bool:
        """Staff only."""
        return can(current_user, ACCESS_ADMIN)

    def inaccessible_callback(self, name, **kwargs):
        """Send anonymous visitors to the login page and refuse everyone else."""
        return _refuse()


class SecureIndexView(AdminIndexView):
    """The admin start page, for staff only (Flask-Admin's default lets everyone in)."""

    def is_accessible(self) -> bool:
        """Whether the current user may use the admin at all."""
        return can(current_user, ACCESS_ADMIN)

    def inaccessible_callback(self, name, **kwargs):
        """Send anonymous visitors to the login page and refuse everyone else."""
        return _refuse()

    @expose("/")
    def index(self):
        """Show the dashboard: what waits for the user, their own items, recent changes, the next meeting."""
        return self.render("admin/start.html", **dashboard(current_user))


class SecureModelView(AnswersRefusals, ModelView):
    """A mongoengine ModelView guarded by a site permission, with CSRF-protected forms.

    Subclasses write through the operations layer: create_model, update_model
    and delete_model call a verb and let its refusal answer the request.
    """

    permission = ACCESS_ADMIN
    list_template = "admin/model/cms_list.html"
    # Flask-WTF's form class: the same CSRF token CSRFProtect checks on every POST.
    form_base_class = FlaskForm
    can_export = False
    can_view_details = False
    column_editable_list: list = []
    action_disallowed_list = ["delete"]
    page_size = 25
    can_set_page_size = False
    # Dates and times in lists as the reader's locale writes them (stored in UTC).
    column_type_formatters = {
        **DEFAULT_FORMATTERS,
        datetime: lambda view, value, name=None: format_datetime(value, "short") + " UTC",
        date: lambda view, value, name=None: format_date(value, "medium"),
        # Words, not a check icon titled with the field's name ("initiator: true").
        bool: lambda view, value, name=None: _("yes") if value else _("no"),
    }

    def row_allows(self, action: str, row) -> bool:
        """Whether a list row offers `action` ("edit", "delete"); views whose rows differ say so."""
        return True

    def search_placeholder(self) -> str:
        """Label the search box (Flask-Admin's default renders "None")."""
        return _("Search")

    def is_accessible(self) -> bool:
        """Whether the current user holds this view's permission."""
        return can(current_user, ACCESS_ADMIN) and can(current_user, self.permission)

    def inaccessible_callback(self, name, **kwargs):
        """Send anonymous visitors to the login page and refuse everyone else."""
        return _refuse()

    def is_visible(self) -> bool:
        """Show the menu entry only to those who may use the view."""
        return self.is_accessible()

    def refusal_page(self, refusal: Refused):
        """Show the list with the refusal's message (a refused delete from the list); a bad list request plainly."""
        if isinstance(refusal, BadRequest):
            return super().refusal_page(refusal)
        return self.index_view()

    @expose("/")
    def index_view(self):
        """Show the list, after refusing paging, sorting and search values that are not ones (400)."""
        _check_list_arguments()
        return super().index_view()

    def create_model(self, form):
        """Create through the operations layer; a refusal keeps the form with its status."""
        try:
            return self.create_with_operation(form)
        except Refused as refusal:
            note_refusal(refusal)
            return False

    def update_model(self, form, model):
        """Save through the operations layer; a refusal keeps the user's input with its status."""
        try:
            self.update_with_operation(form, model)
        except Refused as refusal:
            note_refusal(refusal)
            return False
        return True

    def delete_model(self, model):
        """Delete through the operations layer; a refusal is answered with the list and its status."""
        self.delete_with_operation(model)
        return True

    def create_with_operation(self, form):
        """Create and return the record from the form (subclasses call their operation)."""
        raise NotImplementedError

    def update_with_operation(self, form, model) -> None:
        """Save the form onto the record (subclasses call their operation)."""
        raise NotImplementedError

    def delete_with_operation(self, model) -> None:
        """Delete the record (subclasses call their operation)."""
        raise NotImplementedError

    @expose("/api/file/")
    def api_file_view(self):
        """Disabled: Flask-Admin would serve any GridFS file by id, without asking can()."""
        abort(404)
