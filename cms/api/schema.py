"""What the API accepts and answers, declared once: the views validate with it and OpenAPI is built from it."""

from content_types import LANGUAGES
from content_types.city import CITY_STATUSES, COUNTRIES, PROFILE_KEYS, PROFILE_LANGUAGES, PROFILE_MAX_LENGTH
from content_types.company import INTERESTS, SIZES, STAGES
from content_types.event import DELEGATE_FUNCTIONS, EVENT_KINDS, MAX_DELEGATES
from content_types.sectors import SECTOR_CODES
from workflows.permissions import LOCAL_ROLES, SITE_ROLES
from workflows.types import TYPES


def ref(name: str) -> dict:
    """Return a reference to the component schema `name`."""
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(schema: dict) -> dict:
    """Return the schema of one page of a list of `schema`."""
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": schema},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
        },
        "required": ["items", "total", "page", "per_page"],
    }


PAGING = {"page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1}}

# The query parameters each list accepts (query_args() refuses any other with 400).
QUERIES = {
    "list_content": {
        "type": {"type": "string", "enum": list(TYPES)},
        "state": {"type": "string", "maxLength": 40},
        "language": {"type": "string", "enum": list(LANGUAGES)},
        "q": {"type": "string", "maxLength": 200},
        "year": {"type": "string", "pattern": "^[0-9]{4}$"},
        **PAGING,
    },
    "list_users": PAGING,
    "list_events": PAGING,
    "read_worklist": PAGING,
    "list_cities": {
        "country": {"type": "string", "enum": list(COUNTRIES)},
        "status": {"type": "string", "enum": list(CITY_STATUSES)},
    },
    # cms.search.query.parse checks them (400 for anything else).
    "search_content": {
        "q": {"type": "string", "maxLength": 200},
        "type": {"type": "string", "enum": list(TYPES)},
        "city": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
        "country": {"type": "string", "enum": list(COUNTRIES)},
        "sector": {"type": "string", "enum": list(SECTOR_CODES)},
        "state": {"type": "string", "pattern": "^[a-z_]{1,40}$"},
        "year": {"type": "string", "pattern": "^[0-9]{4}$"},
        "language": {"type": "string", "enum": list(LANGUAGES)},
        "interests": {"type": "string", "enum": list(INTERESTS)},
        "stage": {"type": "string", "enum": list(STAGES)},
        "size": {"type": "string", "enum": list(SIZES)},
        "page": {"type": "integer", "minimum": 1, "maximum": 500},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
    },
}
# The exports' filters (cms.exports.filters): several values of one filter separated by commas, any of them matching.
_FILTER = {"type": "string", "maxLength": 200}
_COMPANY_FILTERS = {name: _FILTER for name in ("q", "country", "city", "sector", "interests", "size")}
_PROJECT_FILTERS = {name: _FILTER for name in ("q", "stage", "cooperation", "city", "year")}
_LANGUAGE = {"lang": {"type": "string", "enum": list(LANGUAGES)}}
QUERIES.update(
    {
        "export_companies_csv": {**_COMPANY_FILTERS, **_LANGUAGE},
        "export_companies_xlsx": {**_COMPANY_FILTERS, **_LANGUAGE},
        "export_projects_csv": {**_PROJECT_FILTERS, **_LANGUAGE},
        "export_projects_xlsx": {**_PROJECT_FILTERS, **_LANGUAGE},
    }
)

_ID = {"type": "string", "pattern": "^[0-9a-f]{24}$"}
_NULLABLE_ID = {"type": "string", "pattern": "^[0-9a-f]{24}$", "nullable": True}
_UTC = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", "nullable": True}
_ACCOUNT = {
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "name": {"type": "string", "maxLength": 200},
    "password": {"type": "string", "maxLength": 128},
    "roles": {"type": "array", "items": {"type": "string", "enum": list(SITE_ROLES)}},
    "city_id": _NULLABLE_ID,
}

_PROFILE = {
    "type": "object",
    "properties": {
        key: {
            "type": "object",
            "properties": {code: {"type": "string", "maxLength": PROFILE_MAX_LENGTH} for code in PROFILE_LANGUAGES},
            "additionalProperties": False,
        }
        for key in PROFILE_KEYS
    },
    "additionalProperties": False,
}
_CONTACT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "role": {"type": "string", "maxLength": 200},
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "phone": {"type": "string", "maxLength": 60},
        # The language mail to this person is written in; null: the city's country's.
        "language": {"type": ["string", "null"], "enum": ["de", "zh", "en", None]},
    },
    "required": ["name"],
    "additionalProperties": False,
}

_DELEGATE = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "function": {"type": "string", "enum": list(DELEGATE_FUNCTIONS)},
        "position": {"type": "string", "maxLength": 200},
    },
    "required": ["name", "function"],
    "additionalProperties": False,
}

# Request bodies that no registry generates (content bodies and transition inputs are generated in openapi.py).
BODIES = {
    "issue_token": {
        "type": "object",
        "properties": {
            "email": {"type": "string", "maxLength": 254},
            "password": {"type": "string", "maxLength": 1024},
        },
        "required": ["email", "password"],
        "additionalProperties": False,
    },
    "create_user": {
        "type": "object",
        "properties": _ACCOUNT,
        "required": ["email", "password", "roles"],
        "additionalProperties": False,
    },
    "update_user": {
        "type": "object",
        "properties": {
            **_ACCOUNT,
            "active": {"type": "boolean"},
            "language": {"type": "string", "enum": list(LANGUAGES), "nullable": True},
        },
        "additionalProperties": False,
    },
    # A city's contacts and profile; its status is not among them (422).
    "update_city": {
        "type": "object",
        "properties": {
            "revision": {"type": "integer", "minimum": 0},
            "contact_office": {"type": "string", "maxLength": 300},
            "responsible_person": {"type": "string", "maxLength": 200},
            "contacts": {"type": "array", "items": _CONTACT, "maxItems": 20},
            "profile": _PROFILE,
        },
        "required": ["revision"],
        "additionalProperties": False,
    },
    # A member city's delegation to an event: its members; the revision edited (0 or absent: none registered yet).
    "register_delegation": {
        "type": "object",
        "properties": {
            "revision": {"type": "integer", "minimum": 0},
            "members": {"type": "array", "items": _DELEGATE, "maxItems": MAX_DELEGATES},
        },
        "required": ["members"],
        "additionalProperties": False,
    },
    "share_content": {
        "type": "object",
        "properties": {
            "user_id": _ID,
            "roles": {"type": "array", "items": {"type": "string", "enum": list(LOCAL_ROLES)}},
        },
        "required": ["user_id", "roles"],
        "additionalProperties": False,
    },
    "schedule_content": {
        "type": "object",
        "properties": {"publish_at": _UTC, "expire_at": _UTC},
        "additionalProperties": False,
    },
    "lock_content": (
        "application/json",
        {"type": "object", "properties": {"steal": {"type": "boolean"}}, "additionalProperties": False},
        False,
    ),
    "create_translation": {
        "type": "object",
        "properties": {"language": {"type": "string", "enum": list(LANGUAGES)}},
        "required": ["language"],
        "additionalProperties": False,
    },
    "upload_attachment": (
        "multipart/form-data",
        {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]},
        True,
    ),
    # Also taken as multipart/form-data with the same fields and a `letter` file (the signed letter).
    "record_consent": {
        "type": "object",
        "properties": {
            "decision": {"type": "string", "enum": ["consent", "object"]},
            "comment": {"type": "string", "maxLength": 5000},
        },
        "required": ["decision"],
        "additionalProperties": False,
    },
    "upload_declaration": (
        "multipart/form-data",
        {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]},
        True,
    ),
}

_OBJECT = {"type": "object"}
_FILE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "content_type": {"type": "string"},
        "size": {"type": "integer"},
        "sha256": {"type": "string"},
        "url": {"type": "string"},
    },
    "required": ["name", "content_type", "size", "sha256", "url"],
}

COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": _OBJECT},
                "required": ["code", "message", "details"],
            }
        },
        "required": ["error"],
    },
    "Item": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "type": {"type": "string", "enum": list(TYPES)},
            "title": {"type": "string"},
            "language": {"type": "string", "enum": list(LANGUAGES)},
            "state": {"type": "string"},
            "state_title": {"type": "string"},
            "revision": {"type": "integer"},
            "translations": {"type": "object", "additionalProperties": {"type": "string"}},
            "allowed_transitions": {"type": "array", "items": {"type": "string"}},
            "allowed_actions": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["id", "type", "title", "language", "state", "revision", "allowed_transitions", "allowed_actions"],
    },
    "User": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "email": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
            "active": {"type": "boolean"},
        },
        "required": ["id", "email", "roles", "active"],
    },
    "Event": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "event_kind": {"type": "string", "enum": list(EVENT_KINDS)},
            "starts": {"type": "string", "description": "local time at the venue, in time_zone"},
            "ends": {"type": "string", "nullable": True},
            "time_zone": {"type": "string", "nullable": True},
            "registration_open": {"type": "boolean"},
            "delegations": {"type": "array", "items": {"$ref": "#/components/schemas/Delegation"}},
        },
        "required": ["id", "title", "event_kind", "starts", "time_zone", "registration_open", "delegations"],
    },
    "Delegation": {
        "type": "object",
        "properties": {
            "city_id": {"type": "string"},
            "revision": {"type": "integer", "minimum": 1},
            "members": {"type": "array", "items": {"type": "object", "required": ["name", "function", "position"]}},
        },
        "required": ["city_id", "revision", "members"],
    },
    "City": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "names": {"type": "object", "properties": {code: {"type": "string"} for code in LANGUAGES}},
            "country": {"type": "string", "enum": list(COUNTRIES)},
            "status": {"type": "string", "enum": list(CITY_STATUSES)},
            "revision": {"type": "integer", "minimum": 0},
            "profile": _PROFILE,
        },
        "required": ["id", "names", "country", "status", "revision", "profile"],
    },
}

_REVISION = {
    "type": "object",
    "properties": {"revision": {"type": "integer"}, "summary": {"type": "string"}},
    "required": ["revision"],
}

# Each operation's success: (status, schema of its body or None for no body).
_FILE_BODY = {"type": "string", "format": "binary"}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

RESPONSES = {
    "health": ("200", {"type": "object", "required": ["status", "database", "version"]}),
    "types": ("200", {"type": "object", "properties": {"items": {"type": "array"}}, "required": ["items"]}),
    "list_workflows": ("200", {"type": "object", "properties": {"items": {"type": "array"}}, "required": ["items"]}),
    "openapi": ("200", {"type": "object", "required": ["openapi", "paths"]}),
    "issue_token": ("200", {"type": "object", "required": ["token", "expires_at"]}),
    "revoke_token": ("204", None),
    "list_content": ("200", page_of(ref("Item"))),
    "create_content": ("201", ref("Item")),
    "read_content": ("200", ref("Item")),
    "update_content": ("200", ref("Item")),
    "delete_content": ("204", None),
    "share_content": ("200", ref("Item")),
    "create_working_copy": ("201", ref("Item")),
    "schedule_content": ("200", ref("Item")),
    "lock_content": ("200", ref("Item")),
    "unlock_content": ("204", None),
    "read_workflow": (
        "200",
        {
            "type": "object",
            "properties": {"state": {"type": "string"}, "transitions": {"type": "array"}, "history": {"type": "array"}},
            "required": ["workflow", "state", "state_title", "transitions", "history"],
        },
    ),
    "fire_transition": ("200", ref("Item")),
    "fire_group_transition": (
        "200",
        {"type": "object", "properties": {"items": {"type": "array", "items": ref("Item")}}, "required": ["items"]},
    ),
    "read_worklist": ("200", page_of(ref("Item"))),
    "list_revisions": ("200", {"type": "array", "items": _REVISION}),
    "read_revision": ("200", {**_REVISION, "required": ["revision", "fields"]}),
    "diff_revisions": ("200", {"type": "object", "required": ["from", "to", "fields"]}),
    "restore_revision": ("201", ref("Item")),
    "list_versions": (
        "200",
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"version": {"type": "integer"}, "files": {"type": "array", "items": _FILE}},
                "required": ["version", "files"],
            },
        },
    ),
    "upload_attachment": ("201", {"type": "object", "required": ["name", "content_type", "size", "sha256"]}),
    "list_attachments": ("200", {"type": "object", "properties": {"items": {"type": "array"}}, "required": ["items"]}),
    "create_translation": ("201", ref("Item")),
    "list_translations": ("200", {"type": "object", "additionalProperties": _OBJECT}),
    "read_translation_source": (
        "200",
        {
            "type": "object",
            "properties": {
                "source": {"type": "object", "required": ["id", "language", "revision"]},
                "translation_source_revision": {"type": "integer", "nullable": True},
                "changed": {"type": "boolean"},
                "fields": {"type": "object", "additionalProperties": _OBJECT},
            },
            "required": ["source", "translation_source_revision", "changed", "fields"],
        },
    ),
    "list_cities": (
        "200",
        {"type": "object", "properties": {"items": {"type": "array", "items": ref("City")}}, "required": ["items"]},
    ),
    "read_city": ("200", ref("City")),
    "update_city": ("200", ref("City")),
    "read_next_meeting": ("200", {"type": "object", "required": ["meeting"]}),
    "list_consents": (
        "200",
        {
            "type": "object",
            "properties": {"decisions": {"type": "array", "items": _OBJECT}, "missing": {"type": "array"}},
            "required": ["decisions", "missing", "decision_requested"],
        },
    ),
    "record_consent": ("201", {"type": "object", "required": ["city_id", "decision", "comment", "at"]}),
    "send_consent_reminder": ("201", {"type": "object", "required": ["at", "cities"]}),
    "upload_declaration": ("200", ref("Item")),
    "send_notification": ("200", ref("Item")),
    "create_user": ("201", ref("User")),
    "list_users": ("200", page_of(ref("User"))),
    "update_user": ("200", ref("User")),
    "list_events": ("200", page_of(ref("Event"))),
    "register_delegation": ("200", ref("Delegation")),
    "search_content": (
        "200",
        {
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": _ID,
                            "type": {"type": "string"},
                            "title": {"type": "string"},
                            "snippet": {"type": "string"},
                            "score": {"type": "number"},
                        },
                        "required": ["id", "type", "title", "score"],
                    },
                },
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "facets": {
                    "type": "object",
                    "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
            },
            "required": ["items", "total", "page", "per_page", "facets"],
        },
    ),
    # Files, not JSON: (status, schema, media type).
    "export_companies_csv": ("200", _FILE_BODY, "text/csv"),
    "export_companies_xlsx": ("200", _FILE_BODY, _XLSX),
    "export_projects_csv": ("200", _FILE_BODY, "text/csv"),
    "export_projects_xlsx": ("200", _FILE_BODY, _XLSX),
}

# What any operation may answer besides its success, each with the Error body: malformed (400), no or a bad
# token (401), not allowed (403), not found or not visible (404), conflict (409), too large (413), not JSON or
# a refused file type (415), refused by a rule (422), the database gone (503).
ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422, 503)
