"""`can(user, permission, obj)`: the one answer to every access question.

It lives beside the workflow definitions because it reads their permission
maps and guards, and because the engine asks it before firing a transition;
the web layer reaches it through `cms.security`.
"""

from content_types import Content, MemberCity
from content_types.base import reference_id
from workflows.definitions import state_definition, states_left_by, transition_definition, workflow_for
from workflows.permissions import (
    ADMIN,
    ANONYMOUS,
    AUTHENTICATED,
    CITY_PERMISSION_MAP,
    DECIDE,
    ITEM_PERMISSIONS,
    LOCAL_ROLES,
    MEMBER,
    OWNER,
    PUBLIC,
    SITE_PERMISSIONS,
    SITE_ROLES,
    VIEW,
    transition_of,
)
from workflows.types import TYPES

# The roles an item's audience (a circular's recipient cities) restricts.
RESTRICTED_BY_AUDIENCE = frozenset({MEMBER, PUBLIC})


def is_logged_in(user) -> bool:
    """Return whether `user` is an active, authenticated account."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _site_roles(user) -> set[str]:
    if not is_logged_in(user):
        return {ANONYMOUS}
    roles = set(user.roles or ()) & set(SITE_ROLES)
    if MEMBER in roles and not getattr(user, "represents_a_member_city", False):
        # A representative has member rights only while their city is a member
        # (not while requested or applying, nor once withdrawn or excluded).
        roles.discard(MEMBER)
    return {AUTHENTICATED} | roles


def audience_of(obj) -> list | None:
    """Return the ids of the member cities an item is addressed to (a circular's recipients), or None for all."""
    field = getattr(type(obj), "audience_field", None)
    chosen = [reference_id(city) for city in obj._data.get(field) or ()] if field else []
    return chosen or None


def roles_of(user, obj=None) -> set[str]:
    """Return the roles `user` holds: site roles, plus ownership and local roles on `obj`.

    An item addressed to some cities gives the member and public roles only
    to representatives of those cities: the audience is part of the rule.
    """
    roles = _site_roles(user)
    if isinstance(obj, Content) and obj.public:
        # Items marked public may be opened by anyone where the state grants PUBLIC.
        roles.add(PUBLIC)
    if isinstance(obj, Content) and (audience := audience_of(obj)) and getattr(user, "city_id", None) not in audience:
        roles -= RESTRICTED_BY_AUDIENCE
    if isinstance(obj, Content) and is_logged_in(user):
        # Read the stored ids rather than the references: no dereferencing query.
        if reference_id(obj._data.get("owner")) == user.pk:
            roles.add(OWNER)
        # `obj.local_roles` would dereference every user in the list: a query per check.
        for local in obj._data.get("local_roles") or ():
            if reference_id(local._data.get("user")) == user.pk:
                roles |= set(local.roles) & set(LOCAL_ROLES)
    return roles


def can(user, permission: str, obj=None) -> bool:
    """Return whether `user` holds `permission` on `obj` (or site-wide when obj is None).

    On a content item the answer comes from the permission map of the item's
    current workflow state, or for `fire_permission(trigger)` from the guard
    of that transition out of the current state (admins may fire any);
    otherwise from the site permission map.
    """
    roles = roles_of(user, obj)
    if isinstance(obj, Content):
        trigger = transition_of(permission)
        if trigger is not None:
            if not can(user, VIEW, obj):
                return False
            transition = transition_definition(obj.type_name, obj.state, trigger)
            return transition is not None and bool(roles & (set(transition["guard"]) | {ADMIN}))
        if permission not in ITEM_PERMISSIONS:
            raise ValueError(f"unknown item permission {permission!r}")
        state = state_definition(obj.type_name, obj.state)
        if state is None:
            return False
        return bool(roles & set(state["permissions"].get(permission, ())))
    if isinstance(obj, MemberCity):
        return _can_on_city(user, roles, permission, obj)
    if permission not in SITE_PERMISSIONS:
        raise ValueError(f"unknown site permission {permission!r}")
    return bool(roles & SITE_PERMISSIONS[permission])


def _can_on_city(user, roles: set[str], permission: str, city) -> bool:
    # The secretariat on any city; a representative on their own city (while it is a member: see _site_roles).
    if permission not in CITY_PERMISSION_MAP:
        raise ValueError(f"unknown city permission {permission!r}")
    holders = CITY_PERMISSION_MAP[permission]
    if roles & holders["any"]:
        return True
    return bool(roles & holders["own"]) and city.pk is not None and getattr(user, "city_id", None) == city.pk


def permitted_query(user, permission: str = VIEW, type_names=None) -> dict:
    """Return a MongoDB filter matching exactly the items on which `can(user, permission, item)`.

    Built from the same permission maps as `can()`, state by state, so lists,
    counts and search never show what a single-item view would refuse.
    """
    site_roles = _site_roles(user)
    logged_in = is_logged_in(user)
    clauses = []  # (class name, the condition besides the class, the audience condition or None)
    for type_name in type_names or TYPES:
        cls = TYPES[type_name].cls
        class_name = cls._class_name
        # Roles an item's audience restricts count only where the viewer's city is in it (or there is none).
        addressed = _addressed_to(cls, getattr(user, "city_id", None))
        unrestricted = site_roles - RESTRICTED_BY_AUDIENCE if addressed else site_roles
        by_site_role, by_audience, by_public, by_owner, by_local_role = [], [], [], [], {}
        for state in workflow_for(type_name)["states"]:
            allowed = set(state["permissions"].get(permission, ()))
            if unrestricted & allowed:
                by_site_role.append(state["name"])
                continue
            if site_roles & allowed:
                by_audience.append(state["name"])
            if PUBLIC in allowed:
                by_public.append(state["name"])
            if logged_in and OWNER in allowed:
                by_owner.append(state["name"])
            local = tuple(sorted(allowed & set(LOCAL_ROLES)))
            if logged_in and local:
                by_local_role.setdefault(local, []).append(state["name"])
        if by_site_role:
            clauses.append((class_name, {"state": {"$in": by_site_role}}, None))
        if by_audience:
            clauses.append((class_name, {"state": {"$in": by_audience}}, addressed))
        if by_public:
            clauses.append((class_name, {"state": {"$in": by_public}, "public": True}, addressed))
        if by_owner:
            clauses.append((class_name, {"state": {"$in": by_owner}, "owner": user.pk}, None))
        for local, states in by_local_role.items():
            # The same as `local_roles: {$elemMatch: {user, roles: {$in}}}`, in a form the embedded database
            # answers in SQL (content_types.base.local_role_keys).
            keys = [f"{user.pk}:{role}" for role in local]
            clauses.append((class_name, {"state": {"$in": states}, "local_role_keys": {"$in": keys}}, None))
    if not clauses:
        return {"_id": {"$in": []}}
    return {"$or": _one_per_condition(clauses)}


def _one_per_condition(clauses) -> list[dict]:
    # Types whose condition is the same (their workflows share states) become one clause with `_cls: {$in}`:
    # the same matches, and a filter a third as long for the database to plan.
    classes_of: dict[str, list] = {}
    conditions = {}
    for class_name, condition, addressed in clauses:
        key = repr((condition, addressed))
        classes_of.setdefault(key, []).append(class_name)
        conditions[key] = (condition, addressed)
    merged = []
    for key, names in classes_of.items():
        condition, addressed = conditions[key]
        clause = {"_cls": names[0] if len(names) == 1 else {"$in": names}, **condition}
        merged.append({"$and": [clause, addressed]} if addressed else clause)
    return merged


def _addressed_to(cls, city_id) -> dict | None:
    # The filter for "this item's audience includes the city" (no audience: everyone), for types that have one.
    field = getattr(cls, "audience_field", None)
    if not field:
        return None
    everyone = [{field: {"$exists": False}}, {field: {"$size": 0}}]
    return {"$or": [*everyone, {field: city_id}] if city_id is not None else everyone}


def worklist_query(user) -> dict:
    """Return a filter for the items waiting for `user`: a worklist step open to them, or their city's decision."""
    roles = roles_of(user)
    clauses = []
    for type_name, registered in TYPES.items():
        states = states_left_by(type_name, lambda t: t.get("worklist") and (ADMIN in roles or roles & set(t["guard"])))
        if states:
            clauses.append({"_cls": registered.cls._class_name, "state": {"$in": states}})
    awaited = decision_requested_query(user)
    if awaited is not None:
        clauses.append(awaited)
    if not clauses:
        return {"_id": {"$in": []}}
    return {"$and": [permitted_query(user), {"$or": clauses}]}


def deciding_types() -> list[str]:
    """Return the types some state of whose workflow asks the member cities for their decision."""
    return [name for name in TYPES if any(DECIDE in state["permissions"] for state in workflow_for(name)["states"])]


def decision_requested_query(user) -> dict | None:
    """Return a filter for the items on which `user`'s city's decision is requested and not yet recorded, or None.

    The same rule as can(user, DECIDE, item) (state, audience, a member city),
    less the items the city has decided on.
    """
    city = getattr(user, "city_id", None)
    types = deciding_types()
    if city is None or not is_logged_in(user) or not types:
        return None
    undecided = [{"_cls": TYPES[name].cls._class_name, TYPES[name].cls.decided_field: {"$ne": city}} for name in types]
    return {"$and": [permitted_query(user, DECIDE, types), {"$or": undecided}]}


def decision_requested(user, item: Content) -> bool:
    """Whether `user` may record their city's decision on `item` and their city has not decided yet."""
    city = getattr(user, "city_id", None)
    decided = [reference_id(entry) for entry in item._data.get(type(item).decided_field or "") or ()]
    return city is not None and can(user, DECIDE, item) and city not in decided
