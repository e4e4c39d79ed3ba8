"""The `odsc` command line's grammar: every command, its options and help, and usage errors in
Lao and English (in JSON too with --json)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from odsc_desk import __version__
from odsc_desk.api import (
    payments,
    prints,
    settings,
    users,
)
from odsc_desk.shared import request_history
from ui.cli.context import Result
from ui.cli.counter_commands import (
    cmd_catalog_import,
    cmd_catalog_list,
    cmd_day,
    cmd_feedback,
    cmd_init,
    cmd_pay,
    cmd_refund,
    cmd_request_list,
    cmd_request_new,
    cmd_request_show,
    cmd_request_status,
    cmd_session_close,
    cmd_session_open,
    cmd_user_add,
    cmd_user_list,
    cmd_user_unlock,
    cmd_void,
)
from ui.cli.document_commands import (
    cmd_notice,
    cmd_receipt,
    cmd_slip,
    cmd_summary,
)
from ui.cli.store_commands import (
    cmd_backup,
    cmd_check,
    cmd_closure_add,
    cmd_closure_list,
    cmd_diagnose,
    cmd_export,
    cmd_restore,
    cmd_setting_list,
    cmd_setting_set,
)
from ui.cli.sync_commands import (
    cmd_sync_enroll,
    cmd_sync_parked,
    cmd_sync_run,
    cmd_sync_status,
)


class Parser(argparse.ArgumentParser):
    # Set by main() before parsing, so a usage error can still answer in JSON.
    json_errors = False

    def error(self, message: str) -> NoReturn:
        if Parser.json_errors:
            error = {
                "code": "usage",
                "field": None,
                "message_lo": "ຄຳສັ່ງບໍ່ຖືກຕ້ອງ",
                "message_en": f"Invalid command: {message}",
            }
            print(json.dumps({"error": error}, ensure_ascii=False))
        self.print_usage(sys.stderr)
        self.exit(2, f"ຄຳສັ່ງບໍ່ຖືກຕ້ອງ / Invalid command: {message}\n")


def command(
    parent: Any,
    name: str,
    handler: Callable[..., Result],
    help_text: str,
    role: str | None = "clerk",
) -> Any:
    """A command, and who may run it: `main` asks for the user's password and checks `role`
    before the command does anything. "clerk", the default, is any user who logs in: every
    command that reads citizens' data or the store's secrets, or writes, needs one (the core
    checks a higher role where its use case takes the actor). None: no login, for the few
    commands that read neither and must work when no one can log in (each says why)."""
    parser = parent.add_parser(name, help=help_text)
    parser.set_defaults(handler=handler, role=role)
    return parser


def required_role(args: argparse.Namespace) -> str | None:
    """The role the parsed command needs, its options counted: a backup to a file leaves the PC
    with the whole store (supervisors), the automatic copy stays in the data folder and runs
    from a scheduler with no one to type a password; putting parked ops back in the queue
    changes what is sent to the centre (supervisors), listing them does not."""
    if args.handler is cmd_backup:
        return None if args.auto else "supervisor"
    if args.handler is cmd_sync_parked and args.retry:
        return "supervisor"
    role: str | None = args.role
    return role


def _setup_commands(sub: Any) -> None:
    """Setting up: the store, users, the catalog."""
    # No login: there is no user yet.
    c = command(sub, "init", cmd_init, "create the store for this counter", role=None)
    c.add_argument("--office-code", required=True, help="the office's code, e.g. VTE-SST")
    c.add_argument("--office-name", required=True, help="the office's name, as printed on receipts")
    c.add_argument("--counter", required=True, help="this counter's number, 1 to 99")
    c.add_argument("--admin", required=True, help="the first admin's user name")
    source = c.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--demo-catalog", action="store_true", help="the demo service catalog shipped with the app"
    )
    source.add_argument("--catalog", metavar="FILE", help="a catalog file (JSON) from the centre")

    user = sub.add_parser("user", help="user accounts").add_subparsers(dest="sub", required=True)
    c = command(user, "add", cmd_user_add, "add a user")
    c.add_argument("name", help="the new user's name (Lao or Latin)")
    c.add_argument("--role", required=True, choices=users.ROLES, help="what the user may do")
    command(user, "list", cmd_user_list, "list users, and those locked after failed logins")
    c = command(
        user,
        "unlock",
        cmd_user_unlock,
        "let a user locked after failed logins try again (supervisors)",
        role="supervisor",
    )
    c.add_argument("name", help="the locked user's name")

    cat = sub.add_parser("catalog", help="service catalog").add_subparsers(
        dest="sub", required=True
    )
    c = command(cat, "import", cmd_catalog_import, "import a catalog version")
    c.add_argument("file", help="a catalog file (JSON)")
    # No login: the public list of services and fees.
    command(cat, "list", cmd_catalog_list, "list the current catalog", role=None)


def _daily_commands(sub: Any) -> None:
    """The day's work: cash, requests, payments and corrections, feedback."""
    ses = sub.add_parser("session", help="cash sessions").add_subparsers(dest="sub", required=True)
    c = command(ses, "open", cmd_session_open, "open the cash session")
    c.add_argument("--float", required=True, help="the cash in the drawer at the start (kip)")
    c = command(ses, "close", cmd_session_close, "close the cash session")
    c.add_argument("--counted", required=True, help="the cash counted in the drawer (kip)")
    c.add_argument("--supervisor", help="the supervisor approving a difference")
    c.add_argument("--reason", help="why the count differs from the expected cash (required then)")

    req = sub.add_parser("request", help="service requests").add_subparsers(
        dest="sub", required=True
    )
    c = command(req, "new", cmd_request_new, "record a request")
    c.add_argument("--service", required=True, help="the service's code (see `odsc catalog list`)")
    c.add_argument("--citizen-name", required=True, help="the citizen's name")
    c.add_argument("--phone", help="the citizen's phone")
    c.add_argument("--id-number", help="the ID card or family book number")
    c.add_argument("--village", help="the citizen's village")
    c.add_argument("--documents", help="received document codes, comma-separated")
    c = command(req, "status", cmd_request_status, "change a request's status")
    c.add_argument("tracking", help="the tracking number")
    c.add_argument("status", choices=request_history.STATUSES, help="the new status")
    c.add_argument("--reason", help="why (needed for some statuses)")
    c = command(req, "show", cmd_request_show, "show one request")
    c.add_argument("tracking", help="the tracking number")
    c = command(req, "list", cmd_request_list, "list requests")
    c.add_argument("--date", help="requests taken on this day (YYYY-MM-DD)")
    c.add_argument("--status", choices=request_history.STATUSES, help="only this status")
    c.add_argument("--overdue", action="store_true", help="only requests past their promised date")
    c.add_argument("--search", help="a name, phone, ID or tracking number")
    c.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")

    c = command(sub, "pay", cmd_pay, "take a fee payment")
    c.add_argument("tracking", help="the tracking number")
    c.add_argument("--amount", help="the amount in kip (default: what is still due)")
    c.add_argument(
        "--method", default="cash", choices=payments.METHODS, help="how it was paid (default cash)"
    )
    c = command(sub, "void", cmd_void, "void a receipt")
    c.add_argument("receipt", help="the receipt number")
    c.add_argument("--reason", required=True, help="why it is voided")
    c.add_argument("--supervisor", required=True, help="the supervisor approving it")
    c = command(sub, "refund", cmd_refund, "refund (part of) a receipt")
    c.add_argument("receipt", help="the receipt number")
    c.add_argument("--amount", required=True, help="the amount given back (kip)")
    c.add_argument("--reason", required=True, help="why it is refunded")
    c.add_argument("--supervisor", required=True, help="the supervisor approving it")
    c = command(sub, "feedback", cmd_feedback, "record citizen feedback")
    c.add_argument("tracking", help="the tracking number")
    c.add_argument("--rating", required=True, help="1 (poor) to 5 (very good)")
    c.add_argument("--comment", help="what the citizen said")


def _store_commands(sub: Any) -> None:
    """The day's figures and keeping the store."""
    c = command(sub, "day", cmd_day, "a day's totals")
    c.add_argument("--date", help="the day (YYYY-MM-DD; default today)")
    c.add_argument(
        "--office",
        action="store_true",
        help="every counter of the office and their total, as of the last sync (* this one)",
    )
    # No login: it says whether the file is sound, never what it holds, and is what is run
    # when something is wrong (perhaps no one can log in).
    c = command(sub, "check", cmd_check, "integrity check and audit chain", role=None)
    c.add_argument(
        "--heads",
        metavar="FILE",
        help='chain heads typed from daily summaries, one "<row> <hash>" a line, to check too',
    )
    # No login: the report holds no citizen data and no secret (diagnose.py), and it is for
    # when the store or a password is lost.
    c = command(
        sub, "diagnose", cmd_diagnose, "write a report for support staff (a zip)", role=None
    )
    c.add_argument(
        "--out",
        required=True,
        metavar="FILE.zip",
        help="the report to write (never over an existing file)",
    )
    # Its role depends on the target: see `required_role`.
    c = command(sub, "backup", cmd_backup, "online backup", role=None)
    target = c.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--out",
        metavar="FILE",
        help="a verified copy to this new file, encrypted with a passphrase (supervisors)",
    )
    target.add_argument(
        "--auto", action="store_true", help="the automatic copy, if one is due (for a scheduler)"
    )
    # The command checks the login itself: a supervisor while the store opens, no one when it
    # is missing or damaged (no password can be checked, and restoring is the cure).
    c = command(sub, "restore", cmd_restore, "restore from a backup", role=None)
    c.add_argument("file", help="the backup file to restore")
    c = command(sub, "export", cmd_export, "export requests to CSV")
    c.add_argument("--from", dest="date_from", required=True, help="the first day (YYYY-MM-DD)")
    c.add_argument("--to", dest="date_to", required=True, help="the last day (YYYY-MM-DD)")
    c.add_argument(
        "--out", required=True, help="the CSV file to write (never over an existing file)"
    )


def _office_commands(sub: Any) -> None:
    """The office's closures and settings."""
    clo = sub.add_parser("closure", help="office closures").add_subparsers(
        dest="sub", required=True
    )
    c = command(clo, "add", cmd_closure_add, "add an office closure day")
    c.add_argument("date", help="the day the office is closed (YYYY-MM-DD)")
    c.add_argument("--reason", required=True, help="why (a holiday, a flood…)")
    # No login: the days the office is closed are public.
    command(clo, "list", cmd_closure_list, "list office closures", role=None)

    sett = sub.add_parser("setting", help="office settings").add_subparsers(
        dest="sub", required=True
    )
    # No login: how the office works, no personal data and no secret.
    command(sett, "list", cmd_setting_list, "list settings", role=None)
    c = command(sett, "set", cmd_setting_set, "change a setting")
    c.add_argument(
        "key", choices=sorted(settings.SETTINGS), help="the setting (see `odsc setting list`)"
    )
    c.add_argument("value", help="its new value")


def _document_commands(sub: Any) -> None:
    """Printed documents."""
    c = command(sub, "receipt", cmd_receipt, "print a receipt to a PDF file")
    c.add_argument("receipt", help="the receipt number")
    c.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
    c.add_argument(
        "--format", default="80mm", choices=prints.FORMATS, help="paper: 80 mm roll, A5 or A4"
    )
    c.add_argument("--copy", action="store_true", help="mark it COPY even if first printed")
    c = command(sub, "slip", cmd_slip, "print a request's appointment slip to a PDF file")
    c.add_argument("tracking", help="the tracking number")
    c.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
    c.add_argument(
        "--format", default="80mm", choices=prints.FORMATS, help="paper: 80 mm roll, A5 or A4"
    )
    c = command(sub, "notice", cmd_notice, "print a notice about a request to a PDF file")
    c.add_argument("tracking", help="the tracking number")
    c.add_argument(
        "--kind",
        required=True,
        choices=("missing-documents", "refusal", "new-date"),
        help="which notice",
    )
    c.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
    c.add_argument("--format", default="a4", choices=prints.FORMATS, help="paper (default a4)")
    c.add_argument(
        "--new-date",
        metavar="YYYY-MM-DD",
        help="with --kind new-date: the working day to tell (default: the service's days"
        " counted again from today); recorded and sent to the centre",
    )
    c = command(sub, "summary", cmd_summary, "print the daily summary (A4) to a PDF file")
    c.add_argument("--date", help="the day (YYYY-MM-DD; default today)")
    c.add_argument(
        "--office",
        action="store_true",
        help="the office's summary: every counter and the total, as of the last sync, and the"
        " histories two counters made impossible",
    )
    c.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")


def _sync_commands(sub: Any) -> None:
    """The link to the centre."""
    syn = sub.add_parser("sync", help="sync with the centre").add_subparsers(
        dest="sub", required=True
    )
    c = command(
        syn, "enroll", cmd_sync_enroll, "enroll this counter with the centre (admins)", role="admin"
    )
    c.add_argument("--server", required=True, metavar="URL", help="the centre's address, https://…")
    c.add_argument("--code", required=True, help="the one-time code from the centre")
    c.add_argument("--ca-bundle", metavar="FILE", help="the centre's CA certificate(s), PEM")
    c = command(syn, "run", cmd_sync_run, "send what waits, then fetch the centre's catalog")
    c.add_argument(
        "--once", action="store_true", help="one attempt; exit 1 unless everything was sent"
    )
    # No login: counts and times, never a record's content or the token.
    command(syn, "status", cmd_sync_status, "what waits, last sync, last error", role=None)
    c = command(syn, "parked", cmd_sync_parked, "ops the centre refused, with its reasons")
    c.add_argument("--retry", action="store_true", help="put them back in the queue (supervisors)")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="odsc", description="ODSC Desk counter ledger")
    p.add_argument("--version", action="version", version=f"odsc {__version__}")
    p.add_argument("--data-dir", help="data folder (also ODSC_DATA_DIR)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--user", help="acting user (also ODSC_USER)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    _setup_commands(sub)
    _daily_commands(sub)
    _store_commands(sub)
    _office_commands(sub)
    _document_commands(sub)
    _sync_commands(sub)
    return p
