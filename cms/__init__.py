"""How people REACH the CMS: the Flask app, wired from its parts."""

from pathlib import Path

from flask import Flask
from flask_login import current_user
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from cms import (
    admin,
    api,
    audit,
    auth,
    bodies,
    database,
    downloads,
    errors,
    exports,
    favicon,
    headers,
    i18n,
    mail,
    page_cache,
    principals,
    public,
    publication,
    search,
)
from cms.config import load_config
from cms.operations import consents
from cms.security import can
from workflows import validate_registry
from workflows.permissions import ACCESS_ADMIN, VIEW_CONTACTS

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, database, extensions, blueprints, admin."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), instance_relative_config=True)
    app.config["CMS_TRANSLATIONS_DIR"] = ROOT / "translations"
    load_config(app, config)
    if proxies := app.config["CMS_PROXIES"]:
        # Behind deploy/nginx.conf: the client's address (login throttling, the forms' limits, the audit
        # log) and scheme come from the proxy's headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    validate_registry()
    database.init_app(app)
    # Before CSRF's check, which reads the body: outsiders are refused unread.
    admin.refuse_outsiders_before_reading(app)
    csrf.init_app(app)
    audit.init_app(app)
    consents.init_app(app)
    page_cache.init_app(app)
    principals.init_app(app)
    publication.init_app(app)
    search.init_app(app)
    mail.init_app(app)
    i18n.init_app(app)
    headers.init_app(app)
    auth.init_app(app)
    public.init_app(app)
    exports.init_app(app)
    downloads.init_app(app)
    favicon.init_app(app)
    api.init_app(app, csrf)
    admin.init_app(app)
    errors.init_app(app)
    bodies.init_app(app)

    @app.context_processor
    def staff_flag():
        return {"staff": can(current_user, ACCESS_ADMIN), "may_view_companies": can(current_user, VIEW_CONTACTS)}

    return app
