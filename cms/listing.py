"""What the site lists: released items and the next announced meeting the viewer may see."""

from cms.security import permitted_query
from content_types import Content, Meeting
from workflows import flagged_states
from workflows.permissions import VIEW
from workflows.types import TYPES


def _in_states(type_names, *flags: str) -> dict:
    # Each type in the states of its own workflow that carry the flags.
    return {
        "$or": [
            {"_cls": TYPES[name].cls._class_name, "state": {"$in": flagged_states(name, *flags)}} for name in type_names
        ]
    }


def released(user, type_names):
    """Return a queryset of the released items of `type_names` that `user` may view (one query)."""
    type_names = list(type_names)
    return Content.objects(
        __raw__={"$and": [permitted_query(user, VIEW, type_names), _in_states(type_names, "released")]}
    )


def next_meeting(user):
    """Return the next announced meeting `user` may see (released and still upcoming), or None."""
    names = [Meeting.type_name]
    query = {"$and": [permitted_query(user, VIEW, names), _in_states(names, "released", "upcoming")]}
    return Content.objects(__raw__=query).order_by("year", "half", "starts_on").first()


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


def released_translations(user, item: Content) -> dict[str, Content]:
    """Return {language: item} of the released members of `item`'s translation group `user` may see, `item` too."""
    query = Content.objects(
        __raw__={
            "$and": [
                permitted_query(user, VIEW, [item.type_name]),
                _in_states([item.type_name], "released"),
                {"translation_group": item.translation_group},
            ]
        }
    )
    return {**{other.language: other for other in query}, item.language: item}
