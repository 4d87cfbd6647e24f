"""A member city leaves (seed V): its written request, the secretariat informs all members, the withdrawal is done.

The request is filed by the city's representative (for their own city only)
or recorded by the secretariat with the letter attached. Informing the
members sends a numbered circular to every member city (cms.operations.circulars);
completing it makes the city `withdrawn` with the date, and its open decisions
on membership applications fall away (workflows.leaving).
"""

from flask_babel import lazy_gettext as _l

from workflows.permissions import ADMIN, DELETE, DOWNLOAD, EDITOR, HISTORY, MEMBER, MODIFY, VIEW, WORKING

# Once the members are informed, their representatives may read the request too.
KNOWN_TO_MEMBERS = {VIEW: WORKING | {MEMBER}, DOWNLOAD: WORKING | {MEMBER}, HISTORY: WORKING}

WORKFLOW = {
    "name": "withdrawal",
    "title": _l("Withdrawal"),
    "initial": "requested",
    "states": [
        # The representative who filed it sees it (as its author); only the secretariat changes it.
        {
            "name": "requested",
            "title": _l("Requested"),
            "permissions": {
                VIEW: WORKING,
                DOWNLOAD: WORKING,
                MODIFY: {EDITOR, ADMIN},
                DELETE: {EDITOR, ADMIN},
                HISTORY: WORKING,
            },
        },
        # Released: the circular that informed the members encloses it.
        {"name": "informed", "title": _l("Members informed"), "permissions": KNOWN_TO_MEMBERS, "released": True},
        {"name": "completed", "title": _l("Withdrawal completed"), "permissions": KNOWN_TO_MEMBERS, "released": True},
    ],
    "transitions": [
        {
            "trigger": "inform",
            "title": _l("Inform all member cities (circular)"),
            "source": "requested",
            "dest": "informed",
            "guard": {EDITOR},
            "conditions": ["city_is_member"],
            # The web layer writes and sends the circular once the step is committed (cms.publication).
            "informs_members": True,
            "worklist": True,
        },
        {
            "trigger": "complete",
            "title": _l("Complete the withdrawal"),
            "source": "informed",
            "dest": "completed",
            "guard": {EDITOR},
            "conditions": ["city_is_member"],
            "effects": ["record_withdrawal"],
            "after": ["withdraw_city"],
            # The status its follow-up gives the city (the repair redoes it after a crash in between).
            "city_status": "withdrawn",
            # The city leaves: its missing decisions on applications fall away (cms.operations.consents).
            "ends_membership": True,
            "worklist": True,
        },
    ],
}
