"""The link to the centre at the command line: enrollment, sync runs, status and parked ops."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from odsc_desk.api import (
    outbox,
)
from odsc_desk.shared.clock import local_time_text
from ui.cli.context import Context, Result

# -- sync with the centre: sync/ is loaded only by these handlers (requests and the protocol are
# not needed for a day at the counter).


def cmd_sync_enroll(ctx: Context, a: argparse.Namespace) -> Result:
    from sync import client

    r = client.enroll_counter(ctx.store, ctx.actor(), a.server, a.code, a.ca_bundle)
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
    if r.recovered:
        # After a restore from an older backup: this counter's own facts, back from the centre.
        lines.append(f"ຮັບຂໍ້ມູນຂອງປ່ອງນີ້ຄືນຈາກສູນກາງ / Taken back from the centre: {r.recovered}")
    if r.catalog_version is not None:
        lines.append(f"ລາຍການບໍລິການໃໝ່ / New catalog: v{r.catalog_version}")
    if r.calendar_version is not None:
        lines.append(f"ປະຕິທິນວັນພັກໃໝ່ / New holiday calendar: v{r.calendar_version}")
    if r.key_sent:
        lines.append("ສົ່ງກະແຈໃບຮັບເງິນໃຫ້ສູນກາງແລ້ວ / Receipt key sent to the centre")
    if r.office_as_of is not None:
        # The office's other counters' facts (sync/office_pull.py), as of the centre's time.
        lines.append(
            f"ຂໍ້ມູນຫ້ອງການ ຮັບມາ {r.office_kept} · ປະຕິເສດ {r.office_refused}"
            f" · ເຖິງ {local_time_text(r.office_as_of)}"
            f" / Office records: {r.office_kept} received, {r.office_refused} refused,"
            f" as of {local_time_text(r.office_as_of)}"
        )
    if r.office_waiting:
        # Facts read but not kept: their counter's signed head has not come yet (D9).
        lines.append(
            f"ຂໍ້ມູນຫ້ອງການ {r.office_waiting} ລາຍການ ລໍຖ້າການຢັ້ງຢືນຈາກປ່ອງທີ່ບັນທຶກ"
            f" / {r.office_waiting} office records wait for their counter's signed head"
        )
    if r.chain in ("rewritten", "behind"):
        # The centre's flag on this counter's audit chain (sync/anchor.py), said where it is seen.
        lines.append(
            f"ສູນກາງໝາຍປະຫວັດຂອງປ່ອງນີ້ / The centre flags this counter's chain: {r.chain}"
            " → odsc sync status"
        )
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
