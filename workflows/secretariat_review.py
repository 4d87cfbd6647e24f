"""Circulars, news and newsletters: drafted, reviewed by the secretariat, published (circulars, newsletters sent)."""

from flask_babel import lazy_gettext as _l

from workflows.permissions import ADMIN, BEING_DRAFTED, BEING_REVIEWED, EDITOR, FROZEN_RELEASED, OWNER, REVIEWER

WORKFLOW = {
    "name": "secretariat_review",
    "title": _l("Secretariat review"),
    "initial": "draft",
    "states": [
        {"name": "draft", "title": _l("Draft"), "permissions": BEING_DRAFTED},
        {"name": "in_review", "title": _l("In review"), "permissions": BEING_REVIEWED},
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
        },
        # Publishing a circular is sending it: the recipients are recorded. A newsletter records the
        # news it carries, all of it public (its subscribers get it by mail).
        {
            "trigger": "publish",
            "title": _l("Publish"),
            "source": "in_review",
            "dest": "published",
            "notifies": ("owner",),
            "guard": {REVIEWER},
            "conditions": ["carries_only_public_news"],
            "effects": ["record_publication", "record_recipients", "record_news"],
            "worklist": True,
            "schedule": "publication",
        },
        # A circular the CMS writes itself to send an approved document (the
        # work plan, seed VII) goes out with it: nobody fires this by hand.
        {
            "trigger": "send",
            "title": _l("Send with the approved document"),
            "source": "draft",
            "dest": "published",
            "guard": {ADMIN},
            "offered_if": ["encloses_a_released_document"],
            "effects": ["record_publication", "record_recipients"],
            "sends_enclosure": True,
        },
        {
            "trigger": "archive",
            "title": _l("Archive"),
            "source": "published",
            "dest": "archived",
            "guard": {EDITOR, REVIEWER},
            "schedule": "expiry",
        },
    ],
}
