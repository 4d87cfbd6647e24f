"""Every item stays a draft: the placeholder until the real workflows are defined."""

from flask_babel import lazy_gettext as _l

from workflows.permissions import ADMIN, APPROVER, DELETE, DOWNLOAD, EDITOR, MODIFY, OWNER, REVIEWER, VIEW

WORKFLOW = {
    "name": "single_state",
    "title": _l("Draft only"),
    "initial": "draft",
    "states": [
        {"name": "draft", "title": _l("Draft"),
         "permissions": {
             VIEW: {OWNER, EDITOR, REVIEWER, APPROVER, ADMIN},
             DOWNLOAD: {OWNER, EDITOR, REVIEWER, APPROVER, ADMIN},
             MODIFY: {OWNER, EDITOR, ADMIN},
             DELETE: {OWNER, EDITOR, ADMIN},
         }},
    ],
    "transitions": [],
}
