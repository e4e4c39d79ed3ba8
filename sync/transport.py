"""HTTP to the centre: the address policy, TLS, timeouts, gzip, and errors people can read.

TLS is always verified (a CA bundle can be added for a centre with its own CA; `verify=False`
is never used). Plain `http://` is only for a server on this very computer (tests, a
demonstration): anywhere else the token and citizens' data would cross the network readable, so
such an address is refused before any request is made. Redirects are not followed: a redirect
would carry the token to an address nobody checked.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from sync.errors import SyncError

CONNECT_TIMEOUT = 30.0  # seconds to open a connection: a 2G link's handshake can take long
READ_TIMEOUT = 120.0  # seconds between bytes of a reply: a big batch on 50 kbit/s
DEFAULT_TIMEOUTS = (CONNECT_TIMEOUT, READ_TIMEOUT)

# Whole-request statuses that say the server is overloaded or out of time: try later, smaller.
BUSY = frozenset({408, 429})


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The server's base address, normalised (no trailing slash), or a refusal."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
        parts = None
    if (
        parts is None
        or not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None  # the token is the only credential sent
        or parts.query
        or parts.fragment
        or any(ch.isspace() or ord(ch) < 32 for ch in text)
    ):
        raise SyncError("sync.url_invalid", retry=False, url=text[:200])
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise SyncError("sync.http_not_local", retry=False, host=parts.hostname)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def compact_json(value: Any) -> bytes:
    """JSON as small as it gets before gzip: no spaces, Lao as UTF-8 rather than \\u escapes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def problem_of(response: requests.Response) -> tuple[str | None, str]:
    """(code, detail) of a problem+json body; anything else gives (None, the HTTP reason)."""
    try:
        body = response.json()
    except ValueError:
        return None, response.reason or ""
    if not isinstance(body, dict):
        return None, response.reason or ""
    code = body.get("code")
    detail = body.get("detail") or body.get("title") or response.reason or ""
    return (code if isinstance(code, str) else None), str(detail)[:300]


class Transport:
    """One server, one token: requests with the headers, checks and limits every call needs."""

    def __init__(
        self,
        server_url: str,
        *,
        device_time: Callable[[], str],
        token: str | None = None,
        ca_bundle: str | None = None,
        session: requests.Session | None = None,
        timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
    ) -> None:
        self.base = check_server_url(server_url)
        if ca_bundle is not None and not Path(ca_bundle).is_file():
            raise SyncError("sync.ca_bundle_missing", retry=False, path=str(ca_bundle))
        # requests reads a path as "verify against this CA bundle"; True means the system's.
        self.verify: str | bool = str(ca_bundle) if ca_bundle is not None else True
        self.device_time = device_time
        self.token = token
        self.session = session if session is not None else requests.Session()
        self.timeouts = timeouts

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        gzipped: bool = False,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send one request; any answer comes back, only a failure to get one raises.

        `body` is a JSON value, or bytes already encoded (`gzipped` when they are gzip).
        """
        sent = {
            "X-Device-Time": self.device_time(),
            "Accept-Encoding": "gzip",
            "Accept": "application/json",
            **(headers or {}),
        }
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else compact_json(body)
            sent["Content-Type"] = "application/json"
            if gzipped:
                sent["Content-Encoding"] = "gzip"
        try:
            return self.session.request(
                method,
                self.base + path,
                data=data,
                headers=sent,
                timeout=self.timeouts,
                verify=self.verify,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise SyncError("sync.tls", retry=False, server=self.base, detail=_short(exc)) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise SyncError("sync.timeout", retry=True, timeout=True, server=self.base) from exc
        except requests.exceptions.ConnectionError as exc:
            # The network answered but nothing listens there: the centre's program is stopped
            # (or the address is wrong). Anything else (no route, no name, a connect timeout, a
            # reply cut off) is the link itself.
            code = "sync.server_down" if _refused(exc) else "sync.offline"
            raise SyncError(code, retry=True, server=self.base, detail=_short(exc)) from exc
        except requests.exceptions.RequestException as exc:
            raise SyncError(
                "sync.offline", retry=True, server=self.base, detail=_short(exc)
            ) from exc

    def refusal(self, response: requests.Response) -> SyncError:
        """What a non-2xx answer means for the person at the counter."""
        status = response.status_code
        code, detail = problem_of(response)
        if status == 401:
            return SyncError("sync.unauthorized", retry=False, status=status)
        if status in BUSY:
            return SyncError(
                "sync.busy", retry=True, status=status, timeout=status == 408, server=self.base
            )
        if status >= 500:
            return SyncError("sync.server_error", retry=True, status=status, server=self.base)
        if code is None and (status < 400 or status in (404, 405)):
            # No problem body: a redirect, or a web server that is not the centre's.
            return SyncError("sync.not_server", retry=False, status=status, server=self.base)
        return SyncError(
            "sync.refused", retry=False, status=status, problem=code or "-", detail=detail
        )

    def json(self, response: requests.Response) -> Any:
        """A 2xx reply's JSON, or bad_reply (a captive portal's page, a cut body)."""
        try:
            return response.json()
        except ValueError as exc:
            raise SyncError(
                "sync.bad_reply", retry=True, server=self.base, detail="not JSON"
            ) from exc


def _refused(exc: BaseException) -> bool:
    """Whether a connection was refused: the host is there, no program answers on the port."""
    seen: BaseException | None = exc
    for _ in range(10):  # requests wraps urllib3's errors, which wrap the socket's
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = seen.__cause__ or seen.__context__ or _reason_of(seen)
    return False


def _reason_of(exc: BaseException) -> BaseException | None:
    # urllib3 keeps the socket's error in `.reason`, requests the urllib3 one in `.args[0]`.
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        return reason
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, BaseException) else None


def _short(exc: BaseException) -> str:
    """The cause of a network failure in a few words ("Connection refused"), not urllib3's
    nest of wrappers."""
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError names the cause
    text = str(reason).split(">: ", 1)[-1]  # drop "<HTTPConnection object at 0x...>: "
    return text if len(text) <= 200 else text[:197] + "..."
