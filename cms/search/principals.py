"""Who may find an item: the principals stored with it in the index, and the ones a caller searches with.

The same rule as `workflows.policy.can(user, VIEW, item)`, split in two: the
item's side (its state's permission map, `public`, its audience, owner and
local roles) is stored when the item is indexed; the caller's side (site
roles as can() computes them now — a representative's member rights depend
on the city's status at query time) is computed per search. An item is found
when the two share a principal.
"""

from content_types import Content
from content_types.base import reference_id
from workflows.definitions import state_definition
from workflows.permissions import LOCAL_ROLES, MEMBER, OWNER, PUBLIC, VIEW
from workflows.policy import audience_of, is_logged_in, roles_of

EVERYONE = "everyone"


def item_principals(item: Content) -> list[str]:
    """Return the principals any one of which lets a caller view `item` in its current state."""
    state = state_definition(item.type_name, item.state)
    allowed = set(state["permissions"].get(VIEW, ())) if state else set()
    audience = [str(city) for city in audience_of(item) or ()]
    principals = set()
    for role in allowed:
        if role == MEMBER:
            # Member rights reach only the cities an item is addressed to, where it has an audience.
            principals |= {f"member:{city}" for city in audience} if audience else {"role:member"}
        elif role == PUBLIC:
            if item.public:
                principals |= {f"city:{city}" for city in audience} if audience else {EVERYONE}
        elif role == OWNER:
            if (owner := reference_id(item._data.get("owner"))) is not None:
                principals.add(f"user:{owner}")
        else:
            principals.add(f"role:{role}")
            if role in LOCAL_ROLES:
                for local in item._data.get("local_roles") or ():
                    if role in (local._data.get("roles") or ()):
                        principals.add(f"user:{reference_id(local._data.get('user'))}")
    return sorted(principals)


def user_principals(user) -> list[str]:
    """Return the principals `user` searches with: site roles as can() sees them now, account, city."""
    site_roles = roles_of(user)
    principals = {EVERYONE, *(f"role:{role}" for role in site_roles)}
    if is_logged_in(user):
        principals.add(f"user:{user.pk}")
    if (city := getattr(user, "city_id", None)) is not None:
        principals.add(f"city:{city}")
        if MEMBER in site_roles:
            principals.add(f"member:{city}")
    return sorted(principals)
