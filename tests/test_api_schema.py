"""schemathesis against the API's own OpenAPI document: for anonymous, member and admin callers, no 500 and no response
that the document does not describe (status, content type, body schema). Bounded: a few examples per operation."""

import os

import pytest
import schemathesis
from flask import Flask
from flask_babel import Babel
from flask_wtf import CSRFProtect
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 10

from cms import api  # noqa: E402  (the API's routes and their document)
from cms.api.openapi import build_document  # noqa: E402
from cms.change_watch import WATCH  # noqa: E402
from workflows.types import TYPES  # noqa: E402


def _document() -> dict:
    """Return the OpenAPI document as the API serves it, built on an app of the API's routes alone (no database)."""
    bare = Flask("openapi")
    Babel(bare)  # the titles in the document are translatable; English here
    api.init_app(bare, CSRFProtect())
    with bare.app_context():
        return build_document()


# Revoking the caller's own token would turn the rest of the run into 401s; it has its own tests.
schema = schemathesis.openapi.from_dict(_document()).exclude(path="/api/v1/auth/token", method="DELETE")
# Bounded: the random (fuzzing) phase with a few examples per operation. The boundary phase ("coverage")
# sends hundreds of requests per operation: CMS_TEST_API_COVERAGE=1 adds it for a longer run.
schema.config.phases.coverage.enabled = bool(os.environ.get("CMS_TEST_API_COVERAGE"))


@pytest.fixture
def callers(api, users):
    """Request headers of each kind of caller: anonymous, a member city's representative, an admin."""
    headers = [{}] + [{"Authorization": f"Bearer {api.token(users[role])}"} for role in ("member", "admin")]
    WATCH.settle()  # see the end of the test
    return headers


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_the_api_keeps_to_its_description(case, app, callers):
    for headers in callers:
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)
    # A write's cache generation moves in a thread of its own (cms.change_watch), through pymongo, which
    # draws from the `random` module: let it finish before Hypothesis draws the next case.
    WATCH.settle()


def test_the_document_describes_what_the_api_validates(client):
    document = client.get("/api/v1/openapi.json").get_json()
    work_plan = document["components"]["schemas"]["content_work_plan"]
    assert "year" in work_plan["required"] and "title" in work_plan["required"]
    listing = document["paths"]["/api/v1/content"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} == {
        "type",
        "state",
        "language",
        "q",
        "year",
        "page",
        "per_page",
    }
    create = document["paths"]["/api/v1/content"]["post"]
    # One body per registered type.

    assert len(create["requestBody"]["content"]["application/json"]["schema"]["oneOf"]) == len(TYPES)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert statuses & {"200", "201", "204"} and {"401", "404", "422"} <= statuses, (method, path)
