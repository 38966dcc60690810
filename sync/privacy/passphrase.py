"""Asking for a passphrase: never on the command line, where `ps` and shell history see it.

At a terminal it is asked with getpass (twice when a new one is set). When
stdin is not a terminal (a pipe, a test, a script that reads it from a
password manager), the first line of stdin is the passphrase.
"""

from __future__ import annotations

import getpass
import sys


class PassphraseMismatch(ValueError):
    pass


def ask_passphrase(prompt: str = "Passphrase: ", *, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to be sure: ") != first:
        raise PassphraseMismatch("the two passphrases differ; nothing was written")
    return first
