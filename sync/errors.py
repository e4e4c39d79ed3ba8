"""Why a sync could not finish, in Lao and English, and whether trying later may help."""

from __future__ import annotations

from typing import Any

from odsc_desk.shared.errors import OdscError
from sync.messages import MESSAGES


class SyncError(OdscError):
    """A sync or enrollment that stopped. Nothing queued is lost when one is raised.

    `retry`: trying again later, with nothing changed here, may succeed (the network, a busy or
    failing server). `status`: the HTTP status, when the server answered. `timeout`: the server
    took too long to answer (the batch may have been too big for the link).
    """

    catalog = MESSAGES

    def __init__(
        self,
        code: str,
        /,
        *,
        retry: bool,
        status: int | None = None,
        timeout: bool = False,
        **params: Any,
    ) -> None:
        if status is not None:
            params.setdefault("status", status)
        super().__init__(code, None, **params)
        self.retry = retry
        self.status = status
        self.timeout = timeout
