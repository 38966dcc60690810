"""The volunteer PIN: a slow salted hash, and a lockout that survives a restart.

Only the scrypt hash is stored (in the Setting table, with its salt and
cost parameters, so the cost can be raised later without locking anyone
out). After `MAX_TRIES` wrong PINs the panel locks for a minute, and each
further lockout doubles the wait.

The lockout never follows the wall clock (setting it forward must not end
a lockout): it runs on the monotonic clock, which counts from boot and
cannot be set. The database keeps the deadline on that clock, the boot it
belongs to and the lock's length, so pulling the plug gives a passer-by no
fresh tries: a restart keeps the deadline, a reboot (a new monotonic
clock) counts the whole lock again from the start. Time comes from an
injected `Clock` (kiosk/clock.py) so tests never sleep.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.clock import Clock, SystemClock
from kiosk.store import Store
from kiosk.store.repository import get_setting, set_setting

PIN_HASH_KEY = "volunteer.pin_hash"
LOCKOUT_KEY = "volunteer.pin_lockout"
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
MAX_TRIES = 5
FIRST_LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 24 * 60 * 60
# scrypt cost: about 16 MiB and a few tens of milliseconds per check.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


def boot_id() -> str:
    """This boot's identity: the monotonic clock restarts with each one ('' if unknown)."""
    try:
        return BOOT_ID_FILE.read_text(encoding="ascii").strip()
    except OSError:
        return ""


# The PINs people choose most (published analyses of leaked PIN sets): a
# passer-by who watched a volunteer's hand would try these first.
COMMON_PINS = frozenset(
    {
        "1212",
        "2580",
        "1004",
        "6969",
        "1122",
        "2000",
        "4321",
        "1313",
        "2001",
        "1010",
        "0852",
        "1379",
        "7777",
        "5683",
        "112233",
        "121212",
        "123123",
        "159753",
        "1984",
        "1919",
    }
)


def _straight_run(pin: str) -> bool:
    """Each digit one more (or one less) than the last: 1234, 9876, 7890 (wrapping)."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {9})


def pin_problem(pin: str) -> str | None:
    """The catalogue key saying what is wrong with a new PIN, or None.

    Trivial PINs are refused when one is chosen (never when one is entered):
    all one digit, a straight run up or down, or one of the commonest.
    """
    if not pin.isascii() or not pin.isdigit():
        return "volunteer.pin_digits_only"
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        return "volunteer.pin_length"
    if len(set(pin)) == 1:
        return "volunteer.pin_one_digit"
    if _straight_run(pin):
        return "volunteer.pin_straight_run"
    if pin in COMMON_PINS:
        return "volunteer.pin_common"
    return None


def hash_pin(pin: str, *, salt: bytes | None = None) -> dict[str, object]:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return {
        "algorithm": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": salt.hex(),
        "hash": digest.hex(),
    }


def verify_pin(pin: str, record: dict[str, object]) -> bool:
    expected = bytes.fromhex(str(record["hash"]))
    digest = hashlib.scrypt(
        pin.encode(),
        salt=bytes.fromhex(str(record["salt"])),
        n=int(record["n"]),  # type: ignore[call-overload]
        r=int(record["r"]),  # type: ignore[call-overload]
        p=int(record["p"]),  # type: ignore[call-overload]
        dklen=len(expected),
    )
    return hmac.compare_digest(digest, expected)


@dataclass(frozen=True)
class PinResult:
    ok: bool
    tries_left: int = MAX_TRIES
    locked_for: float = 0.0  # seconds until the next try is allowed


@dataclass(frozen=True)
class Lockout:
    """The lockout as stored: `deadline` is on the monotonic clock of boot `boot`,
    `length` the whole lock, counted again from the start after a reboot."""

    failures: int = 0  # wrong PINs since the last lock (or the last right PIN)
    lockouts: int = 0  # locks so far: each doubles the next
    deadline: float = 0.0  # 0: not locked
    length: float = 0.0
    boot: str = ""


class PinKeeper:
    """Checks PINs against the stored hash and keeps the lockout."""

    def __init__(self, store: Store, *, clock: Clock | None = None, boot: str | None = None):
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.boot = boot_id() if boot is None else boot

    def has_pin(self) -> bool:
        with self.store.read_session() as session:
            return get_setting(session, PIN_HASH_KEY) is not None

    def set_pin(self, pin: str) -> None:
        problem = pin_problem(pin)
        if problem:
            raise ValueError(problem)
        with self.store.session() as session:
            set_setting(session, PIN_HASH_KEY, hash_pin(pin))
            set_setting(session, LOCKOUT_KEY, None)
            session.commit()

    def _lockout(self) -> Lockout:
        """The stored lockout, its deadline on this boot's monotonic clock.

        A lock stored by an earlier boot (or by a version that kept the
        wall-clock time) starts over with its whole length, and is stored
        again for this boot so the next restart keeps the new deadline.
        """
        with self.store.read_session() as session:
            state: dict[str, Any] | None = get_setting(session, LOCKOUT_KEY)
        if not state:
            return Lockout(boot=self.boot)
        failures = int(state.get("failures", 0))
        lockouts = int(state.get("lockouts", 0))
        if state.get("boot") == self.boot and "deadline" in state:
            length = float(state.get("length", 0.0))
            return Lockout(failures, lockouts, float(state["deadline"]), length, self.boot)
        length = float(state.get("length", 0.0)) if "deadline" in state else 0.0
        if "locked_until" in state:  # an older version: wall-clock deadline
            length = min(MAX_LOCK_SECONDS, max(0.0, state["locked_until"] - self.clock.wall()))
        deadline = self.clock.monotonic() + length if length else 0.0
        lockout = Lockout(failures, lockouts, deadline, length, self.boot)
        self._save_lockout(lockout)
        return lockout

    def _save_lockout(self, lockout: Lockout | None) -> None:
        with self.store.session() as session:
            set_setting(session, LOCKOUT_KEY, None if lockout is None else asdict(lockout))
            session.commit()

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again (0 when it may now)."""
        return max(0.0, self._lockout().deadline - self.clock.monotonic())

    def check(self, pin: str) -> PinResult:
        """Try a PIN; a locked keeper refuses without even hashing it."""
        state = self._lockout()
        now = self.clock.monotonic()
        if state.deadline > now:
            return PinResult(False, 0, state.deadline - now)
        with self.store.read_session() as session:
            record = get_setting(session, PIN_HASH_KEY)
        if record is None:
            raise LookupError("no PIN has been chosen yet")
        if verify_pin(pin, record):
            if state != Lockout(boot=self.boot):  # nothing to forget: no write, no lock to wait for
                self._save_lockout(None)
            return PinResult(True)
        failures = state.failures + 1
        if failures < MAX_TRIES:
            self._save_lockout(replace(state, failures=failures))
            return PinResult(False, MAX_TRIES - failures)
        seconds = min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2**state.lockouts)
        self._save_lockout(Lockout(0, state.lockouts + 1, now + seconds, float(seconds), self.boot))
        return PinResult(False, 0, float(seconds))


def reset_pin(store: Store) -> None:
    """Forget the PIN and any lockout: the next start asks for a new PIN."""
    with store.session() as session:
        set_setting(session, PIN_HASH_KEY, None)
        set_setting(session, LOCKOUT_KEY, None)
        session.commit()
