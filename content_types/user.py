"""Accounts: e-mail, hashed password, site roles and (for members) their city."""

import mongoengine as me
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from content_types.base import LANGUAGES, reference_id, utcnow
from content_types.city import MemberCity

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that an unknown user costs
# the same time as a wrong password and the two can't be told apart.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing-only")


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with `hasher` (the test suite uses a cheap argon2id setting)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not-a-real-password-used-for-timing-only")


class User(me.Document):
    """A person who logs in; roles are site roles, `city` only for members."""

    email = me.EmailField(required=True, unique=True, max_length=254)
    name = me.StringField(max_length=200, default="")
    password_hash = me.StringField(required=True)
    roles = me.ListField(me.StringField(max_length=40), default=list)
    city = me.ReferenceField("MemberCity")
    language = me.StringField(choices=LANGUAGES)
    active = me.BooleanField(default=True)
    # The mail kinds this person reads in a daily digest rather than at once (the others: immediately).
    digest_kinds = me.ListField(me.StringField(max_length=60), default=list)
    created = me.DateTimeField(default=utcnow)

    meta = {"collection": "users", "ordering": ["email"]}

    # Set per request by the login loader to the key of the session in use;
    # not a field. Flask-Login stores get_id() in the cookie, so a cookie names
    # a revocable server-side session, not the user.
    session_key = None
    # Whether the account's city is a member, looked up once per loaded account (not a field).
    _member_city = None

    @property
    def is_authenticated(self) -> bool:
        """Whether this is a logged-in user (Flask-Login's protocol)."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Never: anonymous visitors are not User documents (Flask-Login's protocol)."""
        return False

    @property
    def is_active(self) -> bool:
        """Whether the account may log in and act."""
        return bool(self.active)

    @property
    def city_id(self):
        """Return the id of the city this account represents (None for staff), without loading the city."""
        return reference_id(self._data.get("city"))

    @property
    def represents_a_member_city(self) -> bool:
        """Whether the account's city is a member now (asked once per loaded account, i.e. once per request)."""
        if self._member_city is None:
            city_id = self.city_id
            self._member_city = bool(city_id) and MemberCity.objects(pk=city_id, status="member").count() == 1
        return self._member_city

    def get_id(self) -> str | None:
        """Return the key of this login session (what the session cookie carries)."""
        return self.session_key

    def clean(self):
        """Store e-mail addresses lower-case so that lookups are exact."""
        if self.email:
            self.email = self.email.strip().lower()

    def set_password(self, password: str) -> None:
        """Store an argon2id hash of `password` (policy checks happen before this)."""
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        """Return whether `password` matches the stored hash."""
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def burn_verification_time(password: str) -> None:
        """Spend the time of one verification, for logins with an unknown e-mail."""
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass

    def __str__(self):
        return self.name or self.email
