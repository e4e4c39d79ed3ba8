"""The centre's HTTP API: `create_app(database)` gives the ASGI app uvicorn serves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import odsc_desk
from odsc_desk.shared.clock import Clock, system_clock
from sync import protocol
from sync.protocol import Problem
from sync.server import (
    api_v1,
    calendars,
    device_keys,
    enrollment,
    office_feed,
    own_ops,
    public_address,
    push,
    reference,
    relays,
    reports,
    sms_reports,
    status,
)
from sync.server.auth import UNAUTHORIZED
from sync.server.context import Context, Ctx
from sync.server.db import open_db, reading
from sync.server.problems import BodyTooLarge, document_problems, documented, install, response
from sync.server.web import site as web


class BodyLimit:
    """Refuse a body over `limit` bytes before it is held in memory: at once when its
    Content-Length says so, else as soon as the bytes streamed in pass the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await response(400, "body.length", "Content-Length is not a number")(
                    scope, receive, send
                )
                return
            if int(declared) > self.limit:
                await response(413, "body.too_large", self._detail())(scope, receive, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)

    def _detail(self) -> str:
        return f"the body is larger than {self.limit} bytes"


class _Api(FastAPI):
    def openapi(self) -> dict[str, Any]:
        schema = super().openapi()
        document_problems(schema)  # idempotent: the document is built once and kept
        return schema


def create_app(database: str | URL | Engine, *, clock: Clock = system_clock) -> FastAPI:
    """The app over `database` (a URL, or an engine the caller owns), migrated to the newest
    schema. `clock` is the server's time (tests pass a settable one)."""
    public_url = public_address.from_environment()  # refused before the database is opened
    owned = not isinstance(database, Engine)
    engine = open_db(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            engine.dispose()

    app = _Api(
        title="ODSC Desk central server",
        version=odsc_desk.__version__,
        summary="Sync protocol v1: enrollment, push, status, reference data and reports.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
        responses=documented({500: "server.error"}),
    )
    app.state.context = Context(engine, clock, public_url)
    install(app)
    routers: list[tuple[APIRouter, dict[int, str]]] = [
        (enrollment.router, enrollment.ENROLL_ANSWERS),
        (push.router, {}),
        (status.router, {}),
        (reference.router, {**UNAUTHORIZED, 404: "reference.none"}),
        (reports.router, {}),
        (api_v1.router, {}),
        (sms_reports.router, {}),
        (calendars.router, {**UNAUTHORIZED, 404: "calendar.none"}),
        (device_keys.router, {}),
        (office_feed.router, {}),
        (own_ops.router, {}),
        (relays.router, {}),
    ]
    for router, answers in routers:
        app.include_router(router, responses=documented(answers))

    @app.get(
        "/healthz",
        tags=["health"],
        summary="The server is up and its database answers",
        responses=documented({503: "server.database"}),
    )
    def healthz(ctx: Ctx) -> dict[str, Any]:
        try:
            with reading(ctx.engine) as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise Problem(503, "server.database", "the database does not answer") from exc
        return {"status": "ok", "version": protocol.VERSION, "server_time": ctx.now_stamp()}

    web.mount(app)  # the people's pages (sync.server.web): login, overview, drill-down

    # Last added runs first: the body limit sees every request before anything reads it.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(BodyLimit, limit=protocol.MAX_BODY)
    return app
