"""The OpenAPI 3 document, generated from the routes and from the declarations the API validates with.

Query parameters come from `cms.api.schema.QUERIES` (what `query_args()`
accepts), request bodies from the content types' allow-lists, the needs
registry and `cms.api.schema.BODIES`, and responses from
`cms.api.schema.RESPONSES`. schemathesis checks the API against it
(tests/test_api_schema.py).
"""

import re

from flask import current_app, jsonify

from cms.api import blueprint
from cms.api.meta import package_version, type_descriptions
from cms.api.schema import BODIES, COMPONENTS, ERROR_STATUSES, QUERIES, RESPONSES, ref
from workflows.needs import NEEDS
from workflows.types import TYPES


def _transition_inputs() -> dict:
    # Every input a transition can take; each transition says which it requires (GET .../workflow).
    properties = {name: dict(need.schema, title=str(need.title)) for name, need in NEEDS.items()}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _new_item() -> dict:
    # One schema per content type: its own allow-list of fields, "type" naming it.
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {"type": {"type": "string", "enum": [name]}, **description["fields_schema"]},
                "required": ["type", *description["required"]],
                "additionalProperties": False,
            }
            for name, description in _descriptions().items()
        ]
    }


def _changes() -> dict:
    # A PATCH names the revision it edited and any editable fields (which ones depends on the item's type).
    properties = {}
    for description in _descriptions().values():
        properties.update(description["fields_schema"])
    return {
        "type": "object",
        "properties": {
            "revision": {"type": "integer", "minimum": 1},
            **properties,
            # On a translation: the source revision it now renders (its translator brought it up to date).
            "translation_source_revision": {"type": "integer", "minimum": 1},
        },
        "required": ["revision"],
        "additionalProperties": False,
    }


def _descriptions() -> dict:
    described = {}
    for description in type_descriptions():
        fields = {
            name: {k: v for k, v in spec.items() if k != "required"} for name, spec in description["fields"].items()
        }
        required = sorted(name for name, spec in description["fields"].items() if spec.get("required"))
        described[description["type"]] = {"fields_schema": fields, "required": required}
    return described


# Request bodies generated from the registries the API reads.
GENERATED_BODIES = {
    "fire_transition": _transition_inputs,
    "fire_group_transition": _transition_inputs,
    "create_content": _new_item,
    "update_content": _changes,
}


def _operation(view, method: str, path_parameters: list[str]) -> dict:
    name = view.__name__
    doc = (view.__doc__ or "").strip().splitlines()
    status, schema, *media = RESPONSES.get(name, ("200", {"type": "object"}))
    responses = {status: {"description": "OK"}}
    if schema is not None:
        # JSON unless the declaration names another media type (the exports' files).
        responses[status]["content"] = {media[0] if media else "application/json": {"schema": schema}}
    for error in ERROR_STATUSES:
        responses[str(error)] = {"description": "Refused", "content": {"application/json": {"schema": ref("Error")}}}
    operation = {"summary": doc[0] if doc else name, "operationId": name, "responses": responses}
    parameters = [
        {"name": parameter, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for parameter in path_parameters
    ]
    parameters += [
        {"name": parameter, "in": "query", "required": False, "schema": spec}
        for parameter, spec in QUERIES.get(name, {}).items()
    ]
    if parameters:
        operation["parameters"] = parameters
    if name in GENERATED_BODIES or name in BODIES:
        body = GENERATED_BODIES[name]() if name in GENERATED_BODIES else BODIES[name]
        media, schema, required = body if isinstance(body, tuple) else ("application/json", body, True)
        operation["requestBody"] = {"content": {media: {"schema": schema}}, "required": required}
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
    schemas = dict(COMPONENTS)
    for name, description in _descriptions().items():
        schemas[f"content_{name}"] = {
            "type": "object",
            "description": f"workflow: {TYPES[name].workflow}",
            "properties": description["fields_schema"],
            "required": description["required"],
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Alliance CMS API", "version": package_version()},
        "servers": [{"url": "/"}],
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{}, {"bearer": []}],
        "paths": dict(sorted(paths.items())),
    }


@blueprint.get("/openapi.json")
def openapi():
    """Return this OpenAPI document."""
    return jsonify(build_document())
