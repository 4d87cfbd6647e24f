"""Drafted by the secretariat, reviewed, put on a meeting's agenda, approved there, published.

The seed (VII): the work plan is "auf dem Jahrestreffen final gebilligt und
anschließend in Form eines Rundschreibens an alle Mitgliedstädte versandt".
"""

from flask_babel import lazy_gettext as _l

from workflows.permissions import (
    ADMIN,
    APPROVER,
    BEING_DRAFTED,
    BEING_REVIEWED,
    DOWNLOAD,
    EDITOR,
    FROZEN_INTERNAL,
    FROZEN_RELEASED,
    HISTORY,
    MODIFY,
    OWNER,
    REVIEWER,
    VIEW,
    WORKING,
)

WORKFLOW = {
    "name": "meeting_approval",
    "title": _l("Approval at the annual meeting"),
    "initial": "draft",
    "states": [
        {"name": "draft", "title": _l("Draft"), "permissions": BEING_DRAFTED},
        {"name": "in_review", "title": _l("In review"), "permissions": BEING_REVIEWED},
        # Editable by the secretariat until the meeting; any change after
        # acceptance must be reviewed again (the approval condition checks it).
        {
            "name": "on_agenda",
            "title": _l("On the meeting's agenda"),
            "permissions": {VIEW: WORKING, DOWNLOAD: WORKING, MODIFY: {EDITOR, ADMIN}, HISTORY: WORKING},
        },
        # What the meeting approved is frozen.
        {"name": "approved", "title": _l("Approved by the meeting"), "permissions": FROZEN_INTERNAL},
        # Released: listed for its readers. Versioned: arriving here freezes a
        # published version, and the item is revised through a working copy.
        {
            "name": "published",
            "title": _l("Published"),
            "permissions": FROZEN_RELEASED,
            "released": True,
            "versioned": True,
        },
        {"name": "archived", "title": _l("Archived"), "permissions": FROZEN_RELEASED, "released": True},
    ],
    "transitions": [
        {
            "trigger": "submit",
            "title": _l("Submit for review"),
            "source": "draft",
            "dest": "in_review",
            "notifies": ("next",),
            "guard": {OWNER, EDITOR},
            # A draft waits for the secretariat's editors to finish and submit it.
            "worklist": True,
        },
        {
            "trigger": "retract",
            "title": _l("Retract"),
            "source": "in_review",
            "dest": "draft",
            "guard": {OWNER},
            "needs": ["comment"],
        },
        {
            "trigger": "reject",
            "title": _l("Send back"),
            "source": "in_review",
            "dest": "draft",
            "notifies": ("owner",),
            "guard": {REVIEWER},
            "needs": ["comment"],
            "worklist": True,
            "effects": ["clear_agenda"],
        },
        {
            "trigger": "accept",
            "title": _l("Put on the agenda"),
            "source": "in_review",
            "dest": "on_agenda",
            "notifies": ("next",),
            "guard": {REVIEWER},
            "needs": ["meeting_id"],
            "conditions": ["meeting_is_upcoming"],
            "effects": ["put_on_agenda"],
            "worklist": True,
        },
        # DESIGN.md (Languages): a meeting approves a text, not a language. The
        # translation of an approved revision is certified by a reviewer and
        # released under the same approval; a change beyond that text goes
        # back through a meeting (accept, approve).
        {
            "trigger": "certify",
            "title": _l("Certify as the translation of the approved text"),
            "source": "in_review",
            "dest": "approved",
            "notifies": ("owner", "next"),
            "guard": {REVIEWER},
            "offered_if": ["translates_the_approved_text"],
            "effects": ["record_certified_approval"],
            "records_meeting": True,
            "worklist": True,
        },
        {
            "trigger": "defer",
            "title": _l("Defer (not approved)"),
            "source": "on_agenda",
            "dest": "draft",
            "notifies": ("owner",),
            "guard": {APPROVER},
            "needs": ["comment"],
            "effects": ["clear_agenda"],
            "records_meeting": True,
            "worklist": True,
        },
        {
            "trigger": "approve",
            "title": _l("Record the meeting's approval"),
            "source": "on_agenda",
            "dest": "approved",
            "notifies": ("owner", "next"),
            "guard": {APPROVER},
            # Offered once the meeting has been held; the text must still be the one accepted.
            "offered_if": ["agenda_meeting_held"],
            "conditions": ["unchanged_since_acceptance"],
            "effects": ["record_approval"],
            "records_meeting": True,
            "worklist": True,
        },
        {
            "trigger": "publish",
            "title": _l("Publish"),
            "source": "approved",
            "dest": "published",
            "notifies": ("owner",),
            "guard": {APPROVER},
            "conditions": ["unchanged_since_approval"],
            "effects": ["record_publication"],
            "after": ["archive_replaced"],
            "worklist": True,
            "schedule": "publication",
        },
        {
            "trigger": "archive",
            "title": _l("Archive"),
            "source": "published",
            "dest": "archived",
            "guard": {EDITOR, APPROVER},
            "schedule": "expiry",
        },
    ],
}
