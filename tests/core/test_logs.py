"""The log files: one line per record, rotated, never a secret, never in the way.

Real files in a temporary data folder; a truly read-only folder (chattr +i as root) for the
fallback; a real thread and a real `odsc` run for the crash hook and the command line.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest

from odsc_desk.maintenance import logs
from odsc_desk.maintenance.logs import OneLineFormatter
from odsc_desk.shared.messages import render
from tests.conftest import PASSWORD, Counter, read_only
from ui.cli import main as cli

LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) "
    r"[\w.]+ .*$"
)
log = logging.getLogger("odsc.test")


@pytest.fixture(autouse=True)
def no_handler_left_behind():
    yield
    logs.close_logging()


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def file_handlers() -> list[logs.LogFile]:
    return [h for h in logging.getLogger().handlers if isinstance(h, logs.LogFile)]


def test_one_line_per_record_with_time_level_logger_and_message(tmp_path):
    path = logs.setup_logging(tmp_path, "odsc-desk")
    assert path == tmp_path / "logs" / "odsc-desk.log"
    log.info("ຮັບເງິນແລ້ວ / paid %s", "VTE-SST-1-261126-0001")
    log.warning("two lines\nin one message")
    try:
        raise ValueError("broken on purpose")
    except ValueError:
        log.exception("a task failed")
    logs.close_logging()
    lines = read_lines(path)
    assert len(lines) == 3
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0].endswith(" INFO odsc.test ຮັບເງິນແລ້ວ / paid VTE-SST-1-261126-0001")
    assert lines[1].endswith(" WARNING odsc.test two lines\\nin one message")
    assert " ERROR odsc.test a task failed\\nTraceback (most recent call last):\\n" in lines[2]
    assert lines[2].endswith("ValueError: broken on purpose")


def test_our_info_is_kept_a_librarys_only_from_warning(tmp_path):
    path = logs.setup_logging(tmp_path, "odsc")
    logging.getLogger("urllib3.connectionpool").info("Starting new HTTPS connection")
    logging.getLogger("urllib3.connectionpool").warning("Retrying after a reset")
    log.info("our own news")
    logs.close_logging()
    text = path.read_text(encoding="utf-8")
    assert "Starting new HTTPS connection" not in text
    assert "Retrying after a reset" in text and "our own news" in text


def test_setting_up_twice_adds_no_second_handler(tmp_path):
    first = logs.setup_logging(tmp_path / "a", "odsc")
    (tmp_path / "a").mkdir()
    assert logs.setup_logging(tmp_path / "a", "odsc") == first
    assert len(file_handlers()) == 1
    log.info("once")
    assert read_lines(first)[0].endswith("once")
    # Another data folder replaces the file; there is never more than one.
    (tmp_path / "b").mkdir()
    second = logs.setup_logging(tmp_path / "b", "odsc")
    assert [Path(h.baseFilename) for h in file_handlers()] == [second]
    log.info("elsewhere")
    assert len(read_lines(first)) == 1 and read_lines(second)[0].endswith("elsewhere")


TOKEN = "rMz3Yq9-tokenvalue-x81Kd"
SECRETS = [
    (f"sync token={TOKEN}", TOKEN),
    (f"env ODSC_PASSWORD: {PASSWORD}", PASSWORD),
    (f'body {{"token": "{TOKEN}", "device": "d1"}}', TOKEN),
    (f"state {{'token': '{TOKEN}'}}", TOKEN),
    ("enrolled with code=5PUQL-2UZYY-T2X39-U8UF4", "5PUQL-2UZYY-T2X39-U8UF4"),
    (f"headers Authorization: Bearer {TOKEN}", TOKEN),
    ("db postgresql://odsc:pg-Secret-42@db.example/odsc", "pg-Secret-42"),
    ("new password='two words'", "two words"),
    ("row password_hash=$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "c2FsdA$aGFzaA"),
    ("hash $argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA found", "c2FsdA$aGFzaA"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS, ids=[t.split()[0] for t, _ in SECRETS])
def test_mask_hides_the_secret_and_keeps_the_rest(text, secret):
    masked = logs.mask(text)
    assert secret not in masked
    assert logs.MASK in masked
    assert masked.split()[0] == text.split()[0]


@pytest.mark.parametrize(
    "text",
    [
        "odsc pay: done in 0.12 s",
        "server_url=https://centre.example/sync catalog v3",
        "ຜິດພາດ: ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ",
    ],
)
def test_mask_leaves_ordinary_text_alone(text):
    assert logs.mask(text) == text


def test_no_secret_reaches_the_file_by_message_argument_or_traceback(tmp_path):
    path = logs.setup_logging(tmp_path, "odsc-desk")
    log.warning("enroll answered token=%s", TOKEN)
    log.warning("login with password: %s", PASSWORD)
    try:
        raise RuntimeError(f"server refused Authorization: Bearer {TOKEN}")
    except RuntimeError:
        log.exception("sync failed")
    logs.close_logging()
    text = path.read_text(encoding="utf-8")
    assert TOKEN not in text and PASSWORD not in text
    assert text.count(logs.MASK) == 3
    assert "RuntimeError: server refused Authorization: Bearer ***" in text


def test_nothing_is_written_before_the_first_record(tmp_path):
    logs.setup_logging(tmp_path, "odsc")
    logs.close_logging()
    assert list(tmp_path.iterdir()) == []


def test_without_a_data_folder_records_go_to_stderr_quietly_and_no_folder_is_made(tmp_path):
    missing = tmp_path / "not-yet"
    logs.setup_logging(missing, "odsc")
    err = io.StringIO()
    with redirect_stderr(err):
        log.info("kept nowhere")
        log.warning("said on the console")
    assert not missing.exists()
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].endswith("WARNING odsc.test said on the console")


def test_a_folder_that_cannot_be_written_warns_once_then_uses_stderr(tmp_path):
    path = logs.setup_logging(tmp_path, "odsc-desk")
    err = io.StringIO()
    with read_only(tmp_path), redirect_stderr(err):
        log.warning("first problem")
        log.info("routine")
        log.error("second problem")
    lo, en = render("log.unwritable", path=str(path), detail="x")
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(lo.split("(")[0]) and lines[1].startswith(en.split("(")[0])
    assert [line.split(" odsc.test ")[1] for line in lines[2:]] == [
        "first problem",
        "second problem",
    ]
    assert not path.parent.exists()


def test_files_rotate_and_tail_reads_the_last_lines_across_them(tmp_path):
    logs.setup_logging(tmp_path, "odsc")
    handler = file_handlers()[0]
    handler.maxBytes = 2_000
    for n in range(400):
        log.info("record %04d", n)
    logs.close_logging()
    folder = tmp_path / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["odsc.log"] + [f"odsc.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1)]
    assert all(p.stat().st_size <= 2_000 for p in folder.iterdir())
    tail = logs.tail(tmp_path, lines=50)["odsc.log"].splitlines()
    assert [line.rsplit(" ", 1)[1] for line in tail] == [f"{n:04d}" for n in range(350, 400)]


def test_uncaught_exceptions_are_logged_and_the_old_hooks_still_run(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *args: seen.append(args[0]))
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(args.exc_type))
    path = logs.setup_logging(tmp_path, "odsc-desk")
    logs.log_uncaught_exceptions()
    try:
        raise KeyError("in a slot")
    except KeyError:
        sys.excepthook(*sys.exc_info())

    def crash() -> None:
        raise OSError("in a thread")

    thread = threading.Thread(target=crash, name="odsc-store")
    thread.start()
    thread.join()
    logs.close_logging()
    lines = read_lines(path)
    assert seen == [KeyError, OSError]
    assert " CRITICAL odsc.crash uncaught exception\\n" in lines[0] and "in a slot" in lines[0]
    assert "uncaught exception in thread odsc-store" in lines[1] and "in a thread" in lines[1]


def run(data_dir: Path, *args: str, password: str = PASSWORD) -> int:
    env = {"ODSC_USER": "noy", "ODSC_PASSWORD": password}
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(io.StringIO()):
        for key, value in env.items():
            mp.setenv(key, value)
        with redirect_stderr(io.StringIO()):
            return cli.main(["--data-dir", str(data_dir), *args])


def test_the_command_line_logs_what_it_did_not_what_it_refused(counter: Counter):
    data = counter.data_dir
    assert run(data, "request", "list") == 0
    path = data / "logs" / "odsc.log"
    lines = read_lines(path)
    assert len(lines) == 1 and re.search(r"INFO odsc\.cli odsc request list: done in \d", lines[0])
    # A wrong password is refused on the console; the log says whose login failed, never the
    # password typed, and nothing of the refused command.
    assert run(data, "session", "open", "--float", "1000", password="wrong-pass") == 1
    added = read_lines(path)[len(lines) :]
    assert len(added) == 1 and "WARNING odsc.users login failed: user 'noy', 1 " in added[0]
    assert "wrong-pass" not in path.read_text(encoding="utf-8")
    assert run(data, "session", "open", "--float", "1000") == 0
    text = path.read_text(encoding="utf-8")
    assert "odsc session open: done" in text and PASSWORD not in text
    # The command closed its file: nothing is left attached to the process.
    assert file_handlers() == []


def test_log_lines_are_stamped_in_vientiane_time_whatever_the_pcs_zone(monkeypatch):
    monkeypatch.setenv("TZ", "America/Lima")  # a PC set to some other zone
    time.tzset()
    try:
        record = logging.LogRecord("odsc.test", logging.INFO, __file__, 1, "hello", None, None)
        record.created = datetime(2026, 11, 26, 2, 14, 3, tzinfo=UTC).timestamp()
        line = OneLineFormatter().format(record)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert line.startswith("2026-11-26T09:14:03.000+07:00 INFO odsc.test hello")
