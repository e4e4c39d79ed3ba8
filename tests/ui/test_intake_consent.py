"""The intake form's consent to messages: off for every citizen, ticked and its language picked
by keyboard, refused (next to the phone) without a phone number."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.keys import type_text
from tests.ui.test_intake import ALT, CTRL, focused, lao, open_form, pick_service, press, requests


def test_consent_in_english_by_keyboard_alone(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    assert not form.sms_consent.isChecked() and not form.sms_lang.isEnabled()
    with qtbot.waitSignal(form.saved):
        pick_service(qtbot, form, "ເກີດ")
        type_text("ນາງ ນ້ອຍ")
        press(qtbot, Qt.Key.Key_Tab)
        type_text("020 5555 1234")
        press(qtbot, Qt.Key.Key_A, ALT)
        press(qtbot, Qt.Key.Key_M, ALT)  # the citizen agreed (a mnemonic: it clicks a moment later)
        qtbot.waitUntil(form.sms_consent.isChecked)
        assert focused() is form.sms_consent
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is form.sms_lang
        press(qtbot, Qt.Key.Key_Down)
        assert form.sms_lang.currentData() == "en"
        _look(form, "consent-lo", qtbot)
        ctx.lang.set("en")
        qtbot.waitUntil(lambda: form.sms_consent.text().startswith("Text"))
        _look(form, "consent-en", qtbot)
        press(qtbot, Qt.Key.Key_S, CTRL)
    [request] = requests(counter_ui)
    assert (request["sms_consent"], request["sms_lang"]) == (1, "en")
    # The next citizen gives their own answer.
    assert not form.sms_consent.isChecked() and form.sms_lang.currentData() == "lo"


def test_without_the_tick_no_consent_is_recorded(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    with qtbot.waitSignal(form.saved):
        pick_service(qtbot, form, "ເກີດ")
        type_text("Noy")
        press(qtbot, Qt.Key.Key_Tab)
        type_text("020 5555 1234")
        press(qtbot, Qt.Key.Key_A, ALT)
        press(qtbot, Qt.Key.Key_S, CTRL)
    [request] = requests(counter_ui)
    assert (request["sms_consent"], request["sms_lang"]) == (None, None)


def test_consent_without_a_phone_is_refused_next_to_the_phone(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "ເກີດ")
    type_text("Noy")
    press(qtbot, Qt.Key.Key_A, ALT)
    press(qtbot, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(form.sms_consent.isChecked)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: form.error_labels["phone"].isVisible())
    assert form.error_labels["phone"].text() == lao("sms.needs_phone")
    assert focused() is form.edits["phone"]
    assert form.sms_consent.isChecked()  # nothing typed is lost
    assert requests(counter_ui) == []


def _look(form, name: str, qtbot) -> None:
    """A screenshot to look at, when asked (ODSC_SCREENSHOTS=folder), once the layout settled."""
    folder = os.environ.get("ODSC_SCREENSHOTS")
    if folder:
        qtbot.wait(100)
        form.grab().save(str(Path(folder) / f"{name}.png"))
