"""The member area's company entries: a representative proposes companies of their own city and sends them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from cms.i18n import current_language
from cms.operations import content, refuse_unless
from cms.security import permitted_query
from content_types import Company
from content_types.base import TITLE_MAX_LENGTH
from content_types.company import INTEREST_TITLES, SIZE_TITLES
from content_types.refusals import Refused
from content_types.sectors import SECTOR_CODES, sector_title
from content_types.validation import Invalid
from workflows import engine, state_title
from workflows.permissions import VIEW

# The form's fields beside the company's own names; the city is always the representative's.
SIMPLE_FIELDS = ("title", "name_de", "name_zh", "name_en", "sector", "size", "website", *Company.members_only_fields)


class CompanyForm(FlaskForm):
    """A company of the representative's city, as the secretariat will check it."""

    title = StringField(_l("Company name (as registered)"), validators=[DataRequired(), Length(max=TITLE_MAX_LENGTH)])
    name_de = StringField(_l("Name in German"), validators=[Length(max=200)])
    name_zh = StringField(_l("Name in Chinese"), validators=[Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector (NACE)"), choices=[(code, code) for code in SECTOR_CODES])
    size = SelectField(_l("Size"), choices=list(SIZE_TITLES.items()), default="small")
    products = TextAreaField(_l("Products (one per line)"), validators=[Length(max=10_000)])
    interests = SelectMultipleField(
        _l("Cooperation interests"),
        choices=list(INTEREST_TITLES.items()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    website = StringField(_l("Website"), validators=[Length(max=300)])
    contact_person = StringField(_l("Contact person"), validators=[Length(max=200)])
    contact_mail = StringField(_l("Contact e-mail"), validators=[Length(max=254)])
    contact_phone = StringField(_l("Contact telephone"), validators=[Length(max=40)])
    body = TextAreaField(_l("Description"), validators=[Length(max=20_000)])


def may_propose_companies(user) -> bool:
    """Whether `user` may propose companies (a representative of a member city; staff use the admin)."""
    return content.may_create(user, Company.type_name) and getattr(user, "city_id", None) is not None


def own_entries(user) -> list[Company]:
    """Return the companies the representative proposed, newest first."""
    query = {"$and": [permitted_query(user, VIEW, [Company.type_name]), {"owner": user.pk}]}
    return list(Company.objects(__raw__=query).order_by("-created")[:200])


def companies_page(lang=None):
    """Propose a company of one's own city (saved as a draft, or sent for review at once); list one's entries."""
    refuse_unless(may_propose_companies(current_user), current_user, None, "create", type_name=Company.type_name)
    form = CompanyForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                item = _propose(form)
            except Invalid as invalid:
                for name, reason in invalid.details.items():
                    getattr(form, name, form.title).errors = [*getattr(form, name, form.title).errors, reason]
                status = invalid.status
            else:
                if request.form.get("send"):
                    engine.fire(current_user, item, "submit")
                    flash(_("The company was sent to the secretariat for review."), "success")
                else:
                    flash(_("The company was saved as your draft; send it for review when it is complete."), "success")
                return redirect(url_for("public.member_companies"), 303)
        else:
            status = 400 if "csrf_token" in form.errors else 422
    return render_template(
        "public/member_companies.html",
        form=form,
        sector_title=sector_title,
        entries=[(item, state_title(item.type_name, item.state)) for item in own_entries(current_user)],
        may_send=lambda item: any(t["trigger"] == "submit" for t in engine.available_transitions(current_user, item)),
    ), status


def _propose(form: CompanyForm) -> Company:
    item = content.new_item(current_user, Company.type_name)
    for name in SIMPLE_FIELDS:
        setattr(item, name, (getattr(form, name).data or "").strip())
    item.products = [line.strip() for line in (form.products.data or "").splitlines() if line.strip()]
    item.interests = form.interests.data or []
    item.body = form.body.data or ""
    item.language = current_language()
    item.city = current_user.city
    return content.create_item(current_user, item)


def send_entry(item_id, lang=None):
    """Send one's draft company entry to the secretariat's review."""
    refuse_unless(may_propose_companies(current_user), current_user, None, "submit")
    item = next((entry for entry in own_entries(current_user) if str(entry.pk) == item_id), None)
    if item is None:
        abort(404)
    try:
        engine.fire(current_user, item, "submit")
    except Refused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("public.member_companies"), 303)
    flash(_("The company was sent to the secretariat for review."), "success")
    return redirect(url_for("public.member_companies"), 303)
