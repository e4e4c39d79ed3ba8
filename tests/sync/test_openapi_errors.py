"""The OpenAPI document lists every error answer of every route, each with the problem+json body
the centre sends; and the refusals a route really gives are among those it lists."""

import pytest
import requests

from sync import protocol
from tests.sync.conftest import assert_problem, get

PROBLEM = {"$ref": "#/components/schemas/Problem"}

# Each route's error answers; every route may also answer 500 `server.error`.
EXPECTED = {
    ("post", protocol.ENROLL): {403, 404, 409, 410, 413, 422, 429},
    ("post", protocol.PUSH): {400, 401, 403, 413, 415, 422},
    ("get", protocol.STATUS): {401, 403},
    ("get", protocol.REFERENCE): {401, 404, 422},
    ("get", protocol.CALENDAR): {401, 404, 422},
    ("get", f"{protocol.REPORTS}/offices"): {401},
    ("get", f"{protocol.REPORTS}/offices/{{office}}"): {401, 403, 404, 422},
    ("get", f"{protocol.REPORTS}/offices/{{office}}/days/{{day}}"): {401, 403, 404, 422},
    ("get", f"{protocol.REPORTS}/provinces/{{prefix}}"): {401, 403, 404, 422},
    ("get", f"{protocol.PREFIX}/figures"): {401},
    **{
        ("get", f"{protocol.PREFIX}{path}"): {401, 403, 404, 422}
        for path in (
            "/figures/{name}",
            "/figures/{name}.csv",
            "/figures/{name}.xlsx",
            "/records/requests/{tracking}",
        )
    },
    **{
        ("get", f"{protocol.PREFIX}{path}"): {401, 403, 422}
        for path in (
            "/statistics",
            "/records/requests",
            "/records/requests.csv",
            "/records/requests.xlsx",
            "/records/payments",
            "/records/payments.csv",
            "/records/payments.xlsx",
        )
    },
    ("get", "/healthz"): {503},
    ("post", protocol.DEVICE_KEY): {401, 403, 409, 413, 422},
    ("get", protocol.OFFICE_FEED): {401, 403, 422},
    ("get", protocol.OWN_OPS): {401, 403, 422},
    ("post", f"{protocol.PREFIX}/messages/delivery"): {400, 401, 404, 422},
    ("post", protocol.RELAY_ENROLL): {403, 404, 409, 410, 413, 422, 429},
    ("post", protocol.RELAY_DEVICES): {401, 403, 409, 422},
    ("post", protocol.RELAY_PUSH): {400, 401, 403, 413, 415, 422},
}


@pytest.fixture(scope="module")
def document(shared_server):
    reply = requests.get(shared_server.url + "/openapi.json", timeout=10)
    assert reply.status_code == 200
    return reply.json()


def test_every_route_lists_its_error_answers_as_problem_bodies(document):
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            errors = {int(s) for s in answers if int(s) >= 400}
            found[(method, path)] = errors - {500}
            assert 500 in errors, (method, path)
            for status in errors:
                answer = answers[str(status)]
                assert answer["content"] == {"application/problem+json": {"schema": PROBLEM}}
                assert answer["description"]
    assert found == EXPECTED


def test_the_problem_schema_is_the_body_sent(shared_server, document):
    schema = document["components"]["schemas"]["Problem"]
    assert set(schema["required"]) == {"type", "title", "status", "code", "detail"}
    # FastAPI's own validation-error body is never sent, so it is not described.
    assert "HTTPValidationError" not in document["components"]["schemas"]
    problem = assert_problem(get(shared_server.url + protocol.STATUS, None), 401, "auth.missing")
    assert set(problem) == set(schema["properties"])
    types = {"string": str, "integer": int}
    for key, value in problem.items():
        assert isinstance(value, types[schema["properties"][key]["type"]])


def test_each_code_a_route_answers_is_named_in_its_listing(shared_server, document):
    viewer = shared_server.viewer_token()
    base = shared_server.url + protocol.REPORTS
    seen = [
        ("get", protocol.STATUS, get(shared_server.url + protocol.STATUS, viewer)),
        ("get", f"{protocol.REPORTS}/offices", get(f"{base}/offices", "nope")),
        ("get", f"{protocol.REPORTS}/offices/{{office}}", get(f"{base}/offices/VTE-NONE", viewer)),
        (
            "get",
            f"{protocol.REPORTS}/offices/{{office}}/days/{{day}}",
            get(f"{base}/offices/VTE-SST/days/0", viewer),
        ),
        ("get", f"{protocol.REPORTS}/provinces/{{prefix}}", get(f"{base}/provinces/x", viewer)),
    ]
    for method, path, reply in seen:
        answer = document["paths"][path][method]["responses"][str(reply.status_code)]
        assert reply.json()["code"] in answer["description"], (path, reply.json())
