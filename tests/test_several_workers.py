"""Two gunicorn workers on one embedded database: a scheduled publication, a circular, nothing done twice."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from bson import ObjectId
from pymongo import MongoClient

from cms.database import DATABASE_NAME
from cms.embedded import EmbeddedDatabase
from content_types.base import utcnow
from tests.mail_support import SmtpServer

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Vorsicht-Kamel-Tee-42"
CONTACTS = {
    "Foshan": ["li@foshan.example", "wang@foshan.example"],
    "Aachen": ["anna@aachen.example"],
    "Wuppertal": ["ben@wuppertal.example"],
}
# What the site holds before the workers start: accounts, contact persons, an approved work plan (published
# when its schedule comes due, and then sent as a circular) and a circular in review (published through a worker).
SETUP = """
import json, sys
from cms import create_app
from cms.operations.accounts import create_account
from cms.seed_data import seed_cities
from content_types import Circular, MemberCity, WorkPlan
from content_types.city import Contact
from workflows import engine

contacts, password = json.loads(sys.argv[1]), sys.argv[2]
app = create_app()
with app.app_context():
    seed_cities()
    roles = ("editor", "reviewer", "approver")
    users = {role: create_account(f"{role}@test.example", password, [role]) for role in roles}
    for name, emails in contacts.items():
        city = MemberCity.objects.get(name_de=name)
        city.contacts = [Contact(name=email.split("@")[0], email=email) for email in emails]
        city.save()
    plan = WorkPlan(title="Arbeitsplan 2027", language="de", year=2027)
    plan.owner = users["editor"]
    engine.initialize(plan)
    plan.save_revision()
    # The meeting's approval is not what this test is about: the plan is put into its approved state directly.
    approved = {"state": "approved", "approved_revision": plan.revision}
    WorkPlan._get_collection().update_one({"_id": plan.pk}, {"$set": approved})
    circular = Circular(title="Rundschreiben Jahrestreffen", subject="Einladung zum Jahrestreffen", language="de")
    circular.owner = users["editor"]
    engine.initialize(circular)
    circular.assign_number()
    circular.save_revision()
    engine.fire(users["editor"], circular, "submit")
    print(json.dumps({"plan": str(plan.pk), "circular": str(circular.pk)}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _wait_for(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def _answers(base: str) -> bool:
    try:
        return _call(base, "GET", "/api/v1/health") is not None
    except OSError:
        return False


@pytest.fixture
def smtp():
    """A real SMTP server on loopback, stopped afterwards."""
    server = SmtpServer().start()
    yield server
    server.stop()


def test_two_gunicorn_workers_publish_on_schedule_once_and_send_every_mail_once(tmp_path, smtp):
    data_dir = tmp_path / "data"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")} | {
        "CMS_DATA_DIR": str(data_dir),
        "CMS_SECRET_KEY": "several-workers-secret-0123456789",
        "CMS_MAIL_SERVER": "127.0.0.1",
        "CMS_MAIL_PORT": str(smtp.port),
        "CMS_SCHEDULER_SECONDS": "1",
        "CMS_MAIL_SECONDS": "0.5",
        "CMS_BACKGROUND_LEASE_SECONDS": "5",
    }
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, json.dumps(CONTACTS), PASSWORD],
        env=environment | {"CMS_BACKGROUND": "false"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert setup.returncode == 0, setup.stderr
    ids = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}"]
            # Its control socket defaults to one path per user: tests running side by side would share it.
            + ["--no-control-socket", "wsgi:app"],
            env=environment,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    database = client = None
    try:
        _wait_for(lambda: _answers(base), "gunicorn answers")
        database = EmbeddedDatabase(data_dir)
        database.open()
        assert not database.owner  # a worker owns it; this test is one more client
        client = MongoClient(database.uri(DATABASE_NAME), tz_aware=False)
        db = client[DATABASE_NAME]

        tokens = {
            role: _call(base, "POST", "/api/v1/auth/token", {"email": f"{role}@test.example", "password": PASSWORD})[
                "token"
            ]
            for role in ("approver", "reviewer")
        }
        due = (utcnow() + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        scheduled = _call(
            base, "POST", f"/api/v1/content/{ids['plan']}/schedule", {"publish_at": due}, tokens["approver"]
        )
        assert scheduled["publish_at"] == due and scheduled["state"] == "approved"
        published = _call(base, "POST", f"/api/v1/content/{ids['circular']}/workflow/publish", {}, tokens["reviewer"])
        assert published["state"] == "published"

        contacts = [email for emails in CONTACTS.values() for email in emails]
        _wait_for(
            lambda: db.content.count_documents({"_id": ObjectId(ids["plan"]), "state": "published"}) == 1,
            "the scheduled work plan is published",
        )
        # Both publications went to every contact person: wait until the outbox is empty and those mails arrived.
        _wait_for(
            lambda: (
                db.outbox.count_documents({"status": {"$ne": "sent"}}) == 0
                and len([1 for recipient in smtp.inbox.recipients() if recipient in contacts]) >= 2 * len(contacts)
            ),
            "every mail sent",
        )
        # Several more runs of both workers' scheduler and sender: nothing more may happen.
        time.sleep(3)

        for item in ("plan", "circular"):
            stored = db.content.find_one({"_id": ObjectId(ids[item])})
            assert stored["state"] == "published" and not stored.get("publication_pending")
            assert [entry["to_state"] for entry in stored["history"]].count("published") == 1, stored["history"]
            assert db.published_versions.count_documents({"item": stored["_id"]}) == 1
        outbox = list(db.outbox.find())
        assert outbox and {message["status"] for message in outbox} == {"sent"}
        assert {message["attempts"] for message in outbox} == {1}
        received = Counter((recipient, message["Message-ID"]) for recipient, message in smtp.inbox.messages)
        assert set(received.values()) == {1} and len(received) == len(outbox)
        for contact in contacts:
            subjects = [message["Subject"] for message in smtp.inbox.to(contact)]
            assert len(subjects) == 2 and len(set(subjects)) == 2, (contact, subjects)
        # One worker held each lease (the same or not), and every mail left through the sender's.
        holders = {lease["_id"]: lease["holder"].split(":")[1] for lease in db.background_leases.find()}
        assert set(holders) == {"scheduler", "mail-sender"} and set(holders.values()) <= _worker_pids(server.pid)
        assert {message["claimed_by"].split(":")[1] for message in outbox} == {holders["mail-sender"]}
    finally:
        if client is not None:
            client.close()
        if database is not None:
            database.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    output = log.read_text()
    assert server.returncode == 0 and "Traceback" not in output, output


def _worker_pids(master: int) -> set[str]:
    """Return the process ids of gunicorn's workers (the master's children)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return set(children)
