"""Printed documents at the command line: receipts, appointment slips, notices and the daily
summary, written as PDF files."""

from __future__ import annotations

import argparse

from ui.cli.context import Context, Result, parse_date

# -- printed documents: the CLI is the composition root, so only it reaches out to receipts/,
# and only inside these handlers (ReportLab loads only when a document is printed).


def cmd_receipt(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.receipt import print_receipt

    r = print_receipt(ctx.store, ctx.actor(), a.receipt, a.out, a.format, a.copy)
    marks = [m for m, on in (("ສຳເນົາ / COPY", r["copy"]), ("ຍົກເລີກ / VOID", r["voided"])) if on]
    if r["origin"] is not None:  # another counter's receipt, copied here
        marks.append(f"ຂອງປ່ອງ {r['origin']} / counter {r['origin']}'s")
    note = f" ({', '.join(marks)})" if marks else ""
    return r, f"ໃບຮັບເງິນ / Receipt {r['receipt']}{note}, print {r['print']} → {r['path']}"


def cmd_slip(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.slips import write_slip

    r = write_slip(ctx.store, ctx.actor(), a.tracking, a.out, a.format)
    return r, f"ໃບນັດຮັບຜົນ / Appointment slip {r['tracking']} → {r['path']}"


def cmd_notice(ctx: Context, a: argparse.Namespace) -> Result:
    from receipts.slips import write_notice

    new_day = None if a.new_date is None else parse_date(a.new_date)
    r = write_notice(ctx.store, ctx.actor(), a.tracking, a.kind, a.out, a.format, new_day)
    extra = f", new date {r['new_date']}" if "new_date" in r else ""
    return r, f"ໃບແຈ້ງ / Notice {a.kind} {r['tracking']}{extra} → {r['path']}"


def cmd_summary(ctx: Context, a: argparse.Namespace) -> Result:
    day = None if a.date is None else parse_date(a.date)
    if a.office:
        from receipts.office_summary import write_office_summary

        o = write_office_summary(ctx.store, ctx.actor(), a.out, day)
        clashes = f"{o['contested']} contested, {o['overpaid']} paid beyond the fee"
        return o, f"ລາຍງານຂອງຫ້ອງການ / Office summary {o['date']} ({clashes}) → {o['path']}"
    from receipts.summary import write_summary

    r = write_summary(ctx.store, ctx.actor(), a.out, day)
    return r, f"ລາຍງານປະຈຳວັນ / Daily summary {r['date']} → {r['path']}"
