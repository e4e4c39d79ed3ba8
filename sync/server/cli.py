"""`odsc-server`: run the centre's server and administer it.

Every command opens the database it is pointed at and brings it to the newest schema first, so
`enroll` may come before the first `serve`. Exit codes: 0 done, 1 refused (bad value, unknown
device, a catalog a counter would refuse), 2 usage (bad option, bad database URL), 3 the
database cannot be used (unreachable, unwritable, damaged).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import platformdirs
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from odsc_desk.shared.clock import stamp, system_clock
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.text import has_control
from sync.protocol import Problem
from sync.server import enrollment, reference, reports
from sync.server.auth import new_token
from sync.server.db import (
    DatabaseUnusable,
    devices,
    open_db,
    sqlite_url,
    token_hash,
    viewers,
    writing,
)
from sync.server.problems import Refused

PROG = "odsc-server"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8470


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line on stderr, not argparse's usage block: scripts and people both read it.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("odsc-server", appauthor=False))


def database_target(args: argparse.Namespace) -> str:
    """--db, else ODSC_SERVER_DB, else server.sqlite3 in the data folder (made if missing)."""
    url = args.db or os.environ.get("ODSC_SERVER_DB")
    if url:
        return url
    folder = args.data_dir or os.environ.get("ODSC_SERVER_DATA_DIR") or default_data_dir()
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnusable(f"cannot create the data folder {folder}: {exc.strerror}") from exc
    return sqlite_url(folder / "server.sqlite3").render_as_string()


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_serve(args: argparse.Namespace, target: str) -> int:
    import uvicorn

    from sync.server.app import create_app

    # Bound here, not by uvicorn, so a port already in use is a plain refusal (exit 1).
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    try:
        listener = socket.create_server((args.host, args.port), family=family)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise Refused(f"cannot listen on {args.host}:{args.port}: {reason}") from exc
    with listener:
        app = create_app(target)
        shown = app.state.context.engine.url.render_as_string(hide_password=True)
        print(f"{PROG}: serving http://{args.host}:{args.port} (database {shown})", flush=True)
        config = uvicorn.Config(app, log_level="info", proxy_headers=False)
        uvicorn.Server(config).run(sockets=[listener])
    return 0


def cmd_enroll(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        made = enrollment.create_code(
            conn, args.office, args.counter, system_clock(), ttl_hours=args.ttl_hours
        )
    if args.json:
        _print_json(made)
    else:
        print(
            f"Enrollment code for {made['office']} counter {made['counter']}"
            f" (valid until {made['expires_at']}): {made['code']}"
        )
    return 0


def cmd_revoke(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        known = enrollment.revoke(conn, args.device, system_clock())
    if not known:
        raise Refused(f"no device {args.device!r} is enrolled (see: {PROG} devices)")
    print(f"Device {args.device} revoked: its token no longer works.")
    return 0


def cmd_catalog_publish(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = reference.publish(conn, args.file, system_clock())
    state = "published" if done["added"] else "was already published"
    print(f"Catalog version {done['version']} ({done['label']}) {state}.")
    return 0


def cmd_viewer_add(args: argparse.Namespace, engine: Engine) -> int:
    name = " ".join(args.name.split())
    if not name or len(name) > 100 or has_control(name):
        raise Refused("a viewer's name must be 1 to 100 printable characters")
    token = new_token()
    with writing(engine) as conn:
        conn.execute(
            insert(viewers).values(
                name=name, token_sha256=token_hash(token), created_at=_now_stamp()
            )
        )
    print(f"Read-only report token for {name} (shown once, keep it safe): {token}")
    return 0


def cmd_viewer_list(args: argparse.Namespace, engine: Engine) -> int:
    columns = (viewers.c.id, viewers.c.name, viewers.c.created_at, viewers.c.revoked_at)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(*columns).order_by(viewers.c.id))]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("No viewer token has been made.")
    for r in rows:
        state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
        print(f"{r['id']}  {r['name']}  made {r['created_at']}  {state}")
    return 0


def cmd_viewer_revoke(args: argparse.Namespace, engine: Engine) -> int:
    """Revoke by id (a whole number, as `viewer list` shows) or by name; a name two viewers
    share is refused, so that one command never revokes more than the one meant."""
    wanted = " ".join(args.viewer.split())
    with writing(engine) as conn:
        # An id is what `viewer list` prints; a name made only of digits is revoked by its id.
        is_id = wanted.isascii() and wanted.isdigit() and len(wanted) <= 9
        by = viewers.c.id == int(wanted) if is_id else viewers.c.name == wanted
        found = conn.execute(select(viewers.c.id, viewers.c.revoked_at).where(by)).all()
        if not found:
            raise Refused(f"no viewer {wanted!r} (see: {PROG} viewer list)")
        if len(found) > 1:
            ids = ", ".join(str(r.id) for r in found)
            raise Refused(f"{len(found)} viewers are named {wanted!r}: revoke one by id ({ids})")
        [viewer] = found
        if viewer.revoked_at is None:
            conn.execute(
                update(viewers).where(viewers.c.id == viewer.id).values(revoked_at=_now_stamp())
            )
    print(f"Viewer {wanted} revoked: its report token no longer works.")
    return 0


def cmd_stats(args: argparse.Namespace, engine: Engine) -> int:
    with engine.connect() as conn:
        if args.date is not None:
            if args.office is None:
                raise Refused("--date needs --office")
            day = reports.check_day(args.date, system_clock().date())
            data: Any = reports.day_report(conn, args.office, day)
        elif args.office is not None:
            data = reports.office_report(conn, args.office)
        else:
            data = reports.office_reports(conn)
    if args.json:
        _print_json(data)
        return 0
    rows = data if isinstance(data, list) else [data]
    if not rows:
        print("No counter is enrolled yet.")
    for row in rows:
        print("  ".join(f"{k}={v}" for k, v in _flat(row).items()))
        for flag in row["chain_flags"]:
            print(
                f"  CHAIN {flag['status'].upper()}: {flag['office']} counter {flag['counter']}"
                f" ({flag['device_id']}) at link {flag['seq']}, seen {flag['seen_at']}"
            )
    return 0


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key == "chain_flags":  # a line of its own per flagged counter
            out["chain_flags"] = len(value)
        elif isinstance(value, dict):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def cmd_devices(args: argparse.Namespace, engine: Engine) -> int:
    columns = (
        devices.c.device_id,
        devices.c.office,
        devices.c.counter,
        devices.c.enrolled_at,
        devices.c.revoked_at,
        devices.c.last_sync,
        devices.c.high_water,
        devices.c.ops,
        devices.c.clock_offset,
        devices.c.max_ahead,
        devices.c.public_key,  # checks the signatures on this counter's receipts
    )
    with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(select(*columns).order_by(devices.c.office, devices.c.counter))
        ]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("No device is enrolled.")
    for r in rows:
        state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
        print(
            f"{r['device_id']}  {r['office']} counter {r['counter']}  {state}"
            f"  last sync {r['last_sync'] or 'never'}  ops {r['ops']}"
        )
    return 0


def _now_stamp() -> str:
    return stamp(system_clock())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {text!r}")
    return int(text)


def _hours(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number of hours: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    # A _Parser like the subcommands: typeshed wants `parents` of the subparsers' own class
    # (argparse takes any ArgumentParser). It only lends its options, so nothing else changes.
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        help="sqlite:///FILE or postgresql://… "
        "(default: ODSC_SERVER_DB, else server.sqlite3 in the data folder)",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        help="the server's data folder (default: ODSC_SERVER_DATA_DIR, else "
        "the platform's user data folder)",
    )

    parser = _Parser(
        prog=PROG,
        description="The ODSC Desk central sync server.",
        epilog="Every command takes --db URL and --data-dir DIR (the database, and the folder "
        "that holds server.sqlite3 by default); see `odsc-server COMMAND --help`.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", parents=[common], help="run the HTTP server")
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    serve.set_defaults(handler=cmd_serve, opens_db_itself=True)

    enroll = commands.add_parser(
        "enroll", parents=[common], help="make a one-time enrollment code for an office counter"
    )
    enroll.add_argument("--office", required=True, metavar="CODE", help="office code, e.g. VTE-SST")
    enroll.add_argument("--counter", required=True, metavar="N", help="counter number, 1 to 99")
    enroll.add_argument(
        "--ttl-hours",
        type=_hours,
        default=enrollment.DEFAULT_TTL_HOURS,
        metavar="H",
        help=f"hours the code stays valid (default {enrollment.DEFAULT_TTL_HOURS})",
    )
    enroll.add_argument("--json", action="store_true", help="print one JSON object")
    enroll.set_defaults(handler=cmd_enroll)

    revoke = commands.add_parser("revoke", parents=[common], help="revoke a device's token")
    revoke.add_argument("device", metavar="DEVICE", help="the device id (see devices)")
    revoke.set_defaults(handler=cmd_revoke)

    catalog = commands.add_parser("catalog", help="reference data for the counters")
    catalog_commands = catalog.add_subparsers(dest="action", required=True, parser_class=_Parser)
    publish = catalog_commands.add_parser(
        "publish", parents=[common], help="publish a catalog file as a new version"
    )
    publish.add_argument("file", metavar="FILE", type=Path, help="a catalog file (JSON)")
    publish.set_defaults(handler=cmd_catalog_publish)

    viewer = commands.add_parser("viewer", help="read-only access to the reports")
    viewer_commands = viewer.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = viewer_commands.add_parser("add", parents=[common], help="make a report token")
    add.add_argument("name", metavar="NAME", help="who the token is for")
    add.set_defaults(handler=cmd_viewer_add)
    listed = viewer_commands.add_parser("list", parents=[common], help="list the report tokens")
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(handler=cmd_viewer_list)
    revoke_viewer = viewer_commands.add_parser(
        "revoke", parents=[common], help="revoke a report token: it answers 401 from then on"
    )
    revoke_viewer.add_argument(
        "viewer", metavar="NAME-OR-ID", help="the viewer's id or name (see viewer list)"
    )
    revoke_viewer.set_defaults(handler=cmd_viewer_revoke)

    stats = commands.add_parser("stats", parents=[common], help="per-office totals")
    stats.add_argument("--office", metavar="CODE", help="one office (default: every office)")
    stats.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="with --office: that business date's figures",
    )
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(handler=cmd_stats)

    listing = commands.add_parser("devices", parents=[common], help="list enrolled devices")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_devices)
    return parser


def _fail(code: int, message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[..., int] = args.handler
    try:
        target = database_target(args)
        if getattr(args, "opens_db_itself", False):
            return handler(args, target)
        engine = open_db(target)
        try:
            return handler(args, engine)
        finally:
            engine.dispose()
    except Refused as exc:
        return _fail(exc.exit_code, f"{exc.label}: {exc}")
    except SQLAlchemyError as exc:
        return _fail(3, f"database error: {str(exc).splitlines()[0]}")
    except OdscError as exc:  # a shared rule (an office code, a catalog file) refused the input
        return _fail(1, f"refused: {exc.message_en}")
    except Problem as exc:
        return _fail(1, f"refused: {exc}")


if __name__ == "__main__":
    sys.exit(main())
