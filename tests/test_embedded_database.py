"""The embedded database: data survives a restart, and one process owns it while others join."""

import subprocess
import sys
import textwrap
from pathlib import Path

import mongoengine as me

from cms import create_app
from cms.database import close_embedded
from cms.embedded import PORT_FILE, EmbeddedDatabase
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
