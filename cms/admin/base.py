"""Flask-Admin views that ask can() before anything: index, list, forms, ajax, files."""

from datetime import date, datetime

from flask import abort, flash, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.mongoengine import ModelView
from flask_admin.contrib.mongoengine.typefmt import DEFAULT_FORMATTERS
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from mongoengine.errors import SaveConditionError

from cms.security import can, is_logged_in
from workflows.permissions import ACCESS_ADMIN


def _refuse():
    if not is_logged_in(current_user):
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    abort(403)


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
        """Show the admin start page."""
        return self.render("admin/start.html")


class SecureModelView(ModelView):
    """A mongoengine ModelView guarded by a site permission, with CSRF-protected forms."""

    permission = ACCESS_ADMIN
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
    }

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

    def update_model(self, form, model):
        """Save the form onto the record without ever re-creating one deleted meanwhile."""
        try:
            form.populate_obj(model)
            self._on_model_change(form, model, False)
            # A save_condition turns mongoengine's upsert off: a record deleted
            # since the form was opened is reported, not resurrected.
            model.save(save_condition={})
        except SaveConditionError:
            flash(_("This record was deleted meanwhile; nothing was saved."), "error")
            return False
        except Exception as error:
            if not self.handle_view_exception(error):
                raise
            return False
        self.after_model_change(form, model, False)
        return True

    @expose("/api/file/")
    def api_file_view(self):
        """Disabled: Flask-Admin would serve any GridFS file by id, without asking can()."""
        abort(404)
