"""The volunteer PIN: only a slow hash is kept, and wrong tries lock it, across restarts."""

from __future__ import annotations

import pytest

from kiosk.store import open_store
from kiosk.store.models import Setting
from kiosk.volunteer.pin import (
    FIRST_LOCK_SECONDS,
    MAX_TRIES,
    PinKeeper,
    pin_problem,
    reset_pin,
)
from tests.conftest import another_program_writing


class Clock:
    """A laptop's clocks that a test moves by hand: `now` moves both, `set_wall` only the wall."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now
        self.wall_offset = 0.0

    def wall(self) -> float:
        return self.now + self.wall_offset

    def monotonic(self) -> float:
        return self.now - 1_799_990_000.0  # since boot

    def set_wall(self, seconds: float) -> None:
        self.wall_offset = seconds - self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keeper(store, clock) -> PinKeeper:
    keeper = PinKeeper(store, clock=clock, boot="boot-1")
    keeper.set_pin("482916")
    return keeper


def test_the_pin_is_stored_only_as_a_salted_scrypt_hash(store, keeper):
    with store.session() as session:
        stored = " ".join(row.value for row in session.query(Setting))
    assert "482916" not in stored
    assert '"algorithm": "scrypt"' in stored
    other = PinKeeper(store)
    other.set_pin("482916")
    with store.session() as session:
        assert stored != " ".join(row.value for row in session.query(Setting))  # new salt


def test_right_pin_opens_and_wrong_pin_counts_down(keeper):
    assert keeper.check("482916").ok
    result = keeper.check("000000")
    assert not result.ok and result.tries_left == MAX_TRIES - 1


def test_a_right_pin_after_wrong_ones_starts_the_count_again(keeper):
    for _ in range(MAX_TRIES - 1):
        keeper.check("111111")
    assert keeper.check("482916").ok
    assert keeper.check("111111").tries_left == MAX_TRIES - 1


def test_the_right_pin_opens_while_a_save_holds_the_write_lock(data_dir, clock):
    """A volunteer opening the panel while a signer's save (or the sync) writes:
    with no wrong tries to forget, checking the PIN only reads."""
    store = open_store(data_dir, busy_timeout_ms=200)
    try:
        keeper = PinKeeper(store, clock=clock, boot="boot-1")
        keeper.set_pin("482916")
        with another_program_writing(data_dir):
            assert keeper.check("482916").ok
    finally:
        store.close()


def test_five_wrong_pins_lock_for_a_minute_then_longer(keeper, clock):
    for _ in range(MAX_TRIES - 1):
        assert keeper.check("111111").locked_for == 0
    assert keeper.check("111111").locked_for == FIRST_LOCK_SECONDS
    assert not keeper.check("482916").ok  # even the right PIN is refused while locked
    clock.now += FIRST_LOCK_SECONDS - 1
    assert keeper.locked_for() == 1
    clock.now += 1
    for _ in range(MAX_TRIES):
        result = keeper.check("222222")
    assert result.locked_for == 2 * FIRST_LOCK_SECONDS  # the second lock doubles
    clock.now += 2 * FIRST_LOCK_SECONDS
    assert keeper.check("482916").ok
    for _ in range(MAX_TRIES):  # a success starts the doubling over
        result = keeper.check("333333")
    assert result.locked_for == FIRST_LOCK_SECONDS


def test_the_lock_survives_a_restart(keeper, store, data_dir, clock):
    for _ in range(MAX_TRIES):
        keeper.check("111111")
    store.close()
    reopened = open_store(data_dir)
    try:
        after_restart = PinKeeper(reopened, clock=clock, boot="boot-1")
        assert after_restart.locked_for() == FIRST_LOCK_SECONDS
        assert not after_restart.check("482916").ok
    finally:
        reopened.close()


@pytest.mark.parametrize("jump", [120, 3600, 365 * 86400, -3600, -1_800_000_000])
def test_setting_the_wall_clock_neither_ends_nor_stretches_a_lockout(keeper, clock, jump):
    for _ in range(MAX_TRIES):
        keeper.check("111111")
    clock.set_wall(clock.wall() + jump)
    assert keeper.locked_for() == FIRST_LOCK_SECONDS
    assert not keeper.check("482916").ok
    clock.now += FIRST_LOCK_SECONDS  # a real minute passes
    assert keeper.locked_for() == 0
    assert keeper.check("482916").ok


def test_a_restart_keeps_the_remaining_time_and_a_reboot_never_shortens_it(keeper, store, clock):
    for _ in range(MAX_TRIES):
        keeper.check("111111")
    clock.now += 50
    restarted = PinKeeper(store, clock=clock, boot="boot-1")
    assert restarted.locked_for() == FIRST_LOCK_SECONDS - 50
    clock.now = 1_799_990_000.0 + 3  # rebooted: the monotonic clock starts again near 0
    clock.set_wall(1_900_000_000.0)  # and the wall clock is a year ahead
    rebooted = PinKeeper(store, clock=clock, boot="boot-2")
    assert rebooted.locked_for() == FIRST_LOCK_SECONDS
    clock.now += 30
    assert PinKeeper(store, clock=clock, boot="boot-2").locked_for() == FIRST_LOCK_SECONDS - 30


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("123", "volunteer.pin_length"),
        ("123456789", "volunteer.pin_length"),
        ("12a4", "volunteer.pin_digits_only"),
        ("١٢٣٤", "volunteer.pin_digits_only"),  # Arabic-Indic digits are not on the pad
        ("4829", None),
        ("48291637", None),
    ],
)
def test_a_new_pin_is_four_to_eight_digits(pin, problem):
    assert pin_problem(pin) == problem


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("0000", "volunteer.pin_one_digit"),
        ("77777777", "volunteer.pin_one_digit"),
        ("1234", "volunteer.pin_straight_run"),
        ("9876", "volunteer.pin_straight_run"),
        ("4321", "volunteer.pin_straight_run"),
        ("345678", "volunteer.pin_straight_run"),
        ("7890", "volunteer.pin_straight_run"),  # along the pad, wrapping 9 to 0
        ("1212", "volunteer.pin_common"),
        ("2580", "volunteer.pin_common"),  # straight down the middle column
        ("1004", "volunteer.pin_common"),
        ("6969", "volunteer.pin_common"),
        ("1122", "volunteer.pin_common"),
        ("2000", "volunteer.pin_common"),
        ("1235", None),
        ("2030", None),
    ],
)
def test_trivial_pins_are_refused_with_a_reason(pin, problem):
    assert pin_problem(pin) == problem


def test_the_keeper_refuses_to_store_a_trivial_pin(store, clock):
    keeper = PinKeeper(store, clock=clock, boot="boot-1")
    with pytest.raises(ValueError, match="pin_straight_run"):
        keeper.set_pin("1234")
    assert not keeper.has_pin()


def test_reset_forgets_pin_and_lock(keeper, store):
    for _ in range(MAX_TRIES):
        keeper.check("111111")
    reset_pin(store)
    assert not keeper.has_pin()
    assert keeper.locked_for() == 0
