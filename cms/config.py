"""Configuration: defaults here, then the instance folder's config.py, then CMS_* variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "CMS_MONGODB_URI": None,
    "CMS_DATA_DIR": None,  # default: the instance folder
    "CMS_SECURE_COOKIES": False,  # set true when served over HTTPS
    # How many reverse proxies stand in front (deploy/nginx.conf: 1). Their X-Forwarded-For/-Proto/-Host
    # are believed only then: a server clients reach directly would believe forged ones.
    "CMS_PROXIES": 0,
    "CMS_LOGIN_MAX_FAILURES": 5,
    "CMS_LOGIN_LOCK_SECONDS": 15 * 60,
    "CMS_API_TOKEN_HOURS": 12,
    "CMS_MAX_PAGE_SIZE": 100,
    "CMS_SEARCH_MAX_LENGTH": 200,
    "CMS_MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    # Whether this process runs the background work (scheduler, mail sender): each part in one process of the
    # installation at a time, whichever holds its lease. Off: the process only answers requests.
    "CMS_BACKGROUND": True,
    # How long a process's hold on a part of the background work lasts unless renewed (it renews it every run
    # and between steps); when that process stops, another takes over at the latest this long afterwards.
    "CMS_BACKGROUND_LEASE_SECONDS": 90,
    "CMS_SCHEDULER_SECONDS": 60,  # how often due publications are fired; 0: never (use cron)
    "CMS_EDIT_LOCK_MINUTES": 30,
    # How often a worker looks whether another process changed content (its cached pages are then dropped).
    "CMS_PAGE_CACHE_CHECK_SECONDS": 2.0,
    # Where the site is reached from outside: links in mail point here (never at a request's Host header).
    "CMS_SITE_URL": "http://127.0.0.1:5000",
    # How mail leaves: smtp, file (.eml files in the data directory's mail folder) or console (the log);
    # unset: smtp when CMS_MAIL_SERVER is set, else file.
    "CMS_MAIL_BACKEND": None,
    "CMS_MAIL_SECONDS": 10.0,  # how often the outbox is sent; 0: never (use `cms send-mail`)
    "CMS_MAIL_MAX_ATTEMPTS": 8,  # then a message is given up, and shown to admins as failed
    "CMS_MAIL_RETRY_SECONDS": 60,  # the first wait after a failed attempt; each further one doubles it
    "CMS_MAIL_LEASE_SECONDS": 300,  # a message still being handed over after this is taken as unconfirmed
    # Consulted cities whose decision on a membership application is missing are reminded this often; 0: never.
    "CMS_CONSENT_REMINDER_DAYS": 14,
    # The public membership form: how long its confirmation link is valid (unconfirmed submissions are dropped
    # afterwards, with their files), and how many submissions a day one client address and one e-mail may send.
    "CMS_APPLICATION_CONFIRM_DAYS": 3,
    "CMS_APPLICATIONS_PER_ADDRESS": 5,
    "CMS_APPLICATIONS_PER_EMAIL": 3,
    # How long the link in a newsletter subscription's confirmation mail works.
    "CMS_NEWSLETTER_CONFIRM_HOURS": 72,
    # How many newsletter subscriptions one client address may send in a day.
    "CMS_NEWSLETTER_PER_ADDRESS": 10,
    # flask-mail's settings (from CMS_MAIL_SERVER, CMS_MAIL_PORT, ... in the environment).
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_DEFAULT_SENDER": "Alliance CMS <noreply@localhost>",
    "MAIL_SUPPRESS_SEND": False,
    # The request body may be a little larger than a file (multipart framing);
    # Werkzeug refuses a larger Content-Length with 413 before reading it.
    "MAX_CONTENT_LENGTH": None,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "CMS_LANGUAGES": ("de", "zh", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "alliance_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    # The server-side session ends 8 hours after the login whatever the cookie says (cms.auth): signing
    # a fresh cookie on every answer would only cost time.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "FLASK_ADMIN_SWATCH": "cerulean",
}

# Settings that must be at least 1 (0 or less would lock everyone out or disable a limit).
_AT_LEAST_ONE = (
    "CMS_LOGIN_MAX_FAILURES",
    "CMS_LOGIN_LOCK_SECONDS",
    "CMS_API_TOKEN_HOURS",
    "CMS_MAX_PAGE_SIZE",
    "CMS_SEARCH_MAX_LENGTH",
    "CMS_MAX_UPLOAD_BYTES",
    "CMS_EDIT_LOCK_MINUTES",
    "CMS_MAIL_MAX_ATTEMPTS",
    "CMS_MAIL_RETRY_SECONDS",
    "CMS_MAIL_LEASE_SECONDS",
    "CMS_BACKGROUND_LEASE_SECONDS",
    "CMS_APPLICATION_CONFIRM_DAYS",
    "CMS_APPLICATIONS_PER_ADDRESS",
    "CMS_APPLICATIONS_PER_EMAIL",
    "CMS_NEWSLETTER_CONFIRM_HOURS",
    "CMS_NEWSLETTER_PER_ADDRESS",
)
# Settings where 0 means never.
_AT_LEAST_ZERO = (
    "CMS_SCHEDULER_SECONDS",
    "CMS_PAGE_CACHE_CHECK_SECONDS",
    "CMS_MAIL_SECONDS",
    "CMS_CONSENT_REMINDER_DAYS",
    "CMS_PROXIES",
)
# Read from the environment by other code, not settings of the app.
_NOT_SETTINGS = ("CMS_PASSWORD", "CMS_TEST_MONGODB_URI")
# flask-mail's own settings, given in the environment as CMS_MAIL_SERVER and so on.
_FLASK_MAIL_SETTINGS = (
    "SERVER",
    "PORT",
    "USERNAME",
    "PASSWORD",
    "USE_TLS",
    "USE_SSL",
    "DEFAULT_SENDER",
    "SUPPRESS_SEND",
)
MAIL_BACKENDS = ("smtp", "file", "console")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


class ConfigError(RuntimeError):
    """The configuration can't be used; the message says which setting and why."""


def parse_setting(key: str, raw: str):
    """Return the environment value `raw` of `key` as the type of its default; ConfigError if it is not one."""
    default = DEFAULTS.get(key)
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value not in _TRUE + _FALSE:
            raise ConfigError(f"{key} must be true or false, not {raw!r}")
        return value in _TRUE
    if isinstance(default, int):
        try:
            return int(raw.strip())
        except ValueError:
            raise ConfigError(f"{key} must be a whole number, not {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw.strip())
        except ValueError:
            raise ConfigError(f"{key} must be a number, not {raw!r}") from None
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw or None


def _from_environment() -> dict:
    values = {}
    for key, raw in os.environ.items():
        if key.startswith("CMS_MAIL_") and key.removeprefix("CMS_MAIL_") in _FLASK_MAIL_SETTINGS:
            values[key.removeprefix("CMS_")] = parse_setting(key.removeprefix("CMS_"), raw)
        elif key.startswith("CMS_") and key not in _NOT_SETTINGS:
            values[key] = parse_setting(key, raw)
    if "CMS_SECRET_KEY" in values:
        values["SECRET_KEY"] = values.pop("CMS_SECRET_KEY")
    return values


def _persistent_secret_key(data_dir: Path) -> str:
    # Generated once per installation and kept, so sessions survive restarts
    # and every worker signs cookies with the same key.
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def load_config(app, overrides: dict | None = None) -> None:
    """Fill `app.config` from defaults, instance config, environment and `overrides`; validate."""
    app.config.update(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(_from_environment())
    app.config.update(overrides or {})
    data_dir = Path(app.config["CMS_DATA_DIR"] or app.instance_path)
    app.config["CMS_DATA_DIR"] = str(data_dir)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _persistent_secret_key(data_dir)
    _validate(app.config)
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config["CMS_SECURE_COOKIES"])
    app.config["MAX_CONTENT_LENGTH"] = app.config["CMS_MAX_UPLOAD_BYTES"] + 64 * 1024


def _validate(config) -> None:
    if len(config["SECRET_KEY"]) < 16:
        raise ConfigError("SECRET_KEY (CMS_SECRET_KEY) must be at least 16 characters")
    if config["BABEL_DEFAULT_LOCALE"] not in config["CMS_LANGUAGES"]:
        raise ConfigError("BABEL_DEFAULT_LOCALE must be one of CMS_LANGUAGES")
    for key in _AT_LEAST_ONE:
        if isinstance(config[key], bool) or not isinstance(config[key], int) or config[key] < 1:
            raise ConfigError(f"{key} must be a whole number of at least 1")
    if config["CMS_MAIL_BACKEND"] not in (None, *MAIL_BACKENDS):
        raise ConfigError(f"CMS_MAIL_BACKEND must be one of {', '.join(MAIL_BACKENDS)}")
    if config["CMS_MAIL_BACKEND"] == "smtp" and not config["MAIL_SERVER"]:
        raise ConfigError("CMS_MAIL_BACKEND is smtp: set CMS_MAIL_SERVER (and CMS_MAIL_PORT) too")
    if not str(config["CMS_SITE_URL"] or "").startswith(("http://", "https://")):
        raise ConfigError("CMS_SITE_URL must be the site's address, starting with http:// or https://")
    for key in _AT_LEAST_ZERO:
        if isinstance(config[key], bool) or not isinstance(config[key], (int, float)) or config[key] < 0:
            raise ConfigError(f"{key} must be a number of at least 0")
