"""A meeting: planned, announced to the members with its agenda, held, minutes published."""

from flask_babel import lazy_gettext as _l

from workflows.permissions import (
    ADMIN,
    BEING_DRAFTED,
    DOWNLOAD,
    EDITOR,
    FROZEN_RELEASED,
    HISTORY,
    MODIFY,
    RELEASED,
    VIEW,
    WORKING,
)

WORKFLOW = {
    "name": "meeting_lifecycle",
    "title": _l("Meeting"),
    "initial": "planned",
    "states": [
        # Upcoming: the meeting can still take items onto its agenda.
        {"name": "planned", "title": _l("Planned"), "permissions": BEING_DRAFTED, "upcoming": True},
        # Announced: members (and the public, if marked) see the agenda; the secretariat keeps it current.
        {
            "name": "announced",
            "title": _l("Announced"),
            "permissions": {VIEW: RELEASED, DOWNLOAD: RELEASED, MODIFY: {EDITOR, ADMIN}, HISTORY: WORKING},
            "upcoming": True,
            "released": True,
        },
        # Held: what was on its agenda can now be approved.
        {
            "name": "held",
            "title": _l("Held"),
            "permissions": {VIEW: RELEASED, DOWNLOAD: RELEASED, MODIFY: {EDITOR, ADMIN}, HISTORY: WORKING},
            "released": True,
            "held": True,
        },
        {
            "name": "minutes_published",
            "title": _l("Minutes published"),
            "permissions": FROZEN_RELEASED,
            "released": True,
            "held": True,
        },
    ],
    "transitions": [
        {
            "trigger": "announce",
            "title": _l("Announce"),
            "source": "planned",
            "dest": "announced",
            "notifies": ("members",),
            "guard": {EDITOR},
        },
        {
            "trigger": "hold",
            "title": _l("Mark as held"),
            "source": "announced",
            "dest": "held",
            "guard": {EDITOR},
            # The seed's meetings happen on their date: not marked held (nor offered) before it, in the host's calendar.
            "offered_if": ["meeting_has_begun"],
            "worklist": True,
        },
        {
            "trigger": "publish_minutes",
            "title": _l("Publish the minutes"),
            "source": "held",
            "dest": "minutes_published",
            "guard": {EDITOR},
            "effects": ["record_publication"],
            "worklist": True,
        },
    ],
}
