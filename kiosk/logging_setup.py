"""The kiosk's log: a rotating file in the data folder, never personal data.

Code logs what a volunteer or organiser needs to follow the kiosk (store
opened, sync counts, print jobs by title, failures by kind) and never a
signer's name, email, postcode or drawing: those are sealed before they
are stored and are not passed to log calls. As a safety net, anything that
looks like an email address is replaced before a record is written.
Crashes (uncaught exceptions, and faulthandler for hard crashes in Qt) go
to the same folder; tracebacks carry no local variables.
"""

from __future__ import annotations

import faulthandler
import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO

LOG_DIR = "logs"
LOG_FILE = "kiosk.log"
CRASH_FILE = "crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")
_crash_file: IO[str] | None = None


class RedactEmails(logging.Filter):
    """Replace anything shaped like an email address, should one ever slip into a message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "@" in message:
            record.msg, record.args = _EMAIL.sub("[email]", message), None
        return True


def setup_logging(data_dir: Path, *, level: int = logging.INFO, catch_crashes: bool = True) -> Path:
    """Log to data_dir/logs/kiosk.log (rotating) and catch crashes there; returns the log path."""
    global _crash_file
    folder = data_dir / LOG_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "klimatavtal", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.klimatavtal = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactEmails())
    root.addHandler(handler)
    root.setLevel(level)
    if catch_crashes and _crash_file is None:
        _crash_file = (folder / CRASH_FILE).open("a", encoding="utf-8")
        faulthandler.enable(_crash_file)
        sys.excepthook = _log_uncaught
    return path


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    logging.getLogger("kiosk.crash").critical(
        "uncaught %s", kind.__name__, exc_info=(kind, error, traceback)
    )
    sys.__excepthook__(kind, error, traceback)
