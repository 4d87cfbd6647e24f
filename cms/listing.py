"""What the site lists: released items and the next announced meeting the viewer may see."""

from cms.security import can, permitted_query
from content_types import Content, Meeting
from content_types.base import reference_id
from workflows import flagged_states, state_title, transition_title
from workflows.compilation import carried_news
from workflows.permissions import VIEW
from workflows.types import TYPES


def in_states(type_names, *flags: str) -> dict:
    """Return a filter for the items of `type_names` in the states of their own workflow that carry `flags`."""
    return {
        "$or": [
            {"_cls": TYPES[name].cls._class_name, "state": {"$in": flagged_states(name, *flags)}} for name in type_names
        ]
    }


def released(user, type_names):
    """Return a queryset of the released items of `type_names` that `user` may view (one query)."""
    type_names = list(type_names)
    return Content.objects(
        __raw__={"$and": [permitted_query(user, VIEW, type_names), in_states(type_names, "released")]}
    )


def next_meeting(user):
    """Return the next announced meeting `user` may see (released and still upcoming), or None."""
    names = [Meeting.type_name]
    query = {"$and": [permitted_query(user, VIEW, names), in_states(names, "released", "upcoming")]}
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
                in_states([item.type_name], "released"),
                {"translation_group": item.translation_group},
            ]
        }
    )
    return {**{other.language: other for other in query}, item.language: item}


def meeting_documents(user, meeting: Content) -> list[dict]:
    """Return the documents accepted onto the meeting's agenda and what it decided on them, as `user` may see them.

    Each entry: the item (None where `user` may not see it: only its type is
    shown then, never a draft's title), its type's title, its state's title,
    and the title of the last step that rests on this meeting (accepted,
    approved, deferred, certified). One query.
    """
    entries = []
    query = {"$or": [{"agenda_meeting": meeting.pk}, {"history.meeting": meeting.pk}], "_id": {"$ne": meeting.pk}}
    for item in Content.objects(__raw__=query).order_by("created"):
        steps = [entry for entry in item.history if reference_id(entry._data.get("meeting")) == meeting.pk]
        visible = can(user, VIEW, item)
        entries.append(
            {
                "item": item if visible else None,
                "type": TYPES[item.type_name].title,
                "state": state_title(item.type_name, item.state) if visible else "",
                "decision": transition_title(item.type_name, steps[-1].transition) if steps else "",
            }
        )
    return entries


def newsletter_news(user, issue: Content) -> list[Content]:
    """Return the news items a newsletter issue carries (recorded, else as planned now) that `user` may view."""
    return [news for news in carried_news(issue) if can(user, VIEW, news)]
