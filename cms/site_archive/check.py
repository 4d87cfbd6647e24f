"""`cms check`: every stored file against its checksum, and every item's history, read-only.

Files: each attachment's and each published version's file is read from
GridFS chunk by chunk, and its SHA-256 and size compared with what the record
says. Items: revisions numbered 1..n without gaps, n the item's revision, the
newest one holding the item's editable fields; the workflow history ending in
the item's state; published versions numbered 1..n, each resting on a recorded
revision. References: revisions, versions, attachments and audit entries
pointing at items that exist — or that the audit log says were deleted (or
were working copies, which go when they are checked in).
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import gridfs
from gridfs.errors import CorruptGridFile, NoFile
from mongoengine.base import get_document
from mongoengine.errors import NotRegistered

from cms.revisions import same
from content_types.revision import snapshot_fields

ATTACHMENT_BUCKET = "attachment_files"
VERSION_BUCKET = "version_files"
MISSING = "that item does not exist, and the audit log does not say it was deleted"


@dataclass
class CheckReport:
    """What `cms check` found: problems (one sentence each) and how many things of each kind it looked at."""

    problems: list[str] = field(default_factory=list)
    checked: Counter = field(default_factory=Counter)

    @property
    def clean(self) -> bool:
        """Whether nothing is wrong."""
        return not self.problems


def check_site(db) -> CheckReport:
    """Check the stored files and every item's history in `db`; return what was found (nothing is changed)."""
    report = CheckReport()
    items = {document["_id"]: document for document in db.content.find({}, {"title": 1, "revision": 1})}
    gone = set(db.audit_log.distinct("item_id", {"$or": [{"action": "delete"}, {"event": "working_copy_made"}]}))
    files = _FileChecker(db, report)
    _check_attachments(db, report, files, set(items) | gone, set(db.application_submissions.distinct("_id")))
    _check_versions(db, report, files, items, gone)
    _check_items(db, report, set(items))
    _check_references(db, report, set(items) | gone)
    return report


def _named(item_id, items: dict | None = None) -> str:
    title = (items or {}).get(item_id, {}).get("title")
    return f"item {item_id} ({title})" if title else f"item {item_id}"


class _FileChecker:
    """Reads GridFS files once each (several records may share one) and compares them with a record's checksum."""

    def __init__(self, db, report: CheckReport):
        self._db = db
        self._report = report
        self._buckets: dict[str, gridfs.GridFS] = {}
        self._digests: dict[tuple[str, object], tuple[str, int] | str] = {}

    def verify(self, bucket: str, file_id, sha256: str, size: int | None, what: str) -> None:
        """Add a problem unless the file exists, is whole, and has the record's SHA-256 (and size, if given)."""
        digest = self._digest(bucket, file_id)
        if isinstance(digest, str):
            self._report.problems.append(f"{what}: {digest}")
        elif digest[0] != sha256:
            self._report.problems.append(f"{what}: the stored bytes do not match its SHA-256 (file {file_id})")
        elif size is not None and digest[1] != size:
            self._report.problems.append(f"{what}: {digest[1]} bytes stored, its record says {size}")

    def _digest(self, bucket: str, file_id) -> tuple[str, int] | str:
        key = (bucket, file_id)
        if key not in self._digests:
            self._digests[key] = self._read(bucket, file_id)
            self._report.checked["files"] += 1
        return self._digests[key]

    def _read(self, bucket: str, file_id) -> tuple[str, int] | str:
        if file_id is None:
            return "it names no file"
        store = self._buckets.setdefault(bucket, gridfs.GridFS(self._db, bucket))
        sha256, size = hashlib.sha256(), 0
        try:
            # Chunk by chunk: a file is never held in memory whole. GridFS refuses missing or short chunks.
            for chunk in store.get(file_id):
                sha256.update(chunk)
                size += len(chunk)
        except NoFile:
            return f"its file {file_id} is missing from {bucket}"
        except CorruptGridFile as error:
            return f"its file {file_id} in {bucket} is damaged ({error})"
        return sha256.hexdigest(), size


def _check_attachments(db, report: CheckReport, files: _FileChecker, known_items: set, submissions: set) -> None:
    for attachment in db.attachments.find({}, {"item": 1, "name": 1, "sha256": 1, "size": 1, "file": 1}):
        report.checked["attachments"] += 1
        what = f"attachment {attachment.get('name')!r} ({attachment['_id']}) of item {attachment.get('item')}"
        files.verify(ATTACHMENT_BUCKET, attachment.get("file"), attachment.get("sha256"), attachment.get("size"), what)
        if attachment.get("item") not in known_items and attachment.get("item") not in submissions:
            report.problems.append(f"{what}: {MISSING}")


def _check_versions(db, report: CheckReport, files: _FileChecker, items: dict, gone: set) -> None:
    numbers = defaultdict(list)
    for version in db.published_versions.find({}, {"item": 1, "number": 1, "revision": 1, "files": 1}):
        report.checked["published versions"] += 1
        item_id, number = version.get("item"), version.get("number")
        numbers[item_id].append(number)
        what = f"published version v{number} of {_named(item_id, items)}"
        for index, stored in enumerate(version.get("files") or []):
            name = f"{what}, file {index + 1} ({stored.get('name')!r})"
            files.verify(VERSION_BUCKET, stored.get("file_id"), stored.get("sha256"), stored.get("size"), name)
        if item_id not in items:
            if item_id not in gone:
                report.problems.append(f"{what}: {MISSING}")
        elif db.revisions.find_one({"item": item_id, "number": version.get("revision")}, {"_id": 1}) is None:
            report.problems.append(f"{what}: it rests on revision {version.get('revision')}, which is not recorded")
    for item_id, found in numbers.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            listed = ", ".join(f"v{number}" for number in sorted(found))
            report.problems.append(
                f"{_named(item_id, items)}: its published versions are {listed}, not v1 to v{len(found)}"
            )


def _check_items(db, report: CheckReport, item_ids: set) -> None:
    for item_id in item_ids:
        stored = db.content.find_one({"_id": item_id})
        if stored is None:
            continue  # deleted while the check ran
        report.checked["items"] += 1
        name = _named(item_id, {item_id: stored})
        current = stored.get("revision") or 0
        found = sorted(revision["number"] for revision in db.revisions.find({"item": item_id}, {"number": 1}))
        report.checked["revisions"] += len(found)
        if found != list(range(1, current + 1)):
            # Only the newest unrecorded is what a crash between a save and its record leaves: the repair records it.
            hint = " (`cms repair` records it)" if found == list(range(1, current)) else ""
            report.problems.append(
                f"{name}: is at revision {current}, but its recorded revisions are {_ranges(found)}{hint}"
            )
        elif current:
            newest = db.revisions.find_one({"item": item_id, "number": current}, {"fields": 1})
            differing = _differing_fields(stored, (newest or {}).get("fields") or {})
            if differing:
                report.problems.append(
                    f"{name}: its revision {current} does not hold its current {', '.join(differing)}"
                )
        last_step = (stored.get("history") or [{}])[-1].get("to_state")
        if last_step is not None and last_step != stored.get("state"):
            report.problems.append(
                f"{name}: is {stored.get('state')!r}, but its history's last step led to {last_step!r}"
            )


def _differing_fields(stored: dict, fields: dict) -> list[str]:
    try:
        cls = get_document(stored.get("_cls", "Content"))
    except NotRegistered:
        return []  # a type this CMS does not know: nothing to compare with
    current = snapshot_fields(cls._from_son(stored))
    return sorted(name for name, value in current.items() if not same(fields.get(name), value))


def _ranges(numbers: list[int]) -> str:
    # 1, 2, 3, 5, 6 -> "1-3, 5-6": where a gap is, at a glance.
    if not numbers:
        return "none"
    runs = [[numbers[0], numbers[0]]]
    for number in numbers[1:]:
        if number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in runs)


def _check_references(db, report: CheckReport, known_items: set) -> None:
    for item_id in db.revisions.distinct("item"):
        if item_id not in known_items:
            report.problems.append(f"revisions of {_named(item_id)}: {MISSING}")
    report.checked["audit entries"] += db.audit_log.count_documents({})
    for item_id in db.audit_log.distinct("item_id"):
        if item_id is not None and item_id not in known_items:
            report.problems.append(f"the audit log names {_named(item_id)}: {MISSING}")
    for stored in db.content.find({"history.meeting": {"$ne": None}}, {"history.meeting": 1, "title": 1}):
        for entry in stored.get("history") or []:
            meeting = entry.get("meeting")
            if meeting is not None and meeting not in known_items:
                report.problems.append(
                    f"{_named(stored['_id'], {stored['_id']: stored})}: its history names meeting {meeting}, "
                    "which does not exist"
                )
