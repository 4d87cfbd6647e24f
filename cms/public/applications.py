"""The member area's membership applications: a consulted city's representative reads one and records the decision."""

from bson import ObjectId
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cms.i18n import current_language
from cms.operations import consents
from cms.public import blueprint
from cms.security import can
from content_types import Content, MemberCity
from content_types.base import reference_id
from content_types.membership import DECISION_TITLES
from content_types.refusals import Refused
from workflows import state_title
from workflows.conditions import missing_cities
from workflows.permissions import VIEW
from workflows.policy import decision_requested
from workflows.types import TYPES


@blueprint.route("/members/applications/<item_id>", methods=("GET", "POST"))
@login_required
def application(item_id):
    """One application as a consulted city sees it, with the form for the city's decision while it is requested."""
    item = Content.objects(pk=item_id).first() if ObjectId.is_valid(item_id) else None
    if item is None or not type(item).decided_field or not can(current_user, VIEW, item):
        abort(404)
    if request.method == "POST":
        try:
            consents.record_decision(
                current_user,
                item,
                request.form.get("decision"),
                request.form.get("comment"),
                request.files.get("letter") or None,
                current_app.config["CMS_MAX_UPLOAD_BYTES"],
            )
        except Refused as refusal:
            return _page(item, refusal.message), refusal.status
        flash(_("Your city's decision is recorded."), "success")
        return redirect(url_for("public.application", item_id=item_id), 303)
    return _page(item)


def _page(item: Content, error: str | None = None) -> str:
    decisions = consents.decisions(item)
    cities = {city.pk: city for city in MemberCity.objects(pk__in=[reference_id(d._data["city"]) for d in decisions])}
    own = next((d for d in decisions if reference_id(d._data["city"]) == current_user.city_id), None)
    return render_template(
        "public/application.html",
        item=item,
        city=MemberCity.objects(pk=reference_id(item._data["city"])).first(),
        state=state_title(item.type_name, item.state),
        type_title=TYPES[item.type_name].title,
        own=own,
        own_city=cities.get(current_user.city_id),
        requested=decision_requested(current_user, item),
        consulted=len(item._data.get("consulted_cities") or ()),
        missing=len(missing_cities(item)),
        decision_titles=DECISION_TITLES,
        language=current_language(),
        error=error,
    )
