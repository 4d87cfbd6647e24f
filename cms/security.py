"""The web layer's entry to the access policy: `can(user, permission, obj)` and its list queries.

The policy itself is in workflows/policy.py, next to the permission maps it
reads, so that the workflow engine asks the very same function.
"""

from workflows.policy import can, is_logged_in, permitted_query, roles_of, worklist_query

__all__ = ["can", "is_logged_in", "permitted_query", "roles_of", "worklist_query"]
