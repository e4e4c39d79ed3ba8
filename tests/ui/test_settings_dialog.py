"""The settings dialog: language at once, office closures for supervisors (printing: see
test_printing.py)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from odsc_desk.domain import closures, settings
from odsc_desk.shared.messages import render
from tests.ui.keys import type_text
from ui.settings_dialog import SettingsDialog


def _dialog(context, qtbot) -> SettingsDialog:
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_supervisor_adds_a_closure(supervisor_ctx, counter_ui, qtbot):
    dialog = _dialog(supervisor_ctx, qtbot)
    # The date starts at the office's today.
    assert dialog.closure_date.date() == QDate(2026, 11, 26)
    dialog.closure_date.setDate(QDate(2026, 12, 4))
    type_text("ບຸນຊ່ວງເຮືອ", dialog.closure_reason)
    qtbot.keyClick(dialog.closure_reason, Qt.Key.Key_Return)
    assert closures.list_closures(counter_ui.store) == [
        {"date": "2026-12-04", "reason": "ບຸນຊ່ວງເຮືອ"}
    ]
    assert dialog.closure_table.rowCount() == 1
    assert dialog.closure_table.item(0, 0).text() == "04/12/2026"
    assert dialog.closure_reason.text() == ""
    assert dialog.isVisible()


def test_a_closure_twice_is_refused_next_to_the_date(supervisor_ctx, counter_ui, qtbot):
    closures.add_closure(
        counter_ui.store, counter_ui.supervisor, QDate(2026, 12, 4).toPython(), "x"
    )
    dialog = _dialog(supervisor_ctx, qtbot)
    dialog.closure_date.setDate(QDate(2026, 12, 4))
    type_text("flood", dialog.closure_reason)
    qtbot.keyClick(dialog.closure_reason, Qt.Key.Key_Return)
    shown = dialog.errors.text("date").replace("\u200b", "")
    assert shown == render("closure.exists", date="2026-12-04")[0]
    # What was typed stays for the clerk to correct.
    assert dialog.closure_reason.text() == "flood"
    assert len(closures.list_closures(counter_ui.store)) == 1


def test_closures_are_for_supervisors_only(ctx, qtbot):
    dialog = _dialog(ctx, qtbot)
    assert not dialog.add.isEnabled()
    assert not dialog.closure_reason.isEnabled()
    assert dialog.closure_note.text()


def test_switching_language_applies_at_once(supervisor_ctx, qtbot):
    dialog = _dialog(supervisor_ctx, qtbot)
    assert supervisor_ctx.lang.code == "lo"
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    assert supervisor_ctx.lang.code == "en"
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Settings")
    assert dialog.add.text() == "Add closure"


def test_money_format_is_for_supervisors_only(ctx, qtbot):
    dialog = _dialog(ctx, qtbot)
    assert not any(combo.isEnabled() for combo in dialog.money.values())
    assert dialog.money_note.text()


def test_money_format_offers_the_core_choices(supervisor_ctx, qtbot):
    dialog = _dialog(supervisor_ctx, qtbot)
    for key, combo in dialog.money.items():
        assert combo.isEnabled()
        choices = [combo.itemData(i) for i in range(combo.count())]
        assert choices == list(settings.SETTINGS[key].choices)


def test_money_format_is_saved_as_office_settings(supervisor_ctx, counter_ui, qtbot):
    dialog = _dialog(supervisor_ctx, qtbot)
    grouping = dialog.money["money_grouping"]
    grouping.setFocus()
    qtbot.keyClick(grouping, Qt.Key.Key_Down)
    assert settings.get(counter_ui.store, "money_grouping") == grouping.currentData() == "."
    unit = dialog.money["money_unit"]
    unit.setCurrentIndex(unit.findData("₭"))
    assert settings.get(counter_ui.store, "money_unit") == "₭"
