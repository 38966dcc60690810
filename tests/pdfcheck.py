"""Reading PDFs back the way a person would meet them: text, fonts, size, QR codes."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pypdf
import zxingcpp
from PIL import Image

MM = 72 / 25.4


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """All text, white space collapsed (line breaks fall where the layout put them)."""
    text = " ".join(page.extract_text() or "" for page in reader(pdf).pages)
    return " ".join(text.replace("\u202f", " ").split())


def page_sizes_mm(pdf: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
        for p in reader(pdf).pages
    ]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Each font's base name -> whether its TrueType program is embedded."""
    found: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile2", "/FontFile3", "/FontFile")
            )
            name = re.sub(r"^/([A-Z]{6}\+)?", "", str(font.get("/BaseFont")))
            found[name] = embedded
    return found


def decode_qr(pdf: bytes, dpi: int = 200) -> list[str]:
    """Render every page with pdftoppm and return the text of each QR code found."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), f"{folder}/page"],
            check=True,
        )
        texts: list[str] = []
        for png in sorted(Path(folder).glob("page*.png")):
            with Image.open(png) as image:
                texts += [b.text for b in zxingcpp.read_barcodes(image)]
        return texts
