"""The background worker of `cms serve`: fires due scheduled transitions, repairs, reminds, compiles digests."""

import logging
import threading

from cms import publication
from cms.mail import digest
from cms.operations import applications, consents, scheduling

log = logging.getLogger(__name__)


def run_once() -> tuple[list, list]:
    """Fire what is due, repair publications, settle/remind/drop applications, write digests; (fired, repaired)."""
    fired = scheduling.run_due()
    repaired = publication.repair()
    consents.settle_open()
    consents.remind_overdue()
    applications.drop_expired()
    digest.compile_due()
    return fired, repaired


def start_background(app, interval: float) -> threading.Thread:
    """Call run_once() every `interval` seconds in a daemon thread."""

    def loop():
        while True:
            try:
                with app.app_context():
                    run_once()
            except Exception:  # keep the scheduler alive across a database outage
                log.exception("scheduler run failed")
            threading.Event().wait(interval)

    thread = threading.Thread(target=loop, name="cms-scheduler", daemon=True)
    thread.start()
    return thread
