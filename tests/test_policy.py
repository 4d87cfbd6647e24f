"""The access policy as pure functions: can(), the list query and the worklist query, without an app or a database.

One table of cases is generated from the workflow definitions (every type ×
state × public flag × role × permission); can() must answer what the state's
permission map says, and the MongoDB filters must match exactly the unsaved
documents can() allows (evaluated by mongoeco's own query matcher, in memory).
"""

from dataclasses import dataclass, field

import pytest
from bson import ObjectId
from mongoeco.core.filtering import QueryEngine

from content_types import LocalRole
from workflows import transitions_from, workflow_for
from workflows.permissions import (
    ACCESS_ADMIN,
    ADD_CONTENT,
    ADMIN,
    ANONYMOUS,
    APPLY_FOR_MEMBERSHIP,
    AUTHENTICATED,
    DECIDE,
    DELETE,
    ITEM_PERMISSIONS,
    MANAGE_CITIES,
    MANAGE_USERS,
    MEMBER,
    MODIFY,
    OWNER,
    PUBLIC,
    SITE_PERMISSIONS,
    SITE_ROLES,
    STEAL_LOCK,
    VIEW,
    fire_permission,
)
from workflows.policy import can, permitted_query, roles_of, worklist_query
from workflows.types import TYPES

FOSHAN, AACHEN, BONN = ObjectId(), ObjectId(), ObjectId()


@dataclass
class Person:
    """A user as the policy sees one: an id, site roles, active or not, a city and whether it is a member."""

    roles: list
    active: bool = True
    pk: ObjectId = field(default_factory=ObjectId)
    is_authenticated: bool = True
    city_id: ObjectId | None = None
    represents_a_member_city: bool = False

    @property
    def is_active(self) -> bool:
        """Whether the account may act."""
        return self.active


PEOPLE = {
    "anonymous": None,
    **{role: Person([role]) for role in SITE_ROLES if role != MEMBER},
    "member": Person([MEMBER], city_id=FOSHAN, represents_a_member_city=True),
    "member of Aachen": Person([MEMBER], city_id=AACHEN, represents_a_member_city=True),
    # Bonn is "requested": its representative has no member rights yet.
    "representative of Bonn": Person([MEMBER], city_id=BONN, represents_a_member_city=False),
    "deactivated": Person(["editor"], active=False),
}


def _held(key: str, public: bool, owner: bool = False) -> set[str]:
    # The roles the definitions speak of, for one person on one item.
    person = PEOPLE[key]
    held = {ANONYMOUS} if person is None or not person.active else set(person.roles) | {AUTHENTICATED}
    if person is not None and MEMBER in held and not person.represents_a_member_city:
        held.discard(MEMBER)
    if public:
        held.add(PUBLIC)
    if owner and person is not None and person.active:
        held.add(OWNER)
    return held


def _item(type_name: str, state: str, public: bool = False, owner=None, local_roles=(), **fields):
    item = TYPES[type_name].cls(
        title="x", state=state, public=public, owner=owner, local_roles=list(local_roles), **fields
    )
    item.pk = ObjectId()
    return item


def _matches(query: dict, item) -> bool:
    return QueryEngine.match(item.to_mongo().to_dict(), query)


# Generated once from the definitions: a new state, type or role is covered without new test code.
CASES = [
    (type_name, state["name"], public)
    for type_name in TYPES
    for state in workflow_for(type_name)["states"]
    for public in (False, True)
]


@pytest.mark.parametrize("type_name, state, public", CASES)
def test_can_answers_the_state_map_and_the_list_query_agrees(type_name, state, public):
    """Role × permission on an item someone else owns: the map's answer, from can() and from the query alike."""
    definition = next(s for s in workflow_for(type_name)["states"] if s["name"] == state)
    item = _item(type_name, state, public, owner=ObjectId())
    for key, person in PEOPLE.items():
        for permission in ITEM_PERMISSIONS:
            expected = bool(_held(key, public) & set(definition["permissions"].get(permission, ())))
            assert can(person, permission, item) is expected, (key, permission)
            assert _matches(permitted_query(person, permission), item) is expected, (key, permission)


@pytest.mark.parametrize("type_name, state, public", [case for case in CASES if not case[2]])
def test_owners_and_local_roles_count_on_their_item_only(type_name, state, public):
    """The OWNER column and local roles apply to the one item, in can() and in the query alike."""
    definition = next(s for s in workflow_for(type_name)["states"] if s["name"] == state)
    member = PEOPLE["member"]
    own = _item(type_name, state, owner=member.pk)
    shared = _item(type_name, state, owner=ObjectId(), local_roles=[LocalRole(user=member.pk, roles=["reviewer"])])
    forged = _item(type_name, state, owner=ObjectId(), local_roles=[LocalRole(user=member.pk, roles=["admin"])])
    for permission in ITEM_PERMISSIONS:
        allowed = set(definition["permissions"].get(permission, ()))
        for item, held in (
            (own, _held("member", False, owner=True)),
            (shared, _held("member", False) | {"reviewer"}),
            (forged, _held("member", False)),  # admin is not a role anyone can be given on one item
        ):
            expected = bool(held & allowed)
            assert can(member, permission, item) is expected, permission
            assert _matches(permitted_query(member, permission), item) is expected, permission


@pytest.mark.parametrize("type_name, state, public", [case for case in CASES if not case[2]])
def test_a_transition_is_open_to_its_guard_and_to_admins(type_name, state, public):
    item = _item(type_name, state, owner=ObjectId())
    for transition in transitions_from(type_name, state):
        for key, person in PEOPLE.items():
            expected = bool(_held(key, False) & (set(transition["guard"]) | {ADMIN})) and can(person, VIEW, item)
            assert can(person, fire_permission(transition["trigger"]), item) is expected, (transition["trigger"], key)
    # A trigger leaving another state, or no transition at all, is open to nobody.
    for made_up in ("to_published", "__class__", "save", ""):
        assert not can(PEOPLE["admin"], fire_permission(made_up), item)


@pytest.mark.parametrize("type_name, state, public", [case for case in CASES if not case[2]])
def test_the_worklist_is_what_waits_for_a_site_role(type_name, state, public):
    """An item is on someone's worklist exactly when a worklist step out of its state is open to their site roles,
    or their city's decision on it is asked for (and none is recorded here)."""
    item = _item(type_name, state, owner=ObjectId())
    for key, person in PEOPLE.items():
        expected = any(
            transition.get("worklist") and can(person, fire_permission(transition["trigger"]), item)
            for transition in transitions_from(type_name, state)
        ) or bool(getattr(person, "city_id", None) and can(person, DECIDE, item))
        assert _matches(worklist_query(person), item) is expected, key


@pytest.mark.parametrize("state", [s["name"] for s in workflow_for("circular")["states"]])
@pytest.mark.parametrize("public", [False, True])
def test_a_circular_addressed_to_some_cities_is_theirs_and_the_staff_s(state, public):
    """The recipients are part of the rule: can() and the list query alike, for every state and permission."""
    definition = next(s for s in workflow_for("circular")["states"] if s["name"] == state)
    to_foshan = _item("circular", state, public, owner=ObjectId(), recipients=[FOSHAN])
    to_all = _item("circular", state, public, owner=ObjectId())
    for key, person in PEOPLE.items():
        for permission in ITEM_PERMISSIONS:
            allowed = set(definition["permissions"].get(permission, ()))
            for item, outsider in ((to_foshan, key != "member"), (to_all, False)):
                held = _held(key, public) - ({MEMBER, PUBLIC} if outsider else set())
                expected = bool(held & allowed)
                assert can(person, permission, item) is expected, (key, permission, item.recipients)
                assert _matches(permitted_query(person, permission), item) is expected, (key, permission)
    released = definition.get("released")
    assert can(PEOPLE["member"], VIEW, to_foshan) is bool(released)
    assert not can(PEOPLE["member of Aachen"], VIEW, to_foshan) and not can(None, VIEW, to_foshan)


def test_site_permissions_follow_the_site_map():
    for key, person in PEOPLE.items():
        for permission, allowed in SITE_PERMISSIONS.items():
            assert can(person, permission) is bool(_held(key, False) & allowed), (key, permission)


def test_site_map_spot_checks():
    """The map itself says what the product needs: only admins manage users or take over locks, members never edit."""
    admin, editor, reviewer, member = (PEOPLE[role] for role in ("admin", "editor", "reviewer", "member"))
    assert can(admin, MANAGE_USERS) and not can(editor, MANAGE_USERS)
    assert can(admin, STEAL_LOCK) and not can(editor, STEAL_LOCK)
    assert can(editor, MANAGE_CITIES) and not can(member, MANAGE_CITIES)
    assert can(editor, ADD_CONTENT) and not can(reviewer, ADD_CONTENT)
    assert not can(member, ACCESS_ADMIN) and not can(None, ACCESS_ADMIN)
    # Anyone may send a membership application through the public form, a requested city's representative too.
    assert all(can(person, APPLY_FOR_MEMBERSHIP) for person in PEOPLE.values())


def test_a_deactivated_user_is_anonymous():
    item = _item("work_plan", "draft", owner=PEOPLE["deactivated"].pk)
    assert roles_of(PEOPLE["deactivated"], item) == {ANONYMOUS}
    assert not can(PEOPLE["deactivated"], VIEW, item)


def test_the_table_is_not_vacuous():
    """Each permission is granted somewhere and refused somewhere, so the comparisons above can fail."""
    for permission in (VIEW, MODIFY, DELETE):
        answers = {
            can(person, permission, _item(type_name, state, public, owner=ObjectId()))
            for type_name, state, public in CASES
            for person in PEOPLE.values()
        }
        assert answers == {True, False}, permission


def test_unknown_permissions_are_errors_not_silent_denials():
    with pytest.raises(ValueError):
        can(PEOPLE["admin"], "edit", _item("work_plan", "draft"))
    with pytest.raises(ValueError):
        can(PEOPLE["admin"], "frobnicate")
