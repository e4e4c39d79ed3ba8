"""The citizen's request pages: `/status` (the tracking number and the last four digits of the
phone, posted so the digits stay out of every log) and `/s/<code>` (the slip's QR), which also
takes the citizen's rating once (posted to the same address).

Tracking numbers are sequential, so wrong tries are limited twice (rate_window): per client
address (a guesser walking numbers) and per tracking number typed, whether or not it exists (a
guesser walking one number's 10,000 endings from many addresses; counting only real numbers
would tell which exist). A request whose number is being guessed stays open to its slip's QR.
"No such request" and "wrong digits" are one answer, byte for byte. Not-genuine slip codes are
limited per address too. No script: plain forms.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import ValidationError
from sync.server import online_feedback, request_status
from sync.server.context import Context, context
from sync.server.db import reading
from sync.server.enrollment import client_address
from sync.server.rate_window import RateWindow, window_of
from sync.server.request_status import SlipLookup, Status
from sync.server.web.i18n import tr
from sync.server.web.public import page, refusal

router = APIRouter(include_in_schema=False)

# Wrong tries allowed: per client address in 15 minutes, per tracking number in an hour. A
# person mistyping tries a few times; a guesser of one number's four digits gets 5 of 10,000.
ADDRESS_TRIES, ADDRESS_WINDOW = 10, timedelta(minutes=15)
TRACKING_TRIES, TRACKING_WINDOW = 5, timedelta(hours=1)
_FORM_MAX = 16_384  # bytes: a comment of 500 Lao characters, percent-encoded, and the rest


def _address_window(request: Request) -> RateWindow:
    return window_of(request.app, "status_address", ADDRESS_TRIES, ADDRESS_WINDOW)


def _tracking_window(request: Request) -> RateWindow:
    return window_of(request.app, "status_tracking", TRACKING_TRIES, TRACKING_WINDOW)


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded fields, or None when the body is too large to be this form's."""
    body = await request.body()
    if len(body) > _FORM_MAX:
        return None
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _too_many(request: Request, wait: int) -> HTMLResponse:
    minutes = max(1, -(-wait // 60))
    return refusal(request, 429, "pub_status_wait", {"Retry-After": str(wait)}, minutes=minutes)


def _both(key: str | None, **values: object) -> tuple[str, str] | None:
    """A message in Lao and English: a person who cannot read the chosen language still can."""
    return None if key is None else (tr("lo", key, **values), tr("en", key, **values))


def _form_page(
    request: Request, status: int = 200, tracking: str = "", error: str | None = None
) -> HTMLResponse:
    return page(request, "status.html", status, tracking=tracking, error=_both(error))


@router.get("/status")
def status_form(request: Request) -> HTMLResponse:
    return _form_page(request)


@router.post("/status")
async def status_lookup(request: Request) -> HTMLResponse:
    form = await _form(request)
    if form is None:
        return _form_page(request, 413, error="pub_status_bad_tracking")
    typed = form.get("tracking", "")[:60]
    tracking = request_status.clean_tracking(typed)
    digits = request_status.clean_digits(form.get("digits", ""))
    if tracking is None:
        return _form_page(request, 400, typed, "pub_status_bad_tracking")
    if digits is None:
        return _form_page(request, 400, tracking, "pub_status_bad_digits")
    ctx = context(request)
    now = ctx.now()
    address = client_address(request)
    by_address, by_tracking = _address_window(request), _tracking_window(request)
    wait = max(by_address.wait_seconds(address, now), by_tracking.wait_seconds(tracking, now))
    if wait:
        return _too_many(request, wait)
    found = await run_in_threadpool(_by_phone, ctx, tracking, digits)
    if found is None:
        by_address.note(address, now)
        by_tracking.note(tracking, now)
        return _form_page(request, 404, tracking, "pub_status_not_found")
    return _request_page(request, found, None)


def _by_phone(ctx: Context, tracking: str, digits: str) -> Status | None:
    with reading(ctx.engine) as conn:
        return request_status.by_phone(conn, tracking, digits, local_date(ctx.now()))


def _by_slip(ctx: Context, code: str) -> tuple[SlipLookup, bool]:
    """The slip's lookup, and whether the request was rated already."""
    with reading(ctx.engine) as conn:
        found = request_status.by_slip(conn, code, local_date(ctx.now()))
        rated = found.status is not None and online_feedback.rated(conn, found.status.request_id)
        return found, rated


def _request_page(
    request: Request,
    found: Status,
    code: str | None,
    rated: bool = False,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
    comment: str = "",
) -> HTMLResponse:
    """A request's status; with the rating form when opened by its slip's code."""
    return page(
        request,
        "status_request.html",
        status,
        found=found,
        code=code,
        rated=rated,
        notice=_both(notice),
        error=_both(error, limit=online_feedback.COMMENT_MAX),
        comment=comment,
        comment_max=online_feedback.COMMENT_MAX,
    )


async def _slip(request: Request, code: str) -> tuple[SlipLookup, bool] | HTMLResponse:
    """The slip's lookup, or the refusal of a code that is not genuine (counted per address)."""
    ctx = context(request)
    now = ctx.now()
    address = client_address(request)
    window = window_of(request.app, "slip_address", ADDRESS_TRIES, ADDRESS_WINDOW)
    wait = window.wait_seconds(address, now)
    if wait:
        return _too_many(request, wait)
    found, rated = await run_in_threadpool(_by_slip, ctx, code[:300])
    if not found.genuine:
        window.note(address, now)
        return refusal(request, 404, "pub_slip_not_genuine")
    return found, rated


@router.get("/s/{code}")
async def slip_status(request: Request, code: str) -> HTMLResponse:
    looked = await _slip(request, code)
    if isinstance(looked, HTMLResponse):
        return looked
    found, rated = looked
    if found.status is None:
        message = _both("pub_slip_not_yet", tracking=found.tracking)
        return page(request, "status_not_yet.html", message=message)
    return _request_page(request, found.status, code, rated)


@router.post("/s/{code}")
async def slip_feedback(request: Request, code: str) -> HTMLResponse:
    looked = await _slip(request, code)
    if isinstance(looked, HTMLResponse):
        return looked
    found, rated = looked
    if found.status is None:
        message = _both("pub_slip_not_yet", tracking=found.tracking)
        return page(request, "status_not_yet.html", 404, message=message)
    shown = found.status
    if rated:
        return _request_page(request, shown, code, True, 409, error="pub_fb_already")
    form = await _form(request)
    if form is None:
        return _request_page(request, shown, code, False, 413, error="pub_fb_too_long")
    comment = form.get("comment", "")
    try:
        rating = online_feedback.clean_rating(form.get("rating"))
        text = online_feedback.clean_comment(comment)
    except ValidationError as exc:
        key = {"feedback.rating": "pub_fb_bad_rating", "text.too_long": "pub_fb_too_long"}
        error = key.get(exc.code, "pub_fb_control")
        return _request_page(request, shown, code, False, 400, error=error, comment=comment)
    ctx = context(request)
    given = await run_in_threadpool(
        online_feedback.give, ctx.engine, shown.request_id, rating, text, ctx.now()
    )
    if given is online_feedback.Given.ALREADY:
        return _request_page(request, shown, code, True, 409, error="pub_fb_already")
    return _request_page(request, shown, code, True, notice="pub_fb_thanks")
