"""How the embedded database's costs grow with collection size (see README "Benchmarks").

Run: .venv/bin/python bench/embedded_growth.py [--sizes 1000 5000 20000] [--seconds 900]

Fills a fresh embedded database (SQLite file in a temporary folder, pymongo
over mongoeco's wire server, as the CMS runs it) with documents of the CMS's
content shape and indexes — mongoengine prefixes `_cls` to every index, so
`(translation_group, language)` is a compound unique index — and at each size
measures, back to back on the same data, with mongoeco as released and with
the workarounds in `cms/mongoeco_workarounds.py`:

- insert: one new item (checked against the unique indexes),
- CAS update: the workflow engine's compare-and-set (`_id`, `_cls`, `state`,
  `revision` in the filter; `$set` and `$push` of a history entry),
- `_id $in`: one find for 20 ids (a page's references),
- count: `count_documents` of one state (pymongo sends an aggregation),
- list: 20 items of one state, newest first.

Each figure is the median of --repeat runs in milliseconds. The collection is
filled with the workarounds on (without them a fill to 20,000 takes hours);
the figures without them are measured on the same data. Bounded: stops
growing once --seconds have passed.
"""

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymongo  # noqa: E402
from bson import ObjectId  # noqa: E402

from cms import mongoeco_workarounds  # noqa: E402
from cms.embedded import sqlite_server  # noqa: E402

CLASSES = ["Content", "Content.Circular", "Content.News", "Content.WorkPlan", "Content.Meeting"]
STATES = ["draft", "in_review", "published", "archived"]
# The indexes mongoengine creates for content_types.base.Content (allow_inheritance: `_cls` first).
INDEXES = [
    ([("_cls", 1), ("state", 1)], {}),
    ([("_cls", 1), ("language", 1)], {}),
    ([("_cls", 1), ("translation_group", 1), ("language", 1)], {"unique": True}),
    ([("_cls", 1), ("modified", -1)], {}),
    ([("_cls", 1), ("changed", -1)], {}),
    ([("_cls", 1), ("owner", 1)], {}),
    ([("_cls", 1), ("publication_pending", 1)], {"sparse": True}),
]
OPERATIONS = ["insert", "CAS update", "_id $in (20)", "count", "list (20)"]


def make_item(number: int, rng: random.Random) -> dict:
    """Return a content document shaped like the CMS's (history and local roles are arrays)."""
    moment = datetime.datetime(2020, 1, 1) + datetime.timedelta(minutes=number)
    return {
        "_id": ObjectId(),
        "_cls": rng.choice(CLASSES[1:]),
        "title": f"Item {number}",
        "language": rng.choice(["de", "zh", "en"]),
        "body": "<p>" + "Text " * 60 + "</p>",
        "owner": ObjectId("65a000000000000000000001"),
        "created": moment,
        "modified": moment,
        "changed": moment,
        "state": rng.choice(STATES),
        "revision": 1,
        "translation_group": uuid.uuid4().hex,
        "search_text": f"item {number}",
        "local_roles": [],
        "public": False,
        "history": [{"at": moment, "transition": "create", "from": None, "to": "draft"}],
    }


def median_ms(action, repeat: int) -> float:
    """Return the median wall time of `action()` over `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        times.append(time.perf_counter() - begin)
    return statistics.median(times) * 1000


def measure(collection, rng: random.Random, repeat: int, counter: list[int]) -> dict[str, float]:
    """Return the median time of each operation on the collection as it is now."""
    sample = [doc["_id"] for doc in collection.find({}, {"_id": 1}).limit(2000)]
    classes = {"$in": CLASSES[1:]}

    def insert():
        counter[0] += 1
        collection.insert_one(make_item(counter[0], rng))

    def cas_update():
        item = collection.find_one({"_id": rng.choice(sample)}, {"state": 1, "revision": 1})
        result = collection.update_one(
            {"_id": item["_id"], "_cls": classes, "state": item["state"], "revision": item["revision"]},
            {
                "$set": {"revision": item["revision"] + 1, "changed": datetime.datetime.now()},
                "$push": {"history": {"at": datetime.datetime.now(), "transition": "edit"}},
            },
        )
        assert result.modified_count == 1

    def id_in():
        ids = rng.sample(sample, 20)
        assert len(list(collection.find({"_id": {"$in": ids}}))) == 20

    def count():
        collection.count_documents({"_cls": classes, "state": "published"})

    def list_page():
        list(collection.find({"_cls": classes, "state": "published"}).sort("modified", -1).limit(20))

    actions = [insert, cas_update, id_in, count, list_page]
    return {name: median_ms(action, repeat) for name, action in zip(OPERATIONS, actions)}


def fill(collection, rng: random.Random, target: int, counter: list[int]) -> None:
    """Insert items until the collection holds `target` of them (in batches: the fill is not what is measured)."""
    while counter[0] < target:
        batch = []
        while counter[0] < target and len(batch) < 500:
            counter[0] += 1
            batch.append(make_item(counter[0], rng))
        collection.insert_many(batch, ordered=False)


def print_table(rows: list[tuple[int, dict, dict]]) -> None:
    """Print the growth table as Markdown: each operation without and with the workarounds."""
    header = "| operation | " + " | ".join(f"{size:,} without | {size:,} with" for size, _, _ in rows) + " |"
    print(header)
    print("|---|" + "---:|---:|" * len(rows))
    for operation in OPERATIONS:
        cells = " | ".join(f"{without[operation]:.1f} | {with_[operation]:.1f}" for _, without, with_ in rows)
        print(f"| {operation} ms | {cells} |")


def main() -> None:
    """Fill, measure at each size with and without the workarounds, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=900)
    args = parser.parse_args()
    rng = random.Random(14)
    rows = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        server = sqlite_server(Path(folder) / "bench.sqlite")
        host, port = server.start()
        client = pymongo.MongoClient(host, port)
        collection = client.bench.content
        for keys, options in INDEXES:
            collection.create_index(keys, **options)
        counter = [0]
        try:
            for size in sorted(args.sizes):
                if time.monotonic() - started > args.seconds:
                    print(f"stopped before {size:,}: time limit")
                    break
                mongoeco_workarounds.apply()
                fill(collection, rng, size, counter)
                mongoeco_workarounds.remove()
                without = measure(collection, rng, args.repeat, counter)
                mongoeco_workarounds.apply()
                with_ = measure(collection, rng, args.repeat, counter)
                rows.append((size, without, with_))
                print(f"{size:,} documents measured ({time.monotonic() - started:.0f} s)", flush=True)
        finally:
            mongoeco_workarounds.apply()
            client.close()
            server.stop()
    print_table(rows)


if __name__ == "__main__":
    main()
