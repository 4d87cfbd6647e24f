"""Configuration: defaults here, then the instance folder's config.py, then CMS_* variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "CMS_MONGODB_URI": None,
    "CMS_DATA_DIR": None,  # default: the instance folder
    "CMS_SECURE_COOKIES": False,  # set true when served over HTTPS
    "CMS_LOGIN_MAX_FAILURES": 5,
    "CMS_LOGIN_LOCK_SECONDS": 15 * 60,
    "CMS_API_TOKEN_HOURS": 12,
    "CMS_MAX_PAGE_SIZE": 100,
    "CMS_SEARCH_MAX_LENGTH": 200,
    "CMS_MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    "CMS_SCHEDULER_SECONDS": 60,  # how often `cms serve` fires due publications; 0: never (use cron)
    "CMS_EDIT_LOCK_MINUTES": 30,
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
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "FLASK_ADMIN_SWATCH": "cerulean",
}

# Environment variables read as integers or booleans rather than strings.
_INTEGERS = {
    "CMS_LOGIN_MAX_FAILURES",
    "CMS_LOGIN_LOCK_SECONDS",
    "CMS_API_TOKEN_HOURS",
    "CMS_MAX_UPLOAD_BYTES",
    "CMS_SCHEDULER_SECONDS",
    "CMS_EDIT_LOCK_MINUTES",
}
_BOOLEANS = {"CMS_SECURE_COOKIES"}


class ConfigError(RuntimeError):
    """The configuration can't be used; the message says which setting and why."""


def _from_environment() -> dict:
    values = {}
    for key, raw in os.environ.items():
        if not key.startswith("CMS_") or key in ("CMS_PASSWORD", "CMS_TEST_MONGODB_URI"):
            continue
        if key in _INTEGERS:
            try:
                values[key] = int(raw)
            except ValueError as error:
                raise ConfigError(f"{key} must be an integer, not {raw!r}") from error
        elif key in _BOOLEANS:
            values[key] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            values[key] = raw or None
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
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config["CMS_SECURE_COOKIES"])
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["CMS_MAX_UPLOAD_BYTES"]) + 64 * 1024
    if len(app.config["SECRET_KEY"]) < 16:
        raise ConfigError("SECRET_KEY (CMS_SECRET_KEY) must be at least 16 characters")
    if app.config["BABEL_DEFAULT_LOCALE"] not in app.config["CMS_LANGUAGES"]:
        raise ConfigError("BABEL_DEFAULT_LOCALE must be one of CMS_LANGUAGES")
    for key in ("CMS_LOGIN_MAX_FAILURES", "CMS_LOGIN_LOCK_SECONDS", "CMS_API_TOKEN_HOURS"):
        if int(app.config[key]) < 1:
            raise ConfigError(f"{key} must be at least 1")
