"""The search engine behind one small interface: index, delete, search, clear.

The embedded engine is tantivy (BM25, facets by aggregation), its index a
folder beside the data directory. Analysis happens before it (cms.search.analysis):
the engine is handed whitespace-separated tokens and plain keyword values, so a
server engine (OpenSearch/Elasticsearch, Meilisearch) could stand behind the
same class shape without analysis of its own.

Several processes may write (gunicorn workers): tantivy allows one writer per
index, so each batch opens it under an exclusive lock file, commits and closes
it; readers reload (cheap) before each search.
"""

import fcntl
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

log = logging.getLogger(__name__)

# Bumped whenever the fields below change: an index of another version is rebuilt (`cms reindex`).
SCHEMA_VERSION = "1"
# Keyword fields: filtered by exact value and counted as facets.
FACETS = ("type", "state", "language", "year", "city", "country", "sector", "interests", "stage", "size")
# Text fields searched for the query's words, with their weight (a word in the title counts most).
TEXT_FIELDS = {"title_tokens": 3.0, "text_tokens": 1.0}
# Searched only for callers who may read members-only fields (a company's contact).
MEMBERS_FIELD = "members_tokens"
WRITER_HEAP = 32_000_000
LOCK_WAIT_SECONDS = 10.0


class IndexBusy(RuntimeError):
    """Another process held the index's writer lock for longer than we wait."""


@dataclass
class Hit:
    """One found item: its id, type, title, a text to cut the snippet from, and its score."""

    id: str
    type: str
    title: str
    preview: str
    score: float


@dataclass
class Found:
    """One page of a search: the hits, how many matched in all, and the facet counts over all matches."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Request:
    """What to search: token groups (each must match), keyword filters, who asks (principals), which page."""

    terms: list[str]
    principals: list[str]
    filters: dict[str, str] = field(default_factory=dict)
    prefix_last: bool = False
    members_text: bool = False
    offset: int = 0
    limit: int = 20
    facets: tuple[str, ...] = FACETS


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("preview", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="ws")
    builder.add_text_field(MEMBERS_FIELD, tokenizer_name="ws")
    for name in FACETS:
        builder.add_text_field(name, stored=name == "type", fast=True, tokenizer_name="raw", index_option="basic")
    # Who may view the item (cms.search.principals) and its attachments' ids (to find it when one is removed).
    builder.add_text_field("viewers", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("files", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("modified", fast=True, indexed=False)
    return builder.build()


SCHEMA = _schema()
# The longest stored title and preview (the preview is only a source for snippets).
MAX_TITLE, MAX_PREVIEW = 300, 4000


class TantivyEngine:
    """The embedded engine: a tantivy index in `path`."""

    name = "tantivy"

    def __init__(self, path):
        self.path = Path(path)
        self._open_lock = threading.Lock()
        self._index = None

    # -- opening -------------------------------------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        with self._open_lock:
            if self._index is None:
                self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
                version = self.path / "schema-version"
                if version.exists() and version.read_text().strip() != SCHEMA_VERSION:
                    # Another layout: start empty (`cms reindex` or `cms init` fills it again).
                    log.warning("search index %s has another schema version; it is emptied", self.path)
                    self._remove_files()
                index = tantivy.Index(SCHEMA, path=str(self.path), reuse=True)
                index.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
                version.write_text(SCHEMA_VERSION)
                self._index = index
            return self._index

    def _remove_files(self) -> None:
        for entry in self.path.iterdir():
            if entry.name == ".writer.lock":
                continue
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    @contextmanager
    def _writer(self):
        # One writer at a time across processes: our lock file first (waiting a little), then tantivy's own.
        index = self._open()
        with open(self.path / ".writer.lock", "a+") as lock:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise IndexBusy(f"the search index {self.path} is locked by another writer") from None
                    time.sleep(0.05)
            writer = index.writer(WRITER_HEAP, 1)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                # Closes the writer (and waits for its merges) before the lock is let go.
                writer.wait_merging_threads()
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- the interface -------------------------------------------------------------------------------------------
    def index(self, documents: list[dict]) -> None:
        """Add or replace `documents` (each with an "id"); one commit for all of them."""
        if not documents:
            return
        with self._writer() as writer:
            for document in documents:
                writer.delete_documents_by_term("id", document["id"])
                writer.add_document(_document(document))

    def delete(self, ids) -> None:
        """Remove the items `ids` from the index (unknown ids are ignored)."""
        ids = list(ids)
        if not ids:
            return
        with self._writer() as writer:
            for item_id in ids:
                writer.delete_documents_by_term("id", str(item_id))

    def clear(self) -> None:
        """Remove every item from the index."""
        with self._writer() as writer:
            writer.delete_all_documents()

    def count(self) -> int:
        """Return how many items the index holds."""
        index = self._open()
        index.reload()
        return index.searcher().num_docs

    def ids_with_file(self, file_ids) -> list[str]:
        """Return the ids of the items whose attachments include any of `file_ids`."""
        index = self._open()
        index.reload()
        searcher = index.searcher()
        query = tantivy.Query.term_set_query(SCHEMA, "files", [str(value) for value in file_ids])
        result = searcher.search(query, 1000)
        return [searcher.doc(address)["id"][0] for _score, address in result.hits]

    def search(self, request: Request) -> Found:
        """Return one page of the items matching `request`, visible to its principals, with facet counts."""
        index = self._open()
        index.reload()
        searcher = index.searcher()
        query = _query(request)
        if request.terms:
            result = searcher.search(query, request.limit, count=True, offset=request.offset)
        else:
            # No words: newest first.
            result = searcher.search(
                query,
                request.limit,
                count=True,
                offset=request.offset,
                order_by_field="modified",
                order=tantivy.Order.Desc,
            )
        hits = []
        for score, address in result.hits:
            stored = searcher.doc(address)
            hits.append(
                Hit(
                    id=stored["id"][0],
                    type=stored["type"][0],
                    title=(stored.get_first("title") or ""),
                    preview=(stored.get_first("preview") or ""),
                    score=float(score) if request.terms else 0.0,
                )
            )
        facets = {}
        if request.facets:
            aggregation = {name: {"terms": {"field": name, "size": 200}} for name in request.facets}
            answer = searcher.aggregate(query, aggregation)
            for name in request.facets:
                buckets = (answer.get(name) or {}).get("buckets") or []
                facets[name] = {str(bucket["key"]): int(bucket["doc_count"]) for bucket in buckets}
        return Found(hits=hits, total=result.count or 0, facets=facets)


def _document(values: dict) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("id", values["id"])
    document.add_text("title", values.get("title", "")[:MAX_TITLE])
    document.add_text("preview", values.get("preview", "")[:MAX_PREVIEW])
    for name in (*TEXT_FIELDS, MEMBERS_FIELD):
        document.add_text(name, values.get(name) or "")
    for name in (*FACETS, "viewers", "files"):
        value = values.get(name)
        for entry in value if isinstance(value, list | tuple | set) else [value]:
            if entry not in (None, ""):
                document.add_text(name, str(entry))
    document.add_integer("modified", int(values.get("modified") or 0))
    return document


def _query(request: Request) -> tantivy.Query:
    # Every word must match somewhere (title, text, and for members their fields); BM25 ranks the matches.
    Query, Occur = tantivy.Query, tantivy.Occur
    fields = dict(TEXT_FIELDS)
    if request.members_text:
        fields[MEMBERS_FIELD] = 1.0
    must = []
    for position, term in enumerate(request.terms):
        last_prefix = request.prefix_last and position == len(request.terms) - 1
        alternatives = []
        for name, weight in fields.items():
            exact = Query.term_query(SCHEMA, name, term)
            alternatives.append((Occur.Should, Query.boost_query(exact, weight) if weight != 1.0 else exact))
            if last_prefix:
                # The word being typed: "zuliefer" finds "zulieferer" (tokens hold letters and digits only).
                prefix = Query.regex_query(SCHEMA, name, f"{term}.+")
                alternatives.append((Occur.Should, Query.boost_query(prefix, weight * 0.5)))
        must.append((Occur.Must, Query.boolean_query(alternatives)))
    # Who may see it: any one of the caller's principals among the item's viewers.
    must.append((Occur.Must, Query.term_set_query(SCHEMA, "viewers", list(request.principals) or ["-"])))
    for name, value in request.filters.items():
        must.append((Occur.Must, Query.term_query(SCHEMA, name, value)))
    if not request.terms:
        must.append((Occur.Must, Query.all_query()))
    return Query.boolean_query(must)


def engine_at(path) -> TantivyEngine:
    """Return the engine for the index folder `path` (one per folder and process)."""
    key = os.path.abspath(path)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = TantivyEngine(key)
        return _engines[key]


_engines: dict[str, TantivyEngine] = {}
_engines_lock = threading.Lock()
