"""Typed errors carrying a message in Lao and in English.

Every refusal the core makes is one of these, so the UI can show it next to a field, the CLI can
print it and exit non-zero, and the server can answer with a problem body, all from one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from odsc_desk.shared.messages import MESSAGES, render


class OdscError(Exception):
    """Base of all refusals. `code` keys the two-language message catalog."""

    exit_code = 1
    # Where `code` is looked up: the core's catalog, or a package's own (sync.errors).
    catalog: Mapping[str, tuple[str, str]] = MESSAGES

    def __init__(self, code: str, field: str | None = None, /, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        self.message_lo, self.message_en = render(code, self.catalog, **params)
        super().__init__(self.message_en)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "message_lo": self.message_lo,
            "message_en": self.message_en,
        }

    def bilingual(self) -> str:
        return f"{self.message_lo}\n{self.message_en}"


class ValidationError(OdscError):
    """An input value is wrong; `field` names it."""


class NotFoundError(OdscError):
    """A tracking number, receipt, service or user that does not exist."""


class StateError(OdscError):
    """The action is not allowed in the current state (illegal status change, no open session)."""


class AuthError(OdscError):
    """Wrong user name or password, or a role that may not do this."""


class StoreError(OdscError):
    """The store cannot be used: missing, damaged, foreign, newer, locked or full."""

    exit_code = 3
