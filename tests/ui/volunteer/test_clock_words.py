"""A wrong laptop clock, said in the volunteer's language with the date as it is written there."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.clock import clock_problem
from kiosk.i18n import Translator
from kiosk.volunteer.pin import PinKeeper
from tests.ui.volunteer.conftest import PIN, enter_pin

NOON_1_JAN_1970 = 12 * 3600.0  # the same day in every time zone
SV_FIX = (
    "Ställ in datorns datum och tid (i systeminställningarna, eller anslut den till ett "
    "nätverk så ställer den sig själv) och starta sedan om kiosken. Underskrifter som sparas "
    "under tiden behålls och märks med att tiden är osäker."
)


def test_a_reset_clock_is_said_in_swedish_with_a_swedish_date():
    words = Translator("sv")
    past = clock_problem(datetime(1970, 1, 1, 12, tzinfo=UTC))
    future = clock_problem(datetime(2150, 3, 2, 12, tzinfo=UTC))
    assert past is not None and future is not None
    assert (
        past.message(words)
        == f"Datorns klocka säger 1 januari 1970, vilket inte kan stämma. {SV_FIX}"
    )
    assert (
        future.message(words) == f"Datorns klocka säger 2 mars 2150, långt fram i tiden. {SV_FIX}"
    )


def test_the_dashboard_says_the_clock_problem_in_swedish(qtbot, kiosk, clock):
    PinKeeper(kiosk.store).set_pin(PIN)
    clock._wall = NOON_1_JAN_1970
    kiosk.flow.start()  # a tap on *Skriv på*: the panel opens on the clock's problem
    panel = kiosk.volunteer.panel
    enter_pin(qtbot, panel, PIN)
    label = panel.dashboard.clock_label
    assert label.isVisible()
    assert label.text() == f"Datorns klocka säger 1 januari 1970, vilket inte kan stämma. {SV_FIX}"
