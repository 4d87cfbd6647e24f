"""How the embedded database's costs grow with collection size (see README "Benchmarks").

Run: .venv/bin/python bench/embedded_growth.py [--documents 3000] [--without-workaround]

Inserts audit-log-sized documents into a fresh embedded database (SQLite file
in a temporary folder) and prints, per thousand documents, the mean time of an
insert, of an _id lookup and of a filtered count. Bounded: at most --documents
inserts, at most --seconds of wall time.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymongo  # noqa: E402

from cms import mongoeco_workarounds  # noqa: E402
from cms.embedded import sqlite_server  # noqa: E402


def main() -> None:
    """Measure and print the growth table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=240)
    parser.add_argument("--without-workaround", action="store_true")
    args = parser.parse_args()
    if args.without_workaround:
        mongoeco_workarounds.remove()
    with tempfile.TemporaryDirectory() as folder:
        server = sqlite_server(Path(folder) / "bench.sqlite")
        host, port = server.start()
        client = pymongo.MongoClient(host, port)
        collection = client.bench.audit_log
        started = time.monotonic()
        inserts, step = [], max(args.documents // 5, 1)
        print(f"workaround: {'off' if args.without_workaround else 'on'}")
        print(f"{'documents':>10} {'insert ms':>10} {'find _id ms':>12} {'count ms':>9}")
        for number in range(1, args.documents + 1):
            begin = time.perf_counter()
            result = collection.insert_one(
                {"action": "login", "actor_email": f"user{number % 50}@example.org", "detail": "x" * 80, "n": number}
            )
            inserts.append(time.perf_counter() - begin)
            if number % step == 0 or time.monotonic() - started > args.seconds:
                begin = time.perf_counter()
                collection.find_one({"_id": result.inserted_id})
                lookup = time.perf_counter() - begin
                begin = time.perf_counter()
                collection.count_documents({"actor_email": "user7@example.org"})
                count = time.perf_counter() - begin
                print(
                    f"{number:>10} {statistics.mean(inserts[-100:]) * 1000:>10.1f} {lookup * 1000:>12.1f} "
                    f"{count * 1000:>9.1f}"
                )
                if time.monotonic() - started > args.seconds:
                    print("stopped: time limit")
                    break
        client.close()
        server.stop()


if __name__ == "__main__":
    main()
