"""`odsc-server`: run the centre's server and administer it.

Every command opens the database it is pointed at and brings it to the newest schema first, so
`enroll` may come before the first `serve`. Exit codes: 0 done, 1 refused (bad value, unknown
device, a catalog a counter would refuse), 2 usage (bad option, bad database URL), 3 the
database cannot be used (unreachable, unwritable, damaged).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import platformdirs
from sqlalchemy import Engine, func, select, true
from sqlalchemy.exc import SQLAlchemyError

from odsc_desk.shared.clock import stamp, system_clock
from odsc_desk.shared.errors import OdscError
from sync.errors import SyncError
from sync.protocol import Problem
from sync.server import (
    accounts,
    anchors,
    api_scope,
    calendars,
    enrollment,
    governance,
    hierarchy,
    hub,
    hub_sync,
    messages_cli,
    reports,
    tables,
)
from sync.server.db import (
    ROLES,
    DatabaseUnusable,
    devices,
    hub_refused,
    office_feed,
    open_db,
    ops,
    reading,
    sqlite_url,
    writing,
)
from sync.server.figures.registry import FIGURES, FigureRefused, parse_period
from sync.server.problems import Refused
from sync.server.report import command as report_command
from sync.server.report import poster_command

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
    from sync.server import workers
    from sync.server.app import create_app

    # Bound here, not by uvicorn, so a port already in use is a plain refusal (exit 1).
    try:
        sockets = workers.listeners(args.host, args.port, args.workers)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise Refused(f"cannot listen on {args.host}:{args.port}: {reason}") from exc
    try:
        app = create_app(target)  # migrated here, once, before any worker starts
        shown = app.state.context.engine.url.render_as_string(hide_password=True)
        print(
            f"{PROG}: serving http://{args.host}:{args.port} (database {shown},"
            f" {args.workers} process{'es' if args.workers > 1 else ''})",
            flush=True,
        )
        if args.workers == 1:
            workers.run(app, sockets)
            return 0
        # Each worker is a new interpreter that builds its own app over the same database: a
        # push is Python work under one lock per process, so a second process is what lets the
        # centre use a second core.
        app.state.context.engine.dispose()
        workers.supervise(target, sockets)
    finally:
        for sock in sockets:
            sock.close()
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


def cmd_hub_code(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        made = enrollment.create_relay_code(conn, args.office, system_clock(), args.ttl_hours)
    if args.json:
        _print_json(made)
    else:
        print(
            f"Enrollment code for the hub of {made['office']}"
            f" (valid until {made['expires_at']}): {made['code']}"
        )
    return 0


def cmd_hub_enroll(args: argparse.Namespace, engine: Engine) -> int:
    try:
        done = hub.enroll(
            engine, args.upstream, args.code, args.office, system_clock, args.ca_bundle
        )
    except SyncError as exc:
        raise Refused(f"the centre did not enroll this hub: {exc.message_en}") from exc
    if args.json:
        _print_json(done)
    else:
        print(
            f"This server is now the hub of {done['office']}, relaying to {done['upstream']}"
            f" as {done['device_id']}. Enroll the office's counters here"
            f" ({PROG} enroll --office {done['office']} --counter N) and run {PROG} hub sync"
            " by a timer."
        )
    return 0


def cmd_hub_sync(args: argparse.Namespace, engine: Engine) -> int:
    done = hub_sync.run(engine, system_clock)
    summary = {
        "announced": done.announced,
        "relayed": done.relayed,
        "stored": done.stored,
        "refused": done.refused,
        "heads": done.heads,
        "flagged": done.flagged,
        "pulled": done.pulled,
        "pull_refused": done.pull_refused,
        "catalog": done.catalog,
        "calendar": done.calendar,
        "error": None if done.error is None else done.error.code,
        "message": None if done.error is None else done.error.message_en,
    }
    if args.json:
        _print_json(summary)
    else:
        print(
            f"Announced {done.announced} counter(s); relayed {done.relayed} fact(s)"
            f" ({done.stored} new at the centre, {done.refused} refused);"
            f" forwarded {done.heads} chain head(s); kept {done.pulled} fact(s) of counters"
            f" syncing to the centre; catalog version {done.catalog or '-'},"
            f" calendar version {done.calendar or '-'}."
        )
        if done.flagged:
            print(f"The centre flagged the audit chain of: {', '.join(sorted(set(done.flagged)))}")
    if done.error is not None:
        print(f"{PROG}: hub sync stopped: {done.error.message_en}", file=sys.stderr)
        return 1
    return 0


def cmd_hub_status(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
        up = hub.upstream(conn)
        if up is None:
            raise Refused(f"this server is no office's hub (see: {PROG} hub enroll --help)")
        waiting = conn.execute(
            select(func.count())
            .select_from(office_feed)
            .join(ops, ops.c.op_id == office_feed.c.op_id)
            .join(devices, devices.c.device_id == ops.c.device_id)
            .where(office_feed.c.pos > up.relayed_pos, devices.c.via.is_(None))
        ).scalar_one()
        refused = conn.execute(select(func.count()).select_from(hub_refused)).scalar_one()
    status = {
        "office": up.office,
        "upstream": up.url,
        "device_id": up.device_id,
        "waiting": int(waiting),
        "refused": int(refused),
        "last_success": up.last_success,
        "last_error": up.last_error,
    }
    if args.json:
        _print_json(status)
    else:
        print(
            f"Hub of {up.office}, relaying to {up.url} as {up.device_id}:"
            f" {waiting} fact(s) waiting, {refused} refused by the centre;"
            f" last success {up.last_success or 'never'}"
            + (f"; last error: {up.last_error}" if up.last_error else "")
        )
    return 0


def cmd_revoke(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        known = enrollment.revoke(conn, args.device, system_clock())
    if not known:
        raise Refused(f"no device {args.device!r} is enrolled (see: {PROG} devices)")
    print(f"Device {args.device} revoked: its token no longer works.")
    return 0


def _publish_governed(kind: governance.Governed, args: argparse.Namespace, engine: Engine) -> int:
    effective = kind.parse_day(args.effective) if args.effective is not None else None
    with writing(engine) as conn:
        done = kind.publish_file(
            conn, args.file, args.drafted_by, args.approved_by, effective, system_clock()
        )
    state = "published" if done["added"] else "was already published"
    day = done["effective_from"] or "at once"
    print(
        f"{kind.noun.capitalize()} version {done['version']} ({done['label']}) {state},"
        f" in effect from {day}."
    )
    return 0


def cmd_catalog_publish(args: argparse.Namespace, engine: Engine) -> int:
    return _publish_governed(governance.CATALOG, args, engine)


def cmd_calendar_publish(args: argparse.Namespace, engine: Engine) -> int:
    return _publish_governed(calendars.CALENDAR, args, engine)


PASSWORD_ENV = "ODSC_SERVER_PASSWORD"


def _password(name: str) -> str:
    """A new person's password: ODSC_SERVER_PASSWORD, else typed twice at a terminal."""
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise Refused(f"no terminal to ask for {name}'s password: set {PASSWORD_ENV}")
    first = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise Refused("the two passwords differ: nothing was saved")
    return first


def _print_accounts(rows: list[dict[str, Any]], as_json: bool, none: str) -> None:
    if as_json:
        _print_json(rows)
        return
    if not rows:
        print(none)
    for r in rows:
        state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
        extra = "  personal data" if r["personal_data"] else ""
        print(
            f"{r['id']}  {r['name']}  {r['kind']} {r['role']}  {' '.join(r['scopes'])}"
            f"{extra}  made {r['created_at']}  {state}"
        )


def _print_revoked(done: dict[str, Any], as_json: bool, what: str, stops: str) -> None:
    if as_json:
        _print_json(done)
    elif done["already"]:
        print(f"{what} {done['name']} was already revoked, at {done['revoked_at']}.")
    else:
        print(f"{what} {done['name']} revoked: {stops} no longer works.")


def cmd_user_add(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        if args.token:
            made, token = accounts.add_token(
                conn, args.name, args.role, args.scope, system_clock(), args.personal_data
            )
        else:
            # Everything else is checked before a password is asked for.
            name = accounts.clean_name(args.name)
            accounts.clean_role(args.role)
            accounts.clean_grants(conn, args.scope)
            made = accounts.add_person(
                conn,
                name,
                args.role,
                args.scope,
                _password(name),
                system_clock(),
                args.personal_data,
            )
    scopes = " ".join(made["scopes"])
    if args.token:
        print(
            f"Token for {made['name']} ({made['role']}, {scopes};"
            f" shown once, keep it safe): {token}"
        )
    else:
        print(f"Account {made['name']} made ({made['role']}, {scopes}).")
    return 0


def cmd_user_list(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
        rows = accounts.list_accounts(conn)
    _print_accounts(rows, args.json, "No account has been made.")
    return 0


def cmd_user_revoke(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = accounts.revoke(conn, args.account, system_clock())
    _print_revoked(done, args.json, "Account", "its token or password")
    return 0


def cmd_user_password(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        # The account is checked before a password is asked for.
        name = accounts.person(conn, args.account).name
        done = accounts.set_password(conn, args.account, _password(name))
    if args.json:
        _print_json(done)
    else:
        print(
            f"Password of {done['name']} changed; {done['sessions_ended']} session(s) ended:"
            " they log in again with the new one."
        )
    return 0


def cmd_viewer_add(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        made, token = accounts.add_token(
            conn, args.name, accounts.VIEWER, ["nation"], system_clock()
        )
    print(f"Read-only report token for {made['name']} (shown once, keep it safe): {token}")
    return 0


def cmd_viewer_list(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
        rows = accounts.list_accounts(conn, viewer_tokens=True)
    _print_accounts(rows, args.json, "No viewer token has been made.")
    return 0


def cmd_viewer_revoke(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = accounts.revoke(conn, args.viewer, system_clock(), viewer_tokens=True)
    _print_revoked(done, args.json, "Viewer", "its report token")
    return 0


def cmd_district_add(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = hierarchy.add_district(conn, args.code, args.province, args.name_en, args.name_lo)
    state = "registered" if done["added"] else "was already registered so"
    print(f"District {done['code']} ({done['name_en']}, {done['province']}) {state}.")
    return 0


def cmd_district_list(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
        rows = hierarchy.list_districts(conn)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("No district is registered.")
    for r in rows:
        print(
            f"{r['code']}  {r['province']}  {r['name_en']}  {r['name_lo']}  offices {r['offices']}"
        )
    return 0


def cmd_office_add(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = hierarchy.add_office(
            conn,
            args.code,
            args.province,
            args.district,
            args.name_en,
            args.name_lo,
            system_clock(),
        )
    office = hierarchy.clean_office(args.code)
    said = {
        "added": "registered",
        "completed": "completed (it was registered at enrollment)",
        "unchanged": "was already registered so",
    }
    print(f"Office {office} {said[done]}.")
    return 0


def cmd_office_list(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
        rows = hierarchy.list_offices(conn)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("No office is registered.")
    for r in rows:
        counters = ",".join(str(c) for c in r["counters"]) or "none"
        print(
            f"{r['code']}  {r['province'] or 'no province'}  {r['district'] or '-'}"
            f"  {r['name_en'] or '(no name)'}  {r['name_lo'] or ''}  counters {counters}"
            f"  last sync {r['last_sync'] or 'never'}"
        )
    return 0


def cmd_office_import(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = hierarchy.import_offices(conn, args.file, system_clock())
    print(
        f"Imported {args.file}: {done['offices_added']} offices registered,"
        f" {done['offices_completed']} completed, {done['offices_unchanged']} unchanged,"
        f" {done['districts_added']} districts registered."
    )
    return 0


def _operator() -> str:
    """Who ran the command, as the system knows them: what a chain clear records."""
    try:
        return getpass.getuser()
    except OSError:  # no login name (a container without a user entry)
        return f"uid {os.getuid()}"


def cmd_chain_clear(args: argparse.Namespace, engine: Engine) -> int:
    with writing(engine) as conn:
        done = anchors.clear(conn, args.device, args.reason, _operator(), _now_stamp())
    print(
        f"Chain flag of {done['device_id']} cleared by {done['cleared_by']} at"
        f" {done['cleared_at']}; a break after this shows again."
    )
    return 0


def cmd_chain_list(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
        data = {"flags": anchors.flags(conn, lambda _t: true()), "clears": anchors.clears(conn)}
    if args.json:
        _print_json(data)
        return 0
    if not data["flags"]:
        print("No chain flag is open.")
    for f in data["flags"]:
        print(
            f"FLAG {f['status'].upper()}: {f['office']} counter {f['counter']}"
            f" ({f['device_id']}) at link {f['seq']}, seen {f['seen_at']}"
        )
    for c in data["clears"]:
        print(
            f"cleared {c['device_id']} through link {c['through_seq']} at {c['cleared_at']}"
            f" by {c['cleared_by']}: {c['reason']}"
        )
    return 0


def cmd_stats(args: argparse.Namespace, engine: Engine) -> int:
    with reading(engine) as conn:
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
        devices.c.role,  # "relay": an office's hub (docs/OFFICE_SHARING.md, D7)
        devices.c.via,  # the hub a counter enrolled with
    )
    with reading(engine) as conn:
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
        place = "hub" if r["role"] == "relay" else f"counter {r['counter']}"
        via = f" via {r['via']}" if r["via"] else ""
        print(
            f"{r['device_id']}  {r['office']} {place}{via}  {state}"
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


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"not a number of processes (1-{MAX_WORKERS}): {text!r}")
    return int(text)


MAX_WORKERS = 64


def _hours(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number of hours: {text!r}")
    return int(text)


def _code_options(command: argparse.ArgumentParser) -> None:
    """What an enrollment code's command takes besides its office (a counter's, or a hub's)."""
    command.add_argument(
        "--ttl-hours",
        type=_hours,
        default=enrollment.DEFAULT_TTL_HOURS,
        metavar="H",
        help=f"hours the code stays valid (default {enrollment.DEFAULT_TTL_HOURS})",
    )
    command.add_argument("--json", action="store_true", help="print one JSON object")


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
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="processes serving requests (default 1); one per core beside the database's",
    )
    serve.set_defaults(handler=cmd_serve, opens_db_itself=True)

    enroll = commands.add_parser(
        "enroll", parents=[common], help="make a one-time enrollment code for an office counter"
    )
    enroll.add_argument("--office", required=True, metavar="CODE", help="office code, e.g. VTE-SST")
    enroll.add_argument("--counter", required=True, metavar="N", help="counter number, 1 to 99")
    _code_options(enroll)
    enroll.set_defaults(handler=cmd_enroll)

    hub = commands.add_parser("hub", help="an office's hub (docs/OFFICE_SHARING.md, D7)")
    hub_commands = hub.add_subparsers(dest="action", required=True, parser_class=_Parser)
    hub_code = hub_commands.add_parser(
        "code", parents=[common], help="make a one-time enrollment code for an office's hub"
    )
    hub_code.add_argument("--office", required=True, metavar="CODE", help="office code")
    _code_options(hub_code)
    hub_code.set_defaults(handler=cmd_hub_code)
    hub_enroll = hub_commands.add_parser(
        "enroll", parents=[common], help="make this server its office's hub, at its centre"
    )
    hub_enroll.add_argument(
        "--upstream", required=True, metavar="URL", help="the centre's address (https://…)"
    )
    hub_enroll.add_argument(
        "--code", required=True, help=f"a code made at the centre by `{PROG} hub code`"
    )
    hub_enroll.add_argument("--office", required=True, metavar="CODE", help="office code")
    hub_enroll.add_argument(
        "--ca-bundle", metavar="FILE", help="the CA certificate(s) the centre's TLS is checked by"
    )
    hub_enroll.add_argument("--json", action="store_true", help="print one JSON object")
    hub_enroll.set_defaults(handler=cmd_hub_enroll)
    hub_sync = hub_commands.add_parser(
        "sync",
        parents=[common],
        help="relay the counters' facts to the centre and bring the office's down",
    )
    hub_sync.add_argument("--json", action="store_true", help="print one JSON object")
    hub_sync.set_defaults(handler=cmd_hub_sync)
    hub_status = hub_commands.add_parser(
        "status", parents=[common], help="the hub's centre, what waits, the last run"
    )
    hub_status.add_argument("--json", action="store_true", help="print one JSON object")
    hub_status.set_defaults(handler=cmd_hub_status)

    revoke = commands.add_parser("revoke", parents=[common], help="revoke a device's token")
    revoke.add_argument("device", metavar="DEVICE", help="the device id (see devices)")
    revoke.set_defaults(handler=cmd_revoke)

    catalog_commands = _publish_commands(
        commands, common, "catalog", "reference data for the counters"
    )
    _poster_command(catalog_commands, common)
    _publish_commands(
        commands, common, "calendar", "the national calendar of public holidays and closures"
    )

    _hierarchy_commands(commands, common)
    _people_commands(commands, common)

    chain = commands.add_parser("chain", help="counters whose audit chain did not extend")
    chain_commands = chain.add_subparsers(dest="action", required=True, parser_class=_Parser)
    clear = chain_commands.add_parser(
        "clear", parents=[common], help="clear a device's chain flag after looking into it"
    )
    clear.add_argument("device", metavar="DEVICE", help="the device id (see devices)")
    clear.add_argument("--reason", required=True, help="what was found: kept with the clear")
    clear.set_defaults(handler=cmd_chain_clear)
    chain_list = chain_commands.add_parser(
        "list", parents=[common], help="open chain flags and every clear made"
    )
    chain_list.add_argument("--json", action="store_true", help="print JSON")
    chain_list.set_defaults(handler=cmd_chain_list)

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
    _figures_commands(commands, common)
    _report_commands(commands, common)
    messages_cli.add_commands(commands, common, _Parser)
    return parser


def _hierarchy_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    district = commands.add_parser("district", help="the districts offices are placed in")
    district_commands = district.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = district_commands.add_parser("add", parents=[common], help="register a district")
    add.add_argument("code", metavar="CODE", help="the district's code, e.g. VT-01")
    add.add_argument("--province", required=True, help="its province, e.g. LA-VT")
    add.add_argument("--name-en", required=True, help="its name in English")
    add.add_argument("--name-lo", required=True, help="its name in Lao")
    add.set_defaults(handler=cmd_district_add)
    listed = district_commands.add_parser("list", parents=[common], help="list the districts")
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(handler=cmd_district_list)

    office = commands.add_parser("office", help="the offices and their counters")
    office_commands = office.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = office_commands.add_parser(
        "add", parents=[common], help="register an office, or name one registered at enrollment"
    )
    add.add_argument("code", metavar="CODE", help="the office code, e.g. VTE-SST")
    add.add_argument(
        "--province", help="its province, e.g. LA-VT (default: the one its prefix names)"
    )
    add.add_argument("--district", help="its district's code (see district list)")
    add.add_argument("--name-en", required=True, help="its name in English")
    add.add_argument("--name-lo", required=True, help="its name in Lao")
    add.set_defaults(handler=cmd_office_add)
    listed = office_commands.add_parser(
        "list", parents=[common], help="list the offices with their counters"
    )
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(handler=cmd_office_list)
    imported = office_commands.add_parser(
        "import", parents=[common], help="register the offices of a CSV file, all or none"
    )
    imported.add_argument("file", metavar="FILE", type=Path, help="a CSV file (UTF-8)")
    imported.set_defaults(handler=cmd_office_import)


def _people_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    user = commands.add_parser("user", help="people's accounts and machines' tokens")
    user_commands = user.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = user_commands.add_parser(
        "add", parents=[common], help="make an account (a person's, or with --token a machine's)"
    )
    add.add_argument("name", metavar="NAME", help="the account's name")
    add.add_argument("--role", required=True, choices=ROLES, help="what the account may do")
    add.add_argument(
        "--scope",
        required=True,
        action="append",
        metavar="SCOPE",
        help="nation, province:LA-VT, district:CODE, ministry:MOIC or office:VTE-SST"
        " (repeat for more than one)",
    )
    add.add_argument(
        "--token", action="store_true", help="a machine's token (printed once), not a password"
    )
    add.add_argument(
        "--personal-data",
        action="store_true",
        help="may read names, phones and ID numbers within its scopes",
    )
    add.set_defaults(handler=cmd_user_add)
    listed = user_commands.add_parser("list", parents=[common], help="list the accounts")
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(handler=cmd_user_list)
    revoke = user_commands.add_parser(
        "revoke", parents=[common], help="revoke an account: its token or password stops working"
    )
    revoke.add_argument("account", metavar="NAME-OR-ID", help="the account (see user list)")
    revoke.add_argument("--json", action="store_true", help="print JSON")
    revoke.set_defaults(handler=cmd_user_revoke)
    password = user_commands.add_parser(
        "password",
        parents=[common],
        help=f"set a person's new password (typed twice, or {PASSWORD_ENV}); ends their sessions",
    )
    password.add_argument("account", metavar="NAME-OR-ID", help="the person (see user list)")
    password.add_argument("--json", action="store_true", help="print JSON")
    password.set_defaults(handler=cmd_user_password)

    viewer = commands.add_parser("viewer", help="read-only report tokens for the whole nation")
    viewer_commands = viewer.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = viewer_commands.add_parser("add", parents=[common], help="make a report token")
    add.add_argument("name", metavar="NAME", help="who the token is for")
    add.set_defaults(handler=cmd_viewer_add)
    listed = viewer_commands.add_parser("list", parents=[common], help="list the report tokens")
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(handler=cmd_viewer_list)
    revoke = viewer_commands.add_parser(
        "revoke", parents=[common], help="revoke a report token: it answers 401 from then on"
    )
    revoke.add_argument(
        "viewer", metavar="NAME-OR-ID", help="the viewer's id or name (see viewer list)"
    )
    revoke.add_argument("--json", action="store_true", help="print JSON")
    revoke.set_defaults(handler=cmd_viewer_revoke)


# -- figures: the steering committee's figures, as /api/v1/figures gives them ----------------


class FigureAsked(Refused):
    """A figure asked with a period, area or breakdown it cannot be given for: a usage error."""

    exit_code = 2
    label = "error"


def cmd_figures(args: argparse.Namespace, engine: Engine) -> int:
    figure = FIGURES[args.name]
    try:
        area = api_scope.area_of(args.province, args.district, args.office, args.ministry)
        period = parse_period(args.period)
        with reading(engine) as conn:
            answer = figure.function(conn, area, period, args.by)
    except FigureRefused as exc:
        raise FigureAsked(exc.detail, exc.code) from exc
    if args.json:
        _print_json(answer)
        return 0
    for line in tables.figure_text(answer, figure.summary):
        print(line)
    return 0


def _figures_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    figures = commands.add_parser(
        "figures",
        parents=[common],
        help="one figure for an area and a period, beside the previous period",
    )
    figures.add_argument("name", choices=list(FIGURES), help="the figure")
    figures.add_argument(
        "--period",
        required=True,
        help="2026, 2026-Q1, 2026-03, 2026-W09, 2026-03-05 or 2026-03-01..2026-03-31",
    )
    place = figures.add_mutually_exclusive_group()
    place.add_argument("--province", metavar="CODE", help="a province, e.g. LA-VT")
    place.add_argument("--district", metavar="CODE", help="a district's code")
    place.add_argument("--office", metavar="CODE", help="an office, e.g. VTE-SST")
    figures.add_argument("--ministry", metavar="CODE", help="only its services, e.g. MOIC")
    figures.add_argument(
        "--by",
        metavar="KEY",
        help="service, ministry, office, district, province, counter or clerk (one office)",
    )
    figures.add_argument("--json", action="store_true", help="print the API's JSON")
    figures.set_defaults(handler=cmd_figures)


# -- report: the committee's monthly PDF, as /report.pdf gives it ------------------------------


def cmd_report_monthly(args: argparse.Namespace, engine: Engine) -> int:
    done = report_command.write_monthly(
        engine, args.area, args.month, args.out, _operator(), system_clock()
    )
    if args.json:
        _print_json(done)
    else:
        print(f"Wrote the {done['month']} report of {done['area']} to {done['path']}")
    return 0


def _report_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", help="the steering committee's reports")
    report_commands = report.add_subparsers(dest="action", required=True, parser_class=_Parser)
    monthly = report_commands.add_parser(
        "monthly", parents=[common], help="one month's report of an area, as a PDF"
    )
    monthly.add_argument(
        "--area",
        required=True,
        help="nation, province/LA-VT, district/CODE or office/VTE-SST",
    )
    monthly.add_argument("--month", required=True, metavar="YYYY-MM", help="e.g. 2026-11")
    monthly.add_argument("--out", required=True, metavar="FILE", help="a new PDF file")
    monthly.add_argument("--json", action="store_true", help="print what was written as JSON")
    monthly.set_defaults(handler=cmd_report_monthly)


# -- catalog poster: an office's wall poster, as /fees/poster.pdf gives it ---------------------


def cmd_catalog_poster(args: argparse.Namespace, engine: Engine) -> int:
    setting = poster_command.PUBLIC_URL_ENV
    url = (args.url or os.environ.get(setting, "")).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise poster_command.PosterAsked(
            f"--url (or {setting}) must name the centre's public address, such as"
            " https://odsc.example.la: the poster's QR code opens its /fees page"
        )
    done = poster_command.write_poster(
        engine, args.office, args.size, args.out, url + "/fees", system_clock()
    )
    if args.json:
        _print_json(done)
    else:
        print(f"Wrote the {done['size']} fee poster of {done['office']} to {done['path']}")
    return 0


def _poster_command(catalog_commands: Any, common: argparse.ArgumentParser) -> None:
    poster = catalog_commands.add_parser(
        "poster", parents=[common], help="an office's fee poster for the wall, as a PDF"
    )
    poster.add_argument("--office", required=True, help="the office's code, e.g. VTE-SST")
    poster.add_argument("--size", choices=poster_command.SIZES, default="a4", help="paper size")
    poster.add_argument("--out", required=True, metavar="FILE", help="a new PDF file")
    setting = poster_command.PUBLIC_URL_ENV
    poster.add_argument("--url", help=f"the centre's public address (default: {setting})")
    poster.add_argument("--json", action="store_true", help="print what was written as JSON")
    poster.set_defaults(handler=cmd_catalog_poster)


def _publish_commands(
    commands: Any,
    common: argparse.ArgumentParser,
    noun: str,
    what: str,
) -> Any:
    """`catalog publish FILE` or `calendar publish FILE`: the same four eyes, named. Returns
    the group's subcommands (the catalog has another: its poster)."""
    group = commands.add_parser(noun, help=what)
    group_commands = group.add_subparsers(dest="action", required=True, parser_class=_Parser)
    publish = group_commands.add_parser(
        "publish", parents=[common], help=f"publish a {noun} file as a new version"
    )
    publish.add_argument("file", metavar="FILE", type=Path, help=f"a {noun} file (JSON)")
    publish.add_argument(
        "--drafted-by",
        metavar="NAME",
        required=True,
        help="the catalog editor (or admin) who drafted it",
    )
    publish.add_argument(
        "--approved-by",
        metavar="NAME",
        required=True,
        help="the catalog approver (or admin), another person, who approved it",
    )
    publish.add_argument(
        "--effective",
        metavar="YYYY-MM-DD",
        help="the day it takes effect at the counters, today or later (default: today)",
    )
    handlers = {"catalog": cmd_catalog_publish, "calendar": cmd_calendar_publish}
    publish.set_defaults(handler=handlers[noun])
    return group_commands


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
