"""Revisions, lost updates, resurrection and sanitising at the storage layer."""

import threading

import pytest

from content_types import Circular, Content, StaleRevision
from content_types.sanitize import sanitize_html


def test_every_save_is_the_next_revision(create_item):
    item = create_item("concept")
    assert item.revision == 1
    item.title = "Zweite Fassung"
    item.save_revision(1)
    item.body = "<p>Dritte</p>"
    item.save_revision(2)
    assert Content.objects.get(pk=item.pk).revision == 3


def test_a_stale_save_is_refused_and_the_first_text_survives(create_item):
    item = create_item("work_plan", title="Original")
    first = Content.objects.get(pk=item.pk)
    second = Content.objects.get(pk=item.pk)
    first.title = "Erste Änderung"
    first.save_revision(1)
    second.title = "Zweite Änderung"
    with pytest.raises(StaleRevision):
        second.save_revision(1)
    stored = Content.objects.get(pk=item.pk)
    assert (stored.title, stored.revision) == ("Erste Änderung", 2)


def test_concurrent_saves_of_one_revision_let_exactly_one_win(create_item):
    item = create_item("news")
    outcomes = []

    def save(text):
        copy = Content.objects.get(pk=item.pk)
        copy.title = text
        try:
            copy.save_revision(1)
            outcomes.append("saved")
        except StaleRevision:
            outcomes.append("stale")

    threads = [threading.Thread(target=save, args=(f"Fassung {n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved"] + ["stale"] * 5
    assert Content.objects.get(pk=item.pk).revision == 2


def test_saving_an_item_deleted_meanwhile_does_not_resurrect_it(create_item):
    item = create_item("mou")
    stale = Content.objects.get(pk=item.pk)
    Content.objects(pk=item.pk).delete()
    stale.title = "Wieder da?"
    with pytest.raises(StaleRevision):
        stale.save_revision(1)
    assert Content.objects(pk=item.pk).count() == 0


@pytest.mark.parametrize(
    "payload, forbidden",
    [
        ("<script>alert(1)</script><p>ok</p>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "iframe"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="java&#09;script:alert(1)">x</a>', "script:"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
        ('<form action="https://evil.example"><input name=a></form>', "<form"),
        ('<base href="https://evil.example/">', "<base"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
    ],
)
def test_rich_text_is_sanitised_on_save(create_item, payload, forbidden):
    item = create_item("news", body=payload)
    stored = Content.objects.get(pk=item.pk).body
    assert forbidden not in stored.lower()


def test_sanitising_keeps_ordinary_formatting():
    html = '<h2>Ziele</h2><p><strong>Wichtig</strong> <a href="https://example.org">Link</a></p><ul><li>a</li></ul>'
    cleaned = sanitize_html(html)
    for kept in ("<h2>", "<strong>", 'href="https://example.org"', "<li>"):
        assert kept in cleaned


def test_circulars_are_numbered_per_year(app, users):
    from cms.operations import content

    numbers = []
    for subject in ("Einladung", "Protokoll"):
        circular = content.new_item(users["editor"], "circular")
        circular.title = subject
        content.create_item(users["editor"], circular)
        numbers.append(Circular.objects.get(pk=circular.pk).number)
    year = numbers[0].split("/")[0]
    assert numbers == [f"{year}/01", f"{year}/02"]
