"""The company export at 20,000 companies: how long the XLSX and the CSV take, and that every row arrives.

Run: .venv/bin/python bench/exports.py [--companies 20000] [--keep DIR]

Fills a fresh embedded database (the CMS's SQLite file in a temporary folder)
with the founding cities, a member account and published companies of the
CMS's shape — inserted through mongoeco in this process while the server is
closed, as bench/archive.py does, because the wire server inserts one
document per transaction — then asks the API for /api/v1/exports/companies.xlsx
and .csv as that member, reads the files back and prints rows, bytes and
seconds. A benchmark to read, not a test that fails on time.
"""

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEMBER_EMAIL = "bench.member@alliance.example"
PASSWORD = "Bench-Exports-2026!"
SECTORS = ("C29.3", "C28", "C27", "C25", "C22", "C20", "C29.1", "J", "M", "H")
SIZES = ("micro", "small", "medium", "large")


def company(number: int, cities: list[dict]) -> dict:
    """Return a published company document as the CMS stores it."""
    from content_types import Company

    city = cities[number % len(cities)]
    title = f"Bench Firma {number:05d} GmbH" if city["country"] == "DE" else f"基准企业 {number:05d} 有限公司"
    return {
        "_cls": Company._class_name,
        "title": title,
        "search_text": title.lower(),
        "language": "de" if city["country"] == "DE" else "zh",
        "state": "published",
        "revision": 1,
        "public": number % 4 == 0,
        "city": city["_id"],
        "country": city["country"],
        "sector": SECTORS[number % len(SECTORS)],
        "size": SIZES[number % len(SIZES)],
        "products": ["Getriebe", "Sensoren"],
        "interests": ["joint_venture", "sales_partners"],
        "contact_person": "Erika Muster",
        "contact_mail": f"kontakt{number}@bench.example",
        "translation_group": f"{number:032x}",
        "local_role_keys": [],
    }


def fill(data_dir: Path, count: int) -> None:
    """Create the database: cities, the member, `count` published companies."""
    from bench.archive import _direct_client
    from cms import create_app, database, migrations
    from cms.operations.accounts import create_account
    from cms.seed_data import seed_cities
    from content_types import Company, MemberCity

    app = create_app({"CMS_DATA_DIR": str(data_dir), "CMS_SCHEDULER_SECONDS": 0, "CMS_MAIL_SECONDS": 0})
    with app.app_context(), app.test_request_context():
        migrations.migrate()
        database.ensure_indexes()
        seed_cities()
        create_account(MEMBER_EMAIL, PASSWORD, ["member"], name="Bench", city=MemberCity.objects.get(name_de="Aachen"))
        cities = list(MemberCity._get_collection().find({"status": "member"}, {"country": 1}))
        collection_name = Company._get_collection_name()
    database.close_embedded(str(data_dir))
    client = _direct_client(data_dir)
    try:
        target = client[database.DATABASE_NAME][collection_name]
        for start in range(0, count, 1000):
            target.insert_many([company(number, cities) for number in range(start, min(start + 1000, count))])
            print(f"  {min(start + 1000, count):,} of {count:,} companies", flush=True)
    finally:
        client.close()


def measure(data_dir: Path, count: int) -> None:
    """Download both files as the member; print what arrived and how long it took."""
    import csv

    import openpyxl

    from cms import create_app, database

    app = create_app({"CMS_DATA_DIR": str(data_dir), "CMS_SCHEDULER_SECONDS": 0, "CMS_MAIL_SECONDS": 0})
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"email": MEMBER_EMAIL, "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for kind in ("xlsx", "csv", "xlsx?country=DE&sector=C29"):
        started = time.monotonic()
        response = client.get(f"/api/v1/exports/companies.{kind}", headers=headers)
        body = response.get_data()
        seconds = time.monotonic() - started
        if kind.startswith("xlsx"):
            workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            rows = sum(1 for _row in workbook.worksheets[0].iter_rows()) - 1
            workbook.close()
        else:
            rows = sum(1 for _row in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1
        print(f"companies.{kind}: status {response.status_code}, {rows:,} rows, {len(body):,} bytes, {seconds:.1f} s")
    database.close_embedded(str(data_dir))


def main() -> None:
    """Fill, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="fill this (new) folder and keep it, instead of a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = args.keep or Path(temporary) / "data"
        started = time.monotonic()
        fill(data_dir, args.companies)
        print(f"filled in {time.monotonic() - started:.0f} s")
        measure(data_dir, args.companies)


if __name__ == "__main__":
    main()
