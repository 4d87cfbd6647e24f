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


def one_per_group(items, language: str) -> list[tuple[Content, bool]]:
    """Return one entry per translation group: its item in `language` if listed, else the original.

    Each entry is (item, fell_back): fell_back says the viewer's language is
    missing and another language is shown instead. The order of `items` is kept.
    """
    groups: dict[str, list[Content]] = {}
    for item in items:
        groups.setdefault(item.translation_group, []).append(item)
    chosen = []
    for members in groups.values():
        wanted = next((item for item in members if item.language == language), None)
        if wanted is not None:
            chosen.append((wanted, False))
            continue
        # The original (the one not translated from another) if it is listed, else the first.
        original = next((item for item in members if item.translation_of is None), members[0])
        chosen.append((original, True))
    return chosen


def visible_translations(user, item: Content) -> dict[str, Content]:
    """Return {language: item} of the listed members of `item`'s translation group `user` may see, `item` too."""
    query = Content.objects(
        __raw__={
            "$and": [
                permitted_query(user, VIEW),
                {"translation_group": item.translation_group, "state": {"$in": list(LISTED_STATES)}},
            ]
        }
    )
    return {**{other.language: other for other in query}, item.language: item}
