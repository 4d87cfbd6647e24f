"""Languages: flask-babel with de/zh/en, chosen from the URL, the user, a remembered choice or the browser."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, has_request_context, redirect, request
from flask_babel import Babel, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from cms.auth import token_user
from cms.operations.accounts import set_language
from content_types import LANGUAGE_NAMES, LANGUAGES, NATIVE_LANGUAGE_NAMES
from content_types.refusals import Refused
from content_types.search import fold_for_sorting

babel = Babel()
blueprint = Blueprint("language", __name__)
LANGUAGE_COOKIE = "alliance_language"
COOKIE_SECONDS = 365 * 24 * 3600
# A longer Accept-Language header is ignored rather than parsed (CVE-2024-39614).
MAX_ACCEPT_LANGUAGE = 500


def select_locale() -> str:
    """Return the UI language: the URL's, ?lang, the user's setting, the switcher's cookie, the browser's."""
    languages = current_app.config["CMS_LANGUAGES"]
    if not has_request_context():  # CLI commands and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # The URL's language: the public page's, the unknown page's under /de/…, or that of the page a login
    # form will lead back to (/login?next=/de/members), so that the visitor stays in that language.
    for chosen in (
        g.get("url_language"),
        request.args.get("lang", ""),
        _language_of_path(request.path),
        _language_of_path(request.args.get("next", "")) if request.path == "/login" else None,
    ):
        if chosen in languages:
            return chosen
    if request.path.startswith("/api/"):
        # API clients say what they want in the header; else their user's setting.
        return _from_header(languages) or _api_user_language(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    user_language = getattr(current_user, "language", None) if current_user else None
    if user_language in languages:
        return user_language
    # The switcher's remembered choice comes before the browser's header: a
    # browser always sends one, so otherwise the switcher could never win.
    cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    if cookie in languages:
        return cookie
    return _from_header(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _language_of_path(path) -> str | None:
    # "/de/members" -> "de"; anything else -> None.
    if not isinstance(path, str) or len(path) < 4 or path[0] != "/" or path[3:4] not in ("/", ""):
        return None
    return path[1:3]


def _from_header(languages) -> str | None:
    header = request.headers.get("Accept-Language", "")
    if header and len(header) <= MAX_ACCEPT_LANGUAGE:
        return request.accept_languages.best_match(languages)
    return None


def _api_user_language(languages) -> str | None:
    # Finding the user may raise an error whose message asks for the locale:
    # that inner question is answered without the user (no endless recursion).
    if g.get("choosing_api_language"):
        return None
    g.choosing_api_language = True
    try:
        user = token_user()
    except Refused:  # a bad token is answered later, in the default language
        return None
    finally:
        g.choosing_api_language = False
    language = getattr(user, "language", None)
    return language if language in languages else None


def prefix_with_language(blueprint: Blueprint) -> None:
    """Make `blueprint`'s leading <lang> the page's language, and its links keep the current one unless told."""

    @blueprint.url_value_preprocessor
    def take_language(endpoint, values):
        # The locale selector reads it from `g`; it is not a view argument.
        g.url_language = values.pop("lang", None) if values else None

    @blueprint.url_defaults
    def add_language(endpoint, values):
        values.setdefault("lang", g.get("url_language") or current_language())


def current_language() -> str:
    """Return the current UI language code."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def language_label(code: str) -> str:
    """Return the name of language `code` in the current UI language."""
    return str(LANGUAGE_NAMES.get(code, code))


def sort_key(text: str, language: str):
    """Return a key sorting `text` as a reader of `language` expects (Chinese by pinyin, German ä as a)."""
    if language == "zh":
        from pypinyin import lazy_pinyin  # its dictionaries are large: loaded on first use

        return (" ".join(lazy_pinyin(text)).casefold(), text)
    return (fold_for_sorting(text), text)


class LanguageForm(FlaskForm):
    """The language switcher of signed-in users: it changes their setting (a POST with a CSRF token)."""

    language = SelectField(_l("Language"), choices=[(code, NATIVE_LANGUAGE_NAMES[code]) for code in LANGUAGES])
    next = HiddenField()


def _local_path(target: str | None) -> str:
    # Only a path on this site: no scheme, no host, no backslash tricks.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def path_in_language(path: str, language: str) -> str:
    """Return the local `path` with its language prefix (if it has one) changed to `language`."""
    path = _local_path(path)
    head, _, rest = path[1:].partition("/")
    if head in LANGUAGES:
        return f"/{language}/{rest}"
    return path


def _remember(response, language: str):
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=COOKIE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/language/<code>")
def switch_for_visitor(code):
    """Remember a visitor's language in a cookie and go back to the page in that language."""
    if code not in LANGUAGES:
        abort(404)
    return _remember(redirect(path_in_language(request.args.get("next", "/"), code)), code)


@blueprint.post("/language")
def switch_for_user():
    """Change the signed-in user's language setting (and the cookie), then go back to the page."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    code = form.language.data
    if current_user.is_authenticated and current_user.language != code:
        set_language(current_user, code)
    return _remember(redirect(path_in_language(form.next.data, code), 303), code)


def init_app(app) -> None:
    """Register flask-babel with our locale selector, the translations/ folder and the switcher."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.config["CMS_TRANSLATIONS_DIR"]))
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(blueprint)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        language_names=NATIVE_LANGUAGE_NAMES,
        languages=LANGUAGES,
        language_form=LanguageForm,
        language_label=language_label,
        format_decimal=format_decimal,
    )
