"""The kiosk session: only the kiosk, under cage on Wayland, back again after a crash."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import session
from kiosk.paths import APP_ID

# cage refuses to run as root: CI (root) runs it as uid 1000 of a user
# namespace, which still reads the root-owned Python and checkout.
AS_USER = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.expect_log  # each restart is logged for the volunteer
def test_supervise_restarts_a_crashed_kiosk_and_stops_when_it_is_shut_down():
    clock = FakeClock()
    # crashes at once twice, runs an hour then crashes, then the volunteer shuts it down
    runs = iter([(-9, 1.0), (1, 1.0), (-11, 3600.0), (0, 10.0)])
    started: list[list[str]] = []
    waits: list[float] = []

    def run(command: list[str]) -> int:
        started.append(command)
        code, duration = next(runs)
        clock.now += duration
        return code

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.sleep(seconds)

    assert session.supervise(["kiosk", "run"], run=run, sleep=sleep, clock=clock) == 0
    assert started == [["kiosk", "run"]] * 4
    assert waits == [1.0, 2.0, 0.0]  # fast failures wait longer each time; a long run resets


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_a_session_that_runs_only_the_kiosk_under_cage(tmp_path):
    launcher, entry_file = session.install(
        bin_dir=tmp_path / "bin", sessions_dir=tmp_path / "wayland-sessions"
    )
    assert entry_file.name == f"{APP_ID}.desktop"
    entry = read_entry(entry_file)
    assert entry["Exec"] == str(launcher) and entry["Name"] == "Klimatavtalet kiosk"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry_file)], check=True)
    script = launcher.read_text(encoding="utf-8")
    assert os.access(launcher, os.X_OK)
    assert "exec cage -d -- " in script and " -s " not in script  # no switching terminals
    assert "session supervise" in script
    assert 'QT_QPA_PLATFORM="${KLIMATAVTAL_QT_PLATFORM:-wayland}"' in script
    session.uninstall(bin_dir=tmp_path / "bin", sessions_dir=tmp_path / "wayland-sessions")
    assert not launcher.exists() and not entry_file.exists()


STARTED = re.compile(r"kiosk started \(pid (\d+), (\w+)\)")


def started_pids(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    return [(int(m[1]), m[2]) for m in STARTED.finditer(log.read_text(encoding="utf-8"))]


def wait_for_start(log: Path, count: int, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = started_pids(log)
        if len(found) >= count:
            pid, platform = found[count - 1]
            assert platform == "wayland"
            return pid
        if process.poll() is not None:
            errors = (log.parent.parent.parent / "session.err").read_text(errors="replace")
            raise AssertionError(f"cage stopped before the kiosk came up:\n{errors[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"the kiosk did not come up (start {count}) in {log}")


@pytest.fixture
def cage_home() -> Iterator[Path]:
    """A folder the session's user owns: its runtime dir and the kiosk's data."""
    if shutil.which("cage") is None or shutil.which("Xwayland") is None:
        pytest.skip("needs cage and Xwayland (apt-get install cage xwayland)")
    home = Path(tempfile.mkdtemp(prefix="klimatavtal-cage-"))
    (home / "run").mkdir(mode=0o700)
    yield home
    shutil.rmtree(home, ignore_errors=True)


def test_the_session_brings_the_kiosk_up_on_wayland_and_back_after_a_crash(cage_home):
    launcher, _entry = session.install(
        bin_dir=cage_home / "bin", sessions_dir=cage_home / "sessions"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(cage_home),
        "XDG_RUNTIME_DIR": str(cage_home / "run"),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
        "KLIMATAVTAL_DATA_DIR": str(cage_home / "data"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    as_user = AS_USER if os.geteuid() == 0 else []
    log = cage_home / "data" / "logs" / "kiosk.log"
    with (cage_home / "session.err").open("wb") as errors:
        process = subprocess.Popen(
            [*as_user, str(launcher)],
            env=env,
            cwd=cage_home,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
        try:
            first = wait_for_start(log, 1, process)
            os.kill(first, signal.SIGKILL)  # a crash
            second = wait_for_start(log, 2, process)
            assert second != first
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_kiosk_command_runs_this_installation():
    assert session.kiosk_command()[:2] == [os.path.abspath(sys.executable), "-m"]
