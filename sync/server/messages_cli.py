"""`odsc-server messages send|list`: the citizens' message queue at the command line.

`send` is meant for a timer (a systemd timer or cron every minute or two): it posts what is due
and exits; see sync/server/messages.py for why sending is not a task inside `serve`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import Engine

from odsc_desk.shared.clock import system_clock
from sync.server import messages, sms_gateway
from sync.server.db import MESSAGE_STATES


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number from 1: {text!r}")
    return int(text)


def cmd_send(args: argparse.Namespace, engine: Engine) -> int:
    gateway = sms_gateway.from_environment(args.gateway, args.sender)
    result = messages.send_due(
        engine,
        gateway,
        system_clock(),
        max_tries=args.max_tries,
        daily_cap=args.daily_cap,
    )
    if args.json:
        print(json.dumps(result.as_dict()))
    else:
        print(
            f"sent {result.sent}, to try again {result.retrying}, failed {result.failed},"
            f" held for tomorrow by the daily cap {result.deferred}"
        )
    return 0


def cmd_list(args: argparse.Namespace, engine: Engine) -> int:
    rows = messages.listing(engine, args.state, args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No message is queued or sent.")
    for r in rows:
        delivery = f"  delivery {r['delivery']}" if r["delivery"] else ""
        error = f"  last error: {r['last_error']}" if r["last_error"] else ""
        print(
            f"{r['id']}  {r['tracking']}  {r['kind']}  {r['lang']}  to {r['phone']}"
            f"  {r['state']} after {r['attempts']} tries  {r['segments']} segment(s)"
            f"{delivery}{error}"
        )
    return 0


def add_commands(commands: Any, common: argparse.ArgumentParser, parser_class: Any) -> None:
    group = commands.add_parser("messages", help="messages to citizens' phones")
    actions = group.add_subparsers(dest="action", required=True, parser_class=parser_class)
    send = actions.add_parser(
        "send", parents=[common], help="post the messages due to the SMS gateway, then exit"
    )
    send.add_argument(
        "--gateway",
        metavar="URL",
        help=f"the gateway's address (default: {sms_gateway.URL_ENV}; its token only from "
        f"{sms_gateway.TOKEN_ENV})",
    )
    send.add_argument(
        "--sender",
        metavar="ID",
        help=f"the sender id shown on the phone (default: {sms_gateway.SENDER_ENV}, else "
        f"{sms_gateway.DEFAULT_SENDER})",
    )
    send.add_argument(
        "--max-tries",
        type=_at_least_one,
        default=messages.DEFAULT_MAX_TRIES,
        help=f"tries before a message is failed (default {messages.DEFAULT_MAX_TRIES})",
    )
    send.add_argument(
        "--daily-cap",
        type=_at_least_one,
        default=messages.DEFAULT_DAILY_CAP,
        help="messages a Vientiane day to one phone; more wait for the next day "
        f"(default {messages.DEFAULT_DAILY_CAP})",
    )
    send.add_argument("--json", action="store_true", help="print the counts as JSON")
    send.set_defaults(handler=cmd_send)
    listed = actions.add_parser("list", parents=[common], help="the newest messages, newest first")
    listed.add_argument("--state", choices=MESSAGE_STATES, help="only messages in this state")
    listed.add_argument(
        "--limit", type=_at_least_one, default=100, help="at most this many (default 100)"
    )
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(handler=cmd_list)
