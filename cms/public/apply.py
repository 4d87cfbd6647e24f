"""The public membership form (/<lang>/apply): a city applies without an account; its contact confirms by a link."""

import logging

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from cms.i18n import current_language, sort_key
from cms.operations import applications, refuse_unless
from cms.public import blueprint
from content_types import MembershipApplication
from content_types.application_submission import CITY_NAME_MAX_LENGTH, KEY_DATA_FIELDS, NEW_CITY_FIELDS
from content_types.base import LANGUAGES, NATIVE_LANGUAGE_NAMES, has_control_characters
from content_types.city import COUNTRIES, COUNTRY_NAMES
from content_types.membership import TEXT_MAX_LENGTH
from content_types.refusals import NotAllowed, Refused
from content_types.validation import Invalid

log = logging.getLogger(__name__)

# The city chooser's value for "a city not in the list".
NEW_CITY = "new"
KEY_DATA_TITLES = {
    "economic_data": _l("Economic key data"),
    "industrial_characteristics": _l("Industrial characteristics"),
    "national_cooperation": _l("Current national cooperation"),
    "international_cooperation": _l("Current international cooperation"),
    "cooperation_wishes": _l("Cooperation wishes"),
}


def no_control_characters(form, field):
    """Refuse line breaks and other control characters in a one-line field (they could end up in a mail header)."""
    if has_control_characters(field.data):
        raise ValidationError(_("This may not hold line breaks or other control characters."))


class ApplicationForm(FlaskForm):
    """The applicant city, the seed's key data, the contact person and documents; `website` is a trap for bots."""

    city = SelectField(_l("Applicant city"), validate_choice=False)
    name_de = StringField(_l("Name in German"), validators=[Length(max=CITY_NAME_MAX_LENGTH), no_control_characters])
    name_zh = StringField(_l("Name in Chinese"), validators=[Length(max=CITY_NAME_MAX_LENGTH), no_control_characters])
    name_en = StringField(_l("Name in English"), validators=[Length(max=CITY_NAME_MAX_LENGTH), no_control_characters])
    country = SelectField(_l("Country"), validate_choice=False)
    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200), no_control_characters])
    contact_email = EmailField(_l("Your e-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    contact_language = SelectField(
        _l("Language of our mail to you"), choices=[(code, NATIVE_LANGUAGE_NAMES[code]) for code in LANGUAGES]
    )
    # Its type is checked from the bytes (cms.operations.attachments), not by its name.
    documents = MultipleFileField(_l("Documents (optional: PDF, DOCX, XLSX, ODT, PNG or JPEG)"))
    # Not shown to people (site.css hides it); a bot filling every field fills this one too.
    website = StringField(_l("Leave this field empty"))

    def validate(self, extra_validators=None):
        """Check each field, then the city: a listed one, or "new" with its three names and its country."""
        valid = super().validate(extra_validators)
        if not self.city.data or self.city.data not in {value for value, _label in self.city.choices}:
            self.city.errors.append(_("Choose your city from the list, or “not listed” and enter it below."))
            return False
        if self.city.data == NEW_CITY:
            for name in ("name_de", "name_zh", "name_en"):
                if not (self[name].data or "").strip() and not self[name].errors:
                    self[name].errors.append(_("Enter the city's name in each language."))
            if self.country.data not in COUNTRIES:
                self.country.errors.append(_("Choose the city's country."))
            valid = valid and not any(self[name].errors for name in NEW_CITY_FIELDS)
        return valid


for _name in KEY_DATA_FIELDS:
    setattr(
        ApplicationForm,
        _name,
        TextAreaField(KEY_DATA_TITLES[_name], validators=[DataRequired(), Length(max=TEXT_MAX_LENGTH)]),
    )
# The order the form shows (and reports errors in).
FIELD_ORDER = (
    "city",
    *NEW_CITY_FIELDS,
    *KEY_DATA_FIELDS,
    "contact_name",
    "contact_email",
    "contact_language",
    "documents",
)


def _form(language: str) -> ApplicationForm:
    form = ApplicationForm()
    cities = sorted(
        applications.cities_open_to_apply(), key=lambda city: (city.country, sort_key(city.name(language), language))
    )
    form.city.choices = [
        ("", _("Choose…")),
        *[(str(city.pk), f"{city.name(language)} ({COUNTRY_NAMES[city.country]})") for city in cities],
        (NEW_CITY, _("My city is not listed: I enter it below")),
    ]
    form.country.choices = [("", _("Choose…")), *[(code, str(COUNTRY_NAMES[code])) for code in COUNTRIES]]
    if request.method == "GET":
        form.contact_language.data = language
    return form


@blueprint.route("/apply", methods=("GET", "POST"))
def apply():
    """The application form; a valid one is stored unconfirmed and its contact mailed the confirmation link."""
    refuse_unless(applications.may_apply(current_user), current_user, None, "apply")
    language = current_language()
    form = _form(language)
    status, problem = 200, None
    if request.method == "POST":
        if form.website.data:
            # A person never sees the field: say nothing about why, store nothing, write no audit entry.
            log.warning("membership form: trap field filled from %s", request.remote_addr)
            status, problem = 400, _("Your application could not be accepted.")
        elif not form.validate_on_submit():
            status = 400 if "csrf_token" in form.errors else 422
            problem = (
                _("The form could not be sent (the page had expired); please send it again.")
                if status == 400
                else _("Please correct the marked fields.")
            )
        else:
            try:
                applications.submit(
                    current_user,
                    _application_from(form),
                    request.remote_addr,
                    current_app.config["CMS_MAX_UPLOAD_BYTES"],
                    language,
                )
            except NotAllowed:
                raise
            except Invalid as invalid:
                for name, reason in invalid.details.items():
                    (form[name] if name in form else form.city).errors.append(reason)
                status, problem = invalid.status, _("Please correct the marked fields.")
            except Refused as refusal:
                # A document's refusal (type, size) or the limits: nothing was stored.
                if refusal.status in (413, 415) or refusal.code == "missing_file":
                    form.documents.errors.append(refusal.message)
                    problem = _("Please correct the marked fields.")
                else:
                    problem = refusal.message
                status = refusal.status
            else:
                return redirect(url_for("public.application_sent"), 303)
    return render_template(
        "public/apply.html",
        form=form,
        problem=problem,
        errors=[(form[name].label.text, error) for name in FIELD_ORDER for error in form[name].errors],
        files_posted=request.method == "POST" and bool(_documents(form)),
        key_data=[form[name] for name in KEY_DATA_FIELDS],
        new_city=NEW_CITY,
        text_max=TEXT_MAX_LENGTH,
    ), status


def _documents(form: ApplicationForm) -> list:
    # An empty file input still sends a part without a name.
    return [upload for upload in form.documents.data or () if upload and upload.filename]


def _application_from(form: ApplicationForm) -> applications.Application:
    new = form.city.data == NEW_CITY
    return applications.Application(
        city_id="" if new else form.city.data,
        new_city={name: (form[name].data or "").strip() for name in NEW_CITY_FIELDS} if new else {},
        key_data={name: form[name].data or "" for name in KEY_DATA_FIELDS},
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
        contact_language=form.contact_language.data,
        documents=_documents(form),
    )


@blueprint.route("/apply/sent")
def application_sent():
    """Says that the confirmation link is on its way."""
    return render_template("public/apply_sent.html", days=applications.confirm_days())


class ConfirmForm(FlaskForm):
    """Only the CSRF token: confirming is a POST, so a mail scanner fetching the link confirms nothing."""


@blueprint.route("/apply/confirm/<token>", methods=("GET", "POST"))
def confirm_application(token):
    """The confirmation link: shows the application with a button that confirms it (once), or why it can't."""
    form = ConfirmForm()
    try:
        found = applications.read_token(token)
        if request.method == "POST":
            if not form.validate_on_submit():
                return _confirm_page(None, form, _("The page had expired; please confirm again."), token), 400
            applications.confirm(token)
            return redirect(url_for("public.confirm_application", token=token), 303)
    except Refused as refusal:
        return _confirm_page(None, form, refusal.message, token), refusal.status
    return _confirm_page(found, form, None, token)


def _confirm_page(found, form, problem, token):
    confirmed = isinstance(found, MembershipApplication)
    submission = None if confirmed else found
    language = current_language()
    return render_template(
        "public/apply_confirm.html",
        form=form,
        problem=problem,
        confirmed=confirmed,
        confirmed_already=submission is not None and submission.confirmed_at is not None,
        submission=submission,
        applicant=_applicant_of(found, language),
        token=token,
    )


def _applicant_of(found, language: str) -> str:
    if found is None:
        return ""
    if isinstance(found, MembershipApplication):
        return found.city.name(language) if found.city else found.title
    city = applications.city_of(found)
    return applications.applicant_name(found, city, language)
