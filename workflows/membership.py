"""Joining the alliance (seed V): received, circulated, decided by all member cities, signed, notified, announced.

The application is accepted only with the written consent of every city that
was a member when it was circulated (that set is frozen on the item); one
objection rejects it. Nobody fires `accept` or `reject` by hand in the normal
course: recording a decision asks the engine to (cms.operations.consents), and
an admin can fire them where the decisions already say so (a repair).
"""

from flask_babel import lazy_gettext as _l

from workflows.permissions import (
    ADMIN,
    DECIDE,
    DELETE,
    DOWNLOAD,
    EDITOR,
    HISTORY,
    MEMBER,
    MODIFY,
    OWNER,
    VIEW,
    WORKING,
)

# The secretariat and the consulted cities' representatives (the item's audience) read it; nobody edits it.
CIRCULATED = {VIEW: WORKING | {MEMBER}, DOWNLOAD: WORKING | {MEMBER}, HISTORY: WORKING}

WORKFLOW = {
    "name": "membership",
    "title": _l("Membership application"),
    "initial": "received",
    "states": [
        {
            "name": "received",
            "title": _l("Received"),
            "permissions": {
                VIEW: WORKING,
                DOWNLOAD: WORKING,
                MODIFY: {OWNER, EDITOR, ADMIN},
                DELETE: {EDITOR, ADMIN},
                HISTORY: WORKING,
            },
        },
        # Each consulted city's representatives record its decision (DECIDE, restricted to the item's audience).
        {"name": "consultation", "title": _l("In consultation"), "permissions": {**CIRCULATED, DECIDE: {MEMBER}}},
        {"name": "accepted", "title": _l("Accepted"), "permissions": CIRCULATED},
        {"name": "rejected", "title": _l("Rejected"), "permissions": CIRCULATED},
        {"name": "declaration_signed", "title": _l("Declaration signed"), "permissions": CIRCULATED},
        {"name": "notified", "title": _l("Notified"), "permissions": CIRCULATED},
        {"name": "announced", "title": _l("Announced, member"), "permissions": CIRCULATED},
    ],
    "transitions": [
        {
            "trigger": "circulate",
            "title": _l("Circulate to the member cities"),
            "source": "received",
            "dest": "consultation",
            "notifies": ("consulted",),
            "guard": {EDITOR},
            "conditions": ["applicant_may_join", "there_are_member_cities"],
            "effects": ["freeze_consulted_cities"],
            "after": ["make_applicant"],
            # The status its follow-up gives the city (the repair redoes it after a crash in between).
            "city_status": "applicant",
            "worklist": True,
        },
        # Fired by the engine when the last consulted city consents (and offered to admins only then).
        {
            "trigger": "accept",
            "title": _l("Accept (every consulted city consented)"),
            "source": "consultation",
            "dest": "accepted",
            "notifies": ("decided",),
            "guard": {ADMIN},
            "offered_if": ["all_consented"],
            "settled_by_decisions": True,
        },
        {
            "trigger": "reject",
            "title": _l("Reject (a consulted city objected)"),
            "source": "consultation",
            "dest": "rejected",
            "notifies": ("decided",),
            "guard": {ADMIN},
            "offered_if": ["a_city_objected"],
            "settled_by_decisions": True,
            "effects": ["record_objection"],
            "after": ["give_back_city_status"],
        },
        # The signed declaration is uploaded and this step fired together (cms.operations.membership).
        {
            "trigger": "sign",
            "title": _l("Record the signed declaration"),
            "source": "accepted",
            "dest": "declaration_signed",
            "guard": {EDITOR},
            "needs": ["attachment_id"],
            "conditions": ["attachment_is_this_item_s"],
            "effects": ["record_declaration"],
            "worklist": True,
            "with_upload": "signed_declaration",
        },
        # The notification letter is written (a PDF in the city's languages) and this step fired together.
        {
            "trigger": "notify",
            "title": _l("Send the formal notification"),
            "source": "declaration_signed",
            "dest": "notified",
            "guard": {EDITOR},
            "needs": ["attachment_id"],
            "conditions": ["attachment_is_this_item_s"],
            "effects": ["record_notification_letter"],
            "worklist": True,
            "with_upload": "notification_letter",
        },
        {
            "trigger": "announce",
            "title": _l("Announce at the meeting"),
            "source": "notified",
            "dest": "announced",
            "guard": {EDITOR},
            "needs": ["meeting_id"],
            "conditions": ["meeting_follows_the_notification"],
            "effects": ["record_announcement"],
            "after": ["make_member"],
            # The status its follow-up gives the city (the repair redoes it after a crash in between).
            "city_status": "member",
            "worklist": True,
        },
    ],
}
