"""Excluding a member city (seed V): proposed by the secretariat with reasons, decided by the members at a meeting.

The motion goes onto an upcoming meeting's agenda; once that meeting is held,
its decision is recorded (excluded or not, with the decision's text), once.
Excluded, the city's status becomes `excluded` in the same follow-up, and its
representatives' member rights end with it (workflows.policy reads the status).
"""

from flask_babel import lazy_gettext as _l

from workflows.permissions import ADMIN, APPROVER, DELETE, DOWNLOAD, EDITOR, HISTORY, MEMBER, MODIFY, VIEW, WORKING

# Decided: the member cities decided it at their meeting and may read it; the secretariat's staff too.
DECIDED = {VIEW: WORKING | {MEMBER}, DOWNLOAD: WORKING | {MEMBER}, HISTORY: WORKING}

WORKFLOW = {
    "name": "exclusion",
    "title": _l("Exclusion"),
    "initial": "proposed",
    "states": [
        {
            "name": "proposed",
            "title": _l("Proposed"),
            "permissions": {
                VIEW: WORKING,
                DOWNLOAD: WORKING,
                MODIFY: {EDITOR, ADMIN},
                DELETE: {EDITOR, ADMIN},
                HISTORY: WORKING,
            },
        },
        # What the meeting will decide on is frozen while it is on the agenda.
        {
            "name": "on_agenda",
            "title": _l("On the meeting's agenda"),
            "permissions": {VIEW: WORKING, DOWNLOAD: WORKING, HISTORY: WORKING},
        },
        {"name": "excluded", "title": _l("Excluded by the meeting"), "permissions": DECIDED},
        {"name": "not_excluded", "title": _l("Not excluded by the meeting"), "permissions": DECIDED},
    ],
    "transitions": [
        {
            "trigger": "put_on_agenda",
            "title": _l("Put on the agenda"),
            "source": "proposed",
            "dest": "on_agenda",
            "guard": {EDITOR},
            "needs": ["meeting_id"],
            "conditions": ["meeting_is_upcoming", "city_is_member"],
            "effects": ["put_on_agenda"],
            "worklist": True,
        },
        # The decisions: offered (and possible) only once the meeting whose agenda it is on has been held.
        {
            "trigger": "exclude",
            "title": _l("Record the meeting's decision: excluded"),
            "source": "on_agenda",
            "dest": "excluded",
            "guard": {APPROVER},
            "needs": ["comment"],
            "offered_if": ["agenda_meeting_held"],
            "conditions": ["city_is_member"],
            "effects": ["record_decision"],
            "after": ["exclude_city"],
            # The status its follow-up gives the city (the repair redoes it after a crash in between).
            "city_status": "excluded",
            # The city leaves: its missing decisions on applications fall away (cms.operations.consents).
            "ends_membership": True,
            "records_meeting": True,
            "worklist": True,
        },
        {
            "trigger": "keep",
            "title": _l("Record the meeting's decision: not excluded"),
            "source": "on_agenda",
            "dest": "not_excluded",
            "guard": {APPROVER},
            "needs": ["comment"],
            "offered_if": ["agenda_meeting_held"],
            "effects": ["record_decision"],
            "records_meeting": True,
            "worklist": True,
        },
        # The meeting did not take it up: back to the secretariat, for a later meeting.
        {
            "trigger": "defer",
            "title": _l("Defer (not decided)"),
            "source": "on_agenda",
            "dest": "proposed",
            "guard": {APPROVER},
            "needs": ["comment"],
            "effects": ["clear_agenda"],
            "records_meeting": True,
        },
    ],
}
