"""`make install`: desktop entry, icon, metainfo and the opt-in autostart, in a fake home."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]


def install(tmp_path: Path, *args: str) -> None:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    subprocess.run(
        [sys.executable, "-m", "kiosk.desktop", *args], cwd=tmp_path, env=env, check=True
    )


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


APP_ID = "se.klimatavtalet.Kiosk"


def test_entry_starts_this_installation_with_the_campaign_icon(tmp_path):
    old_entry = tmp_path / "data" / "applications" / "klimatavtal.desktop"
    old_entry.parent.mkdir(parents=True)
    old_entry.write_text("[Desktop Entry]\n", encoding="utf-8")  # from before the app id
    install(tmp_path)
    entry_file = tmp_path / "data" / "applications" / f"{APP_ID}.desktop"
    entry = read_entry(entry_file)
    assert entry["Type"] == "Application" and entry["Name"] == "Klimatavtalet"
    assert entry["Terminal"] == "false" and entry["StartupWMClass"] == APP_ID
    python, *module = shlex.split(entry["Exec"])
    assert Path(python) == Path(os.path.abspath(sys.executable)) and module == ["-m", "kiosk"]
    version = subprocess.run(
        [*shlex.split(entry["Exec"]), "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert version.stdout.startswith("klimatavtal ")  # the entry's command really runs it
    icon = Path(entry["Icon"])
    assert icon == tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert "<svg" in icon.read_text(encoding="utf-8")
    assert not old_entry.exists()
    assert not (tmp_path / "config" / "autostart").exists()
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry_file)], check=True)


def test_metainfo_names_the_desktop_entry_and_is_valid(tmp_path):
    install(tmp_path)
    metainfo = tmp_path / "data" / "metainfo" / f"{APP_ID}.metainfo.xml"
    root = ElementTree.parse(metainfo).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    if shutil.which("appstreamcli"):
        subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)], check=True)


def test_autostart_is_opt_in_and_can_be_turned_off(tmp_path):
    install(tmp_path, "--autostart")
    autostart = tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    entry = tmp_path / "data" / "applications" / f"{APP_ID}.desktop"
    assert autostart.read_text(encoding="utf-8") == entry.read_text(encoding="utf-8")
    install(tmp_path)
    assert not autostart.exists()


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_install_passes_autostart_through():
    def planned(*args: str) -> str:
        return subprocess.run(
            ["make", "-n", "install", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout

    assert "-m kiosk.desktop --autostart" in planned("AUTOSTART=1")
    assert "--autostart" not in planned()
