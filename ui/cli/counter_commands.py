"""The counter's day at the command line: setup, users, the catalog, cash, requests, payments,
feedback, the day's figures, closures and settings."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from odsc_desk.api import (
    cash,
    catalog,
    daybook,
    feedback,
    init_store,
    office_anomalies,
    office_day,
    payments,
    service_requests,
    users,
)
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import local_time_text
from odsc_desk.shared.money import format_kip
from ui.cli.context import Context, Result, new_secret, parse_date, today


def cmd_init(ctx: Context, a: argparse.Namespace) -> Result:
    catalog_file = demo_catalog_path() if a.demo_catalog else Path(a.catalog)
    password = new_secret(f"New password for {a.admin}: ")
    result = init_store(
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
    locks = {lock["username"]: lock for lock in users.login_locks(ctx.store)}
    lines = []
    for u in rows:
        line = f"{u['username']:<20} {u['role']}"
        lock = locks.get(u["username"])
        if lock is not None:
            line += f"  · ເຂົ້າລະບົບຜິດ / failed logins: {lock['failures']}"
            if lock["locked_until"]:
                until = local_time_text(lock["locked_until"])
                line += f" · ລັອກຈົນ / locked until {until} (odsc user unlock {u['username']})"
        lines.append(line)
    return {"users": rows, "locks": list(locks.values())}, "\n".join(lines)


def cmd_user_unlock(ctx: Context, a: argparse.Namespace) -> Result:
    cleared = users.unlock(ctx.store, ctx.actor(), a.name)
    name = users.username_key(a.name)
    return {"username": name, "failures_cleared": cleared}, (
        f"ປົດລັອກແລ້ວ / Unlocked {name} ({cleared} failed logins cleared)"
    )


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
    row = cash.close_cash(ctx.store, actor, a.counted, approver, a.reason)
    return row, (
        f"ປິດຮອບເງິນສົດ / Cash session closed {row['business_date']}: expected "
        f"{format_kip(row['expected'])}, counted {format_kip(row['counted'])}, "
        f"difference {format_kip(row['difference'])}"
        + (f" · ເຫດຜົນ / reason: {row['reason']}" if row["reason"] else "")
    )


def _request_text(r: service_requests.RequestDetail) -> str:
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
        told = f"new date {h['new_date']} " if h["new_date"] else ""
        lines.append(
            f"  {local_time_text(h['at'])} {h['status']} {told}{h['reason'] or ''} ({h['by']})"
        )
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
    r, counter = service_requests.get_any_request(ctx.store, a.tracking)
    text = _request_text(r)
    if counter is not None:  # another counter's, as the last sync brought it
        text += f"\n  ປ່ອງ / counter {counter}"
    return {**r, "counter": counter}, text


def cmd_request_list(ctx: Context, a: argparse.Namespace) -> Result:
    rows = service_requests.list_requests(
        ctx.store,
        day=None if a.date is None else parse_date(a.date),
        status=a.status,
        overdue_on=today(ctx.store) if a.overdue else None,
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


def _day_text(d: daybook.DayTotals) -> str:
    t = d["totals"]
    lines = [
        f"{d['date']}: {d['requests']} requests, {d['payments']['count']} payments",
        f"  gross {format_kip(t['gross'])} · voided {format_kip(t['voided'])}"
        f" · refunded {format_kip(t['refunded'])} · net {format_kip(t['net'])}",
    ]
    groups: tuple[tuple[str, Sequence[Mapping[str, Any]]], ...] = (
        ("service", d["by_service"]),
        ("ministry", d["by_ministry"]),
        ("clerk", d["by_clerk"]),
        ("method", d["by_method"]),
    )
    for name, rows in groups:
        lines.append(f"  by {name}:")
        lines += [f"    {g[name]:<14} {g['count']:>5} {format_kip(g['amount']):>16}" for g in rows]
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


def _office_text(d: office_day.OfficeDay) -> str:
    fresh = (
        f"ຂໍ້ມູນຫ້ອງການເຖິງ {local_time_text(d['as_of'])} / office data as of"
        f" {local_time_text(d['as_of'])}"
        if d["as_of"] is not None
        else "ຍັງບໍ່ມີຂໍ້ມູນຈາກປ່ອງອື່ນ: odsc sync run / nothing from the other counters yet: odsc sync run"
    )
    lines = [f"{d['office']} {d['date']} ({fresh})"]
    rows: list[tuple[str, Mapping[str, Any]]] = [
        (f"{c['counter']}{'*' if c['own'] else ''}", c) for c in d["counters"]
    ]
    for label, c in [*rows, ("total", d["total"])]:
        lines.append(
            f"  {label:<6} {c['requests']:>5} requests {c['payments']:>5} payments"
            f"  gross {format_kip(c['gross'])} · voided {format_kip(c['voided'])}"
            f" · refunded {format_kip(c['refunded'])} · net {format_kip(c['net'])}"
        )
    return "\n".join(lines)


def _anomalies_text(a: office_anomalies.Anomalies) -> str:
    """The impossible histories, a line a fact that clashes."""
    lines = [f"ປະຫວັດທີ່ເປັນໄປບໍ່ໄດ້ / impossible histories, {a['since']} to {a['until']}:"]
    for c in a["contested"]:
        e, after = c["event"], c["after"]
        was = f" after {after['status']} at counter {after['counter']}" if after else ""
        lines.append(
            f"  contested {c['tracking']} (now {c['status']}): {e['status']} at counter"
            f" {e['counter']}, {local_time_text(e['at'])}{was}"
        )
    for o in a["overpaid"]:
        taken = ", ".join(
            f"{r['receipt']} {format_kip(r['amount'])}{' (void)' if r['voided'] else ''}"
            for r in o["receipts"]
        )
        lines.append(
            f"  paid beyond the fee {o['tracking']}: fee {format_kip(o['fee'])},"
            f" paid {format_kip(o['paid'])} ({taken})"
        )
    if len(lines) == 1:
        lines.append("  ບໍ່ມີ / none")
    return "\n".join(lines)


def cmd_day(ctx: Context, a: argparse.Namespace) -> Result:
    day = today(ctx.store) if a.date is None else parse_date(a.date)
    if a.office:
        o = office_day.office_day(ctx.store, day)
        found = office_anomalies.office_anomalies(ctx.store, day)
        return {**o, "anomalies": found}, f"{_office_text(o)}\n{_anomalies_text(found)}"
    d = daybook.day_totals(ctx.store, day)
    return d, _day_text(d)
