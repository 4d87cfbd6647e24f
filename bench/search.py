"""The search benchmark: N generated companies (default 20,000) beside the demo data, the index build timed,
then ~200 mixed queries timed as anonymous visitor and as member (p50/p95), written to bench/results/search-*.md.

    .venv/bin/python bench/search.py [--companies 20000] [--queries 200] [--data-dir DIR]

A benchmark, not a test: it asserts nothing about time; it reports.
"""

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


_MEMORY_SERVER = """
import sys
from cms.embedded import memory_server
host, port = memory_server().start()
print(port, flush=True)
sys.stdin.read()
"""


def memory_database():
    """Start mongoeco's in-memory wire server (as the tests do); return (its process, a URI)."""
    server = subprocess.Popen(
        [sys.executable, "-c", _MEMORY_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    return server, f"mongodb://127.0.0.1:{int(server.stdout.readline())}/bench"


def index_unsaved(generated: list[dict], owner, batch: int = 500) -> int:
    """Index `generated` companies as published items (ids of their own) without storing them; return how many."""
    from bson import ObjectId

    from cms import search
    from cms.search.documents import Cities, build
    from content_types import Company

    cities, indexed = Cities(), 0
    for start in range(0, len(generated), batch):
        documents = []
        for fields in generated[start : start + batch]:
            company = Company(pk=ObjectId(), owner=owner, state="published", revision=1, **fields)
            documents.append(build(company, [], cities, search.current().texts))
        search.current().engine.index(documents)
        indexed += len(documents)
    return indexed


def run(companies: int, queries: int, data_dir: Path, seed: int = 15, uri: str | None = None, store=False) -> dict:
    """Fill `data_dir` (and the database `uri`, else the embedded one), build the index, time the queries."""
    from cms import create_app, database, migrations, search
    from cms.demo import create_demo_documents, create_demo_users
    from cms.generated_companies import generate, insert
    from cms.seed_data import seed_cities
    from content_types import Content, MemberCity, User

    config = {"CMS_DATA_DIR": str(data_dir), "CMS_SCHEDULER_SECONDS": 0, "CMS_MAIL_SECONDS": 0}
    app = create_app({**config, "CMS_MONGODB_URI": uri} if uri else config)
    rng = random.Random(seed)
    result = {"companies": companies, "queries": queries, "database": "in-memory mongoeco" if uri else "embedded"}
    result["stored"] = store
    with app.app_context(), app.test_request_context():
        migrations.migrate()
        database.ensure_indexes()
        seed_cities()
        # The founding cities that are "requested" count too: the companies are spread over every listed city.
        create_demo_users()
        create_demo_documents()
        search.flush()
        started = time.perf_counter()
        generated = generate(companies, seed, MemberCity.objects())
        result["generate_s"] = time.perf_counter() - started
        owner = User.objects.get(email="editor@alliance.example")
        if store:
            started = time.perf_counter()
            insert(generated, owner=owner)
            result["insert_s"] = time.perf_counter() - started
            search.current().pending.take()  # the rebuild below reads them all
            result["items"] = Content.objects.count()
            started = time.perf_counter()
            result["indexed"] = search.rebuild()
            result["index_build_s"] = time.perf_counter() - started
        else:
            # The companies as the index gets them (analysis, principals, facets, tantivy), without the
            # database: mongoeco here inserts about 40 items a second, which measures it, not the search.
            result["items"] = Content.objects.count() + len(generated)
            started = time.perf_counter()
            result["indexed"] = search.rebuild() + index_unsaved(generated, owner)
            result["index_build_s"] = time.perf_counter() - started
        member = User.objects.get(email="member.foshan@alliance.example")
        cases = [
            ("German word", lambda: (rng.choice(["Zulieferer", "Getriebe", "Maschinenbau", "Köln", "Logistik"]), {})),
            ("German prefix", lambda: (rng.choice(["Zulief", "Maschin", "Bremssys"]), {})),
            ("Chinese word", lambda: (rng.choice(["合作", "汽车", "零部件", "物流", "机床"]), {})),
            ("facet filter", lambda: ("", {"type": "company", "sector": "C29.3", "country": "DE"})),
            ("word + facet", lambda: ("Getriebe", {"type": "company", "country": "DE"})),
        ]
        timings: dict[str, list[float]] = {}
        totals: dict[str, int] = {}
        for number in range(queries):
            label, make = cases[number % len(cases)]
            who, user = ("member", member) if number % 2 else ("anonymous", None)
            text, filters = make()
            page = 1 + (number % 7 == 0)
            started = time.perf_counter()
            found = search.search(user, text, filters, page, 20)
            elapsed = time.perf_counter() - started
            timings.setdefault(f"{label} ({who})", []).append(elapsed)
            timings.setdefault("all", []).append(elapsed)
            totals[f"{label} ({who})"] = found.total
        result["timings"] = {
            name: {
                "n": len(values),
                "p50_ms": _percentile(values, 0.5) * 1000,
                "p95_ms": _percentile(values, 0.95) * 1000,
                "mean_ms": statistics.mean(values) * 1000,
            }
            for name, values in timings.items()
        }
        result["totals"] = totals
        index_dir = search.index_dir(app)
        result["index_mb"] = sum(path.stat().st_size for path in index_dir.rglob("*") if path.is_file()) / 2**20
    if not uri:
        database.close_embedded(str(data_dir))
    return result


def report(result: dict) -> str:
    """Return the measurements as Markdown."""
    lines = [
        f"# Search benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"{result['companies']:,} generated companies + the demo data = {result['items']:,} items "
        f"({result['indexed']:,} indexed), {result['database']} database, "
        f"tantivy index of {result['index_mb']:.1f} MB; "
        "2 shared cores (other work was running).",
        "",
        f"- generating the companies: {result['generate_s']:.1f} s"
        + (f"; inserting them: {result['insert_s']:.1f} s" if result["stored"] else ""),
        (
            f"- **building the index from the database (`cms reindex`): {result['index_build_s']:.1f} s**"
            if result["stored"]
            else f"- **building the index (the demo items from the database, the companies handed over directly, "
            f"not stored — see --store): {result['index_build_s']:.1f} s**"
        ),
        "",
        "Query times through `cms.search.search()` (analysis, permission filter, ranking, facet counts over",
        "all matches, one page of 20; not the HTTP layer):",
        "",
        "| queries | n | p50 ms | p95 ms | mean ms | matches |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, values in sorted(result["timings"].items(), key=lambda entry: entry[0] != "all"):
        lines.append(
            f"| {name} | {values['n']} | {values['p50_ms']:.1f} | {values['p95_ms']:.1f} | {values['mean_ms']:.1f} "
            f"| {result['totals'].get(name, '')} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark from the command line and write its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--memory", action="store_true", help="mongoeco in memory (the embedded SQLite one inserts ~40 items/s here)"
    )
    parser.add_argument("--store", action="store_true", help="insert the companies and index them from the database")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    server, uri = memory_database() if args.memory else (None, None)
    try:
        result = run(args.companies, args.queries, data_dir, uri=uri, store=args.store)
    finally:
        if server is not None:
            server.stdin.close()
            server.wait(timeout=30)
    text = report(result)
    out = Path(__file__).resolve().parent / "results" / f"search-{datetime.now(timezone.utc):%Y-%m-%d}.md"
    out.write_text(text)
    print(text)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
