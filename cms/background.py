"""The background work — the scheduler and the mail sender — under any server, run by one process at a time.

Every process that serves the CMS (`cms serve`, each gunicorn worker importing
wsgi.py) starts two daemon threads when CMS_BACKGROUND is on. Before each run a
thread takes its lease in the database (cms.leases) and renews it between the
run's steps; a thread that can't get it sleeps until the next interval. So
however many workers there are, one runs the scheduler and one sends mail, and
when that process stops, another takes over once its lease has run out.

The mail sender is under a lease too, although each message is claimed by a
compare-and-set and several senders would never send one twice: one sender
keeps one SMTP connection for the installation (mail servers throttle and
blocklist clients that open many), sends oldest first, and spares the
database one polling query per worker every CMS_MAIL_SECONDS; the claim stays
as the guard for `cms send-mail` beside a server and for a lease that ran out
mid-run. The two leases are separate, so a long scheduler run (rendering PDFs
for many publications) never holds the mail back.
"""

import logging
import threading

from cms import leases, scheduler
from cms.mail import sender

log = logging.getLogger(__name__)
SCHEDULER = "scheduler"
MAIL_SENDER = "mail-sender"
# Every process's stop signal, set at interpreter exit: no run starts a new step after it.
_stopping = threading.Event()
_holder = leases.process_holder()
_held: list[leases.Lease] = []
_release_registered = False


def _run_scheduler(lease: leases.Lease) -> None:
    scheduler.run_once(keep_going=lambda: not _stopping.is_set() and lease.keep())


def _run_sender(lease: leases.Lease) -> None:
    sender.deliver_due(keep_going=lambda: not _stopping.is_set() and lease.keep())


def _loop(app, name: str, interval: float, run) -> None:
    lease = leases.Lease(name, app.config["CMS_BACKGROUND_LEASE_SECONDS"], _holder)
    _held.append(lease)
    while not _stopping.is_set():
        try:
            with app.app_context():
                if lease.take():
                    run(lease)
        except Exception:  # keep the thread alive across a database outage
            log.exception("background %s run failed", name)
        _stopping.wait(interval)


def start(app) -> list[threading.Thread]:
    """Start this process's scheduler and mail sender threads, unless CMS_BACKGROUND is off; return them."""
    if not app.config["CMS_BACKGROUND"]:
        return []
    threads = []
    for name, interval, run in (
        (SCHEDULER, app.config["CMS_SCHEDULER_SECONDS"], _run_scheduler),
        (MAIL_SENDER, app.config["CMS_MAIL_SECONDS"], _run_sender),
    ):
        if interval:
            thread = threading.Thread(target=_loop, args=(app, name, interval, run), name=f"cms-{name}", daemon=True)
            thread.start()
            threads.append(thread)
    if threads and not _release_registered:
        _register_release(app)
    return threads


def _register_release(app) -> None:
    global _release_registered
    _release_registered = True

    def release():
        # Registered after the embedded database's close (create_app opened it) and so run before it:
        # the next process takes over at once instead of when the leases run out.
        _stopping.set()
        try:
            with app.app_context():
                for lease in _held:
                    lease.release()
        except Exception:  # the database is gone already: the leases simply run out
            log.warning("background leases not released at exit; they run out by themselves")

    threading._register_atexit(release)
