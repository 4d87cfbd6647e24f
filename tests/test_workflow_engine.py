"""The engine: guards from the definitions, conditions, compare-and-set, history, follow-ups."""

import threading
from datetime import date

import pytest

from cms.security import can
from content_types import Content
from content_types.refusals import Conflict, NotAllowed, NotPossible
from tests.workflow_helpers import force_state
from workflows import MACHINES, REGISTRY, engine
from workflows.permissions import ADMIN, OWNER
from workflows.types import TYPES

ROLE_KEYS = ("admin", "editor", "reviewer", "approver", "member", "anonymous")
# A member city per role for the items about a city (a withdrawal, an exclusion motion): firing one makes it leave.
CITY_OF_ROLE = ("Aachen", "Osnabrück", "Wuppertal", "Jiangmen", "Zhaoqing", "Jieyang")
TYPE_OF_WORKFLOW = {
    name: next(t for t, registered in TYPES.items() if registered.workflow == name) for name in REGISTRY
}


@pytest.fixture
def meetings(create_item, city):
    """A planned second-half meeting in Aachen and one already held."""
    planned = create_item(
        "meeting",
        title="Halbjahrestreffen 2026/2",
        year=2026,
        half=2,
        host_city=city("Aachen"),
        starts_on=date(2026, 7, 2),
    )
    held = force_state(
        create_item("meeting", title="Halbjahrestreffen 2026/1", year=2026, half=1, host_city=city("Foshan")), "held"
    )
    return {"planned": planned, "held": held}


def _ready(item, transition, meetings):
    """Put `item` where `transition` can fire, with its conditions met; return it and the data it needs."""
    fields = {}
    if "agenda_meeting_held" in transition.get("offered_if", ()):
        fields.update(agenda_meeting=meetings["held"].pk, accepted_revision=item.revision)
    if "unchanged_since_approval" in transition.get("conditions", ()):
        fields.update(approved_revision=item.revision)
    if "translates_the_approved_text" in transition.get("offered_if", ()):
        source = _released(type(item), approved_meeting=meetings["held"].pk, approved_revision=1)
        fields.update(translation_of=source.pk, translation_source_revision=1)
    if "encloses_a_released_document" in transition.get("offered_if", ()):
        fields.update(encloses=_released(TYPES["work_plan"].cls, year=2027).pk, encloses_version=1)
    source = transition["source"] if isinstance(transition["source"], str) else transition["source"][0]
    data = {"comment": "Begründung"} if "comment" in transition.get("needs", ()) else {}
    if item.type_name == "membership_application":
        fields.update(_deciding(item, transition, data))
    if "meeting_id" in transition.get("needs", ()):
        data["meeting_id"] = str(meetings["planned"].pk)
    return force_state(item, source, **fields), data


def _about_a_city(type_name, city, index) -> dict:
    """The fields an item about a member city needs (its city, a motion's reasons); none for other types."""
    fields = TYPES[type_name].cls._fields
    if type_name == "membership_application":
        return {}  # its applicant city (not a member) comes from create_item
    about = {"city": city(CITY_OF_ROLE[index])} if "city" in fields and fields["city"].required else {}
    if "reasons" in fields:
        about["reasons"] = "Pflichten nicht erfüllt"
    return about


def _deciding(item, transition, data) -> dict:
    """Meet a membership step's conditions: an applicant free to join, the decisions, the file it rests on."""
    from content_types import Attachment, ConsentDecision, MemberCity

    MemberCity.objects(pk=item.city.pk).update_one(set__status="requested")
    foshan = MemberCity.objects.get(name_de="Foshan")
    if "all_consented" in transition.get("offered_if", ()):
        ConsentDecision(application=item.pk, city=foshan, decision="consent").insert()
    if "a_city_objected" in transition.get("offered_if", ()):
        ConsentDecision(application=item.pk, city=foshan, decision="object").insert()
    if "attachment_id" in transition.get("needs", ()):
        attachment = Attachment(item=item.pk, name="a.pdf", content_type="application/pdf", size=1, sha256="0" * 64)
        data["attachment_id"] = str(attachment.save().pk)
    return {"consulted_cities": [foshan.pk]} if "settled_by_decisions" in transition else {}


def _released(cls, **fields):
    """Store a published item of `cls` (a source to translate, a document to send)."""
    item = cls(title="Quelle", language="de", state="published", **fields)
    item.save_revision()
    return item


CASES = [
    (name, transition["trigger"]) for name, definition in REGISTRY.items() for transition in definition["transitions"]
]


@pytest.mark.parametrize("workflow, trigger", CASES)
def test_each_transition_is_open_exactly_to_its_guard(users, create_item, city, meetings, workflow, trigger):
    """Table from the definitions: every transition, every role; the owner is the editor."""
    transition = next(t for t in REGISTRY[workflow]["transitions"] if t["trigger"] == trigger)
    type_name = TYPE_OF_WORKFLOW[workflow]
    for index, role in enumerate(ROLE_KEYS):
        # One meeting per half-year, each begun already (so it may be marked held).
        extra = (
            {"year": 2017 + index, "half": 2, "starts_on": date(2017 + index, 7, 1)}
            if type_name == "meeting"
            else _about_a_city(type_name, city, index)
        )
        item, data = _ready(create_item(type_name, owner=users["editor"], **extra), transition, meetings)
        user = users.get(role)
        held = {role} | ({OWNER} if role == "editor" else set())
        expected = bool(held & (set(transition["guard"]) | {ADMIN})) and can(user, "view", item)
        if expected:
            stored = engine.fire(user, item, trigger, data)
            assert stored.state == transition["dest"], role
            assert stored.history[-1].transition == trigger and stored.history[-1].revision == item.revision
        else:
            with pytest.raises(NotAllowed):
                engine.fire(user, item, trigger, data)
            assert Content.objects.get(pk=item.pk).state == item.state, role


@pytest.mark.parametrize("trigger", ["publish", "approve", "archive", "to_published", "__class__", "save", "", None, 5])
def test_skipping_steps_or_made_up_names_are_not_possible(users, create_item, trigger):
    item = create_item("work_plan", owner=users["editor"])
    with pytest.raises(NotPossible):
        engine.fire(users["admin"], item, trigger)
    assert Content.objects.get(pk=item.pk).state == "draft"


def test_no_automatic_to_state_methods(users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    assert not hasattr(item, "to_published")
    assert "to_published" not in MACHINES["meeting_approval"].events


def test_accept_needs_an_upcoming_meeting(users, create_item, meetings):
    item = force_state(create_item("work_plan", owner=users["editor"]), "in_review")
    for meeting_id in (None, "abc", "000000000000000000000000", str(meetings["held"].pk)):
        with pytest.raises(NotPossible):
            engine.fire(users["reviewer"], item, "accept", {"meeting_id": meeting_id})
    stored = engine.fire(users["reviewer"], item, "accept", {"meeting_id": str(meetings["planned"].pk)})
    assert stored.state == "on_agenda" and stored.agenda_meeting.pk == meetings["planned"].pk
    assert stored.accepted_revision == item.revision


def test_approval_waits_for_the_meeting_to_be_held(users, create_item, meetings):
    item = force_state(create_item("work_plan", owner=users["editor"]), "in_review")
    item = engine.fire(users["reviewer"], item, "accept", {"meeting_id": str(meetings["planned"].pk)})
    with pytest.raises(NotPossible) as refused:
        engine.fire(users["approver"], item, "approve")
    assert "not been held" in refused.value.message
    planned = engine.fire(users["editor"], meetings["planned"], "announce")
    engine.fire(users["editor"], planned, "hold")
    approved = engine.fire(users["approver"], Content.objects.get(pk=item.pk), "approve")
    assert approved.state == "approved" and approved.approved_meeting.pk == meetings["planned"].pk
    assert approved.history[-1].meeting.pk == meetings["planned"].pk


def test_comments_are_required_on_back_edges(users, create_item):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    for comment in (None, "", "   "):
        with pytest.raises(NotPossible):
            engine.fire(users["reviewer"], item, "reject", {"comment": comment})
    assert engine.fire(users["reviewer"], item, "reject", {"comment": "Bitte kürzen"}).state == "draft"


def test_an_approval_covers_only_the_revision_it_saw(users, create_item, meetings):
    item = force_state(create_item("work_plan", owner=users["editor"]), "in_review")
    item = engine.fire(users["reviewer"], item, "accept", {"meeting_id": str(meetings["planned"].pk)})
    Content._get_collection().update_one({"_id": meetings["planned"].pk}, {"$set": {"state": "held"}})
    item.title = "Nach der Annahme geändert"
    item.save_revision(item.revision)
    with pytest.raises(NotPossible) as refused:
        engine.fire(users["approver"], Content.objects.get(pk=item.pk), "approve")
    assert "changed after it was put on the agenda" in refused.value.message
    deferred = engine.fire(users["approver"], Content.objects.get(pk=item.pk), "defer", {"comment": "Erneut prüfen"})
    assert deferred.state == "draft" and deferred.agenda_meeting is None


def test_concurrent_fires_let_exactly_one_win(users, create_item):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    outcomes = []

    def attempt():
        try:
            engine.fire(users["reviewer"], Content.objects.get(pk=item.pk), "publish")
            outcomes.append("won")
        except (Conflict, NotPossible):
            outcomes.append("lost")

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1 and outcomes.count("lost") == 5
    stored = Content.objects.get(pk=item.pk)
    assert stored.state == "published" and [e.transition for e in stored.history] == ["publish"]


def test_a_stale_snapshot_gets_a_conflict(users, create_item):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    stale = Content.objects.get(pk=item.pk)
    engine.fire(users["reviewer"], item, "publish")
    with pytest.raises((Conflict, NotPossible)):
        engine.fire(users["reviewer"], stale, "reject", {"comment": "zu spät"})
    assert len(Content.objects.get(pk=item.pk).history) == 1


def test_a_save_after_a_transition_is_refused(users, create_item):
    """Edit permission was checked in `draft`; once submitted, that edit must not land."""
    from content_types import StaleRevision

    item = create_item("news", owner=users["editor"])
    editing = Content.objects.get(pk=item.pk)
    engine.fire(users["editor"], item, "submit")
    editing.title = "Nachträglich"
    with pytest.raises(StaleRevision):
        editing.save_revision(editing.revision)


def test_publishing_the_next_work_plan_archives_the_earlier(users, create_item):
    earlier = force_state(create_item("work_plan", owner=users["editor"], year=2026), "published")
    other_language = force_state(create_item("work_plan", owner=users["editor"], year=2026, language="zh"), "published")
    following = create_item("work_plan", owner=users["editor"], year=2027)
    following = force_state(following, "approved", approved_revision=following.revision)
    engine.fire(users["approver"], following, "publish")
    archived = Content.objects.get(pk=earlier.pk)
    assert archived.state == "archived" and "Replaced by" in archived.history[-1].comment
    assert Content.objects.get(pk=other_language.pk).state == "published"


def test_publishing_a_circular_records_its_recipients(users, create_item, city):
    to_all = force_state(create_item("circular", owner=users["editor"]), "in_review")
    sent = engine.fire(users["reviewer"], to_all, "publish")
    assert len(sent.sent_to) == 14 and sent.sent_at is not None  # the 14 founding members, not the requested
    restricted = create_item("circular", owner=users["editor"], recipients=[city("Foshan"), city("Dortmund")])
    sent = engine.fire(users["reviewer"], force_state(restricted, "in_review"), "publish")
    assert [c.name_de for c in sent.sent_to] == ["Foshan"]


def test_drafts_are_for_authors_and_staff_published_for_members(users, create_item):
    draft = create_item("work_plan", owner=users["editor"])
    assert not can(users["member"], "view", draft) and not can(None, "view", draft)
    published = force_state(draft, "published")
    assert can(users["member"], "view", published) and not can(None, "view", published)
    public = force_state(create_item("news", owner=users["editor"], public=True), "published")
    assert can(None, "view", public)
    archived = force_state(published, "archived")
    assert can(users["member"], "view", archived)
    assert not any(can(users[role], "modify", archived) for role in ("admin", "editor", "approver"))
