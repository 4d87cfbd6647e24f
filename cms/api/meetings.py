"""Meetings through the API: the next one, with host city, half-year and agenda."""

from flask import jsonify

from cms.api import blueprint
from cms.api.cities import serialize_city
from cms.api.content import serialize
from cms.auth import token_user
from cms.listing import meeting_documents, next_meeting


@blueprint.get("/meetings/next")
def read_next_meeting():
    """Return the next announced meeting the caller may see, or null."""
    user = token_user()
    meeting = next_meeting(user)
    if meeting is None:
        return jsonify({"meeting": None})
    documents = [
        {
            "id": str(entry["item"].pk) if entry["item"] else None,
            "title": entry["item"].title if entry["item"] else None,
            "type": str(entry["type"]),
            "state_title": str(entry["state"]),
            "decision": str(entry["decision"]),
        }
        for entry in meeting_documents(user, meeting)
    ]
    return jsonify(
        {
            "meeting": serialize(meeting, user)
            | {"host": serialize_city(meeting.host_city, False), "documents": documents}
        }
    )
