"""Background work under any server: leases that let one process at a time run the scheduler and the mail sender."""

from datetime import timedelta

import pytest

from cms import background, leases, scheduler
from cms.config import ConfigError, parse_setting
from cms.mail import sender
from content_types.base import utcnow


def test_of_two_processes_one_takes_the_lease_and_the_other_only_once_it_ran_out(app):
    now = utcnow()
    assert leases.take("scheduler", "worker-1", 30, now)
    assert not leases.take("scheduler", "worker-2", 30, now + timedelta(seconds=29))
    # The holder renews it: still nobody else's 29 seconds after the renewal.
    assert leases.take("scheduler", "worker-1", 30, now + timedelta(seconds=20))
    assert not leases.take("scheduler", "worker-2", 30, now + timedelta(seconds=49))
    assert leases.holder_of("scheduler", now + timedelta(seconds=49)) == "worker-1"
    # The holder stopped renewing (it died): the next process takes over.
    assert leases.take("scheduler", "worker-2", 30, now + timedelta(seconds=51))
    assert not leases.take("scheduler", "worker-1", 30, now + timedelta(seconds=52))
    assert leases.holder_of("scheduler", now + timedelta(seconds=52)) == "worker-2"


def test_leases_of_different_work_are_independent_and_a_released_one_is_free_at_once(app):
    assert leases.take("scheduler", "worker-1", 60)
    assert leases.take("mail-sender", "worker-2", 60)
    assert not leases.take("mail-sender", "worker-1", 60)
    leases.release("mail-sender", "worker-1")  # not its lease: nothing happens
    assert leases.holder_of("mail-sender") == "worker-2"
    leases.release("mail-sender", "worker-2")
    assert leases.holder_of("mail-sender") is None
    assert leases.take("mail-sender", "worker-1", 60)


def test_a_lease_is_kept_between_steps_and_a_lost_one_stops_the_run(app):
    mine = leases.Lease("scheduler", 30, "worker-1")
    assert not mine.keep()  # never taken
    assert mine.take() and mine.keep()
    # Another process took it over (say this one hung past its lease): the next keep() sees it.
    leases._collection().update_one({"_id": "scheduler"}, {"$set": {"holder": "worker-2"}})
    mine._renewed_at -= 11  # a third of the lease has passed: keep() asks the database
    assert not mine.keep()
    assert leases.holder_of("scheduler") == "worker-2"


def test_the_scheduler_and_the_sender_stop_when_asked_between_steps(app, monkeypatch):
    ran = []
    monkeypatch.setattr(scheduler.scheduling, "run_due", lambda: ran.append("run_due") or [("x", "publish")])
    monkeypatch.setattr(scheduler.publication, "repair", lambda: ran.append("repair") or ["y"])
    answers = iter([True, False])
    assert scheduler.run_once(keep_going=lambda: next(answers)) == ([("x", "publish")], [])
    assert ran == ["run_due"]
    claimed = []
    monkeypatch.setattr(sender, "_claim", lambda *args: claimed.append(args))
    with app.app_context():
        assert sender.deliver_due(keep_going=lambda: False).sent == [] and claimed == []


def test_background_work_can_be_switched_off_per_process(app_factory):
    assert background.start(app_factory(CMS_BACKGROUND=False)) == []
    assert background.start(app_factory(CMS_SCHEDULER_SECONDS=0, CMS_MAIL_SECONDS=0)) == []
    assert parse_setting("CMS_BACKGROUND", "off") is False and parse_setting("CMS_BACKGROUND", "yes") is True
    with pytest.raises(ConfigError, match="CMS_BACKGROUND"):
        parse_setting("CMS_BACKGROUND", "sometimes")
    with pytest.raises(ConfigError, match="CMS_BACKGROUND_LEASE_SECONDS"):
        app_factory(CMS_BACKGROUND_LEASE_SECONDS=0)
