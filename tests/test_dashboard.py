"""The admin start page: what waits for the user, their drafts and submissions, recent changes, the next meeting."""

import re

from tests.conftest import logged_in
from tests.workflow_helpers import force_state
from workflows import engine


def _box(page: str, heading: str) -> str:
    # The section under `heading`, up to the next box.
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}.*?</section>", page, re.S)
    assert match, f"no box {heading!r} on the dashboard"
    return match.group(0)


def _count(box: str) -> int:
    return int(re.search(r'class="badge badge-secondary">(\d+)<', box).group(1))


def test_an_editor_sees_their_drafts_and_submissions_apart(app, users, create_item):
    create_item("news", owner=users["editor"], title="Mein Entwurf")
    force_state(create_item("news", owner=users["editor"], title="In Prüfung"), "in_review")
    force_state(create_item("news", owner=users["editor"], title="Schon veröffentlicht"), "published")
    create_item("news", owner=users["admin"], title="Fremder Entwurf")

    page = logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)

    drafts, submitted = _box(page, "My drafts"), _box(page, "What I submitted")
    assert "Mein Entwurf" in drafts and _count(drafts) == 1
    assert "In Prüfung" in submitted and _count(submitted) == 1
    assert "Schon veröffentlicht" not in drafts + submitted
    # The secretariat shares its drafts: another's shows among the recent changes, not as the editor's own.
    assert "Fremder Entwurf" not in drafts and "Fremder Entwurf" in _box(page, "Recent changes")
    # Every draft waits for the secretariat's editors to finish and submit it, a colleague's too.
    waiting = _box(page, "Waiting for you")
    assert _count(waiting) == 2 and "Fremder Entwurf" in waiting and "Submit for review" in waiting
    assert "In Prüfung" not in waiting
    # What the editor submitted says whom it waits for.
    assert "Reviewer" in submitted


def test_a_reviewer_sees_what_waits_with_the_steps_open_to_them(app, users, create_item):
    force_state(create_item("news", owner=users["editor"], title="Zu prüfen"), "in_review")

    page = logged_in(app, users["reviewer"]).get("/admin/").get_data(as_text=True)

    waiting = _box(page, "Waiting for you")
    assert _count(waiting) == 1 and "Zu prüfen" in waiting and "Publish" in waiting
    assert "You have no drafts." in _box(page, "My drafts")


def test_changed_times_follow_workflow_steps(app, users, create_item):
    item = create_item("news", owner=users["editor"], title="Eingereicht")
    item.reload()  # as stored (milliseconds)
    submitted = engine.fire(users["editor"], item, "submit")

    # The step changed the item; its text (and so its revision time) did not.
    assert submitted.changed > item.changed and submitted.modified == item.modified
    recent = _box(logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True), "Recent changes")
    assert "Eingereicht" in recent and "In review" in recent


def test_the_dashboard_names_the_next_meeting(app, users, create_item):
    force_state(create_item("meeting", owner=users["admin"], title="Jahrestreffen Aachen"), "announced")

    page = logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)

    assert "Jahrestreffen Aachen" in _box(page, "Next meeting")


def test_the_dashboard_speaks_the_users_language(app, users):
    users["editor"].update(set__language="zh")
    page = logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)
    assert "我的草稿" in page and "My drafts" not in page
