"""The embedded database's workarounds (cms/mongoeco_workarounds): installed, seeking, answering as mongoeco."""

import importlib.metadata
import random
import threading
from datetime import datetime
from pathlib import Path

import pymongo
import pytest
from bson import ObjectId
from mongoeco.engines.sqlite import SQLiteEngine
from pymongo.errors import DuplicateKeyError, PyMongoError

from cms import mongoeco_workarounds
from cms.embedded import EmbeddedServer
from cms.mongoeco_workarounds import count, id_lookup

CLASSES = ["Content.Circular", "Content.News"]


class Database:
    """A file-backed embedded server with a pymongo client and the engine behind it (to trace its SQL)."""

    def __init__(self, path: Path):
        self._engines = []
        self.server = EmbeddedServer(self._make_engine)
        host, port = self.server.start()
        self.client = pymongo.MongoClient(host, port)
        self.engine = self._engines[0]

    def _make_engine(self):
        engine = SQLiteEngine(path=str(self.path))
        self._engines.append(engine)
        return engine

    def close(self):
        self.client.close()
        self.server.stop()

    def traced(self, action) -> list[str]:
        """Run `action()` and return the SQL statements the engine executed meanwhile."""
        statements, lock = [], threading.Lock()

        def record(statement):
            with lock:
                statements.append(statement)

        connection = self.engine._require_connection()
        create = SQLiteEngine._create_sqlite_connection

        def create_traced(engine):
            # A find with limit != 1 reads through a dedicated connection of its own.
            reader = create(engine)
            reader.set_trace_callback(record)
            return reader

        connection.set_trace_callback(record)
        SQLiteEngine._create_sqlite_connection = create_traced
        try:
            action()
        finally:
            SQLiteEngine._create_sqlite_connection = create
            connection.set_trace_callback(None)
        return statements

    def query_plan(self, statement: str) -> str:
        """Return SQLite's EXPLAIN QUERY PLAN of an executed (expanded) statement, one line per step."""
        rows = self.engine._require_connection().execute("EXPLAIN QUERY PLAN " + statement).fetchall()
        return "\n".join(row[-1] for row in rows)


def open_database(path: Path) -> Database:
    """Return a started Database keeping its data in `path`."""
    database = Database.__new__(Database)
    database.path = path
    Database.__init__(database, path)
    return database


@pytest.fixture
def database(tmp_path):
    database = open_database(tmp_path / "workarounds.sqlite")
    yield database
    database.close()


@pytest.fixture
def collection(database):
    return database.client.test.things


# ---------------------------------------------------------------- installed, and mongoeco still has what they patch


def test_mongoeco_is_the_pinned_version():
    assert importlib.metadata.version("mongoeco").startswith("4.11.")


@pytest.mark.parametrize(
    "patch", mongoeco_workarounds.PATCHES, ids=lambda patch: f"{patch.owner.__name__}.{patch.name}"
)
def test_each_patched_attribute_exists_and_is_replaced(patch):
    assert callable(patch.original)
    assert patch.name in patch.owner.__dict__
    assert patch.applied


def test_remove_restores_mongoeco_and_apply_installs_again():
    mongoeco_workarounds.remove()
    try:
        assert all(patch.owner.__dict__[patch.name] is patch.original for patch in mongoeco_workarounds.PATCHES)
    finally:
        mongoeco_workarounds.apply()
    assert mongoeco_workarounds.applied()


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("duplicate", [ObjectId("65a000000000000000000001"), "circular/2026", 7, 7.0])
def test_duplicate_ids_are_still_refused(collection, duplicate):
    collection.insert_one({"_id": ObjectId("65a000000000000000000001")})
    collection.insert_one({"_id": "circular/2026"})
    collection.insert_one({"_id": 7})
    with pytest.raises(DuplicateKeyError):
        collection.insert_one({"_id": duplicate})
    assert collection.count_documents({}) == 3


def test_unique_indexes_are_still_enforced(collection):
    collection.create_index("email", unique=True)
    collection.insert_one({"email": "a@example.org"})
    with pytest.raises(DuplicateKeyError):
        collection.insert_one({"email": "a@example.org"})


def test_compound_unique_index_refuses_inserts_and_updates_by_seek(collection):
    collection.create_index([("_cls", 1), ("translation_group", 1), ("language", 1)], unique=True)
    collection.insert_one({"_cls": "Content.News", "translation_group": "g1", "language": "de"})
    other = collection.insert_one({"_cls": "Content.News", "translation_group": "g1", "language": "zh"}).inserted_id
    with pytest.raises(DuplicateKeyError, match="_cls_1_translation_group_1_language_1"):
        collection.insert_one({"_cls": "Content.News", "translation_group": "g1", "language": "de"})
    with pytest.raises(DuplicateKeyError):
        collection.update_one({"_id": other}, {"$set": {"language": "de"}})
    # The same key in another class, and an update that keeps its own key, are fine.
    collection.insert_one({"_cls": "Content.Circular", "translation_group": "g1", "language": "de"})
    collection.update_one({"_id": other}, {"$set": {"title": "x"}})
    assert collection.count_documents({"translation_group": "g1"}) == 3


def test_compound_unique_index_compares_numbers_by_value(collection):
    # The seek covers the string/ObjectId prefix; the number is compared with mongoeco's own key (7 == 7.0).
    collection.create_index([("_cls", 1), ("item", 1), ("number", 1)], unique=True)
    item = ObjectId()
    collection.insert_one({"_cls": "Revision", "item": item, "number": 7})
    with pytest.raises(DuplicateKeyError):
        collection.insert_one({"_cls": "Revision", "item": item, "number": 7.0})
    collection.insert_one({"_cls": "Revision", "item": item, "number": 8})


# ---------------------------------------------------------------- SQLite seeks instead of reading the namespace


def _content(database):
    collection = database.client.test.content
    collection.create_index([("_cls", 1), ("state", 1)])
    collection.create_index([("_cls", 1), ("translation_group", 1), ("language", 1)], unique=True)
    rng = random.Random(3)
    collection.insert_many(
        [
            {
                "_cls": rng.choice(CLASSES),
                "state": rng.choice(["draft", "published"]),
                "revision": 1,
                "translation_group": f"g{number}",
                "language": "de",
                "history": [],
            }
            for number in range(60)
        ]
    )
    return collection


def _document_reads(database, statements) -> list[str]:
    plans = [database.query_plan(s) for s in statements if "FROM documents" in s and s.lstrip().startswith("SELECT")]
    assert plans, "no statement read the documents"
    return plans


def _by_primary_key(plan: str) -> bool:
    # documents is a rowid table whose PRIMARY KEY (db_name, coll_name, storage_key) is its autoindex.
    return "sqlite_autoindex_documents_1 (db_name=? AND coll_name=? AND storage_key=?)" in plan


def _reads_whole_namespace(plan: str) -> bool:
    # "SCAN documents" or a SEARCH bounded by the namespace alone: every document of the collection is read.
    return "SCAN documents" in plan or "(db_name=? AND coll_name=?)" in plan


def test_the_compare_and_set_update_reads_by_primary_key(database):
    collection = _content(database)
    item = collection.find_one({"state": "draft"})
    statements = database.traced(
        lambda: collection.update_one(
            {"_id": item["_id"], "_cls": {"$in": CLASSES}, "state": "draft", "revision": 1},
            {"$set": {"state": "published", "revision": 2}, "$push": {"history": {"to": "published"}}},
        )
    )
    plans = _document_reads(database, statements)
    assert any(_by_primary_key(plan) for plan in plans), plans
    assert not any(_reads_whole_namespace(plan) for plan in plans), plans
    assert collection.find_one({"_id": item["_id"]})["revision"] == 2


def test_a_find_of_id_in_reads_by_primary_key(database):
    collection = _content(database)
    ids = [document["_id"] for document in collection.find({}, {"_id": 1}).limit(20)]
    found = []
    statements = database.traced(lambda: found.extend(collection.find({"_id": {"$in": ids}})))
    plans = _document_reads(database, statements)
    assert any(_by_primary_key(plan) for plan in plans), plans
    assert not any(_reads_whole_namespace(plan) for plan in plans), plans
    assert sorted(document["_id"] for document in found) == sorted(ids)


def test_the_list_and_count_shapes_search_the_expression_index(database):
    collection = _content(database)
    collection.find_one({"state": "published"})  # mongoeco's array probe runs (and is cached) first
    expected = sum(1 for _ in collection.find({"_cls": {"$in": CLASSES}, "state": "published"}))
    counted = []
    statements = database.traced(
        lambda: counted.append(collection.count_documents({"_cls": {"$in": CLASSES}, "state": "published"}))
    )
    plans = _document_reads(database, statements)
    assert any("USING INDEX" in plan and "<expr>=?" in plan for plan in plans), plans
    assert not any(_reads_whole_namespace(plan) for plan in plans), plans
    assert counted == [expected]


def test_inserting_with_a_compound_unique_index_decodes_no_other_document(database, monkeypatch):
    collection = _content(database)
    collection.find_one({"state": "published"})
    decoded = []
    original = SQLiteEngine._load_documents

    def counting(self, db_name, coll_name):
        decoded.append(coll_name)
        return original(self, db_name, coll_name)

    monkeypatch.setattr(SQLiteEngine, "_load_documents", counting)
    collection.insert_one({"_cls": "Content.News", "state": "draft", "translation_group": "new", "language": "de"})
    assert decoded == []


# ---------------------------------------------------------------- pure rules


def test_count_shape_recognises_pymongos_pipeline_only():
    group = {"$group": {"_id": 1, "n": {"$sum": 1}}}
    assert count.count_shape([{"$match": {"a": 1}}, group]) == ({"a": 1}, 0, None, 1, "n")
    assert count.count_shape([{"$match": {}}, {"$skip": 2}, {"$limit": 5}, group]) == ({}, 2, 5, 1, "n")
    assert count.count_shape([{"$match": {}}, {"$limit": 5}, {"$skip": 2}, group]) is None
    assert count.count_shape([{"$match": {"$expr": {"$gt": ["$a", 1]}}}, group]) is None
    assert count.count_shape([{"$match": {}}, {"$group": {"_id": "$a", "n": {"$sum": 1}}}]) is None
    assert count.count_shape([{"$match": {}}, {"$group": {"_id": 1, "n": {"$sum": "$a"}}}]) is None


def test_keyed_ids_takes_object_ids_and_strings_only():
    from mongoeco.core.filtering import compile_filter

    oid = ObjectId()
    assert id_lookup.keyed_ids(compile_filter({"_id": oid, "state": "x"})) == (oid,)
    assert id_lookup.keyed_ids(compile_filter({"_id": {"$in": ["a", "b"]}})) == ("a", "b")
    assert id_lookup.keyed_ids(compile_filter({"_id": {"$in": ["a", 7]}})) is None
    assert id_lookup.keyed_ids(compile_filter({"_id": 7})) is None
    assert id_lookup.keyed_ids(compile_filter({"$or": [{"_id": oid}, {"a": 1}]})) is None


def test_a_list_sorted_by_a_date_walks_its_index_and_stops_after_the_page(database):
    collection = _content(database)
    collection.update_many({}, {"$set": {"modified": datetime(2026, 11, 26)}})
    for number, document in enumerate(collection.find({}, {"_id": 1})):
        collection.update_one({"_id": document["_id"]}, {"$set": {"modified": datetime(2026, 11, 26, 0, number)}})
    collection.create_index([("modified", -1)])
    either = {"$or": [{"_cls": name, "state": "published"} for name in CLASSES]}
    expected = sorted(
        (document for document in collection.find(either)), key=lambda document: document["modified"], reverse=True
    )[:5]
    found = []
    statements = database.traced(lambda: found.extend(collection.find(either).sort("modified", -1).limit(5)))
    # The page is read through the index's entries, joined to the documents.
    plans = [database.query_plan(s) for s in statements if "JOIN documents" in s or "FROM documents" in s]
    assert any("scalar_index_entries USING COVERING INDEX" in plan for plan in plans), plans
    assert not any("TEMP B-TREE" in plan for plan in plans), plans
    assert [document["_id"] for document in found] == [document["_id"] for document in expected]


# ---------------------------------------------------------------- differential: the same answers as mongoeco itself


IDS = [ObjectId(f"65a0000000000000000000{n:02x}") for n in range(12)] + ["s1", "s2", "s3", 4, 4.0, 5]
VALUES = ["x", "y", "z", None, 1, 1.0, 2.5, ["x", "y"], ["z"], [], "ü"]


def _value(rng):
    return rng.choice(VALUES)


# Dates with and without a fraction of a second (their stored texts differ in length), a few equal.
DATES = [datetime(2026, 11, day, 12, 0, second, micro) for day in (1, 2) for second in (0, 1) for micro in (0, 500_000)]


def _document(rng):
    document = {"_cls": rng.choice(CLASSES), "state": rng.choice(["draft", "published"]), "revision": rng.randint(1, 3)}
    document["at"] = rng.choice(DATES)  # every document holds a date: lists sort by such a field
    # pymongo gives a document without one a fresh ObjectId: draw it from the seed so both runs agree.
    document["_id"] = rng.choice(IDS) if rng.random() < 0.9 else ObjectId(rng.randbytes(12))
    for field in ("g", "lang", "a", "n"):
        if rng.random() < 0.8:
            document[field] = rng.choice(["g1", "g2", "g3"]) if field == "g" else _value(rng)
    if rng.random() < 0.3:
        document["tags"] = [rng.choice(VALUES[:3]) for _ in range(rng.randint(0, 3))]
    return document


def _filter(rng):
    choices = [
        lambda: {"_id": rng.choice(IDS)},
        lambda: {"_id": {"$in": rng.sample(IDS, 4)}},
        lambda: {"_id": {"$in": rng.sample(IDS, 3)}, "state": rng.choice(["draft", "published"])},
        lambda: {"_id": rng.choice(IDS), "_cls": {"$in": CLASSES}, "revision": rng.randint(1, 3)},
        lambda: {"state": rng.choice(["draft", "published"])},
        lambda: {"_cls": {"$in": CLASSES}, "state": "published"},
        lambda: {"a": _value(rng)},
        lambda: {"a": {"$in": ["x", "z"]}, "lang": {"$exists": True}},
        lambda: {"n": {"$gt": 1}},
        lambda: {"tags": "x"},
        lambda: {"lang": None},
        lambda: {},
    ]
    return rng.choice(choices)()


def _sort_key(value) -> str:
    # 1 and 1.0 are equal keys, so either may come first: compare them as one.
    return repr(float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else repr(value)


def _run(collection, rng, step):
    """Do one random operation; return (what was done, what came back or how it was refused)."""
    kind = rng.choice(["insert", "insert", "cas", "update", "delete", "find", "sorted", "count"])
    query = _filter(rng)
    try:
        if kind == "insert":
            document = _document(rng)
            return (kind, document), collection.insert_one(document).inserted_id
        if kind == "cas":
            query = {"_id": rng.choice(IDS), "_cls": {"$in": CLASSES}, "state": "draft", "revision": rng.randint(1, 3)}
            update = {
                "$set": {"state": "published", "lang": _value(rng)},
                "$inc": {"revision": 1},
                "$push": {"h": step},
            }
            result = collection.update_one(query, update)
            return (kind, query, update), (result.matched_count, result.modified_count)
        # Which of several matches update_one/delete_one takes is unspecified (and differs once SQLite
        # seeks an index): a filter that can match several documents changes them all, and then not the
        # unique fields (where an update_many stops at its first refusal is order-dependent too).
        one = "_id" in query and not isinstance(query["_id"], dict)
        if kind == "update":
            field = rng.choice(["g", "lang", "a", "n", "at"] if one else ["a", "n", "at"])
            # A date, now and then something else: the sort by index must notice that it no longer may.
            value = rng.choice(DATES) if field == "at" and rng.random() < 0.8 else _value(rng)
            update = {"$set": {field: value}}
            result = (collection.update_one if one else collection.update_many)(query, update)
            return (kind, query, update), (result.matched_count, result.modified_count)
        if kind == "delete":
            return (kind, query), (collection.delete_one if one else collection.delete_many)(query).deleted_count
        if kind == "find":
            # Without a sort MongoDB promises no order: compare as a set.
            return (kind, query), sorted(repr(document) for document in collection.find(query))
        if kind == "sorted":
            sort = [(rng.choice(["a", "n", "lang", "tags", "at", "at"]), rng.choice([1, -1]))]
            skip, limit = rng.choice([(0, 0), (0, 3), (2, 3)])
            documents = list(collection.find(query).sort(sort).skip(skip).limit(limit))
            # Ties may come in any order: compare the order of the sort keys and, for a whole list,
            # the set of documents (which of several equal ones a page holds is unspecified too).
            keys = [_sort_key(document.get(sort[0][0])) for document in documents]
            return (kind, query, sort, skip, limit), (keys, sorted(map(repr, documents)) if not limit else None)
        skip, limit = rng.choice([(0, 0), (1, 0), (0, 2), (1, 3)])
        return (kind, query, skip, limit), collection.count_documents(query, skip=skip, limit=limit)
    except PyMongoError as error:
        return (kind, query), ("refused", type(error).__name__, getattr(error, "code", None))


def _play(path: Path, seed: int) -> tuple[list, list]:
    database = open_database(path)
    try:
        collection = database.client.test.items
        collection.create_index([("_cls", 1), ("g", 1), ("lang", 1)], unique=True)
        collection.create_index([("_cls", 1), ("state", 1)])
        collection.create_index("a")
        collection.create_index([("at", -1)])
        rng = random.Random(seed)
        outcomes = [_run(collection, rng, step) for step in range(250)]
        return outcomes, sorted(repr(document) for document in collection.find())
    finally:
        database.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_patched_engine_answers_as_mongoeco_does(tmp_path, seed):
    mongoeco_workarounds.remove()
    try:
        expected = _play(tmp_path / "mongoeco.sqlite", seed)
    finally:
        mongoeco_workarounds.apply()
    actual = _play(tmp_path / "patched.sqlite", seed)
    for step, (want, got) in enumerate(zip(expected[0], actual[0])):
        assert got == want, f"step {step}: {expected[0][step]} became {actual[0][step]}"
    assert actual[1] == expected[1]
    refusals = [outcome for outcome in expected[0] if isinstance(outcome[1], tuple) and outcome[1][:1] == ("refused",)]
    assert refusals, "the random operations refused nothing: they test too little"


# ---------------------------------------------------------------- opening the database


def test_the_scalar_index_entries_are_rebuilt_once_per_mongoeco_version(tmp_path, monkeypatch):
    import sqlite3

    import mongoeco.engines.sqlite as engine_module

    from cms.mongoeco_workarounds import startup_backfill

    rebuilt = []
    backfill = engine_module._sqlite_runtime_backfill_scalar_indexes_sync
    monkeypatch.setattr(
        engine_module,
        "_sqlite_runtime_backfill_scalar_indexes_sync",
        lambda engine, conn: (rebuilt.append(1), backfill(engine, conn))[1],
    )
    path = tmp_path / "reopened.sqlite"

    def newest_three() -> list:
        database = open_database(path)
        try:
            return [document["at"] for document in database.client.test.items.find().sort("at", -1).limit(3)]
        finally:
            database.close()

    database = open_database(path)
    database.client.test.items.create_index([("at", -1)])
    database.client.test.items.insert_many([{"at": date, "n": number} for number, date in enumerate(DATES)])
    database.close()
    assert rebuilt == [1]  # the first open of the new file
    assert newest_three() == sorted(DATES, reverse=True)[:3]
    assert rebuilt == [1]  # reopened: the entries kept by every write are trusted
    connection = sqlite3.connect(path)  # as if another mongoeco version had rebuilt them last
    try:
        with connection:
            connection.execute(
                "UPDATE mongoeco_schema_migrations SET version = 1 WHERE component = ?", (startup_backfill.COMPONENT,)
            )
    finally:
        connection.close()
    assert newest_three() == sorted(DATES, reverse=True)[:3]
    assert rebuilt == [1, 1]
