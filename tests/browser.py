"""Debian's chromium, driven by Playwright for Python: never a downloaded browser.

The console's and the public pages' tests share this one fixture. It lives
for one test module at a time: Playwright's sync API keeps an asyncio loop
running in the main thread while it is open, and tests elsewhere that call
`asyncio.run` (load generators, schemathesis) must not find it running.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's probe starts it: without the background-networking flags the
# closed network here refuses its connections, many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.fail(f"these tests need Debian's chromium at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def screenshot_folder(tmp_path: Path) -> Path:
    """Where the web pages' tests save their screenshots: a scratch folder, or
    `KLIMATAVTAL_SCREENSHOTS=docs/screenshots` to refresh the README's. A
    plain test run must leave the committed files alone."""
    folder = Path(os.environ.get("KLIMATAVTAL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
