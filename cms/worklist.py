"""Which items wait for a user: those where a worklist transition is open to their site roles."""

from cms.security import permitted_query, roles_of
from content_types import CONTENT_TYPES
from workflows import sources_of, workflow_for
from workflows.permissions import ADMIN


def worklist_query(user) -> dict:
    """Return a MongoDB filter for the items waiting for `user` to review, approve or publish."""
    roles = roles_of(user)
    clauses = []
    for type_name, cls in CONTENT_TYPES.items():
        states = sorted(
            {
                source
                for transition in workflow_for(type_name)["transitions"]
                if transition.get("worklist") and (ADMIN in roles or roles & set(transition["guard"]))
                for source in sources_of(transition)
            }
        )
        if states:
            clauses.append({"_cls": cls._class_name, "state": {"$in": states}})
    if not clauses:
        return {"_id": {"$in": []}}
    return {"$and": [permitted_query(user), {"$or": clauses}]}
