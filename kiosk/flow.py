"""The pledge flow's brain: navigation, validation, saving and the idle reset.

It owns no widgets. Screens call its methods with what the signer did and
listen to its signals; tests drive it directly. Nothing of one signer may
survive into the next: `reset()` drops the draft and emits `cleared`, which
every screen answers by emptying its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.i18n import Translator
from kiosk.pledge import (
    Details,
    Pledge,
    Stroke,
    check_commitments,
    check_details,
    check_strokes,
)
from kiosk.store.repository import SaveError
from kiosk.workers import run_in_background


class Step(StrEnum):
    ATTRACT = "attract"
    COMMITMENTS = "commitments"
    DETAILS = "details"
    SIGN = "sign"
    THANKS = "thanks"


FLOW_STEPS = (Step.COMMITMENTS, Step.DETAILS, Step.SIGN)
IDLE_WARNING_SECONDS = 10


class PledgeFlow(QObject):
    """One signer at a time, from the attract screen to thank you and back."""

    step_changed = Signal(str)
    start_refused = Signal()  # `can_start` said no (volunteer mode: no event chosen)
    language_changed = Signal(str)
    commitments_error = Signal(str)  # translated message, "" when fine
    details_errors = Signal(dict)  # field name -> translated message
    sign_error = Signal(str)
    saving = Signal(bool)
    saved = Signal(str)  # the signature's UUID, after commit
    save_failed = Signal(str)  # plain words for the volunteer
    idle_countdown = Signal(int)  # seconds left before reset; 0 hides the warning
    cleared = Signal()

    def __init__(
        self,
        *,
        translator: Translator,
        save_pledge: Callable[[Pledge], str],
        idle_seconds: int = 60,
        thanks_seconds: int = 15,
        default_language: str = "sv",
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.tr = translator
        self._save_pledge = save_pledge
        self.idle_seconds = idle_seconds
        self.thanks_seconds = thanks_seconds
        self.default_language = default_language
        self.step = Step.ATTRACT
        self.commitments: tuple[str, ...] = ()
        self.details: Details | None = None
        self.strokes: tuple[Stroke, ...] = ()
        self.is_saving = False
        self.last_saved: Pledge | None = None

        self._idle_timer = QTimer(self, singleShot=True)
        self._idle_timer.timeout.connect(self._on_idle)
        self._countdown_timer = QTimer(self, interval=1000)
        self._countdown_timer.timeout.connect(self._on_countdown_tick)
        self._seconds_left = 0
        self._thanks_timer = QTimer(self, singleShot=True)
        self._thanks_timer.timeout.connect(self.reset)

    # --- language -----------------------------------------------------------

    @property
    def language(self) -> str:
        return self.tr.language

    def set_language(self, language: str) -> None:
        if language != self.tr.language:
            self.tr.language = language
            self.language_changed.emit(language)
        self.touch()

    def toggle_language(self) -> None:
        self.set_language(self.tr.other_language())

    # --- navigation -----------------------------------------------------------

    def _go(self, step: Step) -> None:
        self.step = step
        self.step_changed.emit(step.value)
        self.touch()

    def can_start(self) -> bool:
        """Whether a pledge may begin; volunteer mode replaces this (no event, no pledge)."""
        return True

    def start(self) -> None:
        if self.step is Step.ATTRACT:
            if not self.can_start():
                self.start_refused.emit()
                return
            self._go(Step.COMMITMENTS)

    def back(self) -> None:
        if self.step in FLOW_STEPS and not self.is_saving:
            index = FLOW_STEPS.index(self.step)
            self._go(FLOW_STEPS[index - 1] if index else Step.ATTRACT)

    def step_number(self) -> int:
        return FLOW_STEPS.index(self.step) + 1 if self.step in FLOW_STEPS else 0

    def submit_commitments(self, chosen: list[str] | tuple[str, ...]) -> bool:
        error = check_commitments(chosen)
        self.commitments_error.emit(self.tr(error) if error else "")
        if error:
            self.touch()
            return False
        self.commitments = tuple(chosen)
        self._go(Step.DETAILS)
        return True

    def submit_details(self, **fields: object) -> bool:
        check = check_details(**fields)  # type: ignore[arg-type]
        self.details_errors.emit(
            {name: self.tr(key, **values) for name, (key, values) in check.errors.items()}
        )
        if not check.ok:
            self.touch()
            return False
        self.details = check.details
        self._go(Step.SIGN)
        return True

    def submit_signature(self, strokes: tuple[Stroke, ...]) -> bool:
        """Check the drawing and save the pledge off the GUI thread."""
        if self.is_saving or self.details is None:
            return False
        error = check_strokes(strokes)
        self.sign_error.emit(self.tr(error) if error else "")
        if error:
            self.touch()
            return False
        self.strokes = strokes
        pledge = Pledge(self.commitments, self.details, strokes, self.language)
        self.is_saving = True
        self.saving.emit(True)
        self._idle_timer.stop()  # never reset the screen under a save in flight
        run_in_background(
            lambda: self._save_pledge(pledge),
            lambda uuid: self._on_saved(pledge, uuid),
            self._on_save_failed,
            parent=self,
        )
        return True

    def _on_saved(self, pledge: Pledge, uuid: str) -> None:
        self.is_saving = False
        self.saving.emit(False)
        self.last_saved = pledge
        self.saved.emit(uuid)
        self._go(Step.THANKS)

    def _on_save_failed(self, error: BaseException) -> None:
        self.is_saving = False
        self.saving.emit(False)
        if isinstance(error, SaveError):
            message = self.tr(f"save_error.{error.kind}", detail=error.detail)
        else:
            message = self.tr("save_error.other", detail=type(error).__name__)
        self.save_failed.emit(message)
        self.touch()

    def retry_save(self) -> bool:
        return self.submit_signature(self.strokes)

    def signer_name(self) -> str:
        pledge = self.last_saved
        return pledge.details.name if pledge else ""

    def reset(self) -> None:
        """Back to the attract screen with nothing of the last signer left."""
        if self.is_saving:
            return
        self.commitments = ()
        self.details = None
        self.strokes = ()
        self.last_saved = None
        self._stop_timers()
        self.idle_countdown.emit(0)
        if self.tr.language != self.default_language:
            self.tr.language = self.default_language
            self.language_changed.emit(self.default_language)
        self.cleared.emit()
        self.step = Step.ATTRACT
        self.step_changed.emit(Step.ATTRACT.value)

    # --- idle -----------------------------------------------------------------

    def touch(self) -> None:
        """The signer did something: restart the idle clock, hide any warning."""
        if self._countdown_timer.isActive():
            self._countdown_timer.stop()
            self.idle_countdown.emit(0)
        self._idle_timer.stop()
        self._thanks_timer.stop()
        if self.step is Step.THANKS:
            self._thanks_timer.start(self.thanks_seconds * 1000)
        elif self.step is not Step.ATTRACT and not self.is_saving:
            quiet = max(0, self.idle_seconds - IDLE_WARNING_SECONDS)
            self._idle_timer.start(quiet * 1000)

    def _on_idle(self) -> None:
        self._seconds_left = min(IDLE_WARNING_SECONDS, self.idle_seconds)
        self.idle_countdown.emit(self._seconds_left)
        self._countdown_timer.start()

    def _on_countdown_tick(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left <= 0:
            self.reset()
        else:
            self.idle_countdown.emit(self._seconds_left)

    def _stop_timers(self) -> None:
        for timer in (self._idle_timer, self._countdown_timer, self._thanks_timer):
            timer.stop()

    def configure_idle(self, *, idle_seconds: int, thanks_seconds: int) -> None:
        self.idle_seconds = idle_seconds
        self.thanks_seconds = thanks_seconds
