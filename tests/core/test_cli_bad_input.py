"""Bad input at the `odsc` command line.

Every refusal must say what is wrong in Lao and in English on stderr ("ຜິດພາດ: ..." then
"Error: ..."), print one `{"error": ...}` object with `--json`, exit 1 (refused), 2 (the command
line is wrong) or 3 (the store cannot be used), and leave the data folder exactly as it was.
"""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.request_history import STATUSES
from odsc_desk.storage.store import STORE_FILE
from tests.core.test_cli import (
    BACKUP_PASSPHRASE,
    BASE_EXPECTED_CASH,
    COLLECTED,
    PAID,
    PASSWORDS,
    R_COLLECTED,
    R_PAID,
    RECEIVED,
    REJECTED,
    Clock,
    build_base,
    init_args,
    ok,
    run_cli,
    snapshot,
)

LAO = range(0x0E80, 0x0F00)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("cli-bad-base") / "data")


@pytest.fixture
def data(base: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base, tmp_path / "data"))


@pytest.fixture
def closed(data: Path) -> Path:
    """The copy with its cash session closed (counted as expected)."""
    ok(run_cli(data, "session", "close", "--counted", BASE_EXPECTED_CASH, user="noy"))
    return data


def refused(
    data: Path,
    *args: Any,
    code: str | set[str],
    exit_code: int = 1,
    user: str | None = "noy",
    env: dict[str, str | None] | None = None,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """Run a command that must be refused; check the message, the exit code, the store."""
    before = snapshot(data)
    result = run_cli(data, *args, user=user, env=env, json_out=True, clock=clock)
    assert result.code == exit_code, result
    error = result.json["error"]
    assert error["code"] in ({code} if isinstance(code, str) else code), error
    assert_bilingual(result.err, error)
    after = snapshot(data)
    if error["code"] == "auth.failed":
        # A failed login is counted (users.authenticate slows and locks by it): that and
        # nothing else changed.
        assert _failed_logins(after) != _failed_logins(before)
        before, after = _without_failed_logins(before), _without_failed_logins(after)
    assert after == before
    return error


def _failed_logins(snap: tuple[list[str], list[str]]) -> list[str]:
    return [line for line in snap[1] if line.startswith('INSERT INTO "login_failures"')]


def _without_failed_logins(snap: tuple[list[str], list[str]]) -> tuple[list[str], list[str]]:
    counted = set(_failed_logins(snap))
    return snap[0], [line for line in snap[1] if line not in counted]


def assert_bilingual(err: str, error: dict[str, Any]) -> None:
    lines = [f"ຜິດພາດ: {error['message_lo']}", f"Error: {error['message_en']}"]
    if error.get("hint"):
        lines.append(f"→ {error['hint']}")
    assert err.splitlines() == lines
    assert any(ord(ch) in LAO for ch in error["message_lo"]), error
    assert not any(ord(ch) in LAO for ch in error["message_en"]), error
    assert error["message_en"] != error["code"]


def usage_error(data: Path, *args: Any) -> None:
    before = snapshot(data)
    result = run_cli(data, *args, user="noy")
    assert result.code == 2, result
    assert "ຄຳສັ່ງບໍ່ຖືກຕ້ອງ / Invalid command: " in result.err
    assert result.err.startswith("usage: odsc")
    assert result.out == ""
    assert snapshot(data) == before


def new_request(*extra: str, service: str = "MOHA-BIRTH", name: str = "Somsak") -> list[str]:
    return ["request", "new", "--service", service, "--citizen-name", name, *extra]


# -- request intake


def test_unknown_service(data: Path) -> None:
    error = refused(data, *new_request(service="NO-SUCH"), code="service.unknown")
    assert error["message_en"] == "Unknown service NO-SUCH"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param("", "name.empty", id="empty"),
        pytest.param("   ", "name.empty", id="spaces"),
        pytest.param("\t \u3000", "name.empty", id="tab-and-ideographic-space"),
        pytest.param("12345", "name.no_letters", id="digits"),
        pytest.param("--- ...", "name.no_letters", id="punctuation"),
        pytest.param("\u0ec8\u0ec9", "name.no_letters", id="lao-tone-marks-only"),
        pytest.param("\u0ec8ສົມສັກ", "name.starts_with_mark", id="starts-with-tone-mark"),
        pytest.param("ສົມສັກ" * 84, "name.too_long", id="504-lao-chars"),
        pytest.param("a" * 500, "name.too_long", id="500-chars"),
        pytest.param("Som\x07sak", "text.control", id="bell"),
        pytest.param("Som\x1b[2Jsak", "text.control", id="escape-sequence"),
        pytest.param("Som\x00sak", "text.control", id="nul"),
        pytest.param("Som\x7fsak", "text.control", id="delete"),
        pytest.param("\u202eSomsak", "text.control", id="bidi-override"),
        pytest.param("Som\u200bsak", "text.control", id="zero-width-space"),
    ],
)
def test_bad_citizen_name(data: Path, name: str, code: str) -> None:
    error = refused(data, *new_request(name=name), code=code)
    assert error["field"] == "citizen_name"


@pytest.mark.parametrize(
    "phone", ["abc", "12345", "1" * 16, "+856 20 abc", "020 5555 1234 ext 5", "++8562055551234"]
)
def test_bad_phone(data: Path, phone: str) -> None:
    refused(data, *new_request("--phone", phone), code="phone.invalid")


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (("--id-number", "#123"), "id_number.invalid"),
        (("--id-number", "A" * 31), "id_number.invalid"),
        (("--village", "ບ້ານ" * 31), "text.too_long"),
        (("--village", "Ban\x07Phonsavat"), "text.control"),
        (("--documents", "PASSPORT"), "document.unknown"),
        (("--documents", "BIRTH-NOTICE,APPLICATION"), "document.unknown"),
    ],
)
def test_bad_request_details(data: Path, extra: tuple[str, str], code: str) -> None:
    refused(data, *new_request(*extra), code=code)


# -- amounts


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("-5", "amount.negative"),
        ("-10,000", "amount.negative"),
        ("0", "amount.zero"),
        ("12.5", "amount.not_whole"),
        ("abc", "amount.not_whole"),
        ("", "amount.not_whole"),
        ("1e4", "amount.not_whole"),
        ("10000.0", "amount.not_whole"),
        ("100000001", "amount.too_large"),
        pytest.param("²", "amount.not_whole", id="superscript-two"),
        pytest.param("9" * 5000, "amount.too_large", id="5000-digits"),
        ("20000", "payment.over"),
        ("10001", "payment.over"),
        ("9999", "payment.under"),
    ],
)
def test_bad_payment_amount(data: Path, amount: str, code: str) -> None:
    error = refused(data, "pay", RECEIVED, f"--amount={amount}", code=code)
    assert error["field"] == "amount"


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("-5", "amount.negative"),
        ("0", "amount.zero"),
        ("12.5", "amount.not_whole"),
        ("abc", "amount.not_whole"),
        ("100000001", "amount.too_large"),
        ("30001", "refund.over"),
    ],
)
def test_bad_refund_amount(data: Path, amount: str, code: str) -> None:
    args = (f"--amount={amount}", "--reason", "ຄືນເງິນ", "--supervisor", "somchai")
    refused(data, "refund", R_PAID, *args, code=code)


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("-5", "amount.negative"),
        ("12.5", "amount.not_whole"),
        ("12,5", "amount.not_whole"),
        ("abc", "amount.not_whole"),
        ("", "amount.not_whole"),
        ("100000001", "amount.too_large"),
    ],
)
def test_bad_session_float(closed: Path, amount: str, code: str) -> None:
    error = refused(closed, "session", "open", f"--float={amount}", code=code)
    assert error["field"] == "float"


@pytest.mark.parametrize(
    ("amount", "code"), [("-5", "amount.negative"), ("abc", "amount.not_whole")]
)
def test_bad_session_count(data: Path, amount: str, code: str) -> None:
    refused(data, "session", "close", f"--counted={amount}", code=code)


# -- payments in the wrong state


@pytest.mark.parametrize(
    ("tracking", "code"),
    [
        (COLLECTED, "payment.request_closed"),
        (REJECTED, "payment.request_closed"),
        (PAID, "payment.nothing_due"),
        ("VTE-SST-1-261126-0099", "request.unknown"),
    ],
)
def test_pay_refused_for_the_request_state(data: Path, tracking: str, code: str) -> None:
    refused(data, "pay", tracking, code=code)


def test_pay_with_no_open_session(closed: Path) -> None:
    error = refused(closed, "pay", RECEIVED, code="session.none")
    assert error["hint"] == "odsc session open --float N"


def test_pay_into_yesterdays_session(data: Path) -> None:
    tomorrow = Clock()
    tomorrow.advance(days=1)
    refused(data, "pay", RECEIVED, code="session.stale", clock=tomorrow)


def test_session_open_twice(data: Path) -> None:
    refused(data, "session", "open", "--float", "0", code="session.already_open")


def test_session_close_with_none_open(closed: Path) -> None:
    refused(closed, "session", "close", "--counted", "0", code="session.none")


def test_session_close_approved_by_a_clerk(data: Path) -> None:
    args = ("session", "close", "--counted", "1", "--supervisor", "noy")
    refused(
        data, *args, code="auth.not_supervisor", env={"ODSC_SUPERVISOR_PASSWORD": PASSWORDS["noy"]}
    )


# -- status changes


@pytest.mark.parametrize(
    ("tracking", "status"),
    [
        (RECEIVED, "collected"),
        (RECEIVED, "ready"),
        (RECEIVED, "received"),
        (REJECTED, "in_process"),
        *((COLLECTED, status) for status in STATUSES),
    ],
)
def test_illegal_status_change(data: Path, tracking: str, status: str) -> None:
    args = ("request", "status", tracking, status, "--reason", "ທົດລອງ")
    refused(data, *args, code="status.illegal")


@pytest.mark.parametrize("status", ["rejected", "incomplete", "withdrawn"])
@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "spaces"])
def test_status_that_needs_a_reason(data: Path, status: str, reason: str | None) -> None:
    extra = () if reason is None else ("--reason", reason)
    refused(data, "request", "status", RECEIVED, status, *extra, code="reason.required")


@pytest.mark.parametrize(
    ("tracking", "reason", "code"),
    [
        ("VTE-SST-1-261126-0099", "x", "request.unknown"),
        (RECEIVED, "ເອກະສານ\x1b[0m", "text.control"),
        (RECEIVED, "ບ" * 501, "text.too_long"),
    ],
)
def test_bad_status_change(data: Path, tracking: str, reason: str, code: str) -> None:
    refused(data, "request", "status", tracking, "rejected", "--reason", reason, code=code)


def test_show_unknown_request(data: Path) -> None:
    refused(data, "request", "show", "NOT-A-NUMBER", code="request.unknown")


# -- voids and refunds

VOID = ("void", R_PAID, "--reason", "ຄີຜິດ", "--supervisor", "somchai")
REFUND = ("refund", R_PAID, "--amount", "5000", "--reason", "ຄືນ", "--supervisor", "somchai")


@pytest.mark.parametrize(
    ("args", "env", "code"),
    [
        (("void", R_PAID, "--reason", "", "--supervisor", "somchai"), {}, "text.required"),
        (("void", R_PAID, "--reason", "  ", "--supervisor", "somchai"), {}, "text.required"),
        (("void", R_PAID, "--reason", "x", "--supervisor", ""), {}, "auth.approval_needed"),
        (
            ("void", R_PAID, "--reason", "x", "--supervisor", "noy"),
            {"ODSC_SUPERVISOR_PASSWORD": PASSWORDS["noy"]},
            "auth.not_supervisor",
        ),
        (VOID, {"ODSC_SUPERVISOR_PASSWORD": "wrong-password"}, "auth.failed"),
        (("void", R_PAID, "--reason", "x", "--supervisor", "ghost"), {}, "auth.failed"),
        (VOID, {"ODSC_SUPERVISOR_PASSWORD": None}, "password.needed"),
        (VOID, {"ODSC_PASSWORD": "wrong-password"}, "auth.failed"),
        (
            ("void", "VTE-SST-1-2026-999999", "--reason", "x", "--supervisor", "somchai"),
            {},
            "receipt.unknown",
        ),
        (
            ("refund", "nope", "--amount", "1", "--reason", "x", "--supervisor", "somchai"),
            {},
            "receipt.unknown",
        ),
        (REFUND, {"ODSC_SUPERVISOR_PASSWORD": "wrong-password"}, "auth.failed"),
    ],
    ids=[
        "void-empty-reason",
        "void-blank-reason",
        "void-empty-supervisor",
        "void-clerk-approves",
        "void-wrong-supervisor-password",
        "void-unknown-supervisor",
        "void-no-supervisor-password",
        "void-wrong-own-password",
        "void-unknown-receipt",
        "refund-unknown-receipt",
        "refund-wrong-supervisor-password",
    ],
)
def test_void_or_refund_refused(data: Path, args: tuple[str, ...], env: dict, code: str) -> None:
    refused(data, *args, env=env, code=code)


@pytest.mark.parametrize(
    ("first", "then", "code"),
    [
        (VOID, VOID, "void.already"),
        (VOID, REFUND, "refund.voided"),
        (REFUND, VOID, "void.refunded"),
    ],
    ids=["void-twice", "refund-after-void", "void-after-refund"],
)
def test_void_or_refund_after_an_earlier_one(
    data: Path, first: tuple[str, ...], then: tuple[str, ...], code: str
) -> None:
    ok(run_cli(data, *first, user="noy"))
    refused(data, *then, code=code)


def test_refund_more_than_what_is_left(data: Path) -> None:
    ok(run_cli(data, *REFUND, user="noy"))
    args = ("refund", R_PAID, "--amount", "25001", "--reason", "x", "--supervisor", "somchai")
    error = refused(data, *args, code="refund.over")
    assert "25,000" in error["message_en"]


def test_void_with_no_open_session(closed: Path) -> None:
    refused(closed, *VOID, code="session.none")


# -- who is acting


@pytest.mark.parametrize(
    ("user", "env", "code"),
    [
        ("noy", {"ODSC_PASSWORD": "wrong-password"}, "auth.failed"),
        ("noy", {"ODSC_PASSWORD": ""}, "auth.failed"),
        ("ghost", {"ODSC_PASSWORD": "whatever-1"}, "auth.failed"),
        (None, {}, "user.needed"),
        ("", {}, "user.needed"),
        ("noy", {"ODSC_PASSWORD": None}, "password.needed"),
    ],
    ids=[
        "wrong-password",
        "empty-password",
        "unknown-user",
        "no-user",
        "empty-user",
        "no-password",
    ],
)
def test_who_is_acting(data: Path, user: str | None, env: dict, code: str) -> None:
    refused(data, *new_request(), user=user, env=env, code=code)


def test_unknown_user_and_wrong_password_get_the_same_answer(data: Path) -> None:
    env = {"ODSC_PASSWORD": "nope-nope"}
    wrong = refused(data, *new_request(), env=env, code="auth.failed")
    ghost = refused(data, *new_request(), user="ghost", env=env, code="auth.failed")
    assert wrong == ghost


@pytest.mark.parametrize(
    "args",
    [
        ("user", "add", "kham", "--role", "clerk"),
        ("setting", "set", "allow_partial_payment", "yes"),
        ("closure", "add", "2026-12-01", "--reason", "ບຸນ"),
    ],
    ids=["user-add", "setting-set", "closure-add"],
)
def test_a_clerk_may_not(data: Path, args: tuple[str, ...]) -> None:
    error = refused(data, *args, env={"ODSC_NEW_PASSWORD": "long-enough-1"}, code="auth.role")
    assert error["message_en"].startswith("User noy may not do this")


def test_a_clerk_may_not_import_a_catalog(data: Path) -> None:
    refused(data, "catalog", "import", demo_catalog_path(), code="auth.role")


def test_a_clerk_may_not_restore(data: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.sqlite3"
    ok(run_cli(data, "backup", "--out", backup, user="somchai", env=BACKUP_PASSPHRASE))
    refused(data, "restore", backup, code="auth.role", env=BACKUP_PASSPHRASE)
    assert not (data / "backups").exists()


# -- users


@pytest.mark.parametrize(
    ("name", "password", "code"),
    [
        ("kham", "short12", "user.password_short"),
        ("kham", "", "user.password_short"),
        ("kham", "123456789", "user.password_short"),
        ("kham", " " * 12, "user.password_blank"),
        ("kham", "KHAM-2026-ok", "user.password_name"),
        ("khamla", "alMAHk", "user.password_short"),
        ("khamsavath", "htavasmahk", "user.password_name"),
        ("kham", "Password12", "user.password_common"),
        ("kham", "qwertyuiop", "user.password_common"),
        ("kham", "xxxxxxxxxxxx", "user.password_common"),
        ("NOY", "long-enough-1", "user.exists"),
        ("kham la", "long-enough-1", "user.name_invalid"),
        ("a" * 41, "long-enough-1", "user.name_invalid"),
    ],
)
def test_bad_new_user(data: Path, name: str, password: str, code: str) -> None:
    args = ("user", "add", name, "--role", "clerk")
    refused(data, *args, user="boss", env={"ODSC_NEW_PASSWORD": password}, code=code)


# -- feedback


@pytest.mark.parametrize("rating", ["0", "6", "x", "", "4.5", "-1", "+5", "٥"])
def test_bad_feedback_rating(data: Path, rating: str) -> None:
    refused(data, "feedback", COLLECTED, "--rating", rating, code="feedback.rating")


def test_feedback_twice(data: Path) -> None:
    ok(run_cli(data, "feedback", COLLECTED, "--rating", "5", user="noy"))
    refused(data, "feedback", COLLECTED, "--rating", "1", code="feedback.already")


@pytest.mark.parametrize(
    ("tracking", "comment", "code"),
    [
        ("VTE-SST-1-261126-0099", "ດີ", "request.unknown"),
        (COLLECTED, "ດີ\x07", "text.control"),
        (COLLECTED, "ດ" * 1001, "text.too_long"),
    ],
)
def test_bad_feedback(data: Path, tracking: str, comment: str, code: str) -> None:
    refused(data, "feedback", tracking, "--rating", "3", "--comment", comment, code=code)


# -- catalog import


def demo() -> dict[str, Any]:
    return json.loads(demo_catalog_path().read_text(encoding="utf-8"))


def catalog_file(tmp_path: Path, content: Any, name: str = "catalog.json") -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def changed(version: int, **service: Any) -> dict[str, Any]:
    catalog = copy.deepcopy(demo())
    catalog["version"] = version
    catalog["services"][0].update(service)
    return catalog


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param('{"version": 2, "services": [', "catalog.unreadable", id="malformed-json"),
        pytest.param("", "catalog.unreadable", id="empty-file"),
        pytest.param([1, 2], "catalog.field", id="top-level-list"),
        pytest.param(changed(2, fee=-1), "catalog.number", id="negative-fee"),
        pytest.param(changed(2, fee="10000"), "catalog.number", id="fee-as-text"),
        pytest.param(changed(2, fee=12.5), "catalog.number", id="fractional-fee"),
        pytest.param(changed(2, days=400), "catalog.number", id="too-many-days"),
        pytest.param(changed(2, ministry="MOF"), "catalog.reference", id="unknown-ministry"),
        pytest.param(changed(2, documents=["VISA"]), "catalog.reference", id="unknown-document"),
        pytest.param(
            changed(2, documents=[["APPLICATION"]]),
            {"catalog.field", "catalog.reference"},
            id="document-entry-is-a-list",
        ),
        pytest.param(changed(2, code="moha-birth"), "catalog.duplicate", id="duplicate-code"),
        pytest.param(changed(2, name_lo=""), "catalog.field", id="empty-name"),
        pytest.param(changed(0), "catalog.number", id="version-0"),
        pytest.param(changed(1, fee=1), "catalog.version_clash", id="same-version-new-fees"),
    ],
)
def test_bad_catalog_import(data: Path, tmp_path: Path, content: Any, code: Any) -> None:
    path = catalog_file(tmp_path, content)
    refused(data, "catalog", "import", path, user="boss", code=code)


def test_import_of_an_older_catalog_version(data: Path, tmp_path: Path) -> None:
    newer = catalog_file(tmp_path, changed(3, fee=12_000), "v3.json")
    ok(run_cli(data, "catalog", "import", newer, user="boss"))
    older = catalog_file(tmp_path, changed(2, fee=11_000), "v2.json")
    error = refused(data, "catalog", "import", older, user="boss", code="catalog.version_old")
    assert error["message_en"] == "Catalog version 2 is older than the current version 3"


def test_import_of_a_missing_catalog_file(data: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    refused(data, "catalog", "import", missing, user="boss", code="file.missing")


# -- init

GOOD_PASSWORD = {"ODSC_NEW_PASSWORD": PASSWORDS["admin"]}


def test_init_twice(data: Path) -> None:
    refused(data, *init_args(), user=None, env=GOOD_PASSWORD, code="store.exists", exit_code=1)


@pytest.mark.parametrize(
    ("override", "env", "code"),
    [
        ({"--office-code": "vte sst"}, GOOD_PASSWORD, "office.code_invalid"),
        ({"--office-code": "V"}, GOOD_PASSWORD, "office.code_invalid"),
        ({"--office-code": "VTE_SST"}, GOOD_PASSWORD, "office.code_invalid"),
        ({"--office-code": ""}, GOOD_PASSWORD, "office.code_invalid"),
        ({"--counter": "0"}, GOOD_PASSWORD, "office.counter_invalid"),
        ({"--counter": "100"}, GOOD_PASSWORD, "office.counter_invalid"),
        ({"--counter": "-1"}, GOOD_PASSWORD, "office.counter_invalid"),
        ({"--counter": "abc"}, GOOD_PASSWORD, "office.counter_invalid"),
        ({"--counter": "1.5"}, GOOD_PASSWORD, "office.counter_invalid"),
        ({"--counter": "²"}, GOOD_PASSWORD, "office.counter_invalid"),
        ({"--office-name": ""}, GOOD_PASSWORD, "name.empty"),
        ({"--office-name": "123"}, GOOD_PASSWORD, "name.no_letters"),
        ({"--admin": "ad min"}, GOOD_PASSWORD, "user.name_invalid"),
        ({}, {"ODSC_NEW_PASSWORD": "short12"}, "user.password_short"),
        ({}, {"ODSC_NEW_PASSWORD": ""}, "user.password_short"),
        ({}, {"ODSC_NEW_PASSWORD": "1234567890"}, "user.password_common"),
        ({}, {"ODSC_NEW_PASSWORD": "my-admin-key"}, "user.password_name"),
        ({}, {}, "password.needed"),
    ],
    ids=[
        "code-with-space",
        "code-too-short",
        "code-underscore",
        "code-empty",
        "counter-0",
        "counter-100",
        "counter-negative",
        "counter-abc",
        "counter-fraction",
        "counter-superscript",
        "office-name-empty",
        "office-name-digits",
        "admin-name-with-space",
        "password-7-chars",
        "password-empty",
        "password-common",
        "password-holds-the-name",
        "password-missing",
    ],
)
def test_bad_init(tmp_path: Path, override: dict[str, str], env: dict, code: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    result = run_cli(data, *init_args(**override), env=env, json_out=True)
    assert result.code == 1, result
    error = result.json["error"]
    assert error["code"] == code
    assert_bilingual(result.err, error)
    assert list(data.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "code"),
    [(None, "file.missing"), ("{not json", "catalog.unreadable")],
    ids=["missing", "malformed"],
)
def test_init_with_a_bad_catalog_file(tmp_path: Path, content: str | None, code: str) -> None:
    path = tmp_path / "catalog.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    args = [a for a in init_args() if a != "--demo-catalog"]
    result = run_cli(tmp_path / "data", *args, "--catalog", path, env=GOOD_PASSWORD, json_out=True)
    assert result.code == 1
    assert result.json["error"]["code"] == code
    assert_bilingual(result.err, result.json["error"])
    assert not (tmp_path / "data").exists()


# -- dates

BAD_DATES = ["2026-13-01", "2026-02-30", "26/11/2026", "tomorrow", ""]


@pytest.mark.parametrize("value", BAD_DATES)
@pytest.mark.parametrize(
    ("args", "user"),
    [
        (("request", "list", "--date", "{}"), "noy"),
        (("day", "--date", "{}"), "noy"),
        (("closure", "add", "{}", "--reason", "ບຸນ"), "somchai"),
        (("export", "--from", "{}", "--to", "2026-11-26", "--out", "{out}"), "noy"),
        (("export", "--from", "2026-11-26", "--to", "{}", "--out", "{out}"), "noy"),
    ],
    ids=["request-list", "day", "closure-add", "export-from", "export-to"],
)
def test_bad_date(
    data: Path, tmp_path: Path, args: tuple[str, ...], user: str | None, value: str
) -> None:
    out = tmp_path / "export.csv"
    argv = [a.format(value, out=out) for a in args]
    error = refused(data, *argv, user=user, code="date.invalid")
    assert "YYYY-MM-DD" in error["message_en"]
    assert not out.exists()


def test_export_range_backwards(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    args = ("export", "--from", "2026-11-27", "--to", "2026-11-26", "--out", out)
    refused(data, *args, code="export.range")
    assert not out.exists()


def test_export_into_a_missing_folder(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "export.csv"
    args = ("export", "--from", "2026-11-26", "--to", "2026-11-26", "--out", out)
    refused(data, *args, code="file.no_folder")


@pytest.mark.parametrize("target", ["notes.txt", STORE_FILE], ids=["a-file", "the-store-itself"])
def test_export_over_an_existing_file(data: Path, target: str) -> None:
    """Like `backup`, `export` must not overwrite a file, least of all the ledger itself."""
    out = data / target
    if target != STORE_FILE:
        out.write_text("keep me", encoding="utf-8")
    kept = out.read_bytes()
    args = ("export", "--from", "2026-11-26", "--to", "2026-11-26", "--out", out)
    refused(data, *args, code="file.exists")
    assert out.read_bytes() == kept


# -- closures and settings


def test_closure_twice(data: Path) -> None:
    ok(run_cli(data, "closure", "add", "2026-12-01", "--reason", "ນ້ຳຖ້ວມ", user="somchai"))
    args = ("closure", "add", "2026-12-01", "--reason", "ອີກ")
    refused(data, *args, user="somchai", code="closure.exists")


@pytest.mark.parametrize(
    ("reason", "code"),
    [("", "text.required"), ("   ", "text.required"), ("ບຸນ\x00", "text.control")],
)
def test_closure_without_a_proper_reason(data: Path, reason: str, code: str) -> None:
    args = ("closure", "add", "2026-12-01", "--reason", reason)
    refused(data, *args, user="somchai", code=code)


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("max_amount", "abc", "setting.int"),
        ("max_amount", "-5", "setting.int"),
        ("max_amount", "", "setting.int"),
        ("max_amount", "²", "setting.int"),
        ("cash_difference_limit", "1.5", "setting.int"),
        ("allow_partial_payment", "maybe", "setting.bool"),
    ],
)
def test_bad_setting_value(data: Path, key: str, value: str, code: str) -> None:
    refused(data, "setting", "set", key, value, user="somchai", code=code)


# -- backup and restore


def test_backup_over_an_existing_file(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "exists.sqlite3"
    out.write_bytes(b"keep me")
    refused(data, "backup", "--out", out, user="somchai", env=BACKUP_PASSPHRASE, code="file.exists")
    assert out.read_bytes() == b"keep me"


def test_backup_into_a_missing_folder(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "b.sqlite3"
    refused(
        data, "backup", "--out", out, user="somchai", env=BACKUP_PASSPHRASE, code="file.no_folder"
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "file.missing"),
        (b"just some text", "restore.not_store"),
        (b"SQLite format 3\x00" + b"\x00garbage" * 200, "restore.damaged"),
    ],
    ids=["missing", "text-file", "damaged"],
)
def test_restore_from_a_bad_file(
    data: Path, tmp_path: Path, content: bytes | None, code: str
) -> None:
    path = tmp_path / "backup.sqlite3"
    if content is not None:
        path.write_bytes(content)
    refused(data, "restore", path, user="somchai", code=code)
    assert not (data / "backups").exists()


def test_restore_a_plain_sqlite_file(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    refused(data, "restore", path, user="somchai", code="restore.not_store")


def test_restore_another_counters_backup(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    new = {"ODSC_NEW_PASSWORD": "other-pass-1"}
    ok(run_cli(other, *init_args(**{"--counter": "2"}), env=new))
    backup = tmp_path / "other.sqlite3"
    as_admin = {"ODSC_PASSWORD": "other-pass-1", **BACKUP_PASSPHRASE}
    ok(run_cli(other, "backup", "--out", backup, user="admin", env=as_admin))
    error = refused(
        data, "restore", backup, user="somchai", env=BACKUP_PASSPHRASE, code="restore.other_counter"
    )
    assert "VTE-SST-2" in error["message_en"]


# -- the command line itself (exit 2)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("frobnicate",), id="unknown-command"),
        pytest.param((), id="no-command"),
        pytest.param(("request",), id="no-subcommand"),
        pytest.param(("pay",), id="pay-without-tracking"),
        pytest.param(("session", "open"), id="open-without-float"),
        pytest.param(("session", "open", "--float"), id="float-without-value"),
        pytest.param(("void", R_COLLECTED, "--reason", "x"), id="void-without-supervisor"),
        pytest.param(
            ("refund", R_COLLECTED, "--reason", "x", "--supervisor", "somchai"),
            id="refund-without-amount",
        ),
        pytest.param(("request", "new", "--citizen-name", "Somsak"), id="new-without-service"),
        pytest.param(("request", "status", RECEIVED, "bogus"), id="unknown-status"),
        pytest.param(("request", "list", "--status", "lost"), id="list-unknown-status"),
        pytest.param(("request", "list", "--limit", "abc"), id="limit-not-a-number"),
        pytest.param(("pay", RECEIVED, "--method", "card"), id="unknown-method"),
        pytest.param(("feedback", COLLECTED), id="feedback-without-rating"),
        pytest.param(("setting", "set", "no_such_key", "1"), id="unknown-setting"),
        pytest.param(("user", "add", "kham", "--role", "chief"), id="unknown-role"),
        pytest.param(("export", "--from", "2026-11-26", "--out", "x.csv"), id="export-without-to"),
        pytest.param(init_args()[:-1], id="init-without-catalog"),
        pytest.param((*init_args(), "--catalog", "c.json"), id="init-with-two-catalogs"),
        pytest.param(("day", "--bogus"), id="unknown-option"),
    ],
)
def test_usage_error(data: Path, args: tuple[str, ...]) -> None:
    usage_error(data, *args)


# -- the store cannot be used (exit 3)


def _foreign(data: Path) -> None:
    (data / STORE_FILE).write_text("these are my notes\n", encoding="utf-8")


def _corrupt(data: Path) -> None:
    (data / STORE_FILE).write_bytes(b"SQLite format 3\x00" + b"\x07garbage" * 500)


def _newer(data: Path) -> None:
    conn = sqlite3.connect(data / STORE_FILE)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('odsc_desk', 'm999_from_the_future', '2030-01-01')"
        )
    conn.close()


def _other_app(data: Path) -> None:
    (data / STORE_FILE).unlink()
    conn = sqlite3.connect(data / STORE_FILE)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (None, "store.missing"),
        (_foreign, "store.foreign"),
        (_corrupt, "store.corrupt"),
        (_newer, "store.newer"),
        (_other_app, "store.foreign"),
    ],
    ids=["missing", "foreign-text", "corrupt", "newer", "other-sqlite-app"],
)
@pytest.mark.parametrize(
    ("args", "user"),
    [(("day",), "noy"), (new_request(), "noy")],
    ids=["read", "write"],
)
def test_store_cannot_be_used(
    tmp_path: Path, base: Path, damage: Any, code: str, args: tuple[str, ...], user: str | None
) -> None:
    data = tmp_path / "data"
    if damage is None:
        data.mkdir()
    else:
        shutil.copytree(base, data)
        damage(data)
    before = sorted((str(p), p.read_bytes()) for p in data.rglob("*") if p.is_file())
    result = run_cli(data, *args, user=user, json_out=True)
    assert result.code == 3, result
    error = result.json["error"]
    assert error["code"] == code
    assert_bilingual(result.err, error)
    assert sorted((str(p), p.read_bytes()) for p in data.rglob("*") if p.is_file()) == before


def test_every_refusal_with_json_prints_one_object(data: Path) -> None:
    """Refusals print `{"error": {code, field, message_lo, message_en, hint}}`."""
    result = run_cli(data, "pay", COLLECTED, user="noy", json_out=True)
    assert set(result.json) == {"error"}
    assert set(result.json["error"]) == {"code", "field", "message_lo", "message_en", "hint"}
