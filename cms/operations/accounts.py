"""Creating and changing accounts, with the same rules from the CLI, the admin and the API."""

import secrets
from datetime import timedelta

import mongoengine as me
from flask_babel import gettext as _

from cms import audit
from cms.auth import hash_key
from cms.operations import refuse_unless
from cms.passwords import check_password_strength
from cms.security import can, roles_of
from content_types import LANGUAGES, ApiToken, LoginSession, MemberCity, User
from content_types.base import utcnow
from content_types.validation import Invalid, validate
from workflows.permissions import ADMIN, MANAGE_USERS, MEMBER, SITE_ROLES

# What update_account() changes; anything else is a programming error.
ACCOUNT_FIELDS = ("email", "name", "roles", "city", "active", "language", "password")


def _invalid(field: str, message: str) -> Invalid:
    return Invalid({field: message}, message)


def may_manage_users(user) -> bool:
    """Whether `user` may create and change other people's accounts."""
    return can(user, MANAGE_USERS)


def check_roles(roles, granter=None) -> list[str]:
    """Return `roles` as a sorted list if they are site roles the granter may give; refuse otherwise.

    A granter can only hand out roles they hold themselves, so user admin never
    raises anyone above the person granting (CVE-2020-7938). Without a granter
    (the `cms` command, run by whoever runs the server) any site role may be given.
    """
    if not isinstance(roles, (list, tuple)) or not all(isinstance(role, str) for role in roles):
        raise _invalid("roles", _("Roles must be a list of role names."))
    unknown = [role for role in roles if role not in SITE_ROLES]
    if unknown:
        raise _invalid("roles", _("Unknown role: %(role)s.", role=unknown[0][:40]))
    if granter is not None:
        held = roles_of(granter)
        if ADMIN not in held and not set(roles) <= held:
            raise _invalid("roles", _("You can only grant roles you hold yourself."))
    return sorted(set(roles))


def create_account(
    email, password, roles, name="", city: MemberCity | None = None, granter=None, language=None, active=True
) -> User:
    """Create and return an account after checking e-mail, password, roles and city (one write).

    `granter` is the user creating it (None: the `cms` command); they must be
    allowed to manage users and can only give roles they hold.
    """
    if granter is not None:
        refuse_unless(may_manage_users(granter), granter, None, "create_account")
    changes = {"email": email, "password": password, "roles": roles, "name": name, "city": city, "active": active}
    return _write(granter, User(roles=[]), changes | ({"language": language} if language else {}))


def update_account(granter, user: User, changes: dict) -> User:
    """Apply `changes` (any of ACCOUNT_FIELDS) to an account under the same rules as creating one.

    A member keeps a city; a deactivated account or a new password ends the
    account's sessions and tokens. `granter` None means the `cms` command.
    """
    if granter is not None:
        refuse_unless(may_manage_users(granter), granter, None, "update_account")
    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValueError(f"not account fields: {sorted(unknown)}")
    return _write(granter, user, changes)


def _write(granter, user: User, changes: dict) -> User:
    created = user.pk is None
    before = {name: user._data.get(name) for name in ACCOUNT_FIELDS if name != "password"}
    if "email" in changes:
        email = changes["email"]
        if not isinstance(email, str) or not email.strip():
            raise _invalid("email", _("An e-mail address is required."))
        email = email.strip().lower()
        taken = User.objects(email=email, pk__ne=user.pk).first() if user.pk else User.objects(email=email).first()
        if taken is not None:
            raise _invalid("email", _("There is already an account with this e-mail address."))
        user.email = email
    if "name" in changes:
        name = changes["name"] or ""
        if not isinstance(name, str) or len(name) > 200:
            raise _invalid("name", _("The name must be text of at most 200 characters."))
        user.name = name
    if "roles" in changes:
        user.roles = check_roles(changes["roles"], granter)
    if "city" in changes:
        user.city = changes["city"]
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            raise _invalid("active", _("Must be true or false."))
        user.active = changes["active"]
    if "language" in changes:
        if changes["language"] not in (None, *LANGUAGES):
            raise _invalid("language", _("Unknown language."))
        user.language = changes["language"]
    if MEMBER in user.roles and user.city is None:
        raise _invalid("city", _("A member city representative needs a city."))
    if not created and ADMIN in before["roles"] and (ADMIN not in user.roles or not user.active):
        _keep_an_admin(granter, user)
    password = changes.get("password")
    if created or password:
        check_password_strength(password, user.email or "", user.name or "")
        user.set_password(password)
    validate(user)
    try:
        user.save()
    except me.NotUniqueError:
        raise _invalid("email", _("There is already an account with this e-mail address.")) from None
    if not created and (user.active is False or password):
        end_sessions(user)
    changed = [name for name, value in before.items() if user._data.get(name) != value]
    fields = sorted(changed) + (["password"] if password else [])
    audit.record("create" if created else "update", granter, None, "account_saved", account=user.email, fields=fields)
    return user


def _keep_an_admin(granter, user: User) -> None:
    # An admin who demoted or deactivated themselves, or the last admin, would leave nobody to undo it.
    if granter is not None and granter.pk == user.pk:
        raise _invalid("roles", _("You cannot take the administrator role from your own account."))
    others = User.objects(roles=ADMIN, active=True, pk__ne=user.pk).count()
    if not others:
        raise _invalid("roles", _("This is the last active administrator."))


def issue_token(user: User, hours: int) -> tuple[str, object]:
    """Create an API token for `user` valid for `hours`; return (the token, when it expires). Only its hash is kept."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=hours)
    ApiToken(token_hash=hash_key(token), user=user, expires=expires).save()
    return token, expires


def revoke_token(token_hash: str) -> None:
    """Revoke the API token stored under `token_hash`."""
    ApiToken.objects(token_hash=token_hash).delete()


def set_language(user: User, language: str) -> None:
    """Remember `user`'s interface language (the language switcher of signed-in users)."""
    if language not in LANGUAGES:
        raise _invalid("language", _("Unknown language."))
    User.objects(pk=user.pk).update_one(set__language=language)


def end_sessions(user: User) -> None:
    """Revoke every browser session and API token of `user` (deactivation, a new password)."""
    LoginSession.objects(user=user).delete()
    ApiToken.objects(user=user).delete()


def may_delete_account(granter, user: User) -> bool:
    """Whether `granter` may delete the account (never their own: an admin could lock everyone out)."""
    return may_manage_users(granter) and user.pk != getattr(granter, "pk", None)


def delete_account(granter, user: User) -> None:
    """Delete an account and end its sessions and tokens."""
    refuse_unless(may_delete_account(granter, user), granter, None, "delete_account")
    end_sessions(user)
    User.objects(pk=user.pk).delete()
    audit.record("delete", granter, None, "account_deleted", account=user.email)
