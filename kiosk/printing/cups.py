"""Printing a PDF through CUPS, with an outcome a volunteer can act on.

CUPS takes PDF as it is, so the page stays vector (sharp QR codes). The job
is submitted with `lp`; the printer's state before, and the job's state
after, come from CUPS over IPP, so "offline", "out of paper" and "cancelled"
each get their own message instead of a job that silently never prints.

The CUPS tools translate what they print ("Anfrage-ID ist …" under a
German system), so they always run with LC_ALL=C: the job id, the default
queue and the scheduler's state are read from CUPS's untranslated words
and never depend on the laptop's language.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.i18n import Translator
from kiosk.printing import ipp

# IPP enums (RFC 8011 5.3.7 and 5.4.11)
PRINTER_STOPPED = 5
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
_PAPER_REASONS = ("media-empty", "media-needed", "media-jam", "input-tray-missing")


class PrintError(RuntimeError):
    """Printing failed; `key` and `values` name the words in strings.toml [print]."""

    def __init__(self, key: str, **values: object):
        super().__init__(f"{key} {values}")
        self.key = key
        self.values = values

    def message(self, tr: Translator) -> str:
        return tr(f"print.{self.key}", **self.values)


@dataclass(frozen=True)
class PrintOutcome:
    printer: str
    job_id: int
    completed: bool  # False: CUPS still works on it after the wait (a slow printer)


def _untranslated_env() -> dict[str, str]:
    """This environment with the CUPS tools' messages in their own (English) words."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANGUAGE"))}
    return {**env, "LC_ALL": "C", "LANG": "C"}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
            env=_untranslated_env(),
        )
    except (FileNotFoundError, subprocess.TimeoutExpired) as exc:
        raise PrintError("error_no_print_system") from exc


def cups_available() -> bool:
    """True when the lp tools are installed and the scheduler answers."""
    if shutil.which("lpstat") is None:
        return False
    try:
        result = _run(["lpstat", "-r"])
    except PrintError:
        return False
    return "scheduler is running" in result.stdout


def printers() -> list[str]:
    """Names of the queues CUPS knows, default first; empty without CUPS."""
    if shutil.which("lpstat") is None:
        return []
    names = _run(["lpstat", "-e"]).stdout.split()
    default = default_printer()
    return sorted(names, key=lambda name: (name != default, name))


def default_printer() -> str | None:
    output = _run(["lpstat", "-d"]).stdout
    match = re.search(r"destination:\s*(\S+)", output)
    return match.group(1) if match else None


def _paper_problem(reasons: list[str]) -> bool:
    return any(reason.startswith(_PAPER_REASONS) for reason in reasons)


def check_printer(printer: str) -> None:
    """Raise PrintError when `printer` cannot take a job right now."""
    try:
        state = ipp.printer_attributes(printer)
    except ipp.IppError as exc:
        if exc.status == ipp.STATUS_NOT_FOUND:
            raise PrintError("error_printer_missing", printer=printer) from exc
        raise PrintError("error_no_print_system") from exc
    reasons = [str(r) for r in state.get("printer-state-reasons", [])]
    if _paper_problem(reasons):
        raise PrintError("error_out_of_paper", printer=printer)
    if state.get("printer-state", [0])[0] == PRINTER_STOPPED or any(
        r.startswith(("offline", "shutdown")) for r in reasons
    ):
        raise PrintError("error_printer_stopped", printer=printer)
    if not state.get("printer-is-accepting-jobs", [True])[0]:
        raise PrintError("error_printer_rejecting", printer=printer)


def submit(
    pdf: Path,
    *,
    printer: str,
    copies: int = 1,
    title: str | None = None,
    media: str | None = None,
) -> int:
    """Queue `pdf` on `printer` with lp; return the CUPS job id."""
    args = ["lp", "-d", printer, "-n", str(copies), "-t", title or pdf.stem]
    if media:
        args += ["-o", f"media={media}"]
    result = _run([*args, "--", str(pdf)])
    match = re.search(r"request id is \S+-(\d+)", result.stdout)
    if result.returncode != 0 or match is None:
        error = result.stderr.strip()
        if "does not exist" in error:
            raise PrintError("error_printer_missing", printer=printer)
        if "not accepting" in error:
            raise PrintError("error_printer_rejecting", printer=printer)
        if "connect" in error.lower():
            raise PrintError("error_no_print_system")
        raise PrintError("error_other", detail=error or f"lp exit {result.returncode}")
    return int(match.group(1))


def wait_for_job(job_id: int, *, printer: str, timeout: float = 30.0) -> bool:
    """Wait until CUPS is done with the job: True when completed, False at the timeout.

    Raises PrintError when the job is cancelled or aborted, or when it
    stops because the printer did (offline, out of paper).
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            state = ipp.job_attributes(job_id)
        except ipp.IppError as exc:
            raise PrintError("error_no_print_system") from exc
        job_state = state.get("job-state", [JOB_PENDING])[0]
        printer_reasons = [str(r) for r in state.get("job-printer-state-reasons", [])]
        if job_state == JOB_COMPLETED:
            return True
        if job_state == JOB_CANCELED:
            raise PrintError("error_cancelled")
        if job_state == JOB_ABORTED:
            raise PrintError("error_aborted")
        if _paper_problem(printer_reasons):
            raise PrintError("error_out_of_paper", printer=printer)
        if job_state == JOB_STOPPED:
            raise PrintError("error_printer_stopped", printer=printer)
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def print_pdf(
    pdf: Path,
    *,
    printer: str | None = None,
    copies: int = 1,
    title: str | None = None,
    media: str | None = None,
    timeout: float = 30.0,
) -> PrintOutcome:
    """Check the printer, submit the PDF and wait for CUPS to finish it."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    if shutil.which("lp") is None:
        raise PrintError("error_no_print_system")
    name = printer or default_printer()
    if name is None:
        queues = printers()
        if len(queues) != 1:
            raise PrintError("error_choose_printer", printers=", ".join(queues) or "-")
        name = queues[0]
    check_printer(name)
    job_id = submit(pdf, printer=name, copies=copies, title=title, media=media)
    completed = wait_for_job(job_id, printer=name, timeout=timeout)
    return PrintOutcome(printer=name, job_id=job_id, completed=completed)
