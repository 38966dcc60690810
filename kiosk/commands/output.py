"""Writing a command's PDF: refuse early, never leave half a file."""

from __future__ import annotations

from pathlib import Path

from kiosk.cli import UserError
from kiosk.documents import write_atomically


def check_output(path: Path) -> Path:
    """Fail before any work when the PDF could not be saved there."""
    if path.suffix.lower() != ".pdf":
        raise UserError(f"{path}: the output file must end in .pdf")
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name ending in .pdf")
    if not path.parent.is_dir():
        raise UserError(f"cannot write {path}: the folder {path.parent} does not exist")
    return path


def save_pdf(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"Wrote {path}")
