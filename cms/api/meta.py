"""Health and the content types the API knows."""

from importlib.metadata import PackageNotFoundError, version

from flask import current_app, jsonify
from flask_babel import gettext as _
from mongoengine.connection import get_db

from cms.api import blueprint
from cms.api.errors import error_response
from cms.api.fields import describe, writable_fields
from workflows.types import TYPES


def package_version() -> str:
    """Return the installed version of the alliance-cms package."""
    try:
        return version("alliance-cms")
    except PackageNotFoundError:
        return "0+unknown"


@blueprint.get("/health")
def health():
    """Say whether the database answers and which one is in use."""
    try:
        get_db().command("ping")
    except Exception:  # any failure to reach the database means "unavailable"
        return error_response(503, "database_unavailable", _("The database does not answer."))
    return jsonify({"status": "ok", "database": current_app.config["CMS_DATABASE_KIND"], "version": package_version()})


def type_descriptions() -> list[dict]:
    """Return each content type with its title, writable fields and workflow."""
    return [
        {
            "type": name,
            "title": str(registered.title),
            "plural": str(registered.plural),
            "workflow": registered.workflow,
            "fields": {
                # Required where a request must send it: a default (a new item's language) makes it optional.
                field_name: describe(field) | ({"required": True} if field.required and field.default is None else {})
                for field_name, field in writable_fields(registered.cls).items()
            },
        }
        for name, registered in TYPES.items()
    ]


@blueprint.get("/types")
def types():
    """List the content types with their fields and workflow."""
    return jsonify({"items": type_descriptions()})
