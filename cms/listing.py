"""What the site lists: published items and announced meetings the viewer may see."""

from cms.security import permitted_query
from content_types import Content
from workflows.permissions import VIEW

# Documents once published (and the archive); meetings once announced.
LISTED_STATES = ("published", "archived")
UPCOMING_LISTED_MEETING_STATES = ("announced",)


def visible(user, type_names, states):
    """Return a queryset of the items of `type_names` in `states` that `user` may view (one query)."""
    return Content.objects(
        __raw__={"$and": [permitted_query(user, VIEW, list(type_names)), {"state": {"$in": list(states)}}]}
    )


def next_meeting(user):
    """Return the next announced meeting `user` may see (not yet held), or None."""
    return visible(user, ["meeting"], UPCOMING_LISTED_MEETING_STATES).order_by("year", "half", "starts_on").first()
