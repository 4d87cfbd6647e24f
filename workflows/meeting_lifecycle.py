"""A meeting: planned, announced to the members with its agenda, held, minutes published."""

from flask_babel import lazy_gettext as _l

from workflows.permissions import (
    ADMIN, DELETE, DOWNLOAD, EDITOR, MEMBER, MODIFY, OWNER, PUBLIC, STAFF, VIEW, WORKING,
)

WORKFLOW = {
    "name": "meeting_lifecycle",
    "title": _l("Meeting"),
    "initial": "planned",
    "states": [
        {"name": "planned", "title": _l("Planned"),
         "permissions": {VIEW: WORKING, DOWNLOAD: WORKING, MODIFY: {OWNER, EDITOR, ADMIN}, DELETE: {OWNER, EDITOR, ADMIN}}},
        {"name": "announced", "title": _l("Announced"),
         "permissions": {VIEW: STAFF | {OWNER, MEMBER, PUBLIC}, DOWNLOAD: STAFF | {OWNER, MEMBER, PUBLIC},
                         MODIFY: {EDITOR, ADMIN}}},
        {"name": "held", "title": _l("Held"),
         "permissions": {VIEW: STAFF | {OWNER, MEMBER, PUBLIC}, DOWNLOAD: STAFF | {OWNER, MEMBER, PUBLIC},
                         MODIFY: {EDITOR, ADMIN}}},
        {"name": "minutes_published", "title": _l("Minutes published"),
         "permissions": {VIEW: STAFF | {OWNER, MEMBER, PUBLIC}, DOWNLOAD: STAFF | {OWNER, MEMBER, PUBLIC}}},
    ],
    "transitions": [
        {"trigger": "announce", "title": _l("Announce"), "source": "planned", "dest": "announced",
         "guard": {EDITOR}},
        {"trigger": "hold", "title": _l("Mark as held"), "source": "announced", "dest": "held",
         "guard": {EDITOR}, "worklist": True},
        {"trigger": "publish_minutes", "title": _l("Publish the minutes"), "source": "held",
         "dest": "minutes_published", "guard": {EDITOR}, "effects": ["record_publication"], "worklist": True},
    ],
}
