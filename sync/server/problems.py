"""Every refusal as an RFC 9457 problem body: English for people reading logs, a dotted `code`
the counter maps to its own Lao and English message.

One exception type (`sync.protocol.Problem`) carries a refusal from anywhere in the centre;
the handlers here turn it, FastAPI's validation errors, Starlette's 404/405 and anything
unexpected into the same shape. `Refused` is the same refusal met by an `odsc-server` command.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from sync.protocol import Problem

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("odsc.server")


class Refused(Problem):
    """What an `odsc-server` command cannot do as asked: said on stderr, with its exit code."""

    exit_code = 1
    label = "refused"

    def __init__(self, detail: str, code: str = "command.refused") -> None:
        super().__init__(400, code, detail)


class BodyTooLarge(HTTPException):
    """Raised while a body is still arriving. An HTTPException, so FastAPI's own body parsing
    passes it on instead of turning it into a generic 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body is larger than {limit} bytes")


class ProblemBody(BaseModel):
    """The body of every refusal (RFC 9457), for the OpenAPI document."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(description="the HTTP status's phrase", examples=["Unauthorized"])
    status: int = Field(examples=[401])
    code: str = Field(
        description="what was refused, for the counter's Lao and English message",
        examples=["auth.invalid"],
    )
    detail: str = Field(description="the reason, in English", examples=["the token is not known"])


def documented(answers: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """FastAPI `responses=` for refusals: {status: the codes it may carry}. Their body is
    added to the OpenAPI document by `document_problems`."""
    return {
        status: {"description": f"{HTTPStatus(status).phrase}: {codes}"}
        for status, codes in answers.items()
    }


def document_problems(schema: dict[str, Any]) -> None:
    """Give every error answer of the OpenAPI document the problem+json body, in place.

    A pass over the generated document rather than a `model` per answer: FastAPI lists a model
    as application/json, and an answer a route declares with a description alone (the
    reference's 404) replaces, not merges with, what its router declares."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = ProblemBody.model_json_schema()
    body_schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                if status.isdigit() and int(status) >= 400:
                    answer["content"] = {MEDIA_TYPE: body_schema}
    # FastAPI's own 422 model, now named by no answer: every 422 here is a problem body.
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def body(status: int, code: str, detail: str) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
    }


def response(
    status: int, code: str, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body(status, code, detail), status, headers, media_type=MEDIA_TYPE)


# Codes for Starlette's own HTTP errors (an unknown path, a wrong method, a body too large).
_HTTP_CODES = {
    400: "request.bad",
    404: "request.not_found",
    405: "request.method",
    413: "body.too_large",
    415: "body.media_type",
}


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        return response(exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return response(422, "request.invalid", _validation_detail(exc))

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http.{exc.status_code}")
        return response(exc.status_code, code, str(exc.detail), exc.headers)

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, _exc: ClientDisconnect) -> JSONResponse:
        # A body cut short is the district link, not a server fault: no traceback in the log.
        # The counter never reads this answer; it resends the batch on its next run.
        log.info("request body cut short on %s %s", request.method, request.url.path)
        return response(400, "request.incomplete", "the request body was cut short")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return response(500, "server.error", "the server failed; the request may be retried")
