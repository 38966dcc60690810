"""A real CUPS queue for printing tests, or a skip that says why there is none."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.printing import cups

CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
QUEUE = "PDF"  # added by .ci/setup-printer


def _skip_reason() -> str | None:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        return "CUPS client tools (lp, lpstat) are not installed; run .ci/setup-printer"
    if not cups.cups_available():
        return "no CUPS scheduler is running; run .ci/setup-printer (as root)"
    if QUEUE not in cups.printers():
        return f"CUPS has no queue {QUEUE!r}; run .ci/setup-printer (as root)"
    if not CUPS_PDF_CONF.exists():
        return "cups-pdf is not installed (printer-driver-cups-pdf)"
    return None


def cups_pdf_out_dir() -> Path:
    """The folder cups-pdf writes this user's jobs into, from its `Out` setting."""
    setting = "${HOME}/PDF"
    for line in CUPS_PDF_CONF.read_text().splitlines():
        if line.startswith("Out "):
            setting = line.split(None, 1)[1].strip()
    user = getpass.getuser()
    return Path(setting.replace("${USER}", user).replace("${HOME}", os.path.expanduser(f"~{user}")))


@pytest.fixture
def pdf_queue() -> str:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    return QUEUE


@pytest.fixture
def spare_queue(pdf_queue: str) -> Iterator[str]:
    """A throw-away cups-pdf queue the test may stop, reject or cancel on."""
    if os.geteuid() != 0:
        pytest.skip("adding a throw-away CUPS queue needs root (lpadmin)")
    name = f"klimatavtal-test-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [
            "lpadmin",
            "-p",
            name,
            "-E",
            "-v",
            "cups-pdf:/",
            "-m",
            "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
        ],
        check=True,
        capture_output=True,
    )
    yield name
    subprocess.run(["cancel", "-a", name], capture_output=True, check=False)
    subprocess.run(["lpadmin", "-x", name], capture_output=True, check=False)


def wait_for_printed(title: str, timeout: float = 30.0) -> Path:
    """The file cups-pdf wrote for the job titled `title`."""
    folder = cups_pdf_out_dir()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.glob("*.pdf") if re.match(re.escape(title), p.name)]
        if found and found[0].stat().st_size > 0:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no printed file for {title!r} in {folder}")
