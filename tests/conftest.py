"""Fixtures: an in-process MongoDB wire server, one app for the suite on a database emptied per test, users per role."""

import os
import re
import subprocess
import sys
import threading

import mongoengine as me
import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from pymongo import monitoring
from werkzeug.serving import make_server

from cms import create_app
from cms.change_watch import WATCH
from cms.database import client_options, uri_for_database
from cms.operations.accounts import create_account
from cms.seed_data import seed_cities
from content_types import Content, MemberCity, User
from content_types.user import use_password_hasher
from tests import browser_support
from workflows import engine
from workflows.types import TYPES

PASSWORD = "Vorsicht-Kamel-Tee-42"
ROLES = ("admin", "editor", "reviewer", "approver", "member")


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """argon2id with minimal cost: the suite creates hundreds of users; production keeps the defaults."""
    use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


# The in-memory server runs in a process of its own, so that it works on the
# second core while the tests run on the first.
_SERVER_PROCESS = """
import sys
from cms.embedded import memory_server
host, port = memory_server().start()
print(port, flush=True)
sys.stdin.read()  # serve until the test session closes our stdin
"""


@pytest.fixture(scope="session")
def mongo_server_uri():
    """A MongoDB to test against: CMS_TEST_MONGODB_URI (its database name is replaced), else mongoeco in memory."""
    uri = os.environ.get("CMS_TEST_MONGODB_URI")
    if uri:
        yield uri
        return
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER_PROCESS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())
        yield f"mongodb://127.0.0.1:{port}"
    finally:
        server.stdin.close()
        server.stdout.close()
        server.wait(timeout=30)


class BufferedClient(FlaskClient):
    """The test client, reading each answer whole and closing it (a file sent from disk is closed, as a server does)."""

    def open(self, *args, **kwargs):
        """Send a request; the answer is read and closed before it is returned."""
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


Flask.test_client_class = BufferedClient

# One database per pytest-xdist worker (gw0, gw1, ...), so parallel workers never share data.
TEST_DATABASE = f"alliance_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
WRITE_COMMANDS = frozenset({"insert", "update", "delete", "findAndModify"})


class WriteRecorder(monitoring.CommandListener):
    """Remembers every write command any MongoClient of this process sends (what, to which collection)."""

    def __init__(self):
        self.writes: list[tuple[str, str, str]] = []

    def started(self, event):
        """Note a write: (database, collection, command)."""
        if event.command_name in WRITE_COMMANDS:
            self.writes.append((event.database_name, event.command[event.command_name], event.command_name))

    def succeeded(self, event):
        """Nothing to note."""

    def failed(self, event):
        """Nothing to note."""

    def written_collections(self) -> set[str]:
        """Return the collections of the suite's database written since the last reset."""
        return {collection for database, collection, _command in self.writes if database == TEST_DATABASE}


@pytest.fixture(scope="session")
def write_recorder():
    """The process-wide write recorder (registered before any client exists)."""
    recorder = WriteRecorder()
    monitoring.register(recorder)
    return recorder


def _use_database(uri: str) -> None:
    # Tests that build an app of their own (other config, the embedded
    # database, a database that is down) reconnect mongoengine's default
    # alias; put it back on the suite's database before the next test.
    try:
        if me.connection.get_db().name == TEST_DATABASE:
            return
    except me.connection.ConnectionFailure:  # a test disconnected without connecting again
        pass
    me.disconnect()
    me.connect(host=uri, **client_options(uri, production=True))


@pytest.fixture(scope="session")
def app_factory(mongo_server_uri, tmp_path_factory, write_recorder):
    """Build an app on the suite's database with `overrides` on top of the test configuration."""

    def make(**overrides):
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key-0123456789abcdef",
                "CMS_MONGODB_URI": uri_for_database(mongo_server_uri, TEST_DATABASE),
                "CMS_DATA_DIR": str(tmp_path_factory.mktemp("data")),
                "CMS_LOGIN_MAX_FAILURES": 3,
                **overrides,
            }
        )

    return make


@pytest.fixture(scope="session")
def shared_app(app_factory):
    """One app for the whole suite (building Flask-Admin's views is most of an app's cost)."""
    application = app_factory()
    database = me.connection.get_db()
    for name in database.list_collection_names():
        database[name].delete_many({})
    with application.app_context():
        seed_cities()
    cities = list(MemberCity._get_collection().find())
    return application, cities


@pytest.fixture
def app(shared_app, mongo_server_uri, write_recorder):
    """The app on a database holding only the founding cities, as every test found it; its caches forgotten."""
    application, cities = shared_app
    _use_database(uri_for_database(mongo_server_uri, TEST_DATABASE))
    application.extensions["page_cache"].clear()
    application.extensions["principals"].clear()
    yield application
    # Afterwards, empty what the test wrote (rather than dropping the database:
    # the indexes stay, and untouched collections cost nothing).
    _use_database(uri_for_database(mongo_server_uri, TEST_DATABASE))
    database = me.connection.get_db()
    written = write_recorder.written_collections()
    for name in written:
        database[name].delete_many({})
    if MemberCity._get_collection_name() in written:
        database[MemberCity._get_collection_name()].insert_many([dict(city) for city in cities])
    # The caches' generation moves in a thread of its own after writes (cms.change_watch): let it
    # finish here, so that its write is not counted in the next test.
    WATCH.settle()
    write_recorder.writes.clear()


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def city():
    """Return a founding city by its German name."""
    return lambda name: MemberCity.objects.get(name_de=name)


@pytest.fixture
def create_user(app, city):
    """Create a user with `role`; members belong to Foshan unless told otherwise."""
    counter = iter(range(100, 10_000))  # 0-99: the `users` fixture's accounts

    def make(role="editor", city_name=None, email=None, roles=None):
        roles = roles or [role]
        home = city(city_name or "Foshan") if ("member" in roles or city_name) else None
        email = email or f"{role}{next(counter)}@test.example"
        return create_account(email, PASSWORD, roles, name=f"Test {role}", city=home)

    return make


@pytest.fixture(scope="session")
def stored_users(shared_app):
    """The `users` fixture's accounts as stored documents, made once (password checks are slow on purpose)."""
    application = shared_app[0]
    with application.app_context():
        homes = {
            "member": MemberCity.objects.get(name_de="Foshan"),
            "member_b": MemberCity.objects.get(name_de="Aachen"),
        }
        made = {
            role: create_account(
                f"{role}{index}@test.example", PASSWORD, [role], name=f"Test {role}", city=homes.get(role)
            )
            for index, role in enumerate(ROLES)
        }
        made["member_b"] = create_account(
            "member.b@test.example", PASSWORD, ["member"], name="Test member", city=homes["member_b"]
        )
        made["inactive"] = create_account("inactive@test.example", PASSWORD, ["editor"], name="Test editor")
        User.objects(pk=made["inactive"].pk).update_one(set__active=False)
        stored = {key: User._get_collection().find_one({"_id": user.pk}) for key, user in made.items()}
        User.objects.delete()
    return stored


@pytest.fixture
def users(app, stored_users):
    """One user per site role, plus a member of another city (Aachen) and a deactivated editor."""
    User._get_collection().insert_many([dict(document) for document in stored_users.values()])
    return {key: User.objects.get(pk=document["_id"]) for key, document in stored_users.items()}


@pytest.fixture
def create_item(app):
    """Create a stored item of `type_name` owned by `owner` (default fields filled in)."""

    def make(type_name="work_plan", owner=None, **fields):
        item = TYPES[type_name].cls()
        item.owner = owner
        engine.initialize(item)
        defaults = {"title": f"A {type_name}", "language": "de"}
        if type_name in ("work_plan", "meeting"):
            defaults["year"] = 2027
        if type_name == "meeting":
            defaults.update(half=2, host_city=MemberCity.objects.get(name_de="Aachen"))
        if type_name == "membership_application":
            defaults["city"] = MemberCity.objects.get(name_de="Bonn")
        for name, value in {**defaults, **fields}.items():
            setattr(item, name, value)
        item.save_revision()
        return item

    return make


def csrf_token_from(html: str) -> str:
    """Return the CSRF token in a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def logged_in(app, user):
    """Return a new test client logged in as `user` through the login form."""
    client = app.test_client()
    Browser(client).login(user.email)
    return client


def state_of(item) -> str:
    """Return the item's state as stored now."""
    return Content.objects.get(pk=item.pk).state


class Browser:
    """Logs a test client in and out through the real forms (flaskr's AuthActions)."""

    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD):
        """Post the login form with its CSRF token; return the response."""
        token = csrf_token_from(self.client.get("/login").get_data(as_text=True))
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def logout(self):
        """Post the logout form from the home page."""
        token = csrf_token_from(self.client.get("/en/").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})

    def form_token(self, url):
        """Return the CSRF token of the form at `url`."""
        return csrf_token_from(self.client.get(url).get_data(as_text=True))


@pytest.fixture
def browser(client):
    """A Browser on the test client."""
    return Browser(client)


class Api:
    """Calls the JSON API with a bearer token."""

    def __init__(self, client):
        self.client = client
        self.tokens = {}

    def token(self, user):
        """Return a bearer token for `user`."""
        response = self.client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    def as_user(self, user):
        """Return request keyword arguments authenticating as `user` (anonymous for None)."""
        if user is None:
            return {}
        # One token per user and test: logging in again for every call would only measure argon2.
        if user.pk not in self.tokens:
            self.tokens[user.pk] = self.token(user)
        return {"headers": {"Authorization": f"Bearer {self.tokens[user.pk]}"}}

    def call(self, method, path, user=None, **kwargs):
        """Send a request as `user` and return the response."""
        auth = self.as_user(user)
        headers = {**auth.get("headers", {}), **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)


@pytest.fixture
def api(client):
    """The API helper."""
    return Api(client)


@pytest.fixture
def site(app):
    """The test app served over HTTP on a free loopback port, for the length of one test (for the browser)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def chrome(request):
    """A headless Chromium driven by Selenium, 1366 px wide; it saves a screenshot at each step(name)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_support.CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={browser_support.WIDE},900",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(browser_support.DRIVER), options=options)
    driver.implicitly_wait(3)
    browser_support.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    steps = iter(range(1, 100))
    driver.step = lambda name: driver.save_screenshot(
        str(browser_support.SCREENSHOTS / f"{request.node.name}-{next(steps):02d}-{name}.png")
    )
    yield driver
    driver.quit()


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback, with the app's mail sent to it for this test (stopped afterwards)."""
    from cms.mail import mail
    from tests.mail_support import SmtpServer

    server = SmtpServer().start()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "CMS_MAIL_BACKEND")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, CMS_MAIL_BACKEND="smtp")
    mail.init_app(app)  # flask-mail reads its settings when initialised
    yield server
    server.stop()
    app.config.update(saved)
    mail.init_app(app)
