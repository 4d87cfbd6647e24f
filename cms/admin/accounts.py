"""Admin views for users (admins) and member cities (admins and editors), writing through the operations."""

from bson import ObjectId
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.mongoengine.filters import BooleanEqualFilter, FilterEqual
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, PasswordField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional

from cms.admin.base import SecureModelView
from cms.labels import ACCOUNT_LABELS
from cms.operations import accounts, cities
from content_types import LANGUAGE_NAMES, LANGUAGES, NATIVE_LANGUAGE_NAMES, MemberCity
from content_types.city import CITY_STATUS_TITLES, COUNTRY_NAMES, PROFILE_KEYS, PROFILE_LANGUAGES, PROFILE_TITLES
from content_types.refusals import NotFound, NotPossible
from workflows.permissions import MANAGE_CITIES, MANAGE_USERS, ROLE_TITLES, SITE_ROLES

# The account fields the form edits (roles and the password have form fields of their own).
ACCOUNT_FORM_FIELDS = ("email", "name", "city", "language", "active")


class UserView(SecureModelView):
    """Accounts: created and changed by the same rules as the CLI and the API."""

    permission = MANAGE_USERS
    column_list = ["email", "name", "roles", "city", "active"]
    column_searchable_list = ["email", "name"]
    column_filters = ["active"]
    form_columns = [*ACCOUNT_FORM_FIELDS, "role_names", "new_password"]
    form_extra_fields = {
        "role_names": SelectMultipleField(_l("Roles"), choices=[(role, ROLE_TITLES[role]) for role in SITE_ROLES]),
        "new_password": PasswordField(_l("New password"), validators=[Optional()]),
    }
    column_labels = {name: label for name, label in ACCOUNT_LABELS.items() if name != "password"}
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

    def _changes(self, form) -> dict:
        changes = {name: form._fields[name].data for name in ACCOUNT_FORM_FIELDS}
        changes["roles"] = form.role_names.data or []
        changes["password"] = form.new_password.data or None
        return changes

    def create_with_operation(self, form):
        """Create the account (a password is required, checked by the policy)."""
        changes = self._changes(form)
        user = accounts.create_account(
            changes["email"], changes["password"], changes["roles"], changes["name"], changes["city"], current_user
        )
        return accounts.update_account(
            current_user, user, {"language": changes["language"], "active": changes["active"]}
        )

    def update_with_operation(self, form, model) -> None:
        """Change the account; deactivating it or a new password ends its sessions."""
        accounts.update_account(current_user, model, self._changes(form))

    def delete_with_operation(self, model) -> None:
        """Delete the account (never one's own)."""
        accounts.delete_account(current_user, model)


class CityView(SecureModelView):
    """Member cities: names in three languages, country, status, contacts."""

    permission = MANAGE_CITIES
    column_list = ["name_de", "name_zh", "name_en", "country", "initiator", "status"]
    column_searchable_list = ["name_de", "name_zh", "name_en"]
    # Equality filters only: Flask-Admin's "contains"/"not contains" build regexes the embedded database can't take.
    column_filters = [
        FilterEqual("country", _l("Country"), options=list(COUNTRY_NAMES.items())),
        FilterEqual("status", _l("Status"), options=list(CITY_STATUS_TITLES.items())),
        BooleanEqualFilter("initiator", _l("Initiator")),
    ]
    form_columns = list(MemberCity.editable_fields)
    column_labels = {
        "name_de": _l("Name (German)"),
        "name_zh": _l("Name (Chinese)"),
        "name_en": _l("Name (English)"),
        "country": _l("Country"),
        "initiator": _l("Initiator"),
        "status": _l("Status"),
        "joined": _l("Joined"),
        "contact_office": _l("Contact office"),
        "responsible_person": _l("Responsible person"),
        "contacts": _l("Contacts"),
        **{
            f"{key}_{code}": LazyString(lambda key=key, code=code: f"{PROFILE_TITLES[key]} ({LANGUAGE_NAMES[code]})")
            for key in PROFILE_KEYS
            for code in PROFILE_LANGUAGES
        },
    }
    form_args = {name: {"label": label} for name, label in column_labels.items()}
    column_formatters = {
        "country": lambda view, context, model, name: COUNTRY_NAMES.get(model.country, model.country),
        "status": lambda view, context, model, name: CITY_STATUS_TITLES.get(model.status, model.status),
    }
    edit_template = "admin/cities/edit.html"

    def scaffold_form(self):
        """Offer countries by name in the reader's language (Flask-Admin would list codes)."""
        form_class = super().scaffold_form()
        form_class.country = SelectField(
            _l("Country"), choices=list(COUNTRY_NAMES.items()), validators=[InputRequired()]
        )
        # The revision the form shows: a save over a newer one (a representative's) is refused, not silent.
        form_class.edited_revision = HiddenField()
        return form_class

    def on_form_prefill(self, form, id) -> None:
        """Remember which revision of the city the form shows."""
        city = MemberCity.objects(pk=id).only("revision").first()
        form.edited_revision.data = city.revision or 0 if city else ""

    def render(self, template, **kwargs):
        """Give the edit page the city's status and whether the user may correct it."""
        if template == self.edit_template:
            kwargs.update(status_titles=CITY_STATUS_TITLES, may_correct_status=cities.may_correct_status(current_user))
        return super().render(template, **kwargs)

    @expose("/status/", methods=("POST",))
    def correct_status_view(self):
        """Correct a city's status by hand (admins, with a reason)."""
        city_id = request.form.get("id", "")
        city = MemberCity.objects(pk=city_id).first() if ObjectId.is_valid(city_id) else None
        if city is None:
            raise NotFound(_("No such item."))
        city = cities.correct_status(current_user, city, request.form.get("status"), request.form.get("reason"))
        flash(_("Status corrected: %(status)s.", status=CITY_STATUS_TITLES[city.status]), "success")
        return redirect(url_for(".edit_view", id=str(city.pk)), 303)

    def create_with_operation(self, form):
        """Add a city."""
        city = MemberCity()
        form.populate_obj(city)
        return cities.save_city(current_user, city)

    def update_with_operation(self, form, model) -> None:
        """Change a city (one deleted or changed meanwhile is reported, not brought back or overwritten)."""
        edited = str(form.edited_revision.data or "")
        if not edited.isdigit() or len(edited) > 9:
            raise NotPossible(_("The form is missing the revision it was opened at; reload the city."))
        for name, field in form._fields.items():
            if name != "edited_revision":  # the form's, not the city's
                field.populate_obj(model, name)
        cities.save_city(current_user, model, int(edited))

    def delete_with_operation(self, model) -> None:
        """Delete a city."""
        cities.delete_city(current_user, model)
