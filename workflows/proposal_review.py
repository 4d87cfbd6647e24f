"""A member city's proposal: it arrives in the secretariat's review, which takes it up or declines it (with why).

Only its author and the secretariat's staff ever see it: other member cities
don't, in any state (the secretariat makes it a work plan topic, an event or a
news item of its own, which follows that item's workflow).
"""

from flask_babel import lazy_gettext as _l

from workflows.permissions import (
    ADMIN,
    DELETE,
    DOWNLOAD,
    EDITOR,
    FROZEN_INTERNAL,
    HISTORY,
    MODIFY,
    REVIEWER,
    VIEW,
    WORKING,
)

WORKFLOW = {
    "name": "proposal_review",
    "title": _l("Proposal review"),
    "initial": "in_review",
    "states": [
        {
            "name": "in_review",
            "title": _l("In the secretariat's review"),
            # The author sent it: from now on the secretariat may correct it, the author only reads it.
            "permissions": {
                VIEW: WORKING,
                DOWNLOAD: WORKING,
                MODIFY: {EDITOR, ADMIN},
                DELETE: {ADMIN},
                HISTORY: WORKING,
            },
        },
        {"name": "taken_up", "title": _l("Taken up"), "permissions": FROZEN_INTERNAL},
        {"name": "declined", "title": _l("Declined"), "permissions": FROZEN_INTERNAL},
    ],
    "transitions": [
        {
            "trigger": "take_up",
            "title": _l("Take up"),
            "source": "in_review",
            "dest": "taken_up",
            "notifies": ("owner",),
            "guard": {EDITOR, REVIEWER},
            "worklist": True,
        },
        {
            "trigger": "decline",
            "title": _l("Decline"),
            "source": "in_review",
            "dest": "declined",
            "notifies": ("owner",),
            "guard": {EDITOR, REVIEWER},
            # The author reads why.
            "needs": ["comment"],
            "worklist": True,
        },
    ],
}
