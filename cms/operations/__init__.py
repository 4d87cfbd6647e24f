"""The only functions that change what the CMS stores, by area, each beside the predicate that allows it.

Admin views, the API, the CLI and the scheduler all call these verbs; buttons
and the API's `allowed_actions` ask the `may_…` predicates, and each verb asks
its own predicate again (DCWorkflow's isActionSupported/doActionFor, Indico's
operations). Workflow transitions go through the engine (`workflows.engine`).
"""

from flask_babel import gettext as _

from cms import audit
from content_types.refusals import NotAllowed


def refuse_unless(allowed: bool, user, item, what: str) -> None:
    """Raise NotAllowed, recorded in the audit log, unless `allowed`."""
    if not allowed:
        audit.record("permission_denied", user, item, what)
        raise NotAllowed(_("You are not allowed to do this."))
