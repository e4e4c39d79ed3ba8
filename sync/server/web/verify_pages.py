"""A receipt's check, public (issue 15, item 2): `/v/<code>` is what a receipt's QR opens;
`/verify` is a form (a code pasted, or a receipt number and amount typed) that asks by GET, so
it works with scripts off and its answer can be bookmarked. The logic is sync/server/verify.py.

Guessing is slowed twice: the public limit on every citizens' page (public.PUBLIC_PER_MINUTE),
and here WRONG_TRIES checks that found nothing per client address in WRONG_WINDOW, after which
every check from that address, right or wrong, waits. Nothing is written for a check.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sync.server import verify
from sync.server.context import Context, context
from sync.server.db import reading
from sync.server.enrollment import client_address
from sync.server.rate_window import RateWindow, window_of
from sync.server.web import numbers, public
from sync.server.web.i18n import Lang

router = APIRouter(include_in_schema=False)

WRONG_TRIES = 10
WRONG_WINDOW = timedelta(minutes=15)
_MAX_FIELD = 400  # characters: a code is 180, a link to it a few more
_LINK = re.compile(r"/v/([^/?#\s]+)", re.IGNORECASE)


def wrong_tries(request: Request) -> RateWindow:
    return window_of(request.app, "verify_wrong", WRONG_TRIES, WRONG_WINDOW)


def printed_moment(at: datetime) -> str:
    """A Vientiane time as a receipt prints it, to the minute."""
    return f"{numbers.day(at.date())} {at:%H:%M}"


@router.get("/verify", response_class=HTMLResponse)
async def verify_form(request: Request) -> HTMLResponse:
    query = request.query_params
    code = query.get("code", "")[:_MAX_FIELD].strip()
    receipt = query.get("receipt", "")[:_MAX_FIELD].strip()
    amount = query.get("amount", "")[:_MAX_FIELD].strip()
    if "code" in query:
        if not code:
            return _form(request, 400, code_error="pub_verify_empty")
        return await _check_code(request, _code_of(code))
    if "receipt" in query or "amount" in query:
        return await _check_typed(request, receipt, amount)
    return _form(request, 200)


@router.get("/v/{code}", response_class=HTMLResponse)
async def verify_link(request: Request, code: str) -> HTMLResponse:
    return await _check_code(request, code[:_MAX_FIELD])


def _code_of(text: str) -> str:
    """A pasted code, or a pasted link to one (what a phone's scanner shows): the code."""
    found = _LINK.search(text)
    return found[1] if found else text


async def _check_code(request: Request, code: str) -> HTMLResponse:
    ctx = context(request)
    refused = _waiting(request, ctx)
    if refused is not None:
        return refused
    verdict = await run_in_threadpool(_in_conn, ctx, verify.check_code, code.upper())
    if verdict is None:
        wrong_tries(request).note(client_address(request), ctx.now())
        return _form(request, 404, outcome="not_genuine", code=code)
    return _result(request, verdict)


async def _check_typed(request: Request, receipt_text: str, amount_text: str) -> HTMLResponse:
    values = {"receipt": receipt_text, "amount": amount_text}
    errors: dict[str, str] = {}
    try:
        receipt = verify.typed_receipt(receipt_text)
    except verify.BadEntry as bad:
        errors["receipt_error"] = bad.key
    try:
        amount = verify.typed_amount(amount_text)
    except verify.BadEntry as bad:
        errors["amount_error"] = bad.key
    if errors:  # both fields told at once
        return _form(request, 400, **errors, **values)
    ctx = context(request)
    refused = _waiting(request, ctx)
    if refused is not None:
        return refused
    verdict = await run_in_threadpool(_in_conn, ctx, verify.check_typed, receipt, amount)
    if verdict is None:
        wrong_tries(request).note(client_address(request), ctx.now())
        return _form(request, 404, outcome="not_found", **values)
    return _result(request, verdict)


def _in_conn(ctx: Context, check: Any, *args: Any) -> verify.Verdict | None:
    with reading(ctx.engine) as conn:
        result: verify.Verdict | None = check(conn, *args)
        return result


def _waiting(request: Request, ctx: Context) -> HTMLResponse | None:
    """The refusal for an address that found nothing too often lately, None when it may ask."""
    wait = wrong_tries(request).wait_seconds(client_address(request), ctx.now())
    if not wait:
        return None
    headers = {"Retry-After": str(wait)}
    return public.refusal(request, 429, "pub_verify_too_many", headers, seconds=wait)


def _form(request: Request, status: int, **values: Any) -> HTMLResponse:
    fields = {"code": "", "receipt": "", "amount": "", **values}
    for key in ("code_error", "receipt_error", "amount_error", "outcome"):
        fields.setdefault(key, None)
    return public.page(request, "verify.html", status, verdict=None, **fields)


def _result(request: Request, verdict: verify.Verdict) -> HTMLResponse:
    lang: Lang = public.lang_of(request)
    office = verdict.office_lo if lang == "lo" else verdict.office_en
    return public.page(
        request,
        "verify_result.html",
        200,
        verdict=verdict,
        office_name=office,
        printed=printed_moment(verdict.at),
    )
