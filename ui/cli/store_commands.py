"""Keeping the store: the integrity check, backups, restore, export and the diagnostic report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from odsc_desk.api import (
    autobackup,
    backups,
    closures,
    diagnose,
    export,
    integrity,
    settings,
)
from odsc_desk.shared.clock import system_clock
from odsc_desk.shared.errors import StoreError, ValidationError
from odsc_desk.shared.messages import render
from ui.cli.context import CheckFailed, Context, Result, new_secret, parse_date, secret


def cmd_check(ctx: Context, a: argparse.Namespace) -> Result:
    heads = _printed_heads(a.heads) if a.heads else None
    result: dict[str, Any] = dict(integrity.check_store(ctx.store))
    if heads is not None and result["audit_rows"] is not None:
        result["heads"] = integrity.check_heads(ctx.store, heads)
    problems = result["problems"] + (result["heads"]["problems"] if "heads" in result else [])
    if not problems:
        text = f"ok · integrity ok · audit chain {result['audit_rows']} rows verified"
        if heads is not None:
            text += f" · {len(heads)} printed heads match"
        return result, text
    result["ok"] = False
    lines = []
    for problem in problems:
        lo, en = render(problem["kind"], **problem)
        lines += [lo, en, integrity.describe(problem)]
    first_lo, first_en = render(problems[0]["kind"], **problems[0])
    raise CheckFailed({**result, "message_lo": first_lo, "message_en": first_en}, "\n".join(lines))


def _printed_heads(path: str) -> list[integrity.PrintedHead]:
    """The file of heads typed from daily summaries, read before the store is touched."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("heads.unreadable", "heads", path=path, detail=str(exc)) from exc
    return integrity.read_heads(text, path)


def cmd_backup(ctx: Context, a: argparse.Namespace) -> Result:
    if not a.auto:
        # A copy for outside the PC: encrypted (backups.py says why), its passphrase typed twice.
        passphrase = new_secret("Passphrase for the backup: ", "ODSC_BACKUP_PASSPHRASE")
        copy = backups.backup(ctx.store, a.out, passphrase)
        return copy, (
            f"ສຳຮອງແລ້ວ (ເຂົ້າລະຫັດ) / Backed up, encrypted, to {copy['path']}"
            f" ({copy['bytes']:,} bytes)"
        )
    result = autobackup.run_due(ctx.store, ctx.data_dir)
    if result is None:
        nothing: dict[str, Any] = {"reason": None, "copies": [], "failures": []}
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
    passphrase = (
        secret("ODSC_BACKUP_PASSPHRASE", "The backup's passphrase: ")
        if backups.is_encrypted(a.file)
        else None
    )
    result = backups.restore(ctx.data_dir, a.file, actor, clock=system_clock, passphrase=passphrase)
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
