"""The embedded database: data survives a restart, and one process owns it while others join."""

import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import mongoengine as me
import pymongo
import pytest

from cms import create_app
from cms.database import close_embedded
from cms.embedded import CREDENTIALS_FILE, DATABASE_FILE, LOCK_FILE, PORT_FILE, EmbeddedDatabase
from cms.seed_data import seed_cities
from content_types import MemberCity

ROOT = Path(__file__).resolve().parent.parent


def _embedded_app(data_dir):
    return create_app({"TESTING": True, "SECRET_KEY": "k" * 32, "CMS_MONGODB_URI": None, "CMS_DATA_DIR": str(data_dir)})


def test_data_survives_an_app_restart(tmp_path):
    app = _embedded_app(tmp_path)
    try:
        assert app.test_client().get("/api/v1/health").get_json()["database"] == "embedded"
        with app.app_context():
            seed_cities()
            MemberCity.objects(name_de="Bonn").update_one(set__status="member")
    finally:
        me.disconnect()
        close_embedded(str(tmp_path))
    assert not (tmp_path / PORT_FILE).exists()
    _embedded_app(tmp_path)  # a new app on the same data directory
    try:
        assert MemberCity.objects.count() == 22
        assert MemberCity.objects.get(name_de="Bonn").status == "member"
    finally:
        me.disconnect()
        close_embedded(str(tmp_path))


def test_a_second_process_joins_the_owner(tmp_path):
    """Another process (a second WSGI worker, a CLI beside `cms serve`) uses the owner's server."""
    owner = EmbeddedDatabase(tmp_path)
    port = owner.open()
    try:
        script = textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            from cms.embedded import EmbeddedDatabase
            joined = EmbeddedDatabase({str(tmp_path)!r})
            print(joined.open(wait=10), joined.owner)
        """)
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [str(port), "False"]
    finally:
        owner.close()


def test_the_next_process_takes_over_after_the_owner_stops(tmp_path):
    first = EmbeddedDatabase(tmp_path)
    first.open()
    first.close()
    second = EmbeddedDatabase(tmp_path)
    try:
        second.open()
        assert second.owner
    finally:
        second.close()


def test_a_joined_process_follows_the_database_when_its_owner_dies(tmp_path):
    """A second `cms serve` answers 503 while nobody owns the database, then owns it and answers again."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from cms.embedded import EmbeddedDatabase
        owner = EmbeddedDatabase({str(tmp_path)!r})
        print(owner.open(), flush=True)
        sys.stdin.read()
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        int(owner.stdout.readline())
        app = _embedded_app(tmp_path)
        client = app.test_client()
        with app.app_context():
            seed_cities()
        assert client.get("/api/v1/cities").status_code == 200
        owner.kill()  # dies without closing anything
        owner.wait(timeout=10)
        # (Each asks for other cities: an answer given before may come from the cache.)
        assert client.get("/api/v1/cities?country=DE").status_code == 503  # this request finds it gone ...
        recovered = client.get("/api/v1/cities?country=CN")  # ... the next is answered by this process's own server
        assert recovered.status_code == 200 and len(recovered.get_json()["items"]) == 11
        assert (tmp_path / PORT_FILE).read_text() != ""
    finally:
        if owner.poll() is None:
            owner.kill()
        owner.stdout.close()
        owner.stdin.close()
        me.disconnect()
        close_embedded(str(tmp_path))


def test_only_the_cms_s_own_user_can_use_the_embedded_database(tmp_path):
    """No other local user can read the files or talk to the server without the installation's password."""
    data = tmp_path / "data"
    database = EmbeddedDatabase(data)
    database.open()
    try:
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        for name in (DATABASE_FILE, PORT_FILE, CREDENTIALS_FILE, LOCK_FILE):
            assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
        anonymous = pymongo.MongoClient(f"mongodb://127.0.0.1:{database.port}/", serverSelectionTimeoutMS=2000)
        with pytest.raises(pymongo.errors.OperationFailure):
            anonymous.alliance.users.find_one()
        guessing = pymongo.MongoClient(database.uri("alliance").replace(database.password, "guess"))
        with pytest.raises(pymongo.errors.OperationFailure):
            guessing.alliance.users.find_one()
        owner = pymongo.MongoClient(database.uri("alliance"), serverSelectionTimeoutMS=2000)
        owner.alliance.users.insert_one({"email": "x@test.example"})
        assert owner.alliance.users.count_documents({}) == 1
        for client in (anonymous, guessing, owner):
            client.close()
    finally:
        database.close()
    assert all(stat.S_IMODE(path.stat().st_mode) & 0o077 == 0 for path in data.iterdir())


def _announce_a_huge_body(port: int) -> bytes:
    # 200 MB announced, nothing sent: the server must answer at once rather than wait for it.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(
            b"POST /api/v1/content/000000000000000000000000/attachments HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 209715200\r\n\r\n"
        )
        return connection.recv(200)


def test_cms_serve_refuses_huge_bodies_at_once_and_stops_cleanly_on_sigterm(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "CMS_DATA_DIR": str(tmp_path), "CMS_SCHEDULER_SECONDS": "0"}
    environment.pop("CMS_MONGODB_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-c", "from cms.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        assert (tmp_path / PORT_FILE).exists()
        started = time.monotonic()
        assert b" 413 " in _announce_a_huge_body(port).split(b"\r\n")[0] + b" "
        assert time.monotonic() - started < 3
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
        stderr = server.stderr.read()
        server.stderr.close()
    assert not (tmp_path / PORT_FILE).exists(), stderr
    wal = tmp_path / (DATABASE_FILE + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, stderr  # checkpointed and closed


def test_the_search_index_is_rebuilt_in_batches_the_embedded_database_can_answer(tmp_path):
    # Its SQL refuses an `$in` of 500 ids (an expression deeper than SQLite's 1,000 nodes): the rebuild
    # reads the items and their attachments in smaller batches.
    from cms import search
    from content_types import News

    app = _embedded_app(tmp_path)
    try:
        with app.app_context():
            News._get_collection().insert_many(
                [News(title=f"Nachricht {n}", state="published", revision=1).to_mongo() for n in range(600)]
            )
            assert search.rebuild() == 600
    finally:
        me.disconnect()
        close_embedded(str(tmp_path))
