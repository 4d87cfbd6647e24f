"""A realistic alliance archive in a fresh data directory, made through the CMS's own operations.

Used by bench/run.py; on its own: `.venv/bin/python bench/archive.py DATA_DIR --items 1000 --cities 30`.

What it holds: the founding cities plus further member cities up to --cities, the
demo accounts and documents (meetings, the approved and published work plan, the
MoU, circulars, news), one member representative per city, and news and
circulars written by the secretariat's editor up to --items content items: each
saved one to four times (revisions), most of them reviewed and published (a
published version with its rendered PDF), every tenth published with a 200 KB
PDF attachment that its version carries. Circulars are addressed to all cities or to
a few, so the member pages ask the audience rule.

The first --made items (default 100) go through `cms.operations` and the
workflow engine, as an editor's clicks would; that costs about a second
per item on the embedded database here, so the rest are copies of those
(content, revisions, published versions, attachment records and audit entries,
each with new ids and titles, the stored files shared) inserted in batches.
The extra cities are inserted as `cms.seed_data` inserts the founding ones
(admission is a months-long process), and the representatives after the first
share its password hash (argon2 costs most of a second per account by design).
"""

import argparse
import io
import json
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.datastructures import FileStorage  # noqa: E402

# The member whose pages and downloads the benchmark requests (Aachen's demo representative).
MEMBER_EMAIL = "member.aachen@alliance.example"
FILE_BYTES = 200 * 1024
# Of the extra items: this share is published, the rest is split between drafts and items in review.
PUBLISHED_SHARE = 0.7
ATTACHMENT_EVERY = 10
WORDS = (
    "Industrie 4.0 Wasserstoff Mobilität Delegation Investition Kooperation Mittelstand Ausbildung Messe "
    "Seminar Innovation Digitalisierung Logistik Automobil Maschinenbau Energie Umwelt Stadtentwicklung"
).split()
EXTRA_CITIES = (
    ("Stadt", "城市", "City"),
    ("Kreis", "县", "County"),
)


def pdf_of_size(size: int) -> bytes:
    """Return a valid PDF padded with a comment to exactly `size` bytes (the anchors serve the same bytes)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Alliance benchmark attachment")
    page.save()
    data = buffer.getvalue()
    padding = size - len(data) - 2
    # Bytes after %%EOF are ignored by readers; a comment line keeps it a PDF for detect_type().
    return data + b"%" + b"x" * padding + b"\n"


def add_cities(total: int, rng: random.Random) -> None:
    """Insert further member cities (alternately Chinese and German) until `total` are members."""
    from datetime import datetime

    from content_types import MemberCity

    members = MemberCity.objects(status="member").count()
    number = 0
    while members < total:
        number += 1
        country = "CN" if number % 2 else "DE"
        city = MemberCity(
            name_de=f"Mitgliedsstadt {number} ({country})",
            name_zh=f"成员城市{number}",
            name_en=f"Member city {number} ({country})",
            country=country,
            initiator=False,
            status="member",
            joined=datetime(2017 + rng.randrange(9), 1 + rng.randrange(12), 1),
        )
        city.validate()
        city.save()
        members += 1


def add_members() -> None:
    """Give every member city without one a representative account (the demo password, the demo's hash)."""
    from content_types import MemberCity, User

    template = User.objects.get(email=MEMBER_EMAIL)
    represented = {user.city.pk for user in User.objects(roles="member") if user.city}
    for city in MemberCity.objects(status="member"):
        if city.pk not in represented:
            user = User(email=f"member.{city.pk}@alliance.example", name=city.name_de, roles=["member"], city=city)
            user.password_hash = template.password_hash
            user.validate()
            user.save(force_insert=True)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def add_items(count: int, rng: random.Random, attachment: bytes, progress) -> list:
    """Create `count` news and circulars through the operations and the engine; return their ids."""
    from cms.demo import _users
    from cms.operations import attachments, content
    from content_types import Circular, Content, MemberCity, News
    from workflows import engine

    staff = _users()
    editor, reviewer = staff["editor"], staff["reviewer"]
    cities = list(MemberCity.objects(status="member"))
    made = []
    for number in range(1, count + 1):
        cls = Circular if number % 3 == 0 else News
        item = content.new_item(editor, cls.type_name)
        item.title = f"{'Rundschreiben' if cls is Circular else 'Meldung'} {number}: {_text(rng, 4)}"
        item.language = rng.choice(("de", "de", "zh", "en"))
        item.body = "".join(f"<p>{_text(rng, 60)}</p>" for _ in range(3))
        if cls is Circular:
            item.subject = _text(rng, 5)
            # Half of them to all member cities, half to a few (only those may read it).
            item.recipients = [] if number % 2 else rng.sample(cities, min(3, len(cities)))
        else:
            item.public = number % 4 != 0
            item.summary = _text(rng, 12)
        item = content.create_item(editor, item)
        for _ in range(rng.randrange(4)):
            item = content.save_changes(editor, item, item.revision, {"body": item.body + f"<p>{_text(rng, 20)}</p>"})
        # Every tenth (the third, a circular to all cities, first) carries the attachment and is published.
        with_file = number % ATTACHMENT_EVERY == 3
        if with_file:
            upload = FileStorage(io.BytesIO(attachment), filename=f"anlage-{number}.pdf")
            attachments.add_attachment(editor, item, upload, len(attachment) + 1)
            item = Content.objects.get(pk=item.pk)
        roll = 0 if with_file else rng.random()
        if roll < PUBLISHED_SHARE:
            engine.fire(reviewer, engine.fire(editor, item, "submit"), "publish")
        elif roll < (1 + PUBLISHED_SHARE) / 2:
            engine.fire(editor, item, "submit")
        made.append(item.pk)
        progress(number)
    return made


def copy_items(total: int, made: list, data_dir: Path, batch: int = 500) -> None:
    """Insert copies of the `made` items (with their revisions, versions, attachments, audit) until `total` exist.

    The embedded database's wire server inserts an `insert` command's documents one at a time
    (`insert_one` each, in its own SQLite transaction: 10-25 ms per document here, half of the
    engine's share the commit), the audit entries — half the documents — costing most; mongoeco's
    own client hands a batch to the engine's batch insert, one transaction. So the copies are
    inserted while the CMS's connection is closed, through mongoeco in this process on the same
    SQLite file, the CMS's mongoeco workarounds installed, as the wire server runs it: the same
    documents and index entries, about five times faster (2,000 items: 326-358 s before, 67-81 s
    after). On a real MongoDB (CMS_MONGODB_URI) pymongo's insert_many is used.
    """
    from bson import ObjectId
    from flask import current_app

    from cms import database
    from content_types import Attachment, AuditEntry, Content, PublishedVersion, Revision
    from content_types.search import fold_for_search

    collections = {
        "content": Content._get_collection(),
        "revisions": Revision._get_collection(),
        "versions": PublishedVersion._get_collection(),
        "attachments": Attachment._get_collection(),
        "audit": AuditEntry._get_collection(),
    }
    originals = []
    for item_id in made:
        originals.append(
            {
                "content": collections["content"].find_one({"_id": item_id}),
                "revisions": list(collections["revisions"].find({"item": item_id})),
                "versions": list(collections["versions"].find({"item": item_id})),
                "attachments": list(collections["attachments"].find({"item": item_id})),
                "audit": list(collections["audit"].find({"item_id": item_id})),
            }
        )
    count = collections["content"].count_documents({})
    if count >= total:
        return
    names = {name: collection.name for name, collection in collections.items()}
    embedded = current_app.config["CMS_DATABASE_KIND"] == "embedded"
    if embedded:
        database.close_embedded(str(data_dir))
        client = _direct_client(data_dir)
        target = {name: client[database.DATABASE_NAME][names[name]] for name in collections}
    else:
        target = collections
    pending = {name: [] for name in collections}
    copy = 0
    try:
        while count < total:
            copy += 1
            original = originals[copy % len(originals)]
            new_id = ObjectId()
            item = dict(original["content"], _id=new_id, translation_group=uuid.uuid4().hex)
            item["title"] = f"{item['title']} (copy {copy})"
            item["search_text"] = fold_for_search(item["title"])
            if item.get("number"):
                item["number"] = f"{item['number'][:4]}/{1000 + copy}"
            pending["content"].append(item)
            for name, key in (
                ("revisions", "item"),
                ("versions", "item"),
                ("attachments", "item"),
                ("audit", "item_id"),
            ):
                pending[name].extend(dict(document, _id=ObjectId(), **{key: new_id}) for document in original[name])
            count += 1
            if len(pending["content"]) >= batch or count >= total:
                for name, documents in pending.items():
                    if documents:
                        target[name].insert_many(documents, ordered=True)
                    documents.clear()
                print(f"  {count:,} of {total:,} items (copies)", flush=True)
    finally:
        if embedded:
            client.close()
            database.init_app(current_app)  # the CMS's own connection again, for what follows


def _direct_client(data_dir: Path):
    # mongoeco's in-process client on the embedded database's SQLite file; only while no server has it open.
    from mongoeco import MongoClient
    from mongoeco.engines.sqlite import SQLiteEngine

    from cms import embedded  # noqa: F401  (installs the CMS's mongoeco workarounds, as the server has them)

    return MongoClient(engine=SQLiteEngine(path=str(data_dir / embedded.DATABASE_FILE)))


def targets(app, attachment: bytes) -> dict:
    """Return the URLs the benchmark requests, chosen from the archive (see bench/run.py)."""
    from cms.downloads import version_file_url
    from cms.security import can
    from cms.versions import versions_of
    from content_types import Content, News, User
    from workflows.permissions import DOWNLOAD

    member = User.objects.get(email=MEMBER_EMAIL)
    public_news = News.objects(state="published", public=True, language="de").order_by("-published_at").first()
    downloads = []
    for item in Content.objects(state="published", public__ne=True).order_by("-published_at"):
        if not can(member, DOWNLOAD, item):
            continue
        for version in versions_of(item):
            for index, stored in enumerate(version.files):
                if stored.size == len(attachment):
                    downloads.append((item, version_file_url(version, index)))
        if downloads:
            break
    if not downloads:
        raise RuntimeError("no published member-only item with the 200 KB file: make at least 3 items")
    member_item, download = downloads[0]
    # A public published item's 200 KB file: what deploy/nginx.conf's cache keeps (the anchors serve the same bytes).
    public_download = None
    for item in News.objects(state="published", public=True).order_by("-published_at"):
        for version in versions_of(item):
            for index, stored in enumerate(version.files):
                if stored.size == len(attachment) and public_download is None:
                    public_download = version_file_url(version, index)
        if public_download:
            break
    if public_download is None:
        raise RuntimeError("no published public news with the 200 KB file: make at least 13 items")
    return {
        "public_page": f"/de/documents/{public_news.pk}",
        "member_page": f"/de/documents/{member_item.pk}",
        "download": download,
        "public_download": public_download,
        "api_item": f"/api/v1/content/{member_item.pk}",
        "api_list": "/api/v1/content?per_page=20",
        "member_email": MEMBER_EMAIL,
    }


def generate(data_dir: Path, items: int, cities: int, made: int = 100, seed: int = 14) -> dict:
    """Fill a fresh data directory; return the benchmark's targets (also written to DATA_DIR/bench-targets.json)."""
    from cms import create_app, database, migrations
    from cms.demo import create_demo_documents, create_demo_users
    from cms.seed_data import seed_cities
    from content_types import Content

    data_dir.mkdir(parents=True, exist_ok=False)
    rng = random.Random(seed)
    app = create_app({"CMS_DATA_DIR": str(data_dir), "CMS_SCHEDULER_SECONDS": 0, "CMS_MAIL_SECONDS": 0})
    attachment = pdf_of_size(FILE_BYTES)
    started = time.monotonic()

    def progress(number):
        if number % 25 == 0 or number == made:
            print(f"  {number:,} of {made:,} items made ({time.monotonic() - started:.0f} s)", flush=True)

    with app.app_context(), app.test_request_context():
        migrations.migrate()
        database.ensure_indexes()
        seed_cities()
        add_cities(cities, rng)
        create_demo_users()
        add_members()
        create_demo_documents()
        copy_items(items, add_items(min(made, items), rng, attachment, progress), data_dir)
        found = targets(app, attachment)
        found["items"] = Content.objects.count()
    database.close_embedded(str(data_dir))
    (data_dir / "bench-targets.json").write_text(json.dumps(found, indent=2))
    (data_dir / "bench-file.pdf").write_bytes(attachment)
    return found


def main() -> None:
    """Generate an archive from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--cities", type=int, default=30)
    parser.add_argument("--made", type=int, default=100, help="items made through the operations; the rest copied")
    args = parser.parse_args()
    print(json.dumps(generate(args.data_dir, args.items, args.cities, args.made), indent=2))


if __name__ == "__main__":
    main()
