"""Withdrawals and exclusion motions in the admin: lists, forms, item pages with their steps, in de/zh/en."""

import pytest

from content_types import ExclusionMotion, MemberCity, Withdrawal
from tests.conftest import Browser, logged_in
from tests.workflow_helpers import force_state


@pytest.mark.parametrize(
    "language, words",
    [
        ("de", ["Austritte", "Ausschlussanträge"]),
        ("zh", ["退出申请", "除名动议"]),
        ("en", ["Withdrawals", "Exclusion motions"]),
    ],
)
def test_both_types_have_their_lists_in_every_language(app, users, language, words):
    editor = logged_in(app, users["editor"])
    for endpoint, word in zip(("content_withdrawal", "content_exclusion_motion"), words):
        page = editor.get(f"/admin/{endpoint}/", headers={"Accept-Language": language})
        assert page.status_code == 200
        assert word in page.get_data(as_text=True)


def test_the_secretariat_records_a_letter_through_the_form_and_informs_the_members(app, users, city):
    editor = logged_in(app, users["editor"])
    form = "/admin/content_withdrawal/new/"
    token = Browser(editor).form_token(form)
    aachen = city("Aachen")
    created = editor.post(
        form,
        data={
            "csrf_token": token,
            "title": "Austrittserklärung Aachen",
            "language": "de",
            "city": str(aachen.pk),
            "requested_on": "2026-11-02",
            "body": "Brief vom 2. November",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)[-2000:]
    withdrawal = Withdrawal.objects.get()
    page = editor.get(f"/admin/content_withdrawal/workflow/?id={withdrawal.pk}", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Inform all member cities (circular)" in text and "Date of the letter" in text
    fired = editor.post(
        "/admin/content_withdrawal/fire/",
        data={"csrf_token": Browser(editor).form_token("/en/"), "id": str(withdrawal.pk), "transition": "inform"},
    )
    assert fired.status_code == 303
    informed = Withdrawal.objects.get(pk=withdrawal.pk)
    assert informed.state == "informed" and informed.circular_number
    page = editor.get(f"/admin/content_withdrawal/workflow/?id={withdrawal.pk}", headers={"Accept-Language": "en"})
    assert informed.circular_number in page.get_data(as_text=True)
    assert MemberCity.objects.get(pk=aachen.pk).status == "member"


def test_the_decision_is_offered_in_the_admin_only_once_the_meeting_is_held(app, users, city, create_item):
    meeting = force_state(create_item("meeting", owner=users["editor"], year=2026, half=2), "announced")
    motion = create_item(
        "exclusion_motion", owner=users["editor"], city=city("Aachen"), reasons="Pflichten nicht erfüllt"
    )
    force_state(motion, "on_agenda", agenda_meeting=meeting.pk, accepted_revision=1)
    approver = logged_in(app, users["approver"])
    url = f"/admin/content_exclusion_motion/workflow/?id={motion.pk}"
    before = approver.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="transition" value="exclude"' not in before
    assert "Pflichten nicht erfüllt" in before
    force_state(meeting, "held")
    after = approver.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="transition" value="exclude"' in after and 'name="transition" value="keep"' in after
    fired = approver.post(
        "/admin/content_exclusion_motion/fire/",
        data={
            "csrf_token": Browser(approver).form_token("/en/"),
            "id": str(motion.pk),
            "transition": "exclude",
            "comment": "Beschluss: Aachen wird ausgeschlossen.",
        },
    )
    assert fired.status_code == 303
    assert ExclusionMotion.objects.get(pk=motion.pk).state == "excluded"
    assert MemberCity.objects.get(name_de="Aachen").status == "excluded"
    # The meeting's page names the decision taken on it.
    editor = logged_in(app, users["editor"])
    page = editor.get(f"/admin/content_meeting/workflow/?id={meeting.pk}", headers={"Accept-Language": "en"})
    assert "Record the meeting&#39;s decision: excluded" in page.get_data(as_text=True)
