"""Logging in and out: revocable server-side sessions, throttling, safe redirects."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from cms import audit, principals
from cms.database import known_unavailable
from cms.security import can
from content_types import ApiToken, LoginFailures, LoginSession, User
from content_types.base import reference_id, utcnow
from content_types.refusals import NotAuthenticated
from workflows.permissions import ACCESS_ADMIN

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.session_protection = "basic"

MAX_EMAIL_LENGTH = 254


class LoginRefused(NotAuthenticated):
    """Credentials refused; the message is the same for unknown e-mail and wrong password."""

    code = "invalid_credentials"


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest under which a session key or token is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def _normalise_email(email) -> str:
    return email.strip().lower()[:MAX_EMAIL_LENGTH] if isinstance(email, str) else ""


# How many times more failures one client address may have, across all accounts, than one account from it.
ADDRESS_FACTOR = 10
# The first delay after too many failures; each further failure doubles it, up to CMS_LOGIN_LOCK_SECONDS.
FIRST_DELAY_SECONDS = 10


def authenticate(email, password, address: str | None = None) -> User:
    """Return the active user with these credentials, or raise LoginRefused.

    Failures are counted per account (known or not) from one client address,
    and per address; past the limit each further failure doubles the wait
    (OWASP's growing delays). So whoever guesses slows themselves down, the
    owner logging in from elsewhere is never locked out, and an unknown
    account can't be told from a known one.
    """
    if not isinstance(email, str) or not isinstance(password, str):
        raise LoginRefused(_("Wrong e-mail address or password."))
    email = _normalise_email(email)
    address = (address or "unknown")[:64]
    keys = (f"account:{email}|{address}", f"address:{address}")
    now = utcnow()
    if LoginFailures.objects(key__in=keys, locked_until__gt=now).first() is not None:
        raise LoginRefused(_("Too many failed logins. Please try again later."))
    user = User.objects(email=email).first() if email else None
    if user is None:
        User.burn_verification_time(password)
    elif user.check_password(password) and user.is_active:
        LoginFailures.objects(key=keys[0]).delete()
        return user
    limit = current_app.config["CMS_LOGIN_MAX_FAILURES"]
    for key, allowed in zip(keys, (limit, limit * ADDRESS_FACTOR), strict=True):
        _record_failure(key, allowed, now)
    raise LoginRefused(_("Wrong e-mail address or password."))


def _record_failure(key: str, allowed: int, now) -> None:
    failures = LoginFailures.objects(key=key).modify(upsert=True, new=True, inc__count=1, set__last_failure=now)
    if failures.count >= allowed:
        seconds = min(
            FIRST_DELAY_SECONDS * 2 ** min(failures.count - allowed, 30), current_app.config["CMS_LOGIN_LOCK_SECONDS"]
        )
        LoginFailures.objects(pk=failures.pk).update_one(set__locked_until=now + timedelta(seconds=seconds))


def start_session(user: User) -> None:
    """Log `user` in with a fresh server-side session (the old cookie's data is dropped)."""
    session.clear()
    key = secrets.token_urlsafe(32)
    LoginSession(key_hash=hash_key(key), user=user, expires=utcnow() + current_app.permanent_session_lifetime).save()
    user.session_key = key
    session.permanent = True
    login_user(user)


def end_session() -> None:
    """Revoke the current server-side session, so a replayed cookie is refused."""
    key = getattr(current_user, "session_key", None)
    if key:
        LoginSession.objects(key_hash=hash_key(key)).delete()
    logout_user()
    session.clear()


@login_manager.user_loader
def load_user(key: str):
    """Return the active user of the unexpired session `key`, or None."""
    if not isinstance(key, str) or len(key) > 100 or known_unavailable():
        return None
    user = principals.lookup("session", hash_key(key), lambda: _session_user(key))
    if user is not None:
        user.session_key = key
    return user


def _session_user(key: str):
    login = LoginSession.objects(key_hash=hash_key(key), expires__gt=utcnow()).first()
    user = User.objects(pk=reference_id(login._data["user"])).first() if login else None
    return (user, login.expires) if user is not None and user.is_active else None


def token_user():
    """Return the user of the request's bearer token, None without one; refuse a bad token.

    The API never looks at the session cookie: a cookie is what CSRF abuses,
    so only token-authenticated calls are exempt from CSRF tokens.
    """
    if known_unavailable():  # answering that the database is gone: nobody is looked up
        return None
    if "token_user" not in g:
        g.token_user = _user_from_header()
    return g.token_user


def _user_from_header():
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise NotAuthenticated(_("The token is missing, invalid or expired."), code="invalid_token")
    token_hash = hash_key(token.strip())
    user = principals.lookup("token", token_hash, lambda: _token_user(token_hash))
    if user is None:
        raise NotAuthenticated(_("The token is missing, invalid or expired."), code="invalid_token")
    g.token_hash = token_hash
    return user


def _token_user(token_hash: str):
    record = ApiToken.objects(token_hash=token_hash, expires__gt=utcnow()).first()
    user = User.objects(pk=reference_id(record._data["user"])).first() if record else None
    return (user, record.expires) if user is not None and user.is_active else None


def caller():
    """Return who is calling: the bearer token's user (scripts), else the session's (browsers)."""
    return token_user() or current_user


def safe_next(target, default: str) -> str:
    """Return `target` if it is a path on this site, else `default` (no open redirects)."""
    if not isinstance(target, str) or not target or len(target) > 2000:
        return default
    if any(ord(char) < 32 for char in target) or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


class LoginForm(FlaskForm):
    """E-mail and password, with a CSRF token."""

    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST."""


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; log in and redirect to a safe `next` on success."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr)
        except LoginRefused as refusal:
            audit.record("login_failed", email=(form.email.data or "")[:254])
            flash(str(refusal), "error")
            return render_template("auth/login.html", form=form), 401
        start_session(user)
        audit.record("login", user)
        return redirect(safe_next(form.next.data, _start_page(user)))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _start_page(user) -> str:
    # Staff start at their dashboard (what waits for them); everyone else at the home page in their own
    # language (not the browser's).
    if can(user, ACCESS_ADMIN):
        return url_for("admin.index")
    return url_for("public.home", lang=user.language) if user.language else url_for("public.home")


@blueprint.route("/logout", methods=["POST"])
def logout():
    """End the session (POST with a CSRF token only)."""
    if LogoutForm().validate_on_submit():
        audit.record("logout", current_user)
        end_session()
        flash(_("You have been logged out."), "info")
    return redirect(url_for("public.home"))


def init_app(app) -> None:
    """Register the login manager and the login/logout routes."""
    login_manager.init_app(app)
    app.register_blueprint(blueprint)
    app.jinja_env.globals["logout_form"] = LogoutForm
