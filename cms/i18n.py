"""Languages: flask-babel with de/zh/en, chosen from the user, the request, or a cookie."""

from flask import current_app, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user

babel = Babel()
LANGUAGE_COOKIE = "alliance_language"
# A longer Accept-Language header is ignored rather than parsed (CVE-2024-39614).
MAX_ACCEPT_LANGUAGE = 500


def select_locale() -> str:
    """Return the UI language: ?lang, the user's setting, the cookie, Accept-Language, default."""
    languages = current_app.config["CMS_LANGUAGES"]
    if not has_request_context():  # CLI commands and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang", "")
    if chosen in languages:
        return chosen
    user_language = getattr(current_user, "language", None) if current_user else None
    if user_language in languages:
        return user_language
    cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    if cookie in languages:
        return cookie
    header = request.headers.get("Accept-Language", "")
    if header and len(header) <= MAX_ACCEPT_LANGUAGE:
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    """Register flask-babel with our locale selector and the translations/ folder."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.config["CMS_TRANSLATIONS_DIR"]))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
