"""Logins: a growing wait after failures, a lock after LOCK_AFTER of them (ended by time or by a
supervisor), every failure logged by name and never with the password; and the rules for a new
password. Time is the store's clock (FakeClock): nothing here sleeps."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest

from odsc_desk.domain import users
from odsc_desk.shared.errors import AuthError, NotFoundError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.storage import ledger
from tests.conftest import PASSWORD, Counter


def attempt(counter: Counter, name: str, password: str) -> str:
    """The code of the refusal, or "ok"."""
    try:
        users.authenticate(counter.store, name, password)
    except AuthError as exc:
        return exc.code
    return "ok"


def test_three_mistakes_cost_nothing_then_each_failure_doubles_the_wait(counter: Counter):
    codes = [attempt(counter, "noy", "not-her-password") for _ in range(3)]
    assert codes == ["auth.failed"] * 3
    # The right password, straight after the third failure, must wait a second...
    assert attempt(counter, "noy", PASSWORD) == "auth.wait"
    counter.clock.advance(seconds=1)
    # ...then works, and clears the count.
    assert attempt(counter, "noy", PASSWORD) == "ok"
    assert [attempt(counter, "noy", "wrong-password") for _ in range(3)] == ["auth.failed"] * 3
    waits = []
    for _ in range(6):  # failures 4 to 9
        with pytest.raises(AuthError) as refused:
            users.authenticate(counter.store, "noy", "wrong-password")
        assert refused.value.code == "auth.wait", refused.value.code
        waits.append(refused.value.params["seconds"])
        counter.clock.advance(seconds=waits[-1])
        assert attempt(counter, "noy", "wrong-password") == "auth.failed"
    assert waits == [1, 2, 4, 8, 16, 32]


def test_the_tenth_failure_locks_the_name_for_a_quarter_hour(counter: Counter):
    for n in range(users.LOCK_AFTER):
        counter.clock.advance(seconds=60)  # the longest wait between tries
        expected = "auth.locked" if n == users.LOCK_AFTER - 1 else "auth.failed"
        assert attempt(counter, "noy", f"guess-number-{n}") == expected
    # Locked: even the right password is refused, without being checked.
    with pytest.raises(AuthError) as locked:
        users.authenticate(counter.store, "noy", PASSWORD)
    assert locked.value.code == "auth.locked"
    assert locked.value.params["until"] == "09:25"  # Vientiane time, 15 minutes on
    assert "ຫົວໜ້າ" in locked.value.message_lo and "supervisor" in locked.value.message_en
    counter.clock.advance(minutes=14, seconds=59)
    assert attempt(counter, "noy", PASSWORD) == "auth.locked"
    counter.clock.advance(seconds=1)
    assert attempt(counter, "noy", PASSWORD) == "ok"


def test_a_supervisor_unlocks_a_locked_clerk_and_may_not_unlock_an_admin(counter: Counter):
    for _ in range(users.LOCK_AFTER):
        counter.clock.advance(seconds=60)
        attempt(counter, "noy", "wrong-password")
    [lock] = users.login_locks(counter.store)
    assert lock["username"] == "noy" and lock["failures"] == users.LOCK_AFTER
    assert lock["locked_until"] is not None
    with pytest.raises(AuthError) as clerk:
        users.unlock(counter.store, counter.clerk, "noy")
    assert clerk.value.code == "auth.role"
    assert users.unlock(counter.store, counter.supervisor, "NOY") == users.LOCK_AFTER
    assert users.login_locks(counter.store) == []
    assert attempt(counter, "noy", PASSWORD) == "ok"
    with pytest.raises(AuthError) as admin:
        users.unlock(counter.store, counter.supervisor, "admin")
    assert admin.value.code == "auth.role"
    with pytest.raises(NotFoundError):
        users.unlock(counter.store, counter.supervisor, "ghost")


def test_a_name_that_is_no_account_is_slowed_the_same_so_names_cannot_be_probed(
    counter: Counter,
):
    for name in ("noy", "ghost"):
        codes = [attempt(counter, name, "wrong-password") for _ in range(4)]
        assert codes == ["auth.failed", "auth.failed", "auth.failed", "auth.wait"], name


def test_a_clock_set_back_does_not_lengthen_the_lock(counter: Counter):
    for _ in range(users.LOCK_AFTER):
        counter.clock.advance(seconds=60)
        attempt(counter, "noy", "wrong-password")
    counter.clock.advance(days=-1)
    with pytest.raises(AuthError) as locked:
        users.authenticate(counter.store, "noy", PASSWORD)
    assert locked.value.code == "auth.locked"
    counter.clock.advance(minutes=15)
    assert attempt(counter, "noy", PASSWORD) == "ok"


def test_every_failure_is_logged_by_name_never_with_the_password(
    counter: Counter, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="odsc")
    attempt(counter, "noy", "secret-guess-1")
    attempt(counter, "my-real-password", "whatever-2")  # a password typed as the name
    text = caplog.text
    assert "login failed: user 'noy', 1 failures in a row" in text
    assert "a name that is no account (16 characters)" in text
    for secret in ("secret-guess-1", "whatever-2", "my-real-password"):
        assert secret not in text
    # Nor is the name typed kept in the store: only its digest.
    dump = "\n".join(sqlite3.connect(counter.store.path).iterdump())
    assert "my-real-password" not in dump


def test_an_approval_counts_as_a_login(counter: Counter):
    for _ in range(3):
        with pytest.raises(AuthError):
            users.approve(counter.store, "somchai", "wrong-password")
    with pytest.raises(AuthError) as wait:
        users.approve(counter.store, "somchai", PASSWORD)
    assert wait.value.code == "auth.wait"
    counter.clock.advance(seconds=1)
    assert users.approve(counter.store, "somchai", PASSWORD).username == "somchai"


@pytest.mark.parametrize(
    ("name", "password", "code"),
    [
        ("kham", "12345678", "user.password_short"),
        ("kham", "123456789", "user.password_short"),
        ("kham", " " * 8, "user.password_short"),
        ("kham", " " * 10, "user.password_blank"),
        ("kham", "password", "user.password_short"),
        ("kham", "password12", "user.password_common"),
        ("kham", "  QWERTYUIOP ", "user.password_common"),
        ("kham", "1q2w3e4r5t", "user.password_common"),
        ("kham", "ກກກກກກກກກກ", "user.password_common"),
        ("somsanouk", "SomSanouk", "user.password_short"),
        ("somsanouk1", "SOMSANOUK1", "user.password_name"),
        ("somsanouk1", "1kuonasmos", "user.password_name"),
        ("kham", "kham-2026-xyz", "user.password_name"),
        ("ສົມສັກ", "ສົມສັກ-2026-ok", "user.password_name"),
    ],
)
def test_a_new_password_is_refused(name: str, password: str, code: str):
    with pytest.raises(ValidationError) as err:
        users.check_password_strength(password, name)
    assert err.value.code == code
    assert err.value.message_lo and err.value.message_en != code


@pytest.mark.parametrize(
    ("name", "password"),
    [("noy", "annoying-blue-kettle"), ("kham", "river-stone-42"), ("ສົມສັກ", "ປະຕູດຽວ-2026")],
)
def test_a_good_password_is_accepted(name: str, password: str):
    users.check_password_strength(password, name)


def test_adding_a_user_applies_the_rules_but_old_passwords_still_log_in(counter: Counter):
    with pytest.raises(ValidationError) as err:
        users.add_user(counter.store, counter.admin, "kham", "clerk", "kham-kham-kham")
    assert err.value.code == "user.password_name"
    assert counter.store.scalar("SELECT 1 FROM users WHERE username = 'kham'") is None
    # A password set before the rules (8 characters, as they allowed) is never checked
    # against them at login.
    store = counter.store
    with store.transaction():
        ledger.append(
            store,
            "users",
            {
                "id": new_id(),
                "username": "old",
                "role": "clerk",
                "password_hash": store.hasher.hash("12345678"),
                "created_at": store.now_stamp(),
                "created_by": counter.admin.id,
            },
        )
    assert attempt(counter, "old", "12345678") == "ok"


def test_the_wait_grows_to_a_cap_and_the_lock_is_longer():
    assert [users._wait(n) for n in (1, 2, 3, 4, 8, 9)] == [
        timedelta(0),
        timedelta(0),
        timedelta(seconds=1),
        timedelta(seconds=2),
        timedelta(seconds=32),
        timedelta(seconds=60),
    ]
    assert users._wait(users.LOCK_AFTER) == users.LOCK_TIME
