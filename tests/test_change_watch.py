"""Which writes drop the caches (cms.change_watch): the rule without an app, the listener with the driver."""

import pytest

from cms.change_watch import ChangeWatch, changed_anything, shows


@pytest.mark.parametrize(
    ("collection", "command", "expected"),
    [
        ("content", "update", True),
        ("users", "delete", True),
        ("login_sessions", "delete", True),  # a logout ends what is remembered of the session
        ("login_sessions", "insert", False),  # a new session is in no cache yet
        ("cache_generations", "update", False),  # the generation's own move would loop
        ("audit_log", "insert", False),
        ("outbox", "update", False),
        ("outbox_files.chunks", "insert", False),
        ("version_files.files", "insert", True),
    ],
)
def test_which_writes_may_change_a_cached_answer(collection, command, expected):
    assert shows(collection, command) is expected


@pytest.mark.parametrize(
    ("command", "reply", "expected"),
    [
        ("update", {"n": 1, "nModified": 1}, True),
        ("update", {"n": 0, "nModified": 0}, False),  # a compare-and-set that missed
        ("update", {"n": 1, "nModified": 0}, False),  # matched, but nothing new was written
        ("update", {"n": 1, "nModified": 0, "upserted": [{"index": 0, "_id": 1}]}, True),
        ("delete", {"n": 0}, False),
        ("insert", {"n": 2}, True),
        ("findAndModify", {"lastErrorObject": {"n": 0}}, False),
        ("findAndModify", {"lastErrorObject": {"n": 1, "updatedExisting": True}}, True),
    ],
)
def test_only_a_write_that_changed_something_counts(command, reply, expected):
    assert changed_anything(command, reply) is expected


class _Event:
    def __init__(self, name, collection, request_id, reply=None):
        self.command_name, self.command = name, {name: collection}
        self.connection_id, self.request_id, self.reply = ("127.0.0.1", 1), request_id, reply or {}


def test_the_listener_drops_local_caches_at_once_and_moves_the_generation_once_per_burst():
    watch, dropped, moved = ChangeWatch(), [], []
    watch.on_change(lambda: dropped.append(1))
    watch.started(_Event("update", "content", 1))
    watch.started(_Event("update", "audit_log", 2))
    watch.succeeded(_Event("update", "audit_log", 2, {"n": 1, "nModified": 1}))
    assert dropped == []  # the unshown write, and the other one still under way
    watch.succeeded(_Event("update", "content", 1, {"n": 1, "nModified": 1}))
    assert dropped == [1]
    watch.bump_with(lambda: moved.append(1))
    assert watch.settle()
    assert moved == [1]
    # A failed write may have been applied in part: it counts.
    watch.started(_Event("insert", "content", 3))
    watch.failed(_Event("insert", "content", 3))
    assert dropped == [1, 1] and watch.settle() and len(moved) == 2


def test_a_write_made_with_the_driver_directly_is_seen(app, client, users, create_item):
    from tests.workflow_helpers import force_state

    news = force_state(create_item("news", owner=users["editor"], title="Vorher", public=True), "published")
    assert client.get("/en/news").headers["X-Cache"] == "miss"
    assert client.get("/en/news").headers["X-Cache"] == "hit"
    type(news)._get_collection().update_one({"_id": news.pk}, {"$set": {"title": "Nachher"}})
    response = client.get("/en/news")
    assert response.headers["X-Cache"] == "miss" and "Nachher" in response.get_data(as_text=True)


def test_writes_in_a_transaction_count_when_it_commits():
    watch, dropped = ChangeWatch(), []
    watch.on_change(lambda: dropped.append(1))
    inside = _Event("update", "content", 1, {"n": 1, "nModified": 1})
    inside.command["autocommit"] = False
    watch.started(inside)
    watch.succeeded(inside)
    assert dropped == []  # nobody else can read it yet
    commit = _Event("commitTransaction", 1, 2)
    watch.started(commit)
    watch.succeeded(commit)
    assert dropped == [1]
