"""A real X server for the tests that need one (Qt Virtual Keyboard runs only on xcb),
and the two things its probes do there: wait in the event loop, and tap with xdotool."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QPoint

needs_x = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (apt: xvfb xdotool) to show Qt Virtual Keyboard",
)


@contextmanager
def xvfb(size: str) -> Iterator[str]:
    """An Xvfb of `size` ("1366x768") on a free display; its name (":N")."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for(app: object, condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    """Turn `app`'s event loop until `condition` holds, or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        if condition():
            return True
        time.sleep(0.005)
    return False


def click(point: QPoint) -> None:
    """A real tap at a global point, through the X server."""
    x, y = str(point.x()), str(point.y())
    subprocess.run(["xdotool", "mousemove", x, y, "click", "1"], check=True)
