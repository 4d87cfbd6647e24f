"""Helpers for the archive tests: running `cms` against a chosen database, a small site, documents as BSON."""

import os

import bson
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from click.testing import CliRunner

from cms import versions
from cms.cli import main
from cms.operations import attachments
from cms.revisions import record_revision
from cms.site_archive.archive_format import CODEC_OPTIONS, LEFT_OUT

SECRET = "archive-tests-secret-0123456789ab"
# Stored, not compressed, in an archive: a test finds these bytes in the zip file to change one.
ATTACHMENT = b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"
RAW = CodecOptions(document_class=RawBSONDocument)


def run_cms(*args, uri: str | None = None, data_dir) -> "CliRunner.invoke":
    """Run `cms args…` on the MongoDB database `uri`, or (uri None) on `data_dir`'s embedded database."""
    environment = {
        "CMS_SECRET_KEY": SECRET,
        "CMS_DATA_DIR": str(data_dir),
        "CMS_MONGODB_URI": uri,  # None: unset, so the embedded database of the data directory is used
    }
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)


def worker_database(prefix: str) -> str:
    """Return a database name of our own for this pytest-xdist worker."""
    return f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def small_site(create_item, editor):
    """Make a news item with three recorded revisions, an attachment and a published version; return it."""
    item = create_item("news", owner=editor, title="Nachricht zum Archiv", body="Erste Fassung")
    record_revision(item, editor)
    for body in ("Zweite Fassung", "Dritte Fassung"):
        item.body = body
        item.save_revision()
        record_revision(item, editor)
    attachments.store_generated(editor, item, "Anlage.pdf", "application/pdf", ATTACHMENT)
    versions.freeze(item, editor)
    return item


def _id_first(raw: bytes) -> bytes:
    # MongoDB keeps _id first in every document and pymongo writes it first; mongoeco's in-memory engine keeps an
    # upserted document's _id where the upsert put it (last). Only that position is evened out; types, values and
    # the order of every other field are compared as stored.
    document = bson.decode(raw, codec_options=CODEC_OPTIONS)
    return bson.encode({"_id": document.pop("_id"), **document}, codec_options=CODEC_OPTIONS)


def documents_as_bson(db) -> dict[str, list[bytes]]:
    """Return every collection's documents as their BSON bytes (_id first), ordered by id (the left-out kinds aside)."""
    stored = {}
    for name in sorted(db.list_collection_names()):
        if name in LEFT_OUT or name.startswith("system."):
            continue
        documents = db.get_collection(name, codec_options=RAW).find({})
        raw = sorted((bson.encode({"id": document["_id"]}), _id_first(document.raw)) for document in documents)
        if raw:
            stored[name] = [entry for _key, entry in raw]
    return stored
