"""The request pane prints the notices a request is in a state for (issue 15, item 3): the
documents still missing, the refusal, and a late request's new date, asked first in a dialog that
records it. Real widgets over a real store; the PDFs saved (no printer here) are read back with
pdftotext; a screenshot of the new-date dialog in Lao under /tmp/odsc-shots (or ODSC_SHOTS_DIR).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from odsc_desk.domain import service_requests, workdays
from odsc_desk.shared.clock import local_date
from tests.conftest import cannot_run_here
from tests.ui.test_requests_view import _new, _select, _view
from ui.requests_view import RequestsView
from ui.status_dialog import NewDateDialog

LEFT = Qt.MouseButton.LeftButton
BOTH = ["BIRTH-NOTICE", "FAMBOOK-COPY"]  # a birth certificate's documents, all handed in


@pytest.fixture
def notices(counter_ui):
    """Requests taken a week ago (a birth certificate takes a working day, so they are late
    now), one of them incomplete and one rejected; and one taken today."""
    c = counter_ui
    made = {
        "late": _new(c, "ສົມສັກ ພົມມະຈັນ", documents=BOTH),
        "late_incomplete": _new(c, "ສົມພອນ ແກ້ວມະນີ", documents=["BIRTH-NOTICE"]),
        "rejected": _new(c, "ແສງເດືອນ ວົງສາ", documents=BOTH),
    }
    service_requests.change_status(
        c.store, c.clerk, made["late_incomplete"], "incomplete", "ຂາດສຳເນົາປຶ້ມສຳມະໂນຄົວ"
    )
    service_requests.change_status(c.store, c.clerk, made["rejected"], "rejected", "Wrong village")
    c.clock.advance(days=7)
    made["today"] = _new(c, "ບຸນມີ ສີສຸວັນ", documents=BOTH)
    return made


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        cannot_run_here("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _shown(qtbot, ctx, tracking: str) -> RequestsView:
    """The list with `tracking` selected (the pane is its `detail`; the view is kept by the
    caller, or Qt deletes the pane with it)."""
    view = _view(qtbot, ctx)
    _select(qtbot, view, tracking)
    return view


def _events(counter, tracking: str) -> list[service_requests.StatusEvent]:
    return service_requests.get_request(counter.store, tracking)["history"]


def _ok(dialog: NewDateDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_only_the_notices_a_request_is_in_a_state_for_are_offered(qtbot, ctx, notices):
    offered = {}
    view = _view(qtbot, ctx)
    for name, tracking in notices.items():
        _select(qtbot, view, tracking)
        button = view.detail.notice_button
        menu = button.menu()
        offered[name] = (
            button.text() if button.isVisible() else None,
            [a.text() for a in menu.actions()] if menu is not None else None,
        )
    assert offered == {
        "late": ("ພິມໃບແຈ້ງວັນນັດໃໝ່…", None),
        "late_incomplete": (
            "ພິມໃບແຈ້ງ",
            ["ພິມໃບແຈ້ງເອກະສານທີ່ຍັງຂາດ", "ພິມໃບແຈ້ງວັນນັດໃໝ່…"],
        ),
        "rejected": ("ພິມໃບແຈ້ງປະຕິເສດຄຳຮ້ອງ", None),
        "today": (None, None),
    }


def test_a_refusal_notice_prints_with_its_reason(qtbot, ctx, counter_ui, notices):
    tracking = notices["rejected"]
    view = _shown(qtbot, ctx, tracking)
    detail = view.detail
    with qtbot.waitSignal(detail.printing.done) as printed:
        qtbot.mouseClick(detail.notice_button, LEFT)
    job = printed.args[0]
    assert (job.kind, job.notice, job.name) == ("notice", "refusal", tracking)
    assert job.path is not None and job.path.name == f"{tracking}-refusal.pdf"
    text = _pdf_text(job.path)
    assert "Notice of refusal" in text and "Wrong village" in text


def test_the_menu_prints_the_missing_documents_notice(qtbot, ctx, counter_ui, notices):
    tracking = notices["late_incomplete"]
    view = _shown(qtbot, ctx, tracking)
    detail = view.detail
    folder = Path(os.environ.get("ODSC_SHOTS_DIR", "/tmp/odsc-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(folder / "pane-notices-lo.png"))
    missing = detail.notice_button.menu().actions()[0]
    with qtbot.waitSignal(detail.printing.done) as printed:
        missing.trigger()
    job = printed.args[0]
    assert (job.notice, job.path.name) == ("missing-documents", f"{tracking}-missing-documents.pdf")
    assert "Request for additional documents" in _pdf_text(job.path)
    assert len(_events(counter_ui, tracking)) == 1  # printing it records nothing


def test_a_new_date_is_asked_refused_on_a_weekend_recorded_and_printed(
    qtbot, ctx, counter_ui, notices
):
    tracking = notices["late"]
    store = counter_ui.store
    today = local_date(store.now())
    view = _shown(qtbot, ctx, tracking)
    detail = view.detail
    qtbot.mouseClick(detail.notice_button, LEFT)
    dialog = detail.dialog
    assert isinstance(dialog, NewDateDialog)
    qtbot.waitUntil(dialog.buttons.isEnabled)  # OK waits for the counted date
    # The date the notice counts: the service's working day (one) again from today.
    counted = workdays.add_working_days(today, 1, workdays.office_closures(store, today))
    assert dialog.new_day == counted > today
    folder = Path(os.environ.get("ODSC_SHOTS_DIR", "/tmp/odsc-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(folder / "new-date-dialog-lo.png"))

    # A Saturday is refused under the date; nothing is recorded and the dialog stays open.
    saturday = date.fromordinal(today.toordinal() + (5 - today.weekday()) % 7 or 7)
    assert saturday.weekday() == 5
    dialog.date.setDate(QDate(saturday.year, saturday.month, saturday.day))
    _ok(dialog)
    assert dialog.isVisible() and dialog.date_error.isVisible()
    assert "ວັນເຮັດວຽກ" in dialog.date_error.text()
    assert len(_events(counter_ui, tracking)) == 0

    # Another working day is recorded and told on the notice; the status stays.
    chosen = workdays.add_working_days(counted, 1, workdays.office_closures(store, today))
    dialog.date.setDate(QDate(chosen.year, chosen.month, chosen.day))
    with qtbot.waitSignal(detail.printing.done) as printed:
        _ok(dialog)
    job = printed.args[0]
    assert (job.notice, job.path.name) == ("new-date", f"{tracking}-new-date.pdf")
    text = _pdf_text(job.path)
    assert "New appointment date" in text and chosen.strftime("%d/%m/%Y") in text
    [event] = _events(counter_ui, tracking)
    assert (event["status"], event["new_date"]) == ("received", chosen.isoformat())
    assert service_requests.get_request(store, tracking)["status"] == "received"

    # Printed again with the same date: a second notice, no second event.
    qtbot.mouseClick(detail.notice_button, LEFT)
    again = detail.dialog
    assert isinstance(again, NewDateDialog) and again is not dialog
    qtbot.waitUntil(again.buttons.isEnabled)
    again.date.setDate(QDate(chosen.year, chosen.month, chosen.day))
    with qtbot.waitSignal(detail.printing.done):
        _ok(again)
    assert len(_events(counter_ui, tracking)) == 1


def test_cancel_records_and_prints_nothing(qtbot, ctx, counter_ui, notices):
    tracking = notices["late"]
    view = _shown(qtbot, ctx, tracking)
    detail = view.detail
    qtbot.mouseClick(detail.notice_button, LEFT)
    dialog = detail.dialog
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    assert _events(counter_ui, tracking) == []
    assert not (ctx.data_dir / "documents" / f"{tracking}-new-date.pdf").exists()
