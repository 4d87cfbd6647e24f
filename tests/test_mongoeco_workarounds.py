"""The embedded database's insert workaround keeps refusing duplicate _ids (cms/mongoeco_workarounds.py)."""

import pymongo
import pytest
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from cms import mongoeco_workarounds
from cms.embedded import sqlite_server


@pytest.fixture
def collection(tmp_path):
    server = sqlite_server(tmp_path / "workaround.sqlite")
    host, port = server.start()
    client = pymongo.MongoClient(host, port)
    yield client.test.things
    client.close()
    server.stop()


def test_the_workaround_is_installed():
    from mongoeco.engines.sqlite import SQLiteEngine

    assert SQLiteEngine._validate_document_against_unique_indexes is mongoeco_workarounds._validate_without_id_scan


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
