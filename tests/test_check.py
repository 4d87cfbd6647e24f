"""`cms check`: a clean site passes; a changed file, a revision gap, a text that is not its revision's, a version
without its file or revision, and references to items that never were deleted are each found (exit code 1)."""

import gridfs
import mongoengine as me
import pytest
from bson import Binary

from cms.operations.content import delete_item
from cms.site_archive.check import _ranges, check_site
from content_types import Attachment, AuditEntry, PublishedVersion, Revision
from tests.archive_support import run_cms, small_site


@pytest.fixture
def site(create_item, users):
    """A small site: a news item with revisions 1-3, an attachment and a published version."""
    return small_site(create_item, users["editor"])


def _check(app):
    return run_cms("check", uri=app.config["CMS_MONGODB_URI"], data_dir=app.config["CMS_DATA_DIR"])


def _spoil_first_chunk(bucket: str, file_id) -> None:
    chunks = me.connection.get_db()[f"{bucket}.chunks"]
    chunk = chunks.find_one({"files_id": file_id, "n": 0})
    data = bytearray(chunk["data"])
    data[len(data) // 2] ^= 0x01  # one bit, same length: only the checksum can tell
    chunks.update_one({"_id": chunk["_id"]}, {"$set": {"data": Binary(bytes(data))}})


def test_a_clean_site_passes(app, site):
    result = _check(app)
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output
    assert "1 items" in result.output and "3 revisions" in result.output and "1 published versions" in result.output


def test_a_changed_attachment_file_is_found(app, site):
    attachment = Attachment.objects.get(item=site.pk)
    _spoil_first_chunk("attachment_files", attachment.file.grid_id)
    result = _check(app)
    assert result.exit_code == 1
    assert "attachment 'Anlage.pdf'" in result.output and "do not match its SHA-256" in result.output
    assert "1 problems found." in result.output


def test_a_changed_published_file_and_a_missing_one_are_found(app, site):
    version = PublishedVersion.objects.get(item=site.pk)
    pdf, copy = version.files
    _spoil_first_chunk("version_files", pdf.file_id)
    gridfs.GridFS(me.connection.get_db(), "version_files").delete(copy.file_id)
    problems = check_site(me.connection.get_db()).problems
    assert len(problems) == 2
    assert "published version v1" in problems[0] and "do not match its SHA-256" in problems[0]
    assert f"its file {copy.file_id} is missing from version_files" in problems[1]


def test_a_revision_gap_is_found(app, site):
    Revision.objects(item=site.pk, number=2).delete()
    result = _check(app)
    assert result.exit_code == 1
    assert "is at revision 3, but its recorded revisions are 1, 3" in result.output


def test_a_missing_newest_revision_points_to_the_repair(app, site):
    Revision.objects(item=site.pk, number=3).delete()
    problems = check_site(me.connection.get_db()).problems
    assert problems == [
        f"published version v1 of item {site.pk} (Nachricht zum Archiv): it rests on revision 3, which is not recorded",
        f"item {site.pk} (Nachricht zum Archiv): is at revision 3, but its recorded revisions are 1-2 "
        "(`cms repair` records it)",
    ]


def test_an_item_whose_text_is_not_its_newest_revision_s_is_found(app, site):
    # Written past the CMS (every save records a revision): the archive's history no longer explains the item.
    type(site)._get_collection().update_one({"_id": site.pk}, {"$set": {"body": "<p>Heimlich geändert</p>"}})
    problems = check_site(me.connection.get_db()).problems
    assert problems == [f"item {site.pk} (Nachricht zum Archiv): its revision 3 does not hold its current body"]


def test_a_version_resting_on_an_unrecorded_revision_is_found(app, site):
    PublishedVersion.objects(item=site.pk).update_one(set__revision=7)
    problems = check_site(me.connection.get_db()).problems
    assert problems == [
        f"published version v1 of item {site.pk} (Nachricht zum Archiv): it rests on revision 7, which is not recorded"
    ]


def test_a_deleted_item_s_traces_are_fine_but_a_vanished_item_s_are_not(app, site, users, create_item):
    draft = create_item("news", owner=users["editor"], title="Entwurf")
    delete_item(users["admin"], draft)  # audited: its records may outlive it
    AuditEntry(action="update", item_id=draft.pk).save()
    assert check_site(me.connection.get_db()).clean
    type(site)._get_collection().delete_one({"_id": site.pk})  # gone without a trace in the audit log
    problems = check_site(me.connection.get_db()).problems
    assert any(problem.startswith("attachment 'Anlage.pdf'") and "does not exist" in problem for problem in problems)
    assert any(problem.startswith("published version v1") and "does not exist" in problem for problem in problems)
    assert any(problem.startswith(f"revisions of item {site.pk}") for problem in problems)


def test_the_history_must_end_in_the_item_s_state(app, site, users):
    from workflows import engine

    engine.fire(users["editor"], site, "submit")
    assert check_site(me.connection.get_db()).clean
    type(site)._get_collection().update_one({"_id": site.pk}, {"$set": {"state": "published"}})
    problems = check_site(me.connection.get_db()).problems
    assert problems == [
        f"item {site.pk} (Nachricht zum Archiv): is 'published', but its history's last step led to 'in_review'"
    ]


@pytest.mark.parametrize(
    "numbers, shown", [([], "none"), ([1], "1"), ([1, 2, 3], "1-3"), ([1, 3], "1, 3"), ([1, 2, 4, 5, 7], "1-2, 4-5, 7")]
)
def test_revision_numbers_are_shown_as_runs(numbers, shown):
    assert _ranges(numbers) == shown
