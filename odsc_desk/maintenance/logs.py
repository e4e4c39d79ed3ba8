"""The log files support staff read: one rotating file per program in <data folder>/logs.

`odsc.log` for the command line, `odsc-desk.log` for the window: 1 MB each, the five before it
kept as `.1` ... `.5`, UTF-8, one line per record (time with its UTC offset, level, logger,
message; a traceback's line breaks written as `\\n`), so the last N lines are the last N records.

What is logged: our own loggers (`odsc.*`) from INFO up, every library's from WARNING up, and
whatever crashes. What never is: a password, a sync token or an enrollment code. Callers do not
pass them, and a filter masks anything that looks like one in case a message or a traceback
carries it anyway.

The file is opened at the first record, not before: a command that logs nothing (a refusal)
leaves the data folder exactly as it found it, and the log never creates the data folder itself.
A folder that cannot be written never stops the program: the first failure prints one warning,
and from then on records of WARNING and up go to stderr. Without a data folder they go there
quietly.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
from collections import deque
from datetime import datetime
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from odsc_desk.shared.clock import VIENTIANE
from odsc_desk.shared.messages import render

LOG_DIR = "logs"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
OWN_LOGGERS = "odsc"
MASK = "***"

# key=value, key: value, "key": "value", key='value', where the key's name says it holds a
# secret (ODSC_PASSWORD, password_hash, sync_token, an enrollment `code`, ...).
_SECRET_PAIR = re.compile(
    r"""(?P<key>[\w.-]*(?:token|password|passwd|secret|code)[\w.-]*)"""
    r"""(?P<sep>["']?\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s"',;&)}\]]+)""",
    re.IGNORECASE,
)
_AUTH_HEADER = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+[\w.~+/=-]+", re.IGNORECASE)
# postgresql://user:password@host: the password part of a database or server URL.
_URL_PASSWORD = re.compile(r"(?P<who>://[^:/@\s]+:)[^@\s]+@")
# A stored password hash, wherever it appears (its parameters hold commas and equals signs).
_ARGON2 = re.compile(r"\$argon2(?:id|i|d)\$[^\s\"';]+")


def mask(text: str) -> str:
    """`text` with every value that looks like a secret replaced by ***."""

    def pair(m: re.Match[str]) -> str:
        value = m["value"]
        quote = value[0] if value[0] in "\"'" else ""
        return f"{m['key']}{m['sep']}{quote}{MASK}{quote}"

    text = _ARGON2.sub(MASK, text)
    text = _SECRET_PAIR.sub(pair, text)
    text = _AUTH_HEADER.sub(lambda m: f"{m['scheme']} {MASK}", text)
    return _URL_PASSWORD.sub(lambda m: f"{m['who']}{MASK}@", text)


class SecretFilter(logging.Filter):
    """Masks secrets in a record's message, traceback and stack before any handler writes it."""

    _plain = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._plain.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class OneLineFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        # Vientiane time with its offset, whatever zone the PC is set to (old PCs are often set
        # wrong): a support person reads the office's hours, unambiguously.
        when = datetime.fromtimestamp(record.created, VIENTIANE)
        return when.isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r\n", "\n").replace("\n", "\\n")


class _NoDataFolder(OSError):
    """There is no data folder (yet): nowhere to keep a log, and nothing wrong. Making the
    folder is `odsc init`'s and the setup wizard's job, never the log's."""


class LogFile(RotatingFileHandler):
    """The rotating file, made (with its folder) at the first record."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
        self.setFormatter(OneLineFormatter())
        self.addFilter(SecretFilter())
        self.fallback: logging.Handler | None = None

    def _open(self) -> TextIOWrapper:
        folder = Path(self.baseFilename).parent
        if not folder.parent.is_dir():
            raise _NoDataFolder(folder.parent)
        folder.mkdir(exist_ok=True)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        if self.fallback is not None:
            # handle() applies filters, not levels: the level is checked here.
            if record.levelno >= self.fallback.level:
                self.fallback.handle(record)
            return
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        """The file cannot be made or written (read-only folder, full disk): warn once, then
        carry on with stderr. Called by logging with the exception being handled."""
        if self.fallback is None:
            self.fallback = self._fall_back(sys.exc_info()[1])
        self.emit(record)

    def _fall_back(self, error: BaseException | None) -> logging.Handler:
        if self.stream is not None:
            with contextlib.suppress(OSError):  # a full disk may fail the final flush too
                self.stream.close()
            self.stream = None
        if not isinstance(error, _NoDataFolder):
            detail = getattr(error, "strerror", None) or str(error)
            lo, en = render("log.unwritable", path=self.baseFilename, detail=detail)
            print(f"{lo}\n{en}", file=sys.stderr)
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(OneLineFormatter())
        return console


def log_folder(data_dir: Path | str) -> Path:
    return Path(data_dir) / LOG_DIR


def _installed() -> list[LogFile]:
    return [h for h in logging.getLogger().handlers if isinstance(h, LogFile)]


def setup_logging(data_dir: Path | str, name: str) -> Path:
    """Send log records to <data_dir>/logs/<name>.log; returns that path.

    Calling it again for the same file changes nothing; for another file (another data folder)
    the previous file is closed first, so there is only ever one.
    """
    path = (log_folder(data_dir) / f"{name}.log").absolute()
    for handler in _installed():
        if handler.baseFilename == str(path):
            return path
    close_logging()
    logging.getLogger().addHandler(LogFile(path))
    logging.getLogger(OWN_LOGGERS).setLevel(logging.INFO)
    return path


def close_logging() -> None:
    """Detach and close the log file (the end of a command; tests that run many in a row)."""
    root = logging.getLogger()
    for handler in _installed():
        root.removeHandler(handler)
        handler.close()


def log_uncaught_exceptions() -> None:
    """Write crashes to the log too. The window runs without a console on Windows, where a
    traceback printed to stderr is lost; the previous hooks still run."""
    crash = logging.getLogger("odsc.crash")
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            crash.critical("uncaught exception", exc_info=(kind, value, tb))
        previous_hook(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit and args.exc_value is not None:
            name = args.thread.name if args.thread is not None else "?"
            crash.critical(
                "uncaught exception in thread %s",
                name,
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )
        previous_thread_hook(args)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def _rotation_set(current: Path) -> list[Path]:
    """A log and its rotated copies, oldest first."""
    older = [current.with_name(f"{current.name}.{n}") for n in range(BACKUP_COUNT, 0, -1)]
    return [p for p in [*older, current] if p.is_file()]


def tail(data_dir: Path | str, lines: int = 2000) -> dict[str, str]:
    """The last `lines` lines of each program's log (rotated copies included), masked again
    on the way out: {file name: text}."""
    found: dict[str, str] = {}
    for current in sorted(log_folder(data_dir).glob("*.log")):
        kept: deque[str] = deque(maxlen=lines)
        for path in _rotation_set(current):
            with path.open(encoding="utf-8", errors="replace") as handle:
                kept.extend(line.rstrip("\r\n") for line in handle)
        found[current.name] = "".join(f"{mask(line)}\n" for line in kept)
    return found
