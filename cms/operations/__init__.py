"""The only functions that change what the CMS stores, by area, each beside the predicate that allows it.

Admin views, the API, the CLI and the scheduler all call these verbs; buttons
and the API's `allowed_actions` ask the `may_…` predicates, and each verb asks
its own predicate again (DCWorkflow's isActionSupported/doActionFor, Indico's
operations). Workflow transitions go through the engine (`workflows.engine`).
"""

import logging

from flask import has_request_context, request
from flask_babel import gettext as _

from cms import audit
from content_types.refusals import NotAllowed

log = logging.getLogger(__name__)


def refuse_unless(allowed: bool, user, item, what: str, **facts) -> None:
    """Raise NotAllowed unless `allowed`, recording the refusal: in the audit log, or for a read in the server's log."""
    if not allowed:
        if has_request_context() and request.method in ("GET", "HEAD"):
            # A read never writes, not even its refusal: it goes to the server's log.
            log.warning("refused %s to %s", what, getattr(user, "email", "anonymous"))
        else:
            audit.record("permission_denied", user, item, "refused", what=what, **facts)
        raise NotAllowed(_("You are not allowed to do this."))
