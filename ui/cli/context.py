"""What every `odsc` command is handed: the data folder, the store, who is acting, and the
passwords asked for without echo (or taken from the environment)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from odsc_desk.api import (
    Store,
    default_data_dir,
    open_store,
    users,
)
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import AuthError, ValidationError

# What a command did: its JSON (--json) and its text for people.
Result = tuple[Mapping[str, Any], str]

_INIT = "odsc init --office-code CODE --office-name NAME --counter N --admin NAME --demo-catalog"
# The core's messages suit any front end; at the command line, also name the command that helps.
HINTS = {
    "session.none": "odsc session open --float N",
    "session.stale": "odsc session close --counted N",
    "session.difference_needs_approval": "odsc session close --counted N --supervisor NAME",
    "auth.approval_needed": "--supervisor NAME",
    "catalog.empty": "odsc catalog import FILE",
    "store.missing": _INIT,
    "store.not_initialised": _INIT,
    "store.corrupt": "odsc restore FILE",
    "sync.not_enrolled": "odsc sync enroll --server URL --code CODE",
    "sync.unauthorized": "odsc sync enroll --server URL --code CODE",
}


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError("date.invalid", "date", value=text) from exc


class Context:
    """What a command needs: the data folder, the store, and who is acting."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.data_dir = Path(args.data_dir or os.environ.get("ODSC_DATA_DIR") or default_data_dir())
        self._store: Store | None = None
        self._actor: users.Actor | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.data_dir)
        return self._store

    def actor(self) -> users.Actor:
        """Who is acting, asked once per command: `main` asks before the command runs (see
        `parser.required_role`), and a command asking again gets the same answer."""
        if self._actor is None:
            name = self.args.user or os.environ.get("ODSC_USER")
            if not name:
                raise AuthError("user.needed", "user")
            self._actor = users.authenticate(
                self.store, name, secret("ODSC_PASSWORD", f"Password for {name}: ")
            )
        return self._actor

    def require(self, role: str) -> users.Actor:
        """A logged-in user with at least `role`, or a refusal before the command does anything."""
        actor = self.actor()
        users.require_role(actor, role)
        return actor

    def approver(self, name: str | None) -> users.Actor:
        if not name:
            raise AuthError("auth.approval_needed", "supervisor")
        password = secret("ODSC_SUPERVISOR_PASSWORD", f"Supervisor {name}'s password: ")
        return users.approve(self.store, name, password)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def secret(variable: str, prompt: str) -> str:
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise AuthError("password.needed", "password", variable=variable)
    return getpass.getpass(prompt)


def new_secret(prompt: str, variable: str = "ODSC_NEW_PASSWORD") -> str:
    """A password being set (or a backup's passphrase): from `variable`, or typed twice."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise AuthError("password.needed", "password", variable=variable)
    first = getpass.getpass(prompt)
    if getpass.getpass("Again / ອີກຄັ້ງ: ") != first:
        raise ValidationError("password.mismatch", "password")
    return first


def today(store: Store) -> date:
    return local_date(store.now())


class CheckFailed(Exception):
    """A command that did its work and found something wrong (`check`, a failed backup): its
    result still goes out as JSON, its text on stderr, and it exits 1."""

    def __init__(self, result: Mapping[str, Any], text: str) -> None:
        super().__init__(text)
        self.result = result
        self.text = text
