"""`odsc`: the counter's command line. A thin layer: every rule lives in the core modules.

Exit codes: 0 done; 1 refused (bad input, wrong state, wrong password or role); 2 the command
line itself is wrong; 3 the store cannot be used (missing, damaged, foreign, newer, locked, full).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from odsc_desk import __version__
from odsc_desk.domain import (
    cash,
    catalog,
    closures,
    feedback,
    office_setup,
    payments,
    prints,
    service_requests,
    settings,
    users,
)
from odsc_desk.maintenance import backups, diagnose, integrity, logs
from odsc_desk.queries import daybook, export
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import local_date, local_time_text, system_clock
from odsc_desk.shared.errors import AuthError, OdscError, StoreError, ValidationError
from odsc_desk.shared.messages import render
from odsc_desk.shared.money import format_kip
from odsc_desk.storage import outbox
from odsc_desk.storage.paths import default_data_dir
from odsc_desk.storage.store import Store, open_store, translate_sqlite_error

Result = tuple[dict[str, Any], str]
log = logging.getLogger("odsc.cli")

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

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.data_dir)
        return self._store

    def actor(self) -> users.Actor:
        name = self.args.user or os.environ.get("ODSC_USER")
        if not name:
            raise AuthError("user.needed", "user")
        return users.authenticate(
            self.store, name, secret("ODSC_PASSWORD", f"Password for {name}: ")
        )

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


def new_secret(prompt: str) -> str:
    value = os.environ.get("ODSC_NEW_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise AuthError("password.needed", "password", variable="ODSC_NEW_PASSWORD")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again / ອີກຄັ້ງ: ") != first:
        raise ValidationError("password.mismatch", "password")
    return first


# -- commands ---------------------------------------------------------------------------------


def cmd_init(ctx: Context, a: argparse.Namespace) -> Result:
    catalog_file = demo_catalog_path() if a.demo_catalog else Path(a.catalog)
    password = new_secret(f"New password for {a.admin}: ")
    result = office_setup.init_store(
        ctx.data_dir,
        office_code=a.office_code,
        office_name=a.office_name,
        counter=a.counter,
        admin=a.admin,
        password=password,
        catalog_file=catalog_file,
    )
    return {**result, "data_dir": str(ctx.data_dir)}, (
        f"ສ້າງຂໍ້ມູນແລ້ວ / Store created: {ctx.data_dir}\n"
        f"{result['office_code']}-{result['counter']} {result['office_name']}"
        f" · admin {result['admin']} · catalog v{result['catalog_version']}"
    )


def cmd_user_add(ctx: Context, a: argparse.Namespace) -> Result:
    actor = ctx.actor()
    password = new_secret(f"New password for {a.name}: ")
    user = users.add_user(ctx.store, actor, a.name, a.role, password)
    return {"username": user.username, "role": user.role}, f"{user.username} ({user.role})"


def cmd_user_list(ctx: Context, a: argparse.Namespace) -> Result:
    rows = users.list_users(ctx.store)
    return {"users": rows}, "\n".join(f"{u['username']:<20} {u['role']}" for u in rows)


def cmd_catalog_import(ctx: Context, a: argparse.Namespace) -> Result:
    result = catalog.import_catalog(ctx.store, ctx.actor(), a.file)
    note = "" if result["added"] else " (ມີແລ້ວ / already imported)"
    return result, f"catalog v{result['version']}: {result['services']} services{note}"


def cmd_catalog_list(ctx: Context, a: argparse.Namespace) -> Result:
    rows = catalog.list_services(ctx.store)
    lines = [
        f"{s['code']:<14} {format_kip(s['fee']):>12} {s['days']:>3}d"
        f"  {s['name_lo']} / {s['name_en']}"
        for s in rows
    ]
    version = catalog.current_version(ctx.store)
    return {"version": version, "services": rows}, f"catalog v{version}\n" + "\n".join(lines)


def cmd_session_open(ctx: Context, a: argparse.Namespace) -> Result:
    row = cash.open_cash(ctx.store, ctx.actor(), a.float)
    return row, f"ເປີດຮອບເງິນສົດ / Cash session opened {row['business_date']}" + (
        f" · float {format_kip(row['float_amount'])}"
    )


def cmd_session_close(ctx: Context, a: argparse.Namespace) -> Result:
    actor = ctx.actor()
    approver = ctx.approver(a.supervisor) if a.supervisor else None
    row = cash.close_cash(ctx.store, actor, a.counted, approver)
    return row, (
        f"ປິດຮອບເງິນສົດ / Cash session closed {row['business_date']}: expected "
        f"{format_kip(row['expected'])}, counted {format_kip(row['counted'])}, "
        f"difference {format_kip(row['difference'])}"
    )


def _request_text(r: dict[str, Any]) -> str:
    lines = [
        f"{r['tracking']}  [{r['status']}]",
        f"  {r['citizen_name']}  {r['phone'] or ''}  {r['id_number'] or ''}  {r['village'] or ''}",
        f"  {r['service']['code']} {r['service']['name_lo']} / {r['service']['name_en']}",
        f"  fee {format_kip(r['fee'])} · paid {format_kip(r['paid'])}"
        f" · promised {r['promised_date']}",
    ]
    if r["missing_documents"]:
        lines.append("  missing documents: " + ", ".join(r["missing_documents"]))
    for h in r["history"]:
        lines.append(f"  {local_time_text(h['at'])} {h['status']} {h['reason'] or ''} ({h['by']})")
    for p in r["payments"]:
        flag = " VOID" if p["voided"] else (f" refunded {p['refunded']:,}" if p["refunded"] else "")
        lines.append(f"  {p['receipt']} {format_kip(p['amount'])} {p['method']}{flag}")
    return "\n".join(lines)


def cmd_request_new(ctx: Context, a: argparse.Namespace) -> Result:
    docs = [d for d in (a.documents or "").split(",") if d.strip()]
    r = service_requests.record_request(
        ctx.store,
        ctx.actor(),
        service_code=a.service,
        citizen_name=a.citizen_name,
        phone=a.phone,
        id_number=a.id_number,
        village=a.village,
        documents=docs,
    )
    return {**r, "tracking": r["tracking"]}, _request_text(r)


def cmd_request_status(ctx: Context, a: argparse.Namespace) -> Result:
    r = service_requests.change_status(ctx.store, ctx.actor(), a.tracking, a.status, a.reason)
    return r, _request_text(r)


def cmd_request_show(ctx: Context, a: argparse.Namespace) -> Result:
    r = service_requests.get_request(ctx.store, a.tracking)
    return r, _request_text(r)


def _today(store: Store) -> date:
    return local_date(store.now())


def cmd_request_list(ctx: Context, a: argparse.Namespace) -> Result:
    rows = service_requests.list_requests(
        ctx.store,
        day=None if a.date is None else parse_date(a.date),
        status=a.status,
        overdue_on=_today(ctx.store) if a.overdue else None,
        search=a.search,
        limit=a.limit,
    )
    lines = [
        f"{r['tracking']}  {r['status']:<10} {r['promised_date']}  {r['service_code']:<13}"
        f" {r['citizen_name']}"
        for r in rows
    ]
    return {"requests": rows}, "\n".join(lines) or "(ບໍ່ມີ / none)"


def cmd_pay(ctx: Context, a: argparse.Namespace) -> Result:
    p = payments.record_payment(ctx.store, ctx.actor(), a.tracking, a.amount, a.method)
    return p, f"ໃບຮັບເງິນ / Receipt {p['receipt']}: {format_kip(p['amount'])} ({p['method']})"


def cmd_void(ctx: Context, a: argparse.Namespace) -> Result:
    actor = ctx.actor()
    v = payments.void_payment(ctx.store, actor, a.receipt, a.reason, ctx.approver(a.supervisor))
    return v, f"ຍົກເລີກ / Voided {v['receipt']} ({format_kip(v['amount'])})"


def cmd_refund(ctx: Context, a: argparse.Namespace) -> Result:
    actor = ctx.actor()
    f = payments.refund_payment(
        ctx.store, actor, a.receipt, a.amount, a.reason, ctx.approver(a.supervisor)
    )
    return f, f"ຄືນເງິນ / Refunded {format_kip(f['amount'])} on {f['receipt']}"


def cmd_feedback(ctx: Context, a: argparse.Namespace) -> Result:
    f = feedback.record_feedback(ctx.store, ctx.actor(), a.tracking, a.rating, a.comment)
    return f, f"ຄຳຄິດເຫັນ / Feedback recorded for {f['tracking']}: {f['rating']}/5"


def _day_text(d: dict[str, Any]) -> str:
    t = d["totals"]
    lines = [
        f"{d['date']}: {d['requests']} requests, {d['payments']['count']} payments",
        f"  gross {format_kip(t['gross'])} · voided {format_kip(t['voided'])}"
        f" · refunded {format_kip(t['refunded'])} · net {format_kip(t['net'])}",
    ]
    for title, key in (
        ("service", "by_service"),
        ("ministry", "by_ministry"),
        ("clerk", "by_clerk"),
        ("method", "by_method"),
    ):
        lines.append(f"  by {title}:")
        name = key.removeprefix("by_")
        lines += [
            f"    {g[name]:<14} {g['count']:>5} {format_kip(g['amount']):>16}" for g in d[key]
        ]
    for v in d["voids"]:
        lines.append(
            f"  VOID {v['receipt']} {format_kip(v['amount'])} {v['reason']}"
            f" (by {v['by']}, approved {v['approved_by']})"
        )
    for f in d["refunds"]:
        lines.append(
            f"  REFUND {f['receipt']} {format_kip(f['amount'])} {f['reason']}"
            f" (by {f['by']}, approved {f['approved_by']})"
        )
    c = d["cash"]
    counted = "-" if c["counted"] is None else format_kip(c["counted"])
    diff = "-" if c["difference"] is None else format_kip(c["difference"])
    lines.append(f"  cash expected {format_kip(c['expected'])} · counted {counted} · diff {diff}")
    return "\n".join(lines)


def cmd_day(ctx: Context, a: argparse.Namespace) -> Result:
    day = _today(ctx.store) if a.date is None else parse_date(a.date)
    d = daybook.day_totals(ctx.store, day)
    return d, _day_text(d)


def cmd_check(ctx: Context, a: argparse.Namespace) -> Result:
    result = integrity.check_store(ctx.store)
    if result["ok"]:
        return result, f"ok · integrity ok · audit chain {result['audit_rows']} rows verified"
    problem = result["problems"][0]
    lo, en = render(problem["kind"], **problem)
    result["message_lo"], result["message_en"] = lo, en
    raise CheckFailed(result, f"{lo}\n{en}\n{integrity.describe(problem)}")


class CheckFailed(Exception):
    def __init__(self, result: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.result = result
        self.text = text


def cmd_backup(ctx: Context, a: argparse.Namespace) -> Result:
    if not a.auto:
        result = backups.backup(ctx.store, a.out)
        return result, f"ສຳຮອງແລ້ວ / Backed up to {result['path']} ({result['bytes']:,} bytes)"
    from odsc_desk.maintenance import autobackup

    result = autobackup.run_due(ctx.store, ctx.data_dir)
    if result is None:
        nothing = {"reason": None, "copies": [], "failures": []}
        return nothing, "ບໍ່ມີການສຳຮອງທີ່ຕ້ອງເຮັດດຽວນີ້ / No backup is due now"
    lines = [
        f"ສຳຮອງແລ້ວ / Backed up to {c['path']} ({c['bytes']:,} bytes)" for c in result["copies"]
    ]
    lines += [f"{f['message_lo']}\n{f['message_en']}" for f in result["failures"]]
    if result["failures"]:
        raise CheckFailed(result, "\n".join(lines))
    return result, "\n".join(lines)


def cmd_restore(ctx: Context, a: argparse.Namespace) -> Result:
    try:
        ctx.store.office  # noqa: B018 - opening and reading it proves the store is usable
    except StoreError:
        # A missing or damaged store cannot check a password, and restoring is its cure.
        actor = None
    else:
        actor = ctx.actor()
    ctx.close()
    result = backups.restore(ctx.data_dir, a.file, actor, clock=system_clock)
    return result, (
        f"ກູ້ຄືນແລ້ວ / Restored from {result['restored_from']}"
        f"; previous store kept at {result['previous_saved_as']}"
    )


def cmd_export(ctx: Context, a: argparse.Namespace) -> Result:
    ctx.actor()
    result = export.export_requests(
        ctx.store, parse_date(a.date_from), parse_date(a.date_to), a.out
    )
    return result, f"{result['rows']} rows → {result['path']}"


def cmd_closure_add(ctx: Context, a: argparse.Namespace) -> Result:
    row = closures.add_closure(ctx.store, ctx.actor(), parse_date(a.date), a.reason)
    return row, f"ວັນປິດ / Closure {row['date']}: {row['reason']}"


def cmd_closure_list(ctx: Context, a: argparse.Namespace) -> Result:
    rows = closures.list_closures(ctx.store)
    return {"closures": rows}, "\n".join(f"{r['date']} {r['reason']}" for r in rows) or "-"


def cmd_setting_list(ctx: Context, a: argparse.Namespace) -> Result:
    values = settings.all_values(ctx.store)
    lines = [f"{k} = {v}    # {settings.SETTINGS[k].label_en}" for k, v in values.items()]
    return {"settings": values}, "\n".join(lines)


def cmd_setting_set(ctx: Context, a: argparse.Namespace) -> Result:
    value = settings.set_value(ctx.store, ctx.actor(), a.key, a.value)
    return {"key": a.key, "value": value}, f"{a.key} = {value}"


def cmd_diagnose(ctx: Context, a: argparse.Namespace) -> Result:
    from sync import client

    # No password asked: the report holds no secret, and it must work when no one can log in
    # (a damaged store, a forgotten password).
    r = diagnose.write_report(ctx.data_dir, a.out, sync_status=client.status)
    lines = list(render("diagnose.written", path=r["path"], size=f"{r['bytes']:,}"))
    if r["store_error"] is not None:
        error = r["store_error"]
        lines += [error["message_lo"], error["message_en"], *render("diagnose.store_unreadable")]
    elif r["integrity_ok"] is not None:
        ok = "diagnose.integrity_ok" if r["integrity_ok"] else "diagnose.integrity_failed"
        lines += render(ok)
    return r, "\n".join(lines)


# -- printed documents: the CLI is the composition root, so only it reaches out to receipts/,
# and only inside these handlers (ReportLab loads only when a document is printed).


def cmd_receipt(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.receipt import print_receipt

    r = print_receipt(ctx.store, ctx.actor(), a.receipt, a.out, a.format, a.copy)
    marks = [m for m, on in (("ສຳເນົາ / COPY", r["copy"]), ("ຍົກເລີກ / VOID", r["voided"])) if on]
    note = f" ({', '.join(marks)})" if marks else ""
    return r, f"ໃບຮັບເງິນ / Receipt {r['receipt']}{note}, print {r['print']} → {r['path']}"


def cmd_slip(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.slips import write_slip

    r = write_slip(ctx.store, ctx.actor(), a.tracking, a.out, a.format)
    return r, f"ໃບນັດຮັບຜົນ / Appointment slip {r['tracking']} → {r['path']}"


def cmd_notice(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.slips import write_notice

    r = write_notice(ctx.store, ctx.actor(), a.tracking, a.kind, a.out, a.format)
    extra = f", new date {r['new_date']}" if "new_date" in r else ""
    return r, f"ໃບແຈ້ງ / Notice {a.kind} {r['tracking']}{extra} → {r['path']}"


def cmd_summary(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.summary import write_summary

    day = None if a.date is None else parse_date(a.date)
    r = write_summary(ctx.store, ctx.actor(), a.out, day)
    return r, f"ລາຍງານປະຈຳວັນ / Daily summary {r['date']} → {r['path']}"


# -- sync with the centre: sync/ is loaded only by these handlers (requests and the protocol are
# not needed for a day at the counter).


def cmd_sync_enroll(ctx: Context, a: argparse.Namespace) -> Result:
    from odsc_desk.domain import signing
    from sync import client

    admin = ctx.actor()
    users.require_role(admin, "admin")
    had_key = bool(signing.public_keys(ctx.store))
    r = client.enroll(ctx.store, a.server, a.code, a.ca_bundle)
    if not had_key:
        # The centre checks receipts' signatures with the counter's public key, which is sent at
        # enrollment. Made only once the code is accepted (a refused enroll changes nothing),
        # then sent by enrolling again: the same code from this counter gives the same token.
        signing.ensure_key(ctx.store, admin.id)
        r = client.enroll(ctx.store, a.server, a.code, a.ca_bundle)
    return r, (
        f"ລົງທະບຽນແລ້ວ / Enrolled with {r['server']}"
        f" as {r['office']}-{r['counter']} (device {r['device_id']})"
    )


def _sync_text(r: Any) -> str:
    lines = [
        f"ສົ່ງແລ້ວ {r.pushed} · ກັນໄວ້ {r.parked} · ຍັງລໍຖ້າ {r.pending}"
        f" / Sent {r.pushed}, parked {r.parked}, waiting {r.pending}"
    ]
    if r.requeued:
        lines.append(f"ສົ່ງຄືນໃໝ່ / Queued again (the centre had lost them): {r.requeued}")
    if r.floors_raised:
        lines.append(f"ເລກລຳດັບຖືກຍົກຂຶ້ນ / Number floors raised: {r.floors_raised}")
    if r.catalog_version is not None:
        lines.append(f"ລາຍການບໍລິການໃໝ່ / New catalog: v{r.catalog_version}")
    if r.parked:
        lines.append("→ odsc sync parked")
    return "\n".join(lines)


def cmd_sync_run(ctx: Context, a: argparse.Namespace) -> Result:
    from dataclasses import asdict

    from sync import client

    backoff = client.Backoff()
    failures = 0
    while True:
        result = client.sync_once(ctx.store)
        if result.ok or a.once or not result.retry:
            break
        failures += 1
        delay = backoff.next_delay(failures)
        print(
            f"{result.message_lo}\n{result.message_en}\n"
            f"→ ລອງໃໝ່ໃນ {delay:.0f} ວິນາທີ / trying again in {delay:.0f} s (Ctrl+C stops)",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(delay)
    if result.failure is not None:
        print(_sync_text(result), file=sys.stderr)
        raise result.failure
    payload = {k: v for k, v in asdict(result).items() if k != "failure"}
    return payload, _sync_text(result)


def cmd_sync_status(ctx: Context, a: argparse.Namespace) -> Result:
    from sync import client

    s = client.status(ctx.store)
    when = local_time_text(s["last_success"]) if s["last_success"] else "-"
    lines = [
        f"ເຊີບເວີ / Server: {s['server'] or '- (ຍັງບໍ່ໄດ້ລົງທະບຽນ / not enrolled)'}",
        f"ລໍຖ້າສົ່ງ / Waiting: {s['pending']} · ກັນໄວ້ / Parked: {s['parked']}",
        f"ສົ່ງສຳເລັດຄັ້ງລ່າສຸດ / Last successful sync: {when}",
    ]
    if s["last_error"]:
        error = s["last_error"]
        lines.append(f"ຜິດພາດຄັ້ງລ່າສຸດ: {error['message_lo']}\nLast error: {error['message_en']}")
    return s, "\n".join(lines)


def cmd_sync_parked(ctx: Context, a: argparse.Namespace) -> Result:
    if a.retry:
        count = outbox.retry_parked(ctx.store)
        return {"requeued": count}, (
            f"ສົ່ງຄືນເຂົ້າຄິວ {count} ລາຍການ / {count} parked ops back in the queue (odsc sync run)"
        )
    rows = outbox.parked(ctx.store)
    lines = [
        f"{r['seq']:>8} {r['entity']:<16} {r['op_id']}  ×{r['attempts']}  {r['reason']}"
        for r in rows
    ]
    return {"parked": rows}, "\n".join(lines) or "(ບໍ່ມີ / none)"


# -- parser -----------------------------------------------------------------------------------


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


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="odsc", description="ODSC Desk counter ledger")
    p.add_argument("--version", action="version", version=f"odsc {__version__}")
    p.add_argument("--data-dir", help="data folder (also ODSC_DATA_DIR)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--user", help="acting user (also ODSC_USER)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    def command(parent: Any, name: str, handler: Callable[..., Result], help_text: str) -> Any:
        parser = parent.add_parser(name, help=help_text)
        parser.set_defaults(handler=handler)
        return parser

    c = command(sub, "init", cmd_init, "create the store for this counter")
    c.add_argument("--office-code", required=True)
    c.add_argument("--office-name", required=True)
    c.add_argument("--counter", required=True)
    c.add_argument("--admin", required=True)
    source = c.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo-catalog", action="store_true")
    source.add_argument("--catalog", metavar="FILE")

    user = sub.add_parser("user", help="user accounts").add_subparsers(dest="sub", required=True)
    c = command(user, "add", cmd_user_add, "add a user")
    c.add_argument("name")
    c.add_argument("--role", required=True, choices=users.ROLES)
    command(user, "list", cmd_user_list, "list users")

    cat = sub.add_parser("catalog", help="service catalog").add_subparsers(
        dest="sub", required=True
    )
    c = command(cat, "import", cmd_catalog_import, "import a catalog version")
    c.add_argument("file")
    command(cat, "list", cmd_catalog_list, "list the current catalog")

    ses = sub.add_parser("session", help="cash sessions").add_subparsers(dest="sub", required=True)
    c = command(ses, "open", cmd_session_open, "open the cash session")
    c.add_argument("--float", required=True)
    c = command(ses, "close", cmd_session_close, "close the cash session")
    c.add_argument("--counted", required=True)
    c.add_argument("--supervisor")

    req = sub.add_parser("request", help="service requests").add_subparsers(
        dest="sub", required=True
    )
    c = command(req, "new", cmd_request_new, "record a request")
    c.add_argument("--service", required=True)
    c.add_argument("--citizen-name", required=True)
    c.add_argument("--phone")
    c.add_argument("--id-number")
    c.add_argument("--village")
    c.add_argument("--documents", help="received document codes, comma-separated")
    c = command(req, "status", cmd_request_status, "change a request's status")
    c.add_argument("tracking")
    c.add_argument("status", choices=service_requests.STATUSES)
    c.add_argument("--reason")
    c = command(req, "show", cmd_request_show, "show one request")
    c.add_argument("tracking")
    c = command(req, "list", cmd_request_list, "list requests")
    c.add_argument("--date")
    c.add_argument("--status", choices=service_requests.STATUSES)
    c.add_argument("--overdue", action="store_true")
    c.add_argument("--search")
    c.add_argument("--limit", type=int, default=200)

    c = command(sub, "pay", cmd_pay, "take a fee payment")
    c.add_argument("tracking")
    c.add_argument("--amount")
    c.add_argument("--method", default="cash", choices=payments.METHODS)
    c = command(sub, "void", cmd_void, "void a receipt")
    c.add_argument("receipt")
    c.add_argument("--reason", required=True)
    c.add_argument("--supervisor", required=True)
    c = command(sub, "refund", cmd_refund, "refund (part of) a receipt")
    c.add_argument("receipt")
    c.add_argument("--amount", required=True)
    c.add_argument("--reason", required=True)
    c.add_argument("--supervisor", required=True)
    c = command(sub, "feedback", cmd_feedback, "record citizen feedback")
    c.add_argument("tracking")
    c.add_argument("--rating", required=True)
    c.add_argument("--comment")

    c = command(sub, "day", cmd_day, "a day's totals")
    c.add_argument("--date")
    command(sub, "check", cmd_check, "integrity check and audit chain")
    c = command(sub, "diagnose", cmd_diagnose, "write a report for support staff (a zip)")
    c.add_argument("--out", required=True, metavar="FILE.zip")
    c = command(sub, "backup", cmd_backup, "online backup")
    target = c.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="FILE", help="a verified copy to this new file")
    target.add_argument(
        "--auto", action="store_true", help="the automatic copy, if one is due (for a scheduler)"
    )
    c = command(sub, "restore", cmd_restore, "restore from a backup")
    c.add_argument("file")
    c = command(sub, "export", cmd_export, "export requests to CSV")
    c.add_argument("--from", dest="date_from", required=True)
    c.add_argument("--to", dest="date_to", required=True)
    c.add_argument("--out", required=True)

    clo = sub.add_parser("closure", help="office closures").add_subparsers(
        dest="sub", required=True
    )
    c = command(clo, "add", cmd_closure_add, "add an office closure day")
    c.add_argument("date")
    c.add_argument("--reason", required=True)
    command(clo, "list", cmd_closure_list, "list office closures")

    sett = sub.add_parser("setting", help="office settings").add_subparsers(
        dest="sub", required=True
    )
    command(sett, "list", cmd_setting_list, "list settings")
    c = command(sett, "set", cmd_setting_set, "change a setting")
    c.add_argument("key", choices=sorted(settings.SETTINGS))
    c.add_argument("value")

    c = command(sub, "receipt", cmd_receipt, "print a receipt to a PDF file")
    c.add_argument("receipt")
    c.add_argument("--out", required=True, metavar="FILE.pdf")
    c.add_argument("--format", default="80mm", choices=prints.FORMATS)
    c.add_argument("--copy", action="store_true", help="mark it COPY even if first printed")
    c = command(sub, "slip", cmd_slip, "print a request's appointment slip to a PDF file")
    c.add_argument("tracking")
    c.add_argument("--out", required=True, metavar="FILE.pdf")
    c.add_argument("--format", default="80mm", choices=prints.FORMATS)
    c = command(sub, "notice", cmd_notice, "print a notice about a request to a PDF file")
    c.add_argument("tracking")
    c.add_argument("--kind", required=True, choices=("missing-documents", "refusal", "new-date"))
    c.add_argument("--out", required=True, metavar="FILE.pdf")
    c.add_argument("--format", default="a4", choices=prints.FORMATS)
    c = command(sub, "summary", cmd_summary, "print the daily summary (A4) to a PDF file")
    c.add_argument("--date")
    c.add_argument("--out", required=True, metavar="FILE.pdf")

    syn = sub.add_parser("sync", help="sync with the centre").add_subparsers(
        dest="sub", required=True
    )
    c = command(syn, "enroll", cmd_sync_enroll, "enroll this counter with the centre (admins)")
    c.add_argument("--server", required=True, metavar="URL")
    c.add_argument("--code", required=True, help="the one-time code from the centre")
    c.add_argument("--ca-bundle", metavar="FILE", help="the centre's CA certificate(s), PEM")
    c = command(syn, "run", cmd_sync_run, "send what waits, then fetch the centre's catalog")
    c.add_argument(
        "--once", action="store_true", help="one attempt; exit 1 unless everything was sent"
    )
    command(syn, "status", cmd_sync_status, "what waits, last sync, last error")
    c = command(syn, "parked", cmd_sync_parked, "ops the centre refused, with its reasons")
    c.add_argument("--retry", action="store_true", help="put them back in the queue")
    return p


def _emit(as_json: bool, payload: dict[str, Any], text: str) -> None:
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
