"""Admin views for users (admins) and member cities (admins and editors)."""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateTimeLocalField, PasswordField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional

from cms.accounts import AccountError, check_roles, end_sessions
from cms.admin.base import SecureModelView
from cms.passwords import check_password_strength
from content_types import LANGUAGES, NATIVE_LANGUAGE_NAMES, ApiToken

COUNTRY_NAMES = {"CN": _l("China"), "DE": _l("Germany")}
CITY_STATUS_NAMES = {
    "member": _l("member"),
    "requested": _l("requested"),
    "withdrawn": _l("withdrawn"),
    "excluded": _l("excluded"),
}
from workflows.permissions import MANAGE_CITIES, MANAGE_USERS, MEMBER, ROLE_TITLES, SITE_ROLES


class UserView(SecureModelView):
    """Accounts: roles limited to those the admin holds, passwords checked by the policy."""

    permission = MANAGE_USERS
    column_list = ["email", "name", "roles", "city", "active"]
    column_searchable_list = ["email", "name"]
    column_filters = ["active"]
    form_excluded_columns = ["password_hash", "roles", "created"]
    form_extra_fields = {
        "role_names": SelectMultipleField(_l("Roles"), choices=[(role, ROLE_TITLES[role]) for role in SITE_ROLES]),
        "new_password": PasswordField(_l("New password"), validators=[Optional()]),
    }
    column_labels = {
        "email": _l("E-mail"),
        "name": _l("Name"),
        "roles": _l("Roles"),
        "city": _l("City"),
        "active": _l("Active"),
        "language": _l("Language"),
    }
    # Flask-Admin takes form labels from form_args, not from column_labels.
    form_args = {name: {"label": label} for name, label in column_labels.items() if name != "roles"}
    column_formatters = {
        "roles": lambda view, context, model, name: ", ".join(str(ROLE_TITLES.get(r, r)) for r in model.roles),
        "language": lambda view, context, model, name: NATIVE_LANGUAGE_NAMES.get(model.language, ""),
    }

    def scaffold_form(self):
        """Offer the interface languages by name (Flask-Admin would list the codes)."""
        form_class = super().scaffold_form()
        form_class.language = SelectField(
            _l("Language"),
            choices=[("", _l("From the browser"))] + [(code, NATIVE_LANGUAGE_NAMES[code]) for code in LANGUAGES],
            filters=[lambda value: value or None],
            validators=[Optional()],
        )
        return form_class

    def on_form_prefill(self, form, id):
        """Show the user's current roles."""
        user = self.get_one(id)
        form.role_names.data = list(user.roles) if user else []

    def on_model_change(self, form, model, is_created):
        """Apply roles and password through the same rules as the CLI and the API."""
        try:
            model.roles = check_roles(form.role_names.data or [], current_user)
        except AccountError as error:
            raise ValueError(str(error)) from None
        if MEMBER in model.roles and model.city is None:
            raise ValueError(_("A member city representative needs a city."))
        password = form.new_password.data
        if is_created and not password:
            raise ValueError(_("A new account needs a password."))
        if password:
            check_password_strength(password, model.email or "", model.name or "")
            model.set_password(password)
        elif is_created:
            model.password_hash = ""

    def after_model_change(self, form, model, is_created):
        """End the sessions of a deactivated account, or after a password change."""
        if not is_created and (not model.active or form.new_password.data):
            end_sessions(model)
            ApiToken.objects(user=model).delete()

    def handle_view_exception(self, exc):
        """Show policy refusals (weak password, roles) as a message on the form."""
        if isinstance(exc, ValueError):
            flash(str(exc), "error")
            return True
        return super().handle_view_exception(exc)

    def delete_model(self, model):
        """Refuse deleting one's own account (an admin could lock everyone out)."""
        if model.pk == current_user.pk:
            flash(_("You cannot delete your own account."), "error")
            return False
        return super().delete_model(model)


class CityView(SecureModelView):
    """Member cities: names in three languages, country, status, contacts."""

    permission = MANAGE_CITIES
    column_list = ["name_de", "name_zh", "name_en", "country", "initiator", "status"]
    column_searchable_list = ["name_de", "name_zh", "name_en"]
    column_filters = ["country", "status", "initiator"]
    form_excluded_columns = ["modified"]
    column_labels = {
        "name_de": _l("Name (German)"),
        "name_zh": _l("Name (Chinese)"),
        "name_en": _l("Name (English)"),
        "country": _l("Country"),
        "initiator": _l("Initiator"),
        "status": _l("Status"),
        "joined": _l("Joined"),
        "contacts": _l("Contacts"),
    }
    form_args = {name: {"label": label} for name, label in column_labels.items()}
    column_formatters = {
        "country": lambda view, context, model, name: COUNTRY_NAMES.get(model.country, model.country),
        "status": lambda view, context, model, name: CITY_STATUS_NAMES.get(model.status, model.status),
    }

    def scaffold_form(self):
        """Offer countries and statuses by name in the reader's language (Flask-Admin would list codes)."""
        form_class = super().scaffold_form()
        form_class.country = SelectField(
            _l("Country"), choices=list(COUNTRY_NAMES.items()), validators=[InputRequired()]
        )
        form_class.status = SelectField(
            _l("Status"), choices=list(CITY_STATUS_NAMES.items()), validators=[InputRequired()], default="requested"
        )
        # WTForms' DateTimeField renders the obsolete <input type="datetime">.
        form_class.joined = DateTimeLocalField(_l("Joined"), validators=[Optional()])
        return form_class
