"""`odsc`: the counter's command line. A thin layer: every rule lives in the core modules.

Exit codes: 0 done; 1 refused (bad input, wrong state, wrong password or role); 2 the command
line itself is wrong; 3 the store cannot be used (missing, damaged, foreign, newer, locked, full).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Mapping
from typing import Any

from odsc_desk.api import (
    logs,
    translate_sqlite_error,
)
from odsc_desk.shared.errors import OdscError
from ui.cli.context import HINTS, CheckFailed, Context
from ui.cli.parser import Parser, build_parser, required_role

log = logging.getLogger("odsc.cli")


def _emit(as_json: bool, payload: Mapping[str, Any], text: str) -> None:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, default=str))
    elif text:
        print(text)


def _refuse(as_json: bool, error: OdscError) -> int:
    hint = HINTS.get(error.code)
    _emit(as_json, {"error": {**error.as_dict(), "hint": hint}}, "")
    print(f"ຜິດພາດ: {error.message_lo}\nError: {error.message_en}", file=sys.stderr)
    if hint:
        print(f"→ {hint}", file=sys.stderr)
    return error.exit_code


def _command_name(args: argparse.Namespace) -> str:
    return " ".join(filter(None, (args.command, getattr(args, "sub", None))))


def main(argv: list[str] | None = None) -> int:
    # Lao must print on any console; Windows defaults a redirected stdout to a legacy code page.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    words = sys.argv[1:] if argv is None else argv
    Parser.json_errors = "--json" in words[: words.index("--") if "--" in words else None]
    args = build_parser().parse_args(argv)
    ctx = Context(args)
    # What was done, and crashes, reach <data>/logs/odsc.log. A refusal is said on the console
    # and, like the refused command, leaves the data folder as it found it.
    logs.setup_logging(ctx.data_dir, "odsc")
    started = time.monotonic()
    try:
        role = required_role(args)
        if role is not None:
            ctx.require(role)
        payload, text = args.handler(ctx, args)
    except OdscError as exc:
        return _refuse(args.json, exc)
    except CheckFailed as exc:
        _emit(args.json, exc.result, "")
        print(exc.text, file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        return _refuse(args.json, translate_sqlite_error(exc, ctx.data_dir))
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("odsc %s: failed", _command_name(args))
        raise
    else:
        log.info("odsc %s: done in %.2f s", _command_name(args), time.monotonic() - started)
    finally:
        ctx.close()
        logs.close_logging()
    try:
        _emit(args.json, payload, text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `odsc day | head`: the reader left early. The command's work is done; say nothing
        # more (Python would otherwise print a traceback while closing stdout).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
