"""The adapter for an SMS gateway's HTTP API: one message posted, and what the answer means.

Gateways differ in field names but not in shape: an HTTPS POST with a bearer token, the sender
id, the number and the text, answered with the gateway's id for the message, and later a
delivery report posted back. This adapter speaks one such shape (README, "Messages to the
citizen's phone"); a gateway that wants another is one function here.

    POST <url>   Authorization: Bearer <token>
    {"from": <sender id>, "to": "+85620...", "text": ..., "encoding": "ucs2" | "gsm7",
     "reference": <our message id>}
    -> 2xx {"id": "<the gateway's id>"}

What the answer means for the message: 2xx sent (with the gateway's id); a timeout, a refused
or cut connection, 408, 429 or any 5xx is the gateway's trouble, tried again later; any other
4xx says this message will never be taken (a number it cannot reach, a text it refuses, our
token refused) and is not tried again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import requests

from sync.server.problems import Refused

# The gateway's settings, from the server's environment like its other settings.
URL_ENV = "ODSC_SERVER_SMS_URL"
TOKEN_ENV = "ODSC_SERVER_SMS_TOKEN"
SENDER_ENV = "ODSC_SERVER_SMS_SENDER"
DEFAULT_SENDER = "ODSC"
TIMEOUT_S = 15.0
_RETRIED = frozenset({408, 429})
GATEWAY_ID_MAX = 100


@dataclass(frozen=True)
class Gateway:
    url: str
    token: str | None
    sender: str
    timeout: float = TIMEOUT_S


def from_environment(url: str | None = None, sender: str | None = None) -> Gateway:
    """The gateway the environment names (`url` and `sender` given on the command line win).
    The token is read only from the environment: a command line is visible to every user."""
    url = url or os.environ.get(URL_ENV)
    if not url:
        raise Refused(f"no SMS gateway: set {URL_ENV} or give --gateway URL", "messages.gateway")
    if not url.startswith(("https://", "http://")):
        raise Refused(f"the SMS gateway must be an http(s) URL: {url[:80]!r}", "messages.gateway")
    return Gateway(
        url,
        os.environ.get(TOKEN_ENV) or None,
        sender or os.environ.get(SENDER_ENV) or DEFAULT_SENDER,
    )


@dataclass(frozen=True)
class Outcome:
    """`kind`: "sent" (with the gateway's id), "retry" (try again later) or "refused" (never)."""

    kind: str
    gateway_id: str | None = None
    detail: str = ""


def international(phone: str) -> str:
    """A Lao number as the gateway wants it (E.164): 020 5555 1234 -> +8562055551234."""
    if phone.startswith("+"):
        return phone
    if phone.startswith("00"):
        return "+" + phone[2:]
    if phone.startswith("856"):
        return "+" + phone
    return "+856" + phone.removeprefix("0")


def post(gateway: Gateway, reference: int, phone: str, text: str, encoding: str) -> Outcome:
    """Post one message; never raises for what the network or the gateway does."""
    body = {
        "from": gateway.sender,
        "to": international(phone),
        "text": text,
        "encoding": encoding,
        "reference": str(reference),
    }
    headers = {"Authorization": f"Bearer {gateway.token}"} if gateway.token else {}
    try:
        answer = requests.post(gateway.url, json=body, headers=headers, timeout=gateway.timeout)
    except requests.Timeout:
        return Outcome("retry", detail="timeout")
    except requests.RequestException as exc:
        return Outcome("retry", detail=f"connection: {type(exc).__name__}")
    status = answer.status_code
    if status >= 500 or status in _RETRIED:
        return Outcome("retry", detail=f"HTTP {status}")
    if not 200 <= status < 300:
        return Outcome("refused", detail=f"HTTP {status}: {answer.text[:200]}")
    gateway_id = _gateway_id(answer)
    if gateway_id is None:
        # Taken, but nothing to match a delivery report to: sent all the same (posting it
        # again would send the citizen a second message).
        return Outcome("sent", detail="the gateway's answer named no id")
    return Outcome("sent", gateway_id)


def _gateway_id(answer: requests.Response) -> str | None:
    try:
        data: Any = answer.json()
    except ValueError:
        return None
    given = data.get("id") if isinstance(data, dict) else None
    if isinstance(given, int) and not isinstance(given, bool):
        given = str(given)
    if isinstance(given, str) and 0 < len(given) <= GATEWAY_ID_MAX:
        return given
    return None
