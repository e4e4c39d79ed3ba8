"""The SMS gateway's delivery reports: `POST /api/v1/messages/delivery`.

The gateway posts `{"id": "<its id for the message>", "status": "delivered"}` (or "pending",
"failed", "expired", "rejected") with the header `X-Gateway-Secret` holding the secret both
sides were given (`ODSC_SERVER_SMS_SECRET`). The report sets the message's `delivery`; nothing
else changes. Answers: 200 `{"message": <our id>, "delivery": ...}`; 404 `messages.off` while
no secret is set (the endpoint is closed, not open to anyone); 401 `messages.secret` for a
missing or wrong secret; 400 `body.json`; 422 `messages.report` for a body of another shape;
404 `messages.unknown` for an id no message has.
"""

from __future__ import annotations

import hmac
import json
import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel

from sync.protocol import PREFIX, Problem
from sync.server import messages
from sync.server.context import Ctx
from sync.server.db import writing
from sync.server.problems import documented
from sync.server.sms_gateway import GATEWAY_ID_MAX

SECRET_ENV = "ODSC_SERVER_SMS_SECRET"
DELIVERY = f"{PREFIX}/messages/delivery"
_BODY_MAX = 4096

router = APIRouter(tags=["messages"])


class DeliveryReply(BaseModel):
    message: int
    delivery: str


async def _raw(request: Request) -> bytes:
    return await request.body()


def _report(raw: bytes) -> tuple[str, str]:
    if len(raw) > _BODY_MAX:
        raise Problem(422, "messages.report", "a delivery report is a small JSON object")
    try:
        body: Any = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise Problem(400, "body.json", "the body is not valid JSON") from exc
    given = body if isinstance(body, dict) else {}
    gateway_id, status = given.get("id"), given.get("status")
    if isinstance(gateway_id, int) and not isinstance(gateway_id, bool):
        gateway_id = str(gateway_id)
    if (
        not isinstance(gateway_id, str)
        or not 0 < len(gateway_id) <= GATEWAY_ID_MAX
        or status not in messages.DELIVERY_STATES
    ):
        raise Problem(
            422,
            "messages.report",
            'a delivery report is {"id": the gateway\'s id, "status": one of '
            + ", ".join(messages.DELIVERY_STATES)
            + "}",
        )
    return gateway_id, str(status)


@router.post(
    DELIVERY,
    response_model=DeliveryReply,
    summary="The SMS gateway's delivery report for a message it was given",
    responses=documented(
        {
            400: "body.json",
            401: "messages.secret",
            404: "messages.off, messages.unknown",
            422: "messages.report",
        }
    ),
)
def delivery_endpoint(
    raw: Annotated[bytes, Depends(_raw)],
    ctx: Ctx,
    x_gateway_secret: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    secret = os.environ.get(SECRET_ENV)
    if not secret:
        raise Problem(404, "messages.off", "this centre takes no delivery reports")
    given = (x_gateway_secret or "").encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(given, secret.encode("utf-8", "surrogateescape")):
        raise Problem(401, "messages.secret", "the gateway's secret is missing or wrong")
    gateway_id, status = _report(raw)
    with writing(ctx.engine) as conn:
        found = messages.record_delivery(conn, gateway_id, status, ctx.now_stamp())
    if found is None:
        raise Problem(404, "messages.unknown", "no message has that id")
    return {"message": found, "delivery": status}
