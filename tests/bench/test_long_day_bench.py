"""A long day at one counter: 2,000 citizens served through one real window, by keyboard.

One MainWindow in Lao with the real threaded worker and its backup runner, over a fresh store in
a temp folder with the drawer open. Each visit: type a service code and pick it, type the
citizen's name, Ctrl+Enter (save and take payment), Enter in the payment dialog (the amount as
prefilled); the receipt prints at once on Qt's PDF printer. Three writes per visit: the request,
the payment and the receipt's print. Figures per visit, taken as the clerk feels them:

- save: Ctrl+Enter until the form is empty and the payment dialog has the keyboard;
- pay: Enter in the dialog until it is gone, the form empty and the service search focused;
- save -> ready: the two added, the clerk's wait between one citizen's Save and the next;
- settled: Ctrl+Enter until the worker is idle and the receipt is printed.

Per 100 visits the medians are printed. The target (issue 11): the last 100's median of
save -> ready within 1.3x the first 100's and at most 150 ms. The first 100 are the baseline:
the same window, the same work, on a day that has barely begun.

ODSC_BENCH_VISITS sets the visits (default 2,000; ~10 minutes once the day tab keeps up).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from odsc_desk.domain import cash, catalog, settings, users
from odsc_desk.storage.store import open_store
from tests.bench.people import People
from tests.bench.test_ui_bench import (
    Idle,
    focused,
    press,
    profile_threads,
    show_active,
    wait_until,
)
from tests.conftest import FAST_HASHER, PASSWORD, FakeClock, make_counter
from tests.ui.keys import type_text
from tests.ui.pdf_printer import PdfPrinters
from ui.context import CounterContext
from ui.fonts import register_fonts, ui_font
from ui.i18n import Language
from ui.intake import IntakeForm
from ui.main_window import MainWindow
from ui.worker import Worker

VISITS = int(os.environ.get("ODSC_BENCH_VISITS", "2000"))
BLOCK = 100
READY_MS = 150.0
GROWTH = 1.3  # the last block's median against the first's
CTRL = Qt.KeyboardModifier.ControlModifier
# A visit every 10 s of the store's clock: 2,000 fit in one business day (08:00 to 13:40).
VISIT_SECONDS = 10


@dataclass
class Visit:
    save: float
    pay: float
    settled: float

    @property
    def ready(self) -> float:
        return self.save + self.pay


@dataclass
class Day:
    visits: list[Visit] = field(default_factory=list)

    def block(self, n: int) -> list[Visit]:
        return self.visits[n * BLOCK : (n + 1) * BLOCK]


def ms(seconds: float) -> float:
    return seconds * 1000.0


def median_ms(values: list[float]) -> float:
    return ms(statistics.median(values))


@pytest.fixture(scope="module")
def lang(qapp: QApplication, qm_folder: Path) -> Iterator[Language]:
    """What ui.app.main sets up before the first window: the Lao fonts and the Lao language."""
    register_fonts()
    qapp.setFont(ui_font())
    language = Language(qm_folder)
    language.set("lo")
    yield language
    language.set("en")


def paid_services(data_dir: Path, clock: FakeClock) -> list[str]:
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    try:
        return [s["code"] for s in catalog.list_services(store) if s["fee"] > 0]
    finally:
        store.close()


def serve(
    form: IntakeForm, idle: Idle, clock: FakeClock, people: People, codes: list[str]
) -> Visit:
    code = codes[people.rng.randrange(len(codes))]
    type_text(code.lower())
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Return)
    assert form.picker.current and form.picker.current["code"] == code
    type_text(people.name())
    for box in form.documents.boxes():  # everything brought
        box.setChecked(True)
    clock.advance(seconds=VISIT_SECONDS)
    saved = form.request_id
    started = time.perf_counter()
    press(Qt.Key.Key_Return, CTRL)

    def dialog_ready() -> bool:
        dialog = form.payment_dialog
        return (
            dialog is not None
            and form.request_id != saved
            and not any(edit.text() for edit in form.edits.values())
            and focused() is dialog.tendered
        )

    shown = wait_until(dialog_ready)
    dialog = form.payment_dialog
    assert dialog is not None
    pressed = time.perf_counter()
    press(Qt.Key.Key_Return)

    def form_ready() -> bool:
        return (
            form.payment_dialog is None
            and dialog.payment is not None
            and form.picker.current is None
            and focused() is form.picker.search
        )

    ready = wait_until(form_ready)
    settled = wait_until(lambda: idle() and not form.printing.busy)
    return Visit(shown - started, ready - pressed, settled - started)


def table(day: Day) -> str:
    lines = [
        f"{'visits':>11}  {'save':>7}  {'pay':>7}  {'save->ready':>11}  {'p90':>7}  {'settled':>8}",
    ]
    for n in range((len(day.visits) + BLOCK - 1) // BLOCK):
        block = day.block(n)
        ready = [v.ready for v in block]
        p90 = ms(statistics.quantiles(ready, n=10)[8]) if len(ready) > 1 else ms(ready[0])
        lines.append(
            f"{n * BLOCK + 1:>5}-{n * BLOCK + len(block):<5}"
            f"  {median_ms([v.save for v in block]):7.1f}"
            f"  {median_ms([v.pay for v in block]):7.1f}"
            f"  {median_ms(ready):11.1f}"
            f"  {p90:7.1f}"
            f"  {median_ms([v.settled for v in block]):8.1f}"
        )
    return "\n".join(lines)


def test_a_long_day_stays_quick(
    lang: Language, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    clock = FakeClock()
    clock.set_local(2026, 11, 26, 8)
    counter = make_counter(tmp_path / "data", clock)
    cash.open_cash(counter.store, counter.clerk, 500_000)
    # Every receipt goes straight to the (PDF) printer: nothing waits for the clerk.
    settings.set_value(counter.store, counter.supervisor, "print_after_payment", "now")
    counter.store.close()
    data_dir = counter.data_dir
    codes = paid_services(data_dir, clock)

    worker = Worker(lambda: open_store(data_dir, clock=clock, hasher=FAST_HASHER))
    box: list[object] = []
    worker.run(lambda s: (users.authenticate(s, "noy", PASSWORD), s.office), box.append)
    wait_until(lambda: box)
    actor, office = box[0]  # type: ignore[misc]
    ctx = CounterContext(worker, lang, actor, office, data_dir)
    window = MainWindow(ctx)
    printers = PdfPrinters(tmp_path)
    window.intake.printing.printers = printers
    show_active(window)
    window.show_intake()
    idle = Idle(worker)
    wait_until(lambda: window.intake.picker.services and focused() is window.intake.picker.search)
    wait_until(idle)

    people = People(random.Random(20261126))
    day = Day()
    begun = time.perf_counter()
    for n in range(VISITS):
        day.visits.append(serve(window.intake, idle, clock, people, codes))
        if (n + 1) % BLOCK == 0:
            with capsys.disabled():
                block = day.block(n // BLOCK)
                print(
                    f"  visits {n + 2 - BLOCK}-{n + 1}: save -> ready median"
                    f" {median_ms([v.ready for v in block]):.1f} ms"
                    f" ({time.perf_counter() - begun:.0f} s so far)",
                    flush=True,
                )
    assert len(printers.jobs) == VISITS
    first = median_ms([v.ready for v in day.block(0)])
    last = median_ms([v.ready for v in day.visits[-BLOCK:]])
    passed = last <= min(GROWTH * first, READY_MS)
    if not passed:  # where the time of ten more visits goes, on both threads
        with capsys.disabled():
            visit = lambda: serve(window.intake, idle, clock, people, codes)  # noqa: E731
            print("\n" + profile_threads(worker, visit, 10))
    window.close()  # its closeEvent shuts the worker down
    QApplication.processEvents()

    with capsys.disabled():
        print("\n\n=== ODSC Desk: a long day through one window (Lao, real worker) ===")
        print(f"{VISITS:,} visits, medians per {BLOCK} in ms\n")
        print(table(day))
        print(
            f"\nsave -> ready: first {BLOCK} {first:.1f} ms (the baseline), last {BLOCK}"
            f" {last:.1f} ms, ratio {last / first:.2f} (target <= {GROWTH});"
            f" target <= {READY_MS:g} ms; worst {ms(max(v.ready for v in day.visits)):.0f} ms\n"
        )
    assert last <= GROWTH * first, f"last {BLOCK} {last:.1f} ms > {GROWTH} x {first:.1f} ms"
    assert last <= READY_MS, f"last {BLOCK} {last:.1f} ms > {READY_MS:g} ms"
