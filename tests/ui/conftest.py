"""UI fixtures: real widgets over a real store, with the worker running tasks inline.

The `.qm` translations are compiled from the committed `.ts` sources into a temporary folder,
so the Lao tests do not depend on a previous `make`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest

from odsc_desk.domain import cash
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, Counter, cannot_run_here
from ui import printing
from ui.context import CounterContext
from ui.fonts import register_fonts, ui_font
from ui.i18n import TRANSLATIONS, Language
from ui.printing import SystemPrinters
from ui.worker import Worker


class ImmediateExecutor(Executor):
    """Runs each task at once in the calling thread: results arrive before `run` returns."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


class NoPrinters(SystemPrinters):
    """A PC with no printer at all."""

    def names(self) -> list[str]:
        return []

    def default_name(self) -> str:
        return ""


@pytest.fixture(autouse=True)
def no_printers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their printers (none, Qt's PDF output, a named one): a window made by a test
    never reads the machine's, whose spooler and default printer vary from PC to PC."""
    monkeypatch.setattr(printing, "SystemPrinters", NoPrinters)


@pytest.fixture(scope="session")
def qm_folder(tmp_path_factory) -> Path:
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        cannot_run_here("pyside6-lrelease is not installed")
    folder = tmp_path_factory.mktemp("qm")
    for ts in TRANSLATIONS.glob("*.ts"):
        subprocess.run(
            [lrelease, "-silent", str(ts), "-qm", str(folder / ts.with_suffix(".qm").name)],
            check=True,
        )
    return folder


@pytest.fixture
def lang(qapp, qm_folder) -> Language:
    register_fonts()
    qapp.setFont(ui_font())
    language = Language(qm_folder)
    language.set("lo")
    yield language
    language.set("en")


@pytest.fixture
def counter_ui(counter: Counter) -> Counter:
    """The counter with its cash session open, as at the start of a working day."""
    cash.open_cash(counter.store, counter.clerk, 100_000)
    return counter


def make_worker(counter: Counter) -> Worker:
    # The worker gets its own connection, as in the app; the fixture's stays for assertions.
    return Worker(
        lambda: open_store(counter.data_dir, clock=counter.clock, hasher=FAST_HASHER),
        ImmediateExecutor(),
    )


@pytest.fixture
def ctx(counter_ui: Counter, lang: Language) -> CounterContext:
    """A clerk logged in at an open counter."""
    worker = make_worker(counter_ui)
    yield CounterContext(
        worker, lang, counter_ui.clerk, counter_ui.store.office, counter_ui.data_dir
    )
    worker.shutdown()


@pytest.fixture
def supervisor_ctx(counter_ui: Counter, lang: Language) -> CounterContext:
    worker = make_worker(counter_ui)
    yield CounterContext(
        worker, lang, counter_ui.supervisor, counter_ui.store.office, counter_ui.data_dir
    )
    worker.shutdown()
