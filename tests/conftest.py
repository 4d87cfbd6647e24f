"""Fixtures: an in-process MongoDB wire server, an app per test on its own database, users per role."""

import os
import re
import uuid

import mongoengine as me
import pytest
from argon2 import PasswordHasher

from cms import create_app
from cms.accounts import create_account
from cms.embedded import memory_server
from cms.seed_data import seed_cities
from content_types import CONTENT_TYPES, MemberCity
from content_types.user import use_password_hasher
from workflows import engine

PASSWORD = "Vorsicht-Kamel-Tee-42"
ROLES = ("admin", "editor", "reviewer", "approver", "member")


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """argon2id with minimal cost: the suite creates hundreds of users; production keeps the defaults."""
    use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def mongo_server_uri():
    """A MongoDB to test against: CMS_TEST_MONGODB_URI, else mongoeco's in-memory wire server."""
    uri = os.environ.get("CMS_TEST_MONGODB_URI")
    if uri:
        yield uri.rstrip("/")
        return
    server = memory_server()
    host, port = server.start()
    yield f"mongodb://{host}:{port}"
    server.stop()


@pytest.fixture
def app(mongo_server_uri, tmp_path):
    """The app on a database of its own, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-0123456789abcdef",
            "CMS_MONGODB_URI": f"{mongo_server_uri}/{name}",
            "CMS_DATA_DIR": str(tmp_path),
            "CMS_LOGIN_MAX_FAILURES": 3,
        }
    )
    # No app context stays pushed during the test: each request must get its
    # own, as in production (a shared one would share `g` across requests).
    with application.app_context():
        seed_cities()
    yield application
    me.connection.get_connection().drop_database(name)
    me.disconnect()


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
    counter = iter(range(10_000))

    def make(role="editor", city_name=None, email=None, roles=None):
        roles = roles or [role]
        home = city(city_name or "Foshan") if ("member" in roles or city_name) else None
        email = email or f"{role}{next(counter)}@test.example"
        return create_account(email, PASSWORD, roles, name=f"Test {role}", city=home)

    return make


@pytest.fixture
def users(create_user):
    """One user per site role, plus a member of another city and a deactivated editor."""
    made = {role: create_user(role) for role in ROLES}
    made["member_b"] = create_user("member", city_name="Aachen", email="member.b@test.example")
    inactive = create_user("editor", email="inactive@test.example")
    inactive.active = False
    inactive.save()
    made["inactive"] = inactive
    return made


@pytest.fixture
def create_item(app):
    """Create a stored item of `type_name` owned by `owner` (default fields filled in)."""

    def make(type_name="work_plan", owner=None, **fields):
        item = CONTENT_TYPES[type_name]()
        item.owner = owner
        engine.initialize(item)
        defaults = {"title": f"A {type_name}", "language": "de"}
        if type_name in ("work_plan", "meeting"):
            defaults["year"] = 2027
        if type_name == "meeting":
            defaults.update(half=2, host_city=MemberCity.objects.get(name_de="Aachen"))
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

    def token(self, user):
        """Return a bearer token for `user`."""
        response = self.client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    def as_user(self, user):
        """Return request keyword arguments authenticating as `user` (anonymous for None)."""
        return {"headers": {"Authorization": f"Bearer {self.token(user)}"}} if user is not None else {}

    def call(self, method, path, user=None, **kwargs):
        """Send a request as `user` and return the response."""
        auth = self.as_user(user)
        headers = {**auth.get("headers", {}), **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)


@pytest.fixture
def api(client):
    """The API helper."""
    return Api(client)
