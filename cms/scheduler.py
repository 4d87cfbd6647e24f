"""The scheduler's run: fires due scheduled transitions, repairs, settles and reminds, compiles digests.

cms.background runs it in one process of the installation at a time.
"""

from collections.abc import Callable

from cms import publication
from cms.mail import digest
from cms.operations import applications, consents, scheduling


def run_once(keep_going: Callable[[], bool] = lambda: True) -> tuple[list, list]:
    """Fire what is due, repair publications, settle/remind/drop applications, write digests; (fired, repaired).

    `keep_going` is asked before each step: a run whose lease was lost stops there.
    """
    fired, repaired = [], []
    steps = (
        lambda: fired.extend(scheduling.run_due()),
        lambda: repaired.extend(publication.repair()),
        consents.settle_open,
        consents.remind_overdue,
        applications.drop_expired,
        digest.compile_due,
    )
    for step in steps:
        if not keep_going():
            break
        step()
    return fired, repaired
