"""The OpenAPI 3 document, generated from the registered routes and the content types."""

import re

from flask import current_app, jsonify

from cms.api import blueprint
from cms.api.meta import package_version, type_descriptions
from workflows.needs import NEEDS

_ERROR = {"$ref": "#/components/schemas/Error"}
_RESPONSES = {
    "GET": {"200": "OK", "400": "Malformed request", "404": "Not found or not visible"},
    "POST": {
        "200": "OK",
        "201": "Created",
        "400": "Malformed request",
        "401": "Not authenticated",
        "403": "Not allowed",
        "422": "Refused by a rule",
    },
    "PATCH": {
        "200": "OK",
        "400": "Malformed request",
        "401": "Not authenticated",
        "403": "Not allowed",
        "404": "Not found",
        "409": "Stale revision",
        "422": "Refused by a rule",
    },
    "DELETE": {
        "204": "Deleted",
        "401": "Not authenticated",
        "403": "Not allowed",
        "404": "Not found",
        "409": "Changed meanwhile",
    },
}


def _transition_inputs() -> dict:
    # What firing a transition may send: every need the definitions can name (each says which it requires).
    return {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {name: dict(need.schema, title=str(need.title)) for name, need in NEEDS.items()},
                    "additionalProperties": False,
                }
            }
        },
        "required": False,
    }


# Request bodies generated from the definitions' registries.
_REQUEST_BODIES = {"fire_transition": _transition_inputs, "fire_group_transition": _transition_inputs}


def _operation(view, method: str, path_parameters: list[str]) -> dict:
    doc = (view.__doc__ or "").strip().splitlines()
    responses = {}
    for status, description in _RESPONSES.get(method, {"200": "OK"}).items():
        responses[status] = {"description": description}
        if int(status) >= 400:
            responses[status]["content"] = {"application/json": {"schema": _ERROR}}
    operation = {"summary": doc[0] if doc else view.__name__, "operationId": view.__name__, "responses": responses}
    if view.__name__ in _REQUEST_BODIES:
        operation["requestBody"] = _REQUEST_BODIES[view.__name__]()
    if path_parameters:
        operation["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in path_parameters
        ]
    return operation


def build_document() -> dict:
    """Return the OpenAPI 3 document of every /api/v1 route registered in the app."""
    paths: dict = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        parameters = re.findall(r"\{([^}]+)\}", path)
        view = current_app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, method, parameters)
    schemas = {
        "Error": {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "details": {"type": "object"},
                    },
                }
            },
        }
    }
    for description in type_descriptions():
        schemas[f"content_{description['type']}"] = {
            "type": "object",
            "description": f"workflow: {description['workflow']}",
            "properties": {
                name: {k: v for k, v in spec.items() if k != "required"} for name, spec in description["fields"].items()
            },
            "required": sorted(name for name, spec in description["fields"].items() if spec.get("required")),
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Alliance CMS API", "version": package_version()},
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"bearer": []}],
        "paths": dict(sorted(paths.items())),
    }


@blueprint.get("/openapi.json")
def openapi():
    """Return this OpenAPI document."""
    return jsonify(build_document())
