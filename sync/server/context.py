"""What every request handler needs: the database, the server's clock and its public address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from odsc_desk.shared.clock import Clock, stamp


@dataclass(frozen=True)
class Context:
    engine: Engine
    clock: Clock
    public_url: str | None = None  # ODSC_PUBLIC_URL (sync.server.public_address)

    def now(self) -> datetime:
        return self.clock()

    def now_stamp(self) -> str:
        return stamp(self.clock())


def context(request: Request) -> Context:
    ctx: Context = request.app.state.context  # set by app.create_app; Starlette's state is untyped
    return ctx


async def _context(request: Request) -> Context:
    # async: FastAPI runs a plain def dependency in its thread pool, a hop there and back for
    # every request that only reads an attribute.
    return context(request)


Ctx = Annotated[Context, Depends(_context)]
