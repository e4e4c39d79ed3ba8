"""File → Accounts: a supervisor adds a clerk from the keyboard, over a real store; refusals are
said under the field in the window's language and write nothing; clerks cannot get in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from odsc_desk.domain import users
from odsc_desk.shared.errors import AuthError, ValidationError
from odsc_desk.shared.laotext import unbreakable
from tests.conftest import PASSWORD, Counter
from tests.ui.keys import type_text
from ui.accounts_dialog import AccountsDialog
from ui.context import CounterContext
from ui.main_window import MainWindow

NEW_PASSWORD = "ປະຕູດຽວ-2026"
LAO_NAME = "ສົມພອນ"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def show_window(qtbot, ctx: CounterContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    return window


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


def open_accounts(qtbot, window: MainWindow) -> AccountsDialog:
    QTest.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    dialog = window.findChild(AccountsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def fill(name: str, password: str, again: str, *, role_steps: int = 0) -> None:
    """From the user name field: name, role (Down `role_steps` times), password twice, Enter."""
    type_text(name)
    press(Qt.Key.Key_Tab)
    for _ in range(role_steps):
        press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Tab)
    type_text(password)
    press(Qt.Key.Key_Tab)
    type_text(again)
    press(Qt.Key.Key_Return)


def shown(label) -> str:
    return unbreakable(label.text()) if not label.isHidden() else ""


def user_count(counter: Counter) -> int:
    return int(counter.store.scalar("SELECT count(*) FROM users"))


@pytest.mark.parametrize("language", ["lo", "en"])
def test_supervisor_adds_a_lao_clerk_from_the_keyboard(qtbot, supervisor_ctx, counter_ui, language):
    supervisor_ctx.lang.set(language)
    window = show_window(qtbot, supervisor_ctx)
    dialog = open_accounts(qtbot, window)
    assert QApplication.focusWidget() is dialog.username
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == [
        "admin",
        "noy",
        "somchai",
    ]

    fill(LAO_NAME, NEW_PASSWORD, NEW_PASSWORD)

    added = users.authenticate(counter_ui.store, LAO_NAME, NEW_PASSWORD)
    assert added.role == "clerk"
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert LAO_NAME in names
    clerk = "ພະນັກງານ" if language == "lo" else "Clerk"
    assert dialog.table.item(names.index(LAO_NAME), 1).text() == clerk
    assert LAO_NAME in shown(dialog.notice)
    # Ready for the next one: the form is empty and the name field has the keyboard.
    assert dialog.username.text() == dialog.password.text() == ""
    assert QApplication.focusWidget() is dialog.username


def test_supervisor_adds_a_supervisor_but_is_not_offered_admin(qtbot, supervisor_ctx, counter_ui):
    window = show_window(qtbot, supervisor_ctx)
    dialog = open_accounts(qtbot, window)
    assert dialog.roles == ["clerk", "supervisor"]

    fill("kham", NEW_PASSWORD, NEW_PASSWORD, role_steps=1)

    assert users.authenticate(counter_ui.store, "kham", NEW_PASSWORD).role == "supervisor"


REFUSALS = [
    pytest.param("noy", NEW_PASSWORD, NEW_PASSWORD, ValidationError("user.exists", user="noy"),
                 "username", id="duplicate"),
    pytest.param("kham", "abc", "abc",
                 ValidationError("user.password_short", minimum=users.PASSWORD_MIN),
                 "password", id="short-password"),
    pytest.param("kham", NEW_PASSWORD, NEW_PASSWORD + "x", ValidationError("password.mismatch"),
                 "password_again", id="mismatch"),
    pytest.param("kham sone", NEW_PASSWORD, NEW_PASSWORD,
                 ValidationError("user.name_invalid", limit=users.USERNAME_MAX), "username",
                 id="two-words"),
]  # fmt: skip


@pytest.mark.parametrize("language", ["lo", "en"])
@pytest.mark.parametrize(("name", "password", "again", "error", "field"), REFUSALS)
def test_bad_input_is_said_under_its_field_and_changes_nothing(
    qtbot, supervisor_ctx, counter_ui, language, name, password, again, error, field
):
    supervisor_ctx.lang.set(language)
    window = show_window(qtbot, supervisor_ctx)
    dialog = open_accounts(qtbot, window)
    before = user_count(counter_ui)

    fill(name, password, again)

    assert user_count(counter_ui) == before
    expected = error.message_lo if language == "lo" else error.message_en
    assert shown(dialog.labels[field]) == expected
    assert dialog.password.text() == dialog.password_again.text() == ""
    assert dialog.notice.isHidden()
    # The message follows a language switch.
    other = "en" if language == "lo" else "lo"
    supervisor_ctx.lang.set(other)
    assert shown(dialog.labels[field]) == (error.message_lo if other == "lo" else error.message_en)


def test_a_clerk_cannot_open_accounts(qtbot, ctx, counter_ui):
    window = show_window(qtbot, ctx)
    assert not window.accounts_action.isEnabled()
    assert window.accounts_action.toolTip() == "ສະເພາະຫົວໜ້າ"

    QTest.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)

    assert window.findChild(AccountsDialog) is None


def test_a_clerk_who_reaches_the_dialog_can_add_nothing(qtbot, ctx, counter_ui):
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.group.isEnabled()
    assert shown(dialog.general) == "ມີແຕ່ຫົວໜ້າເທົ່ານັ້ນທີ່ເພີ່ມບັນຊີຜູ້ໃຊ້ໄດ້"
    before = user_count(counter_ui)
    dialog.add()
    assert user_count(counter_ui) == before


@pytest.mark.parametrize(
    ("who", "role"), [("clerk", "clerk"), ("supervisor", "admin")], ids=["clerk", "above-own"]
)
def test_the_core_checks_the_role_too(counter_ui, who, role):
    actor = getattr(counter_ui, who)
    before = user_count(counter_ui)
    with pytest.raises(AuthError) as refused:
        users.add_user(counter_ui.store, actor, "kham", role, NEW_PASSWORD)
    assert refused.value.code == "auth.role"
    assert user_count(counter_ui) == before


def test_admin_may_add_an_admin(counter_ui):
    assert users.grantable_roles(counter_ui.admin) == list(users.ROLES)
    added = users.add_user(counter_ui.store, counter_ui.admin, "chanh", "admin", PASSWORD)
    assert added.role == "admin"
