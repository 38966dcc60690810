"""Run a script in a fresh Python process, as a kiosk starts: nothing imported yet."""

from __future__ import annotations

import subprocess
import sys


def run_python(script: str, *args: str, timeout: float = 120) -> list[str]:
    """The lines `script` printed; it must exit 0 (its stderr is the failure's message)."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()
