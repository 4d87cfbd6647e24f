"""Creating and changing accounts, with the same rules from the CLI, the admin and the API."""

import mongoengine as me
from flask_babel import gettext as _

from cms.passwords import check_password_strength
from cms.security import roles_of
from content_types import LoginSession, MemberCity, User
from workflows.permissions import ADMIN, MEMBER, SITE_ROLES


class AccountError(ValueError):
    """The account can't be created or changed; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_roles(roles, granter=None) -> list[str]:
    """Return `roles` as a list if they are site roles the granter may give, else raise AccountError.

    A granter can only hand out roles they hold themselves, so sharing or user
    admin never raises anyone above the person granting (CVE-2020-7938).
    """
    if not isinstance(roles, (list, tuple)) or not all(isinstance(role, str) for role in roles):
        raise AccountError("roles", _("Roles must be a list of role names."))
    unknown = [role for role in roles if role not in SITE_ROLES]
    if unknown:
        raise AccountError("roles", _("Unknown role: %(role)s.", role=unknown[0][:40]))
    if granter is not None:
        held = roles_of(granter)
        if ADMIN not in held and not set(roles) <= held:
            raise AccountError("roles", _("You can only grant roles you hold yourself."))
    return sorted(set(roles))


def create_account(email, password, roles, name: str = "", city: MemberCity | None = None, granter=None) -> User:
    """Create and return a user after checking e-mail, password, roles and city."""
    if not isinstance(email, str) or not email.strip():
        raise AccountError("email", _("An e-mail address is required."))
    roles = check_roles(roles, granter)
    if MEMBER in roles and city is None:
        raise AccountError("city", _("A member city representative needs a city."))
    if User.objects(email=email.strip().lower()).first() is not None:
        raise AccountError("email", _("There is already an account with this e-mail address."))
    try:
        check_password_strength(password, email, name or "")
    except ValueError as error:
        raise AccountError("password", str(error)) from None
    user = User(email=email, name=name or "", roles=roles, city=city)
    user.set_password(password)
    try:
        user.save()
    except me.NotUniqueError:
        raise AccountError("email", _("There is already an account with this e-mail address.")) from None
    except me.ValidationError as error:
        field = next(iter(error.errors or {"email": None}))
        raise AccountError(field, _("This value is not valid.")) from None
    return user


def change_password(user: User, password) -> None:
    """Set a new password after the policy check, and end the user's other sessions."""
    try:
        check_password_strength(password, user.email, user.name or "")
    except ValueError as error:
        raise AccountError("password", str(error)) from None
    user.set_password(password)
    user.save()
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Revoke every browser session of `user` (deactivation, password change)."""
    LoginSession.objects(user=user).delete()
