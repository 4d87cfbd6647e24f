"""The events pages: upcoming and past events, an event with its delegation form, the host's lists, the feed."""

from bson import ObjectId
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from cms import calendar_feed, host_lists
from cms.i18n import current_language
from cms.operations import events as event_operations
from cms.page_cache import cached_page
from cms.public import blueprint
from cms.security import can
from content_types import Event, MemberCity
from content_types.event import DELEGATE_FUNCTION_TITLES, EVENT_KIND_TITLES, MAX_DELEGATES, TIME_ZONE_TITLES
from content_types.refusals import Conflict, NotFound
from content_types.validation import Invalid
from workflows.permissions import MANAGE_DELEGATIONS, VIEW

# Empty rows offered below a delegation's members for adding more.
SPARE_ROWS = 3


class DelegateForm(FlaskForm):
    """One member of the delegation; a row left without a name is dropped."""

    class Meta:
        # The outer form carries the CSRF token.
        csrf = False

    name = StringField(_l("Name"), validators=[Length(max=200)])
    function = SelectField(_l("Function"), choices=[("", _l("choose…")), *DELEGATE_FUNCTION_TITLES.items()], default="")
    position = StringField(_l("Position"), validators=[Length(max=200)])


class DelegationForm(FlaskForm):
    """A city's delegation and the revision edited (0: none registered yet)."""

    revision = IntegerField(validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])
    members = FieldList(FormField(DelegateForm), max_entries=MAX_DELEGATES + SPARE_ROWS)


def _form_for(delegation) -> DelegationForm:
    rows = (
        [{"name": d.name, "function": d.function, "position": d.position} for d in delegation.members]
        if delegation
        else []
    )
    data = {"revision": delegation.revision if delegation else 0, "members": rows + [{}] * SPARE_ROWS}
    return DelegationForm(formdata=None, data=data)


def _members_from(form: DelegationForm) -> list[dict]:
    # Rows with anything typed in them: a row with a function but no name is refused, not dropped silently.
    return [
        {key: (row[key].data or "").strip() for key in event_operations.DELEGATE_KEYS}
        for row in form.members
        if any((row[key].data or "").strip() for key in ("name", "position"))
    ]


def _load(item_id) -> Event:
    event = Event.objects(pk=item_id).first() if ObjectId.is_valid(item_id) else None
    if event is None or not can(current_user, VIEW, event):
        raise NotFound(_("No such item."))
    return event


def _chosen_city() -> MemberCity | None:
    # A representative registers their own city; the secretariat chooses any member city (?city=).
    chosen = request.values.get("city", "")
    if can(current_user, MANAGE_DELEGATIONS) and ObjectId.is_valid(chosen):
        return MemberCity.objects(pk=chosen, status="member").first()
    return current_user.city if getattr(current_user, "city_id", None) else None


@blueprint.route("/events")
@cached_page
def events():
    """Upcoming released events the viewer may see, past ones below; a link to the calendar feed."""
    upcoming, past = calendar_feed.upcoming_and_past(current_user, current_language())
    return render_template(
        "public/events.html", upcoming=upcoming, past=past, kinds=EVENT_KIND_TITLES, language=current_language()
    )


@blueprint.route("/events.ics")
@cached_page
def events_feed():
    """The released public events as an iCalendar feed in the URL's language."""
    body = calendar_feed.feed(current_language())
    return Response(body, content_type="text/calendar; charset=utf-8")


@blueprint.route("/events/<item_id>", methods=["GET", "POST"])
@cached_page
def event(item_id):
    """One event; for a representative (or the secretariat) also the form for a delegation, and who is registered."""
    item = _load(item_id)
    city = _chosen_city() if current_user.is_authenticated else None
    may_register = city is not None and event_operations.may_register_delegation(current_user, item, city)
    delegation = event_operations.delegation_of(item, city) if city is not None else None
    status = 200
    if request.method == "POST":
        if not current_user.is_authenticated:
            abort(401)
        form = DelegationForm()
        if not form.validate_on_submit():
            status = 400 if "csrf_token" in form.errors else 422
            flash(_("Some fields are not valid."), "error")
        else:
            try:
                event_operations.save_delegation(current_user, item, city, _members_from(form), form.revision.data or 0)
            except Conflict as conflict:
                # What was typed stays in the form: nothing is lost.
                flash(conflict.message, "error")
                status = 409
            except Invalid as invalid:
                for reason in invalid.details.values():
                    flash(reason, "error")
                status = 422
            else:
                flash(_("The delegation of %(city)s is saved.", city=city.name(current_language())), "success")
                own = city.pk == getattr(current_user, "city_id", None)
                return redirect(url_for("public.event", item_id=item_id, city=None if own else str(city.pk)), 303)
    else:
        form = _form_for(delegation)
    may_view_own = city is not None and event_operations.may_view_delegation(current_user, item, city)
    return render_template(
        "public/event.html",
        item=item,
        kinds=EVENT_KIND_TITLES,
        zones=TIME_ZONE_TITLES,
        functions=DELEGATE_FUNCTION_TITLES,
        city=city,
        delegation=delegation if may_view_own else None,
        may_register=may_register,
        registration_open=event_operations.registration_open(item),
        form=form,
        may_view_host_lists=event_operations.may_view_host_lists(current_user, item),
        choosable_cities=_choosable_cities() if can(current_user, MANAGE_DELEGATIONS) else [],
        language=current_language(),
    ), status


def _choosable_cities() -> list[MemberCity]:
    return sorted(MemberCity.objects(status="member"), key=lambda city: (city.country, city.name_de))


@blueprint.route("/events/<item_id>/delegations")
@login_required
def host_list(item_id):
    """Every delegation to the event, with counts per function: for the secretariat and the host city."""
    item = _load(item_id)
    return render_template(
        "public/host_list.html",
        item=item,
        listing=event_operations.host_list(current_user, item),
        functions=DELEGATE_FUNCTION_TITLES,
        language=current_language(),
    )


@blueprint.route("/events/<item_id>/delegations.csv")
@login_required
def host_list_csv(item_id):
    """The host's list as CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese names)."""
    item = _load(item_id)
    body = host_lists.to_csv(event_operations.host_list(current_user, item), current_language())
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = "attachment; filename=delegations.csv"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.app_template_global()
def event_when(item: Event) -> str:
    """Return when an event takes place, in the reader's language, with the time zone its times are in."""
    start = _("%(date)s, %(time)s", date=format_date(item.starts, "medium"), time=format_time(item.starts, "short"))
    if item.ends and item.ends.date() == item.starts.date():
        span = f"{start} – {format_time(item.ends, 'short')}"
    elif item.ends:
        end = _("%(date)s, %(time)s", date=format_date(item.ends, "medium"), time=format_time(item.ends, "short"))
        span = f"{start} – {end}"
    else:
        span = start
    return _("%(span)s (%(zone)s)", span=span, zone=TIME_ZONE_TITLES.get(item.time_zone, item.time_zone or "UTC"))
