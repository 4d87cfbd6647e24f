"""`cms migrate`: numbered migrations applied in order, each once, recorded; old data shapes brought up to date."""

import threading
import types

import mongoengine as me
import pytest
from bson import ObjectId

from cms import cli, migrations
from cms.migrations import command


def old_meeting(**fields):
    """A meeting as stored before the half-year claim (each its own translation group)."""
    return {"_cls": "Content.Meeting", "title": "Treffen", "language": "de", "translation_group": ObjectId(), **fields}


@pytest.fixture
def db(app):
    """The suite's pymongo database (emptied after the test like every collection a test writes)."""
    return me.connection.get_db()


def fake(number, name, apply, doc="A migration for the test."):
    """Return a Migration whose module is made here rather than imported."""
    module = types.ModuleType(f"{number:04d}_{name}", doc)
    module.apply = apply
    return migrations.Migration(number, f"{number:04d}_{name}", module)


def records(db):
    return {record["_id"]: record for record in db[migrations.COLLECTION].find()}


def test_the_shipped_migrations_are_numbered_from_one_without_gaps_and_documented():
    found = migrations.load()
    assert [migration.number for migration in found] == list(range(1, len(found) + 1))
    assert all(migration.summary and callable(migration.module.apply) for migration in found)


def _package(tmp_path, monkeypatch, name, modules):
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module in modules:
        (package / f"{module}.py").write_text('"""Does something."""\n\ndef apply(db):\n    pass\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_migrations_load_in_number_order_not_name_order(tmp_path, monkeypatch):
    package = _package(tmp_path, monkeypatch, "ordered_migrations", ["0010_c", "0002_b", "0001_a"])
    assert [migration.number for migration in migrations.load(package)] == [1, 2, 10]


@pytest.mark.parametrize(
    "modules, message",
    [(["0001_a", "0001_b"], "two migrations numbered 1"), (["0001_a", "1_b"], "not named NNNN_what_it_does")],
)
def test_duplicate_or_badly_named_migrations_are_refused(tmp_path, monkeypatch, modules, message):
    package = _package(tmp_path, monkeypatch, f"bad_migrations_{len(message)}", modules)
    with pytest.raises(ValueError, match=message):
        migrations.load(package)


def test_pending_migrations_are_applied_in_order_each_once_and_recorded(db):
    ran = []
    plan = [fake(number, f"step_{number}", lambda db, number=number: ran.append(number)) for number in (1, 2, 3)]
    db[migrations.COLLECTION].insert_one({"_id": 2, "number": 2, "name": "0002_step_2", "applied_at": database_now()})
    announced = []
    assert [m.number for m in migrations.migrate(db, plan, announce=announced.append)] == [1, 3]
    assert ran == [1, 3] and [m.number for m in announced] == [1, 3]
    assert migrations.migrate(db, plan) == [] and ran == [1, 3]
    stored = records(db)
    assert sorted(stored) == [1, 2, 3] and all(record["applied_at"] for record in stored.values())
    assert stored[3]["name"] == "0003_step_3" and stored[3]["number"] == 3
    assert migrations.current_number(db) == 3


def database_now():
    from content_types.base import utcnow

    return utcnow()


def test_a_failing_migration_stops_is_not_recorded_and_names_itself(db):
    ran = []

    def broken(db):
        ran.append(2)
        raise RuntimeError("the old data is odd")

    plan = [fake(1, "fine", lambda db: ran.append(1)), fake(2, "broken", broken), fake(3, "later", ran.append)]
    with pytest.raises(migrations.MigrationFailed, match="0002_broken failed: RuntimeError: the old data is odd"):
        migrations.migrate(db, plan)
    assert ran == [1, 2]
    assert sorted(records(db)) == [1]
    assert migrations.current_number(db) == 1
    assert [m.number for m in migrations.pending(db, plan)] == [2, 3]


def test_the_command_reports_a_failing_migration_and_exits_non_zero(app, db, monkeypatch):
    plan = [fake(1, "fine", lambda db: None), fake(2, "broken", lambda db: 1 / 0)]
    monkeypatch.setattr(migrations, "load", lambda: plan)
    result = app.test_cli_runner().invoke(command.migrate)
    assert result.exit_code == 1
    assert "Applying 0001_fine" in result.output and "0002_broken failed: ZeroDivisionError" in result.output
    assert sorted(records(db)) == [1]


def test_two_processes_migrating_at_once_apply_each_migration_once(db, monkeypatch):
    # The first claimant is held inside apply() until the second has found the claim taken and waits.
    entered, release, waiting = threading.Event(), threading.Event(), threading.Event()
    sleep = migrations.time.sleep

    def note_waiting(seconds):
        waiting.set()
        sleep(seconds)

    monkeypatch.setattr(migrations.time, "sleep", note_waiting)
    calls = []

    def slow(db):
        calls.append(threading.current_thread().name)
        entered.set()
        assert release.wait(30)

    plan = [fake(1, "slow", slow), fake(2, "after", lambda db: calls.append("after"))]
    results = {}

    def run(name):
        results[name] = [m.number for m in migrations.migrate(db, plan, wait_seconds=60)]

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert entered.wait(30)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    assert waiting.wait(30)  # the second found migration 1 claimed and waits for it
    release.set()
    first.join(30)
    second.join(30)
    assert calls.count("first") == 1 and "second" not in calls and calls.count("after") == 1
    assert sorted(results["first"] + results["second"]) == [1, 2] and results["first"][0] == 1


def test_a_claim_left_by_a_dead_process_stops_migrate_until_released(app, db):
    ran = []
    plan = [fake(1, "one", lambda db: ran.append(1))]
    db[migrations.COLLECTION].insert_one({"_id": 1, "number": 1, "name": "0001_one", "applied_at": None})
    with pytest.raises(migrations.MigrationBusy, match="cms migrate --release 1"):
        migrations.migrate(db, plan, wait_seconds=0)
    assert ran == [] and migrations.current_number(db) == 0
    assert migrations.release(1, db) and not migrations.release(1, db)
    assert [m.number for m in migrations.migrate(db, plan)] == [1] and ran == [1]


def test_init_on_a_fresh_database_records_every_migration_as_applied(app, db):
    result = app.test_cli_runner().invoke(cli.init)
    assert result.exit_code == 0, result.output
    shipped = migrations.load()
    assert sorted(records(db)) == [migration.number for migration in shipped]
    assert migrations.current_number() == shipped[-1].number
    listing = app.test_cli_runner().invoke(command.migrate, ["--list"])
    assert "pending" not in listing.output and f"Schema number: {shipped[-1].number}." in listing.output
    again = app.test_cli_runner().invoke(command.migrate)
    assert again.exit_code == 0 and "0 migrations applied" in again.output


def test_the_list_shows_applied_and_pending(app, db):
    first = migrations.load()[0]
    migrations.migrate(db, [first])
    output = app.test_cli_runner().invoke(command.migrate, ["--list"]).output
    lines = {line.split()[0]: line for line in output.splitlines() if line[:1].isdigit()}
    assert "applied" in lines[first.name]
    assert all("pending" in line for name, line in lines.items() if name != first.name)
    assert "Schema number: 1." in output


# The old shapes each migration handles: written with pymongo as an older CMS stored them.


def _only(number):
    return [migration for migration in migrations.load() if migration.number == number]


def test_0001_drops_the_old_unique_circular_number_index(db):
    content = db["content"]
    if "number_1" in content.index_information():
        content.drop_index("number_1")
    content.create_index("number", unique=True, sparse=True, name="number_1")
    migrations.migrate(db, _only(1))
    assert "number_1" not in content.index_information()
    # Translations share their circular's number once it is gone.
    content.insert_many(
        [{"_cls": "Content.Circular", "number": 7, "translation_group": ObjectId(), "language": "de"} for _ in "ab"]
    )
    assert content.count_documents({"number": 7}) == 2


def test_0002_drops_failed_logins_counted_per_email(db):
    failures = db["login_failures"]
    failures.create_index("email", name="email_1")
    failures.insert_many([{"email": "a@test.example", "count": 4}, {"key": "user|127.0.0.1", "count": 1}])
    migrations.migrate(db, _only(2))
    assert "email_1" not in failures.index_information()
    assert [document["key"] for document in failures.find()] == ["user|127.0.0.1"]


def test_0003_gives_old_meetings_their_half_year_claim_once(db):
    content = db["content"]
    first = content.insert_one(old_meeting(year=2025, half=1)).inserted_id
    duplicate = content.insert_one(old_meeting(year=2025, half=1)).inserted_id
    translation = content.insert_one(old_meeting(year=2025, half=2, translation_of=first)).inserted_id
    second_half = content.insert_one(old_meeting(year=2025, half=2)).inserted_id
    migrations.migrate(db, _only(3))
    claims = {document["_id"]: document.get("half_year") for document in content.find()}
    assert claims == {first: "2025/1", duplicate: None, translation: None, second_half: "2025/2"}


def test_0004_folds_titles_saved_without_search_text(db, create_item):
    item = create_item("news", title="Grüße aus Köln")
    empty = create_item("news", title="Straße")
    content = db["content"]
    content.update_one({"_id": item.pk}, {"$unset": {"search_text": ""}})
    content.update_one({"_id": empty.pk}, {"$set": {"search_text": ""}})
    migrations.migrate(db, _only(4))
    assert content.find_one({"_id": item.pk})["search_text"] == "gruesse aus koeln"
    assert content.find_one({"_id": empty.pk})["search_text"] == "strasse"


def test_0005_gives_items_shared_before_their_local_role_keys(db, create_item, users):
    item = create_item("news", title="Geteilt")
    content = db["content"]
    grant = {"user": users["member"].pk, "roles": ["editor", "reviewer"]}
    content.update_one({"_id": item.pk}, {"$set": {"local_roles": [grant]}, "$unset": {"local_role_keys": ""}})
    unshared = create_item("news", title="Nicht geteilt")
    migrations.migrate(db, _only(5))
    member = users["member"].pk
    assert content.find_one({"_id": item.pk})["local_role_keys"] == [f"{member}:editor", f"{member}:reviewer"]
    assert content.find_one({"_id": unshared.pk})["local_role_keys"] == []


def test_every_migration_applied_again_changes_nothing(db, create_item):
    content = db["content"]
    content.insert_one(old_meeting(year=2024, half=2))
    db["login_failures"].insert_one({"email": "old@test.example", "count": 2})
    item = create_item("news", title="Grüße")
    content.update_one({"_id": item.pk}, {"$unset": {"search_text": ""}})
    migrations.migrate(db, migrations.load())

    def snapshot():
        return {
            name: (sorted(map(repr, db[name].find())), sorted(db[name].index_information()))
            for name in ("content", "login_failures")
        }

    before = snapshot()
    for migration in migrations.load():
        migration.apply(db)
    assert snapshot() == before
