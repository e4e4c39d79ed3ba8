"""The common passwords no one may choose, at the counter (`domain.users`) or at the centre
(`sync.server.accounts`): one list, shipped as data in odsc_desk/data/common_passwords.json."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def common_passwords() -> frozenset[str]:
    """The list, lower-cased as it is stored; compare a password folded the same way."""
    data = resources.files("odsc_desk").joinpath("data", "common_passwords.json").read_text("utf-8")
    return frozenset(json.loads(data)["passwords"])
