"""The member area's page where a member city's representatives maintain their own city's contacts and profile."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from cms.i18n import current_language
from cms.operations import cities, refuse_unless
from content_types import MemberCity
from content_types.city import PROFILE_FIELDS, PROFILE_KEYS, PROFILE_LANGUAGES, PROFILE_MAX_LENGTH, PROFILE_TITLES
from content_types.refusals import Conflict, NotFound
from content_types.validation import Invalid

# Empty rows offered below the city's contact persons for adding new ones.
SPARE_CONTACT_ROWS = 2


class ContactForm(FlaskForm):
    """One contact person; a row left without a name is dropped."""

    class Meta:
        # The outer form carries the CSRF token.
        csrf = False

    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = StringField(_l("Function"), validators=[Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=60)])
    # Mail to this person is written in this language; empty: the city's country's.
    language = SelectField(
        _l("Mail language"),
        choices=[("", _l("the city's language")), ("de", "Deutsch"), ("zh", "中文"), ("en", "English")],
        default="",
    )


class CityForm(FlaskForm):
    """A city's contact office, responsible person, contact persons and profile, and the revision edited."""

    revision = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)])
    contact_office = StringField(_l("Contact office"), validators=[Length(max=300)])
    responsible_person = StringField(_l("Responsible person"), validators=[Length(max=200)])
    contacts = FieldList(FormField(ContactForm), max_entries=cities.MAX_CONTACTS + SPARE_CONTACT_ROWS)


for _name in PROFILE_FIELDS:
    setattr(CityForm, _name, TextAreaField(validators=[Length(max=PROFILE_MAX_LENGTH)]))


def form_for(city: MemberCity) -> CityForm:
    """Return the form filled from the stored city, with spare empty contact rows."""
    data = {name: getattr(city, name) or "" for name in ("contact_office", "responsible_person", *PROFILE_FIELDS)}
    data["revision"] = city.revision or 0
    data["contacts"] = [
        {
            "name": c.name or "",
            "role": c.role or "",
            "email": c.email or "",
            "phone": c.phone or "",
            "language": c.language or "",
        }
        for c in city.contacts
    ] + [{}] * SPARE_CONTACT_ROWS
    return CityForm(formdata=None, data=data)


def changes_from(form: CityForm) -> dict:
    """Return the fields the form sets: contacts (rows with a name), office, responsible person, profile."""
    changes = {name: form[name].data or "" for name in ("contact_office", "responsible_person", *PROFILE_FIELDS)}
    changes["contacts"] = [
        {key: (row[key].data or "").strip() for key in cities.CONTACT_KEYS}
        for row in form.contacts
        if (row["name"].data or "").strip() or any((row[key].data or "").strip() for key in ("role", "email", "phone"))
    ]
    return changes


def own_city(lang=None):
    """Show and save the representative's own city's contacts and profile (403 for anyone else)."""
    city = current_user.city if current_user.city_id else None
    if city is None:
        raise NotFound(_("No such item."))
    refuse_unless(cities.may_edit_city(current_user, city), current_user, None, "edit_city", city=city.name_de)
    status = 200
    if request.method == "POST":
        form = CityForm()
        if form.validate_on_submit():
            try:
                cities.update_city(current_user, city, form.revision.data, changes_from(form))
            except Conflict as conflict:
                # The entries stay in the form: nothing typed is lost.
                flash(conflict.message, "error")
                status = 409
            except Invalid as invalid:
                flash(invalid.message, "error")
                for name, reason in invalid.details.items():
                    flash(f"{name}: {reason}", "error")
                status = 422
            else:
                flash(_("Your city's contacts and profile are saved."), "success")
                return redirect(url_for("public.own_city"), 303)
        else:
            status = 400 if "csrf_token" in form.errors else 422
    else:
        form = form_for(city)
    return render_template(
        "public/own_city.html",
        city=city,
        form=form,
        profile=[(key, PROFILE_TITLES[key]) for key in PROFILE_KEYS],
        profile_languages=PROFILE_LANGUAGES,
        language=current_language(),
        errors=form_errors(form),
    ), status


def form_errors(form: CityForm) -> list[tuple[str, str]]:
    """Return (what, message) for each field the form refused, named in the reader's language."""
    errors = []
    for name in ("contact_office", "responsible_person"):
        errors += [(form[name].label.text, message) for message in form[name].errors]
    for key in PROFILE_KEYS:
        for code in PROFILE_LANGUAGES:
            what = f"{PROFILE_TITLES[key]} ({code})"
            errors += [(what, message) for message in form[f"{key}_{code}"].errors]
    for number, row in enumerate(form.contacts, start=1):
        for field in row:
            what = _("Contact person %(number)d, %(field)s", number=number, field=field.label.text)
            errors += [(what, message) for message in field.errors]
    return errors
