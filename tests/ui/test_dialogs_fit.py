"""Every screen and dialog of the counter window fits a 1366×768 and a 1024×768 screen, in Lao
and in English: nothing off screen, no button out of sight, no word cut.

Qt's offscreen platform shows one 800×800 screen unless a config file (its `configfile=`
option) describes others, and a running QApplication cannot change it. So each screen size runs
in a child pytest of this same file, started with its own config: the screen is the size less
a 40 px taskbar, since that is what a clerk's windows can use (the offscreen screen has no
taskbar, so its available area is the whole screen). The parent's test ids, one per dialog ×
language × size, each report their child counterpart's outcome.

Offscreen windows have no title bar: a Windows 10/11 title bar (TITLE_BAR) is counted on top of
every framed window. Each case is also saved as a picture of the whole screen (the window over
the main window, its title bar and the taskbar drawn in) under $ODSC_SCREENSHOTS (default:
odsc-screens in the temp folder) for a person to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QWidget,
)

from odsc_desk.domain import payments, service_requests
from odsc_desk.shared.errors import ValidationError
from tests.conftest import FAST_HASHER
from tests.ui.conftest import make_worker
from tests.ui.keys import type_text
from ui.about_dialog import AboutDialog
from ui.approval_dialog import ApprovalDialog
from ui.backup_dialogs import BackupRunner, BackupsDialog
from ui.cash_dialogs import CloseSessionDialog, OpenSessionDialog
from ui.correction_dialogs import RefundDialog, VoidDialog
from ui.idle_lock import LockDialog
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.passphrase_dialog import PassphraseDialog
from ui.payment_dialog import PaymentDialog
from ui.print_jobs import prepare, receipt_job, summary_job
from ui.print_preview import PreviewDialog
from ui.settings_dialog import SettingsDialog
from ui.status_dialog import FeedbackDialog, ReasonDialog
from ui.wizard import ADMIN, CATALOG, SetupWizard
from ui.worker import Worker

TASKBAR = 40
TITLE_BAR = 31  # Windows 10/11 at 100 %
SCREENS = {"1366x768": (1366, 768), "1024x768": (1024, 768)}
LANGUAGES = ("lo", "en")
CHILD = "ODSC_FIT_SCREEN"  # set in a child: the screen it runs on
SHOTS = Path(os.environ.get("ODSC_SCREENSHOTS") or Path(tempfile.gettempdir()) / "odsc-screens")


@dataclass
class Env:
    """What a case needs: fixtures on demand, and the windows it opened (closed afterwards)."""

    request: pytest.FixtureRequest
    opened: list[QWidget] = field(default_factory=list)

    def __getattr__(self, name: str):
        return self.request.getfixturevalue(name)

    def keep(self, widget: QWidget) -> QWidget:
        self.opened.append(widget)
        return widget

    def window(self, supervisor: bool = False) -> MainWindow:
        ctx = self.supervisor_ctx if supervisor else self.ctx
        runner = BackupRunner(self.counter_ui.data_dir, make_worker(self.counter_ui))
        window = MainWindow(ctx, backups=runner)
        self.keep(window).show()
        return window


def paid(env: Env) -> dict:
    """A paid request: its receipt is `paid(env)["receipt"]`."""
    request = service_requests.record_request(
        env.counter_ui.store,
        env.counter_ui.clerk,
        service_code="MOIC-ENT-REG",
        citizen_name="ນາງ ສົມສະໄໝ ວົງພະຈັນ",
        phone="02055551234",
    )
    payment = payments.record_payment(
        env.counter_ui.store, env.counter_ui.clerk, request["tracking"]
    )
    return {**service_requests.get_request(env.counter_ui.store, request["tracking"]), **payment}


def unpaid(env: Env) -> dict:
    request = service_requests.record_request(
        env.counter_ui.store, env.counter_ui.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    return service_requests.get_request(env.counter_ui.store, request["tracking"])


def receipt_of(env: Env) -> str:
    return paid(env)["receipt"]


# -- the cases: each returns the window to look at, or inspects a modal one itself ------------
def main_tab(index: int) -> Callable[[Env], QWidget]:
    def case(env: Env) -> QWidget:
        paid(env)
        window = env.window()
        window.tabs.setCurrentIndex(index)
        return window

    return case


def settings(supervisor: bool) -> Callable[[Env], QWidget]:
    def case(env: Env) -> QWidget:
        ctx = env.supervisor_ctx if supervisor else env.ctx
        return env.keep(SettingsDialog(ctx))

    return case


def preview(kind: str) -> Callable[[Env], QWidget]:
    def case(env: Env) -> QWidget:
        counter, folder = env.counter_ui, env.ctx.data_dir / "documents"
        receipt = receipt_of(env)
        if kind == "receipt":
            job = prepare(
                counter.store,
                lambda s, paper: receipt_job(s, counter.clerk, receipt, folder, paper),
                True,
                folder,
            )
        else:
            job = prepare(
                counter.store, lambda s, _p: summary_job(s, counter.clerk, None), True, folder
            )
        return env.keep(PreviewDialog(env.ctx, job, "Counter printer", env.window()))

    return case


def backups(env: Env) -> QWidget:
    runner = BackupRunner(env.counter_ui.data_dir, make_worker(env.counter_ui))
    runner.back_up_now()
    return env.keep(BackupsDialog(env.supervisor_ctx, runner))


def restore_question(env: Env) -> QWidget:
    dialog = backups(env)
    dialog.show()
    dialog.ask_restore(Path("odsc-VTE-SST-1-2026-11-26T090000.sqlite3"))
    assert dialog.confirm is not None
    return dialog.confirm


def restore_passphrase(env: Env) -> QWidget:
    """An encrypted copy's passphrase after a wrong one: the dialog at its fullest."""
    dialog = backups(env)
    dialog.show()
    usb = Path("E:/ODSC/odsc-VTE-SST-1-2026-11-26-somchai.sqlite3")
    dialog.ask_passphrase(usb)
    assert isinstance(dialog.passphrase, PassphraseDialog)
    dialog.passphrase.refuse(ValidationError("restore.passphrase_wrong", "passphrase", path=usb))
    return dialog.passphrase


def about(env: Env) -> QWidget:
    return env.keep(AboutDialog(env.ctx))


def licence(env: Env) -> QWidget:
    dialog = about(env)
    dialog.show()
    dialog.show_licence(dialog.fonts[0])
    assert dialog.viewer is not None
    return dialog.viewer


def approval(env: Env) -> QWidget:
    receipt = receipt_of(env)
    return env.keep(
        ApprovalDialog(env.ctx, lambda: f"Void receipt {receipt} (ປ້ອນບໍລິການຜິດ): 10,000 kip")
    )


def login(env: Env) -> QWidget:
    worker = make_worker(env.counter_ui)
    env.request.addfinalizer(worker.shutdown)
    return env.keep(LoginDialog(worker, env.lang))


def wizard(page: int) -> Callable[[Env], QWidget]:
    def case(env: Env) -> QWidget:
        data_dir = env.tmp_path / "new"
        worker = Worker(lambda: _open(data_dir), _inline())
        env.request.addfinalizer(worker.shutdown)
        dialog = SetupWizard(data_dir, worker, env.lang, hasher=FAST_HASHER)
        env.keep(dialog).show()
        if page >= ADMIN:
            dialog.office.office_code.setText("VTE-XST")
            type_text("ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງໄຊເສດຖາ", dialog.office.office_name)
            dialog.next()
        if page >= CATALOG:
            dialog.admin.username.setText("chanh")
            dialog.admin.password.setText("ວຽງຈັນ-2026")
            dialog.admin.password_again.setText("ວຽງຈັນ-2026")
            dialog.next()
        assert dialog.currentId() == page
        return dialog

    return case


def _open(data_dir: Path):
    from odsc_desk.storage.store import open_store

    return open_store(data_dir, hasher=FAST_HASHER)


def _inline():
    from tests.ui.conftest import ImmediateExecutor

    return ImmediateExecutor()


def payment(env: Env) -> QWidget:
    return env.keep(PaymentDialog(env.ctx, unpaid(env)))


def cash(closing: bool) -> Callable[[Env], QWidget]:
    def case(env: Env) -> QWidget:
        paid(env)
        kind = CloseSessionDialog if closing else OpenSessionDialog
        return env.keep(kind(env.ctx))

    return case


def correction(refund: bool) -> Callable[[Env], QWidget]:
    def case(env: Env) -> QWidget:
        kind = RefundDialog if refund else VoidDialog
        return env.keep(kind(env.supervisor_ctx if refund else env.ctx, receipt_of(env)))

    return case


def reason(env: Env) -> QWidget:
    return env.keep(ReasonDialog(env.ctx, unpaid(env)["tracking"], "incomplete"))


def feedback(env: Env) -> QWidget:
    return env.keep(FeedbackDialog(env.ctx, paid(env)["tracking"]))


def lock(env: Env) -> QWidget:
    window = env.window()
    return env.keep(LockDialog(env.ctx, 15, window))


def discard_question(env: Env) -> QWidget:
    window = env.window()
    window.show_intake()
    type_text("ນາງ ນ້ອຍ", window.intake.edits["citizen_name"])
    window.show_intake()
    assert window.intake.discard_question is not None
    return window.intake.discard_question


def shortcuts(env: Env) -> None:
    window = env.window()
    env.modal(window.show_shortcuts)


@dataclass(frozen=True)
class Case:
    build: Callable[[Env], QWidget | None]
    owner: str = ""  # the file to fix, for a case known to fail: "<file>: <what is cut>"


CASES = {
    "main-new-request": Case(main_tab(0)),
    "main-requests": Case(main_tab(1)),
    "main-day": Case(main_tab(2)),
    "settings-clerk": Case(settings(False)),
    "settings-supervisor": Case(settings(True)),
    "preview-receipt": Case(preview("receipt")),
    "preview-summary": Case(preview("summary")),
    "backups": Case(backups),
    "restore-question": Case(restore_question),
    "restore-passphrase": Case(restore_passphrase),
    "about": Case(about),
    "licence": Case(licence),
    "approval": Case(approval),
    "login": Case(login),
    "wizard-office": Case(wizard(0)),
    "wizard-admin": Case(wizard(ADMIN)),
    "wizard-catalog": Case(wizard(CATALOG)),
    "payment": Case(payment),
    "cash-open": Case(cash(False)),
    "cash-close": Case(cash(True)),
    "void": Case(correction(False)),
    "refund": Case(correction(True)),
    "status-reason": Case(reason),
    "feedback": Case(feedback),
    "idle-lock": Case(lock),
    "discard-question": Case(discard_question),
    "shortcuts": Case(shortcuts),
}


def _params() -> list:
    only = os.environ.get(CHILD)
    params = []
    for size in SCREENS:
        if only and size != only:
            continue
        for name in CASES:
            for language in LANGUAGES:
                test_id = f"{name}-{language}-{size}"
                params.append(pytest.param(name, language, size, id=test_id))
    return params


# -- what is checked ------------------------------------------------------------------------
def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    """Inside a scrolled view: reachable by scrolling, so not required to be in sight."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _clipped(widget: QWidget, top: QWidget) -> bool:
    """Part of `widget` lies outside one of its parents, up to the window: it is not seen."""
    parent = widget.parentWidget()
    while parent is not None:
        if not parent.rect().contains(QRect(widget.mapTo(parent, QPoint(0, 0)), widget.size())):
            return True
        if parent is top:
            return False
        parent = parent.parentWidget()
    return False


def _framed(window: QWidget) -> bool:
    return not window.windowFlags() & Qt.WindowType.FramelessWindowHint


def problems(window: QWidget) -> list[str]:
    """What a clerk could not see of `window` on its screen; empty when it all fits."""
    QCoreApplication.sendPostedEvents()
    QApplication.processEvents()
    found = []
    available = window.screen().availableGeometry()
    frame = window.frameGeometry()
    title = TITLE_BAR if _framed(window) else 0
    if frame.height() + title > available.height() or frame.width() > available.width():
        found.append(
            f"the window is {frame.width()}×{frame.height()} px (+{title} title bar) on an"
            f" available {available.width()}×{available.height()} px"
        )
    elif not available.contains(frame):
        found.append(f"the window {frame.getRect()} is partly off the screen {available.getRect()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or _in_scroll_area(button, window):
            continue
        where = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
        if _clipped(button, window) or not available.contains(where):
            found.append(f"button {button.text()!r} is out of sight at {where.getRect()}")
        elif isinstance(button, QPushButton) and button.sizeHint().width() > button.width() + 1:
            found.append(f"button {button.text()!r} is cut ({button.width()} px)")
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text() or not label.pixmap().isNull():
            continue
        text = label.text().replace("\u200b", "")[:60]
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                found.append(f"label {text!r} is cut: {label.height()} of {needed} px high")
        elif label.sizeHint().width() > label.width() + 1:
            found.append(f"label {text!r} is cut: {label.width()} of {label.sizeHint().width()}")
        elif not _in_scroll_area(label, window) and _clipped(label, window):
            found.append(f"label {text!r} is out of sight")
    return found


def screen_picture(window: QWidget, path: Path) -> None:
    """The whole screen as the clerk would see it: the window over the others, with title
    bars and the taskbar drawn in (offscreen has neither); whatever is off screen is not."""
    width, height = SCREENS[os.environ[CHILD]]
    picture = QImage(width, height, QImage.Format.Format_RGB32)
    picture.fill(QColor("#2f5d70"))
    painter = QPainter(picture)
    others = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not window and isinstance(w, QMainWindow)
    ]
    for shown in [*others, window]:
        frame = shown.frameGeometry()
        shift = 0
        if _framed(shown):
            # Windows keeps a title bar on screen when the whole window fits below it.
            if frame.top() < TITLE_BAR and frame.height() + TITLE_BAR <= height - TASKBAR:
                shift = TITLE_BAR - frame.top()
            bar = QRect(frame.left(), frame.top() + shift - TITLE_BAR, frame.width(), TITLE_BAR)
            painter.fillRect(bar, QColor("#dde3ea"))
            painter.drawRect(bar.adjusted(0, 0, -1, 0))
            painter.drawText(
                bar.adjusted(10, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, shown.windowTitle()
            )
        painter.drawPixmap(shown.geometry().topLeft() + QPoint(0, shift), shown.grab())
    painter.fillRect(QRect(0, height - TASKBAR, width, TASKBAR), QColor("#1c1c1c"))
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(str(path))


# -- running ----------------------------------------------------------------------------------
def _child_results(size: str, folder: Path) -> dict[str, str | None]:
    """Run every case at `size` in a child pytest; each test id's failure text, None if passed."""
    width, height = SCREENS[size]
    config = folder / f"screen-{size}.json"
    screen = {"name": size, "x": 0, "y": 0, "width": width, "height": height - TASKBAR}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1.0}]}))
    report = folder / f"report-{size}.xml"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        CHILD: size,
        "ODSC_SCREENSHOTS": str(SHOTS),
    }
    command = [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider"]
    subprocess.run(
        [*command, f"--junitxml={report}"],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        timeout=900,
        check=False,
    )
    results: dict[str, str | None] = {}
    for case in ET.parse(report).iter("testcase"):
        test_id = case.get("name", "").partition("[")[2].rstrip("]")
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        results[test_id] = None if failure is None else failure.get("message", "failed")
    return results


@pytest.fixture(scope="session")
def fit_results(tmp_path_factory) -> Callable[[str], dict[str, str | None]]:
    folder = tmp_path_factory.mktemp("fit")
    cache: dict[str, dict[str, str | None]] = {}

    def results(size: str) -> dict[str, str | None]:
        if size not in cache:
            cache[size] = _child_results(size, folder)
        return cache[size]

    return results


@pytest.mark.parametrize(("name", "language", "size"), _params())
def test_fits_the_screen(name: str, language: str, size: str, request) -> None:
    test_id = f"{name}-{language}-{size}"
    if os.environ.get(CHILD) != size:
        outcome = request.getfixturevalue("fit_results")(size)
        assert test_id in outcome, f"{test_id} did not run at {size}"
        assert outcome[test_id] is None, outcome[test_id]
        return
    env = Env(request)
    env.lang.set(language)  # the application exists from here on
    width, height = SCREENS[size]
    geometry = QApplication.primaryScreen().availableGeometry()
    assert (geometry.width(), geometry.height()) == (width, height - TASKBAR)
    found: list[str] = []

    def inspect(window: QWidget) -> None:
        found.extend(problems(window))
        screen_picture(window, SHOTS / f"{test_id}.png")

    def modal(trigger: Callable[[], object]) -> None:
        """A dialog `trigger` opens, modal: inspected, then closed, from inside its own event
        loop if it runs one (exec), else once it is up."""
        seen: list[QWidget] = []

        def look() -> None:
            window = QApplication.activeModalWidget()
            if window is None:
                QTimer.singleShot(10, look)
                return
            seen.append(window)
            inspect(window)
            window.close()

        QTimer.singleShot(0, look)
        trigger()
        env.qtbot.waitUntil(lambda: bool(seen))

    env.modal = modal  # type: ignore[attr-defined]
    try:
        window = CASES[name].build(env)
        if window is not None:
            window.show()
            qtbot = env.qtbot
            qtbot.waitExposed(window)
            qtbot.wait(50)  # what Qt lays out a moment later (table sections) is in the picture
            inspect(window)
    finally:
        for widget in reversed(env.opened):
            widget.close()
            widget.deleteLater()
    assert not found, "\n".join(found)
