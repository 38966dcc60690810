"""What the kiosk needs from the machine, said in plain words with the fix.

Qt's wheels bring Qt but not the system libraries it links to; a missing
one shows up as a Qt platform error that names the wrong package, or (for
the on-screen keyboard's sound library, libpulse0) as a black window over
the whole kiosk. So the kiosk and `make run` ask first: each library is
looked up by its soname, and what is missing comes back as a `Problem`
naming the Debian package that provides it.

Required parts (Qt itself, and the screen's platform) stop the start with
the exact `apt-get install` line; optional parts (the on-screen keyboard,
the fallback font) are switched off and reported, and the kiosk starts
without them. The volunteer panel shows `problems()`.

Plain Python, no Qt and nothing outside the standard library: `make run`
runs this file with the system's python3 before anything is installed.

    python3 kiosk/system_check.py [--install] [--platform xcb|wayland|offscreen]
"""

from __future__ import annotations

import gettext
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Part:
    """One thing the kiosk uses and the Debian packages behind it."""

    name: str  # the key of its words in KEYS
    optional: bool
    libraries: tuple[tuple[str, str], ...] = ()  # (soname, Debian package)
    files: tuple[tuple[str, str], ...] = ()  # (absolute path, Debian package)


QT = Part(
    "qt",
    optional=False,
    libraries=(
        ("libEGL.so.1", "libegl1"),
        ("libGL.so.1", "libgl1"),
        ("libX11.so.6", "libx11-6"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libfontconfig.so.1", "libfontconfig1"),
        ("libfreetype.so.6", "libfreetype6"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libxkbcommon.so.0", "libxkbcommon0"),
    ),
)
X11_SCREEN = Part(
    "screen_x11",
    optional=False,
    libraries=(
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-image.so.0", "libxcb-image0"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxcb-render.so.0", "libxcb-render0"),
        ("libxcb-shape.so.0", "libxcb-shape0"),
        ("libxcb-util.so.1", "libxcb-util1"),
        ("libxcb-xkb.so.1", "libxcb-xkb1"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ),
)
WAYLAND_SCREEN = Part(
    "screen_wayland",
    optional=False,
    libraries=(
        ("libwayland-client.so.0", "libwayland-client0"),
        ("libwayland-cursor.so.0", "libwayland-cursor0"),
        ("libwayland-egl.so.1", "libwayland-egl1"),
    ),
)
# The keyboard's keys click through QtMultimedia, which links libpulse: without
# it the keyboard's QML fails to load and Qt shows an empty black input panel.
KEYBOARD = Part("keyboard", optional=True, libraries=(("libpulse.so.0", "libpulse0"),))
FALLBACK_FONT = Part(
    "fallback_font",
    optional=True,
    files=(("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),),
)
SCREENS = {"xcb": X11_SCREEN, "wayland": WAYLAND_SCREEN}
ALL_PARTS = (QT, X11_SCREEN, WAYLAND_SCREEN, KEYBOARD, FALLBACK_FONT)

# Each part's words are a message of the kiosk's gettext catalogues
# (resources/locale), {missing} filled in; INSTALL_KEY adds the {command}.
KEYS = {
    "qt": "volunteer.missing_qt",
    "screen_x11": "volunteer.missing_screen_x11",
    "screen_wayland": "volunteer.missing_screen_wayland",
    "keyboard": "volunteer.missing_keyboard",
    "keyboard_modules": "volunteer.missing_keyboard_modules",
    "fallback_font": "volunteer.missing_fallback_font",
    # TRANSLATORS: {missing} is a version number, "3.11".
    "python": "volunteer.missing_python",
}
INSTALL_KEY = "volunteer.missing_install"
# Found from this file, not through kiosk.paths: `make run` runs this file as a
# script (no package, no venv). The folder sits beside kiosk/ in a checkout and
# in site-packages alike.
LOCALE_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "locale"
)
DOMAIN = "klimatavtal"
SOURCE_LANGUAGE = "sv"

Words = Callable[..., str]  # key, **values -> text: kiosk.i18n.Translator is one


def catalogue_words(language: str) -> Words:
    """The catalogues' words read with the standard library's gettext (no Babel,
    no venv), falling back to Swedish as kiosk.i18n does."""
    found = gettext.translation(
        DOMAIN, LOCALE_DIR, languages=[language, SOURCE_LANGUAGE], fallback=True
    )

    def say(key: str, **values: object) -> str:
        text = found.gettext(key)
        if text == key:  # no compiled catalogue: an incomplete checkout still says what
            return " ".join([key, *(str(value) for value in values.values())])
        return text.format(**values)

    return say


@dataclass(frozen=True)
class Problem:
    """Something missing: what it stops, and how to install it."""

    part: str  # a key of KEYS
    optional: bool  # True: the kiosk runs without it
    missing: tuple[str, ...]  # sonames, files or module names
    packages: tuple[str, ...] = ()  # Debian packages that bring them
    command: str = ""  # the exact command that installs them

    @property
    def key(self) -> str:
        return KEYS[self.part]

    def message(
        self, language: str = "en", *, with_command: bool = True, words: Words | None = None
    ) -> str:
        """One sentence saying what does not work, then how to install it.

        `words` is the volunteer panel's translator; without it the compiled
        catalogue of `language` is read directly (the command line).
        """
        say = words or catalogue_words(language)
        text = say(self.key, missing=", ".join(self.missing))
        if self.command and with_command:
            text += " " + say(INSTALL_KEY, command=self.command)
        return text


@lru_cache(maxsize=1)
def _linker_cache() -> frozenset[str]:
    """Sonames the dynamic linker knows (`ldconfig -p`), plus LD_LIBRARY_PATH's files
    and a bundle's own."""
    import subprocess  # noqa: PLC0415 - here and below: the kiosk imports this module at start-up

    names: set[str] = set()
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        output = subprocess.run(
            [ldconfig, "-p"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        output = ""
    for line in output.splitlines()[1:]:
        names.add(line.strip().split(" ", 1)[0])
    folders = os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep)
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle carries libraries of its own
    for folder in [*folders, *([bundle] if bundle else [])]:
        if folder and os.path.isdir(folder):
            names.update(os.listdir(folder))
    return frozenset(names)


def library_present(soname: str) -> bool:
    return soname in _linker_cache()


def apt_command(packages: Iterable[str], *, as_root: bool | None = None) -> str:
    """The exact install line, with sudo unless already root."""
    root = os.geteuid() == 0 if as_root is None else as_root
    prefix = "" if root else "sudo "
    return f"{prefix}apt-get install -y {' '.join(sorted(set(packages)))}"


def check_parts(
    parts: Iterable[Part],
    *,
    has_library: Callable[[str], bool] | None = None,
    has_file: Callable[[str], bool] = os.path.exists,
) -> list[Problem]:
    """A Problem for each part with something missing (Linux only; elsewhere none)."""
    if not sys.platform.startswith("linux"):
        return []  # the Windows and macOS bundles carry what Qt needs
    has_library = has_library or library_present
    problems = []
    for part in parts:
        missing = [(s, pkg) for s, pkg in part.libraries if not has_library(s)]
        missing += [(f, pkg) for f, pkg in part.files if not has_file(f)]
        if missing:
            packages = tuple(dict.fromkeys(pkg for _name, pkg in missing))
            problems.append(
                Problem(
                    part.name,
                    part.optional,
                    tuple(name for name, _pkg in missing),
                    packages,
                    apt_command(packages),
                )
            )
    return problems


def screen_platform(environ: dict[str, str] | None = None) -> str:
    """The Qt platform the kiosk will use: QT_QPA_PLATFORM, else Wayland or X11."""
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].split(";", 1)[0]
    if chosen:
        return chosen
    return "wayland" if env.get("WAYLAND_DISPLAY") else "xcb"


def parts_for(platform: str) -> list[Part]:
    """What a start on `platform` needs: Qt, that screen's libraries, the optional parts."""
    screen = SCREENS.get(platform)
    return [QT, *([screen] if screen else []), KEYBOARD, FALLBACK_FONT]


# Problems found when the kiosk started (e.g. the keyboard's own probe),
# kept so the volunteer panel can show them later.
_noted: list[Problem] = []


def note(problems: Iterable[Problem]) -> None:
    """Remember problems a start-up step found (and worked around)."""
    for problem in problems:
        if problem not in _noted:
            _noted.append(problem)


def problems(platform: str | None = None) -> list[Problem]:
    """Everything missing now, for the volunteer panel: `p.message(language)` says it.

    The libraries of this start's platform plus whatever start-up noted
    (the on-screen keyboard switched off, and why).
    """
    found = list(_noted)
    for problem in check_parts(parts_for(platform or screen_platform())):
        if not any(p.part == problem.part for p in found):
            found.append(problem)
    return found


def blocking(found: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in found if not problem.optional]


def _for_make_run(*, install: bool, platform: str | None) -> int:
    """`make run`: everything on this machine before pip installs anything."""
    import subprocess  # noqa: PLC0415

    if sys.version_info < MIN_PYTHON:
        version = ".".join(map(str, MIN_PYTHON))
        print(f"make run: {Problem('python', False, (version,)).message()}", file=sys.stderr)
        return 1
    parts = ALL_PARTS if platform is None else parts_for(platform)
    found = check_parts(parts)
    if not found:
        return 0
    packages = sorted({pkg for problem in found for pkg in problem.packages})
    for problem in found:
        print(f"make run: {problem.message(with_command=False)}", file=sys.stderr)
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"make run: installing {' '.join(packages)}", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        done = subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env, check=False)
        _linker_cache.cache_clear()
        return 0 if done.returncode == 0 and not check_parts(parts) else 1
    print(f"make run: install them first:\n\n    {apt_command(packages)}\n", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="python3 kiosk/system_check.py",
        description="Check the system libraries the kiosk needs; print the apt-get line.",
    )
    parser.add_argument(
        "--install", action="store_true", help="install what is missing (as root, on Debian)"
    )
    parser.add_argument(
        "--platform",
        choices=["xcb", "wayland", "offscreen"],
        help="check for one Qt platform only (default: all of them)",
    )
    args = parser.parse_args(argv)
    return _for_make_run(install=args.install, platform=args.platform)


if __name__ == "__main__":
    raise SystemExit(main())
