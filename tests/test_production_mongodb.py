"""Production on a MongoDB replica set: client defaults, the test database's URI, transactions for group transitions.

The suite's server is mongoeco unless CMS_TEST_MONGODB_URI names a real one. mongoeco's
wire server runs session transactions (begin, commit, abort) though it is no replica set,
so the transactional path of a group transition is exercised here by saying it is offered.
"""

import mongoengine as me
import pytest
from pymongo.errors import OperationFailure
from workflow_helpers import force_state

from cms import database
from content_types import Content
from content_types.refusals import Conflict
from workflows import engine

GROUPS = "/api/v1/translation-groups"


@pytest.mark.parametrize(
    "server, expected",
    [
        ("mongodb://127.0.0.1:27017", "mongodb://127.0.0.1:27017/alliance"),
        ("mongodb://127.0.0.1:27017/", "mongodb://127.0.0.1:27017/alliance"),
        (
            "mongodb://u:p@a:1,b:2/other?replicaSet=rs0&w=majority",
            "mongodb://u:p@a:1,b:2/alliance?replicaSet=rs0&w=majority",
        ),
        ("mongodb://a:1,b:2/?replicaSet=rs0", "mongodb://a:1,b:2/alliance?replicaSet=rs0"),
        ("mongodb://a:1?replicaSet=rs0", "mongodb://a:1/alliance?replicaSet=rs0"),
        (
            "mongodb+srv://u:p@cluster0.example.net/?retryWrites=true",
            "mongodb+srv://u:p@cluster0.example.net/alliance?retryWrites=true",
        ),
    ],
)
def test_the_database_name_goes_into_the_uri_keeping_hosts_and_options(server, expected):
    assert database.uri_for_database(server, "alliance") == expected


def test_a_real_mongodb_gets_majority_writes_retries_and_majority_reads_by_default():
    options = database.client_options("mongodb://a:1,b:2/alliance?replicaSet=rs0", production=True)
    assert options["w"] == "majority" and options["retryWrites"] is True and options["readConcernLevel"] == "majority"
    assert options["serverSelectionTimeoutMS"] == 3000
    assert "w" not in database.client_options("mongodb://127.0.0.1:1/alliance")  # the embedded database


def test_what_the_uri_says_wins_over_the_defaults():
    options = database.client_options("mongodb://a:1/x?w=1&readConcernLevel=local&retryWrites=false", production=True)
    assert not {"w", "readConcernLevel", "retryWrites"} & set(options)


@pytest.mark.parametrize(
    "hello, offered",
    [
        ({"isWritablePrimary": True, "setName": "rs0", "logicalSessionTimeoutMinutes": 30}, True),
        ({"isWritablePrimary": True, "msg": "isdbgrid", "logicalSessionTimeoutMinutes": 30}, True),  # mongos
        ({"isWritablePrimary": True, "logicalSessionTimeoutMinutes": 30}, False),  # a standalone server
        ({"isWritablePrimary": True, "setName": "rs0"}, False),  # no sessions
        ({"isWritablePrimary": True, "logicalSessionTimeoutMinutes": 30, "gitVersion": "mongoeco"}, False),
    ],
)
def test_transactions_are_offered_by_replica_sets_and_mongos_only(hello, offered):
    assert database.server_offers_transactions(hello) is offered


def test_the_embedded_database_runs_no_transactions(app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_DATABASE_KIND", "embedded")
    with app.app_context(), database.transaction() as session:
        assert session is None


def test_a_transaction_is_begun_exactly_where_the_suites_server_offers_one(app):
    # mongoeco (the default) answers like a standalone server: no transaction; a replica set: one.
    hello = me.connection.get_connection().admin.command("hello")
    with app.app_context(), database.transaction() as session:
        assert (session is not None) is database.server_offers_transactions(hello)
        assert session is None or session.in_transaction


@pytest.fixture
def approved_group(api, users, create_item):
    """A work plan in German and Chinese, both approved: the group can be published together."""
    german = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    force_state(german, "approved", approved_revision=german.revision)
    made = api.call("POST", f"/api/v1/content/{german.pk}/translations", users["editor"], json={"language": "zh"})
    chinese = Content.objects.get(pk=made.get_json()["id"])
    force_state(chinese, "approved", approved_revision=chinese.revision)
    return german.translation_group


@pytest.fixture
def offered(app, monkeypatch):
    """Say the server offers transactions, and record the session each compare-and-set of the engine ran in."""
    monkeypatch.setattr(database, "transactions_available", lambda: True)
    real = engine._compare_and_set
    sessions = []

    def recording(item, changes, entry, session=None):
        sessions.append(session is not None and session.in_transaction)
        return real(item, changes, entry, session=session)

    monkeypatch.setattr(engine, "_compare_and_set", recording)
    return sessions


def test_a_group_transition_is_one_transaction_where_offered(api, users, approved_group, offered):
    response = api.call("POST", f"{GROUPS}/{approved_group}/workflow/publish", users["approver"])
    assert response.status_code == 200, response.get_json()
    # Both languages moved in one transaction; what follows (the work plan's circular) is a step of its own.
    assert offered[:2] == [True, True]
    for item in Content.objects(translation_group=approved_group):
        assert item.state == "published" and [entry.transition for entry in item.history] == ["publish"]


def test_a_group_transition_losing_a_race_in_a_transaction_is_aborted_not_undone(
    api, users, approved_group, offered, monkeypatch
):
    recording = engine._compare_and_set

    def second_one_loses(item, changes, entry, session=None):
        recording(item, changes, entry, session=session)
        if len(offered) == 2:
            raise Conflict("lost")

    monkeypatch.setattr(engine, "_compare_and_set", second_one_loses)
    monkeypatch.setattr(engine, "_undo", lambda *args: pytest.fail("the transaction's abort puts the first one back"))
    response = api.call("POST", f"{GROUPS}/{approved_group}/workflow/publish", users["approver"])
    assert response.status_code == 409
    for item in Content.objects(translation_group=approved_group):
        assert item.state == "approved" and item.published_at is None and item.history == []


def test_a_write_conflict_between_transactions_answers_409_and_changes_nothing(
    api, users, approved_group, offered, monkeypatch
):
    recording = engine._compare_and_set

    def conflicting(item, changes, entry, session=None):
        recording(item, changes, entry, session=session)
        if len(offered) == 2:
            raise OperationFailure("WriteConflict", 112, {"errorLabels": ["TransientTransactionError"]})

    monkeypatch.setattr(engine, "_compare_and_set", conflicting)
    response = api.call("POST", f"{GROUPS}/{approved_group}/workflow/publish", users["approver"])
    assert response.status_code == 409
    assert {item.state for item in Content.objects(translation_group=approved_group)} == {"approved"}


def test_init_creates_the_indexes_of_every_stored_document_class():
    from mongoengine.base.common import _document_registry

    from workflows.types import TYPES

    covered = {*database.INDEXED_DOCUMENTS, *(registered.cls for registered in TYPES.values())}
    collections = {document._get_collection_name() for document in covered}
    stored = [
        cls
        for cls in _document_registry.values()
        if issubclass(cls, me.Document) and not cls._meta.get("abstract") and cls._meta.get("index_specs")
    ]
    # Content's own indexes are created with each registered type (they share its collection).
    missing = [cls.__name__ for cls in stored if cls not in covered and cls._get_collection_name() not in collections]
    assert missing == []
