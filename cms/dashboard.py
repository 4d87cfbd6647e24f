"""What staff see first: what waits for them, their drafts and submissions, recent changes, the next meeting,
and the cooperation projects as charts."""

from flask import url_for

from cms import listing
from cms.exports.dashboard_charts import project_charts
from cms.security import can, permitted_query, worklist_query
from content_types import Content, MemberCity, OutboxMessage
from workflows import engine, state_title, waiting_for, workflow_for
from workflows.permissions import MANAGE_CITIES, MANAGE_MAIL
from workflows.types import TYPES

# How many entries each box shows (the lists behind it have the rest).
SHOWN = 10
# How many waiting items are looked at: each is asked which steps are open now.
WAITING_LIMIT = 200


def dashboard(user) -> dict:
    """Return the dashboard's boxes for `user`: each a count and its first entries (one query per box)."""
    visible = permitted_query(user)
    waiting = waiting_rows(user)
    drafts = Content.objects(__raw__={"$and": [_mine(user), _in_initial_states()]}).order_by("-changed")
    recent = Content.objects(__raw__=visible).order_by("-changed")
    meeting = listing.next_meeting(user)
    return {
        "waiting": {"count": len(waiting), "rows": waiting[:SHOWN]},
        "drafts": _box(drafts, user),
        "submitted": _box(submitted_by(user), user),
        "recent": _box(recent, user),
        "meeting": meeting,
        "agenda": listing.meeting_documents(user, meeting) if meeting else [],
        "without_contacts": cities_without_contacts(user),
        "undelivered": undelivered_mail(user),
        "projects": project_charts(user),
    }


def undelivered_mail(user) -> dict | None:
    """Return how many mails failed and how many are unconfirmed, for those who look after the outbox; else None."""
    if not can(user, MANAGE_MAIL):
        return None
    return {status: OutboxMessage.objects(status=status).count() for status in ("failed", "unconfirmed")}


def cities_without_contacts(user) -> dict | None:
    """Return the member cities that name no contact person (count and all of them), for those who maintain cities.

    Each member city names its contact persons (duty III.3.1.b); the
    secretariat follows up on those that don't. None for anyone else.
    """
    if not can(user, MANAGE_CITIES):
        return None
    missing = {"status": "member", "$or": [{"contacts": {"$exists": False}}, {"contacts": {"$size": 0}}]}
    cities = sorted(MemberCity.objects(__raw__=missing), key=lambda city: (city.country, city.name_de))
    return {"count": len(cities), "cities": cities}


def waiting_rows(user) -> list[dict]:
    """Return the rows of the items waiting for `user` with a step open to them now, the longest waiting first.

    The query finds the states a user's steps leave from; a step offered only
    once something holds (a meeting is held on its day) leaves its item off
    until then, so nothing is listed that the user cannot act on.
    """
    items = Content.objects(__raw__=worklist_query(user)).order_by("changed")[:WAITING_LIMIT]
    return [row for row in rows_of(items, user, steps=True) if row["steps"]]


def submitted_by(user):
    """Return the user's own items on their way: past their first state, not yet released (newest change first)."""
    on_the_way = {"$nor": [_in_initial_states(), _in_released_states()]}
    return Content.objects(__raw__={"$and": [_mine(user), on_the_way]}).order_by("-changed")


def rows_of(items, user, steps: bool = False) -> list[dict]:
    """Return the table rows for `items`: type, state, link, who they wait for and, with `steps`, the user's steps."""
    return [
        {
            "item": item,
            "type": TYPES[item.type_name].title,
            "state": state_title(item.type_name, item.state),
            "url": url_for(f"content_{item.type_name}.workflow_view", id=str(item.pk)),
            "steps": [str(t["title"]) for t in engine.waiting_steps(user, item)] if steps else [],
            "waiting_for": waiting_for(item.type_name, item.state),
        }
        for item in items
    ]


def _mine(user) -> dict:
    return {"$and": [permitted_query(user), {"owner": user.pk}]}


def _box(query, user, steps: bool = False) -> dict:
    return {"count": query.count(), "rows": rows_of(query[:SHOWN], user, steps)}


def _in_initial_states() -> dict:
    return {"$or": [{"_cls": t.cls._class_name, "state": workflow_for(n)["initial"]} for n, t in TYPES.items()]}


def _in_released_states() -> dict:
    return listing.in_states(list(TYPES), "released")
