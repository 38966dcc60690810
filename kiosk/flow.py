"""The pledge flow's brain: navigation, validation, saving and the idle reset.

It owns no widgets. Screens call its methods with what the signer did and
listen to its signals; tests drive it directly. Nothing of one signer may
survive into the next: `reset()` drops the draft and emits `cleared`, which
every screen answers by emptying its fields.

Error messages are kept as message keys, not text, so that switching the
language mid-flow re-emits every visible error in the new language.

Idle time is read from an injected clock (kiosk.clock): a QTimer only
schedules `check_time()` once per tick, and the clock says how long the
signer has been away. Tests move a fake clock and call `check_time()`.

The checks (kiosk.pledge) are imported where a signer's input is checked,
not with this module: the attract screen paints without them, and the
screens built right after its first frame load them anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.clock import Clock, SystemClock
from kiosk.i18n import Translator
from kiosk.workers import run_in_background

if TYPE_CHECKING:
    from kiosk.pledge import Details, Pledge, Stroke


class Step(StrEnum):
    ATTRACT = "attract"
    COMMITMENTS = "commitments"
    DETAILS = "details"
    SIGN = "sign"
    THANKS = "thanks"


FLOW_STEPS = (Step.COMMITMENTS, Step.DETAILS, Step.SIGN)
IDLE_WARNING_SECONDS = 10

MessageKey = tuple[str, dict[str, object]]


class ExplainedError(Protocol):
    """What the flow needs of a failed save (kiosk.store.repository.SaveError).

    A protocol, not an import: the screens load without SQLAlchemy, so the
    attract screen can take input while the store is still opening.
    """

    kind: str  # disk_full, locked, read_only, other: save_error.<kind> in strings.toml
    detail: str


class _UnexpectedError:
    def __init__(self, error: BaseException):
        self.kind = "other"
        self.detail = type(error).__name__


class PledgeFlow(QObject):
    """One signer at a time, from the attract screen to thank you and back."""

    step_changed = Signal(str)
    start_refused = Signal()  # `can_start` said no (volunteer mode: no event chosen)
    language_changed = Signal(str)
    languages_offered = Signal(tuple)  # the languages a signer may choose, in order
    language_choice_asked = Signal(bool)  # show (True) or hide the language picker
    commitments_error = Signal(str)  # translated message, "" when fine
    details_errors = Signal(dict)  # field name -> translated message
    sign_error = Signal(str)
    saving = Signal(bool)
    saved = Signal(str)  # the signature's UUID, after commit
    save_failed = Signal(str)  # plain words for the volunteer; "" once resolved
    idle_countdown = Signal(int)  # seconds left before reset; 0 hides the warning
    cancel_asked = Signal(bool)  # show (True) or hide (False) the "cancel?" question
    cleared = Signal()
    already_signed = Signal(str)  # gentle note for a known email; "" hides it

    def __init__(
        self,
        *,
        translator: Translator,
        save_pledge: Callable[[Pledge], str],
        known_email: Callable[[str], bool] | None = None,
        can_start: Callable[[], bool] = lambda: True,
        clock: Clock | None = None,
        idle_seconds: float = 60,
        thanks_seconds: float = 15,
        warning_seconds: int = IDLE_WARNING_SECONDS,
        tick_seconds: float = 1.0,
        default_language: str = "sv",
        is_practice: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.words = translator
        # Whether a pledge may begin (the volunteer panel: not without an event).
        self._can_start = can_start
        self.clock: Clock = clock or SystemClock()
        self._save_pledge = save_pledge
        # "Has this email signed before?" through its HMAC (kiosk/privacy/local.py).
        self._known_email = known_email
        self._noted_email: str | None = None
        self.idle_seconds = idle_seconds
        self.thanks_seconds = thanks_seconds
        self.warning_seconds = warning_seconds
        self.default_language = default_language
        # Practice signatures are deleted after training: no withdrawal code, no number.
        self.is_practice = is_practice
        self.is_choosing_language = False
        self.step = Step.ATTRACT
        self.commitments: tuple[str, ...] = ()
        self.details: Details | None = None
        self.strokes: tuple[Stroke, ...] = ()
        self.is_saving = False
        self.is_asking_cancel = False
        self.last_saved: Pledge | None = None
        self.last_saved_id: str | None = None  # its UUID: the withdrawal code comes from it
        # What is wrong right now, as message keys (see module docstring).
        self._commitments_error: str | None = None
        self._details_errors: dict[str, MessageKey] = {}
        self._sign_error: str | None = None
        self._save_error: ExplainedError | None = None

        self.tick_seconds = tick_seconds
        self._touched_at = self.clock.monotonic()
        self._seconds_left = 0  # the idle warning's count; 0 while it is hidden
        self._tick_timer = QTimer(self, interval=round(tick_seconds * 1000))
        self._tick_timer.timeout.connect(self.check_time)

    # --- language -----------------------------------------------------------

    @property
    def language(self) -> str:
        return self.words.language

    def set_language(self, language: str) -> None:
        if language != self.words.language:
            self.words.language = language
            self.language_changed.emit(language)
            self._emit_errors()
        self.touch()

    def toggle_language(self) -> None:
        self.set_language(self.words.other_language())

    @property
    def offered(self) -> tuple[str, ...]:
        return self.words.offered

    def offer_languages(self, languages: tuple[str, ...]) -> None:
        """The volunteer chose which languages signers see (settings)."""
        languages = tuple(languages)
        if languages and languages != self.words.offered:
            self.words.offered = languages
            self.languages_offered.emit(languages)

    def language_tapped(self) -> None:
        """The language button: one tap switches between two; with more, a picker opens."""
        if len(self.words.offered) > 2:
            self.is_choosing_language = True
            self.language_choice_asked.emit(True)
            self.touch()
        else:
            self.toggle_language()

    def choose_language(self, language: str) -> None:
        """A language picked in the picker (or the picker closed with `language=""`)."""
        self.is_choosing_language = False
        self.language_choice_asked.emit(False)
        if language:
            self.set_language(language)
        else:
            self.touch()

    def _emit_errors(self) -> None:
        """Send every current error again, in the current language."""
        self.commitments_error.emit(self._translate(self._commitments_error))
        self.details_errors.emit(
            {
                name: self.words(key, **values)
                for name, (key, values) in self._details_errors.items()
            }
        )
        self.sign_error.emit(self._translate(self._sign_error))
        self.save_failed.emit(self.save_error_message())

    def _translate(self, key: str | None) -> str:
        return self.words(key) if key else ""

    def save_error_message(self) -> str:
        """The last failed save in plain words for the volunteer, or ""."""
        error = self._save_error
        if error is None:
            return ""
        key = f"save_error.{error.kind}"
        try:
            return self.words(key, detail=error.detail)
        except KeyError:
            return self.words("save_error.other", detail=error.detail)

    # --- navigation -----------------------------------------------------------

    def _go(self, step: Step) -> None:
        self.step = step
        self.step_changed.emit(step.value)
        self.touch()

    def start(self) -> None:
        if self.step is Step.ATTRACT:
            if not self._can_start():
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
        from kiosk.pledge import check_commitments  # noqa: PLC0415 - see the module doc

        self._commitments_error = check_commitments(chosen)
        self.commitments_error.emit(self._translate(self._commitments_error))
        if self._commitments_error:
            self.touch()
            return False
        self.commitments = tuple(chosen)
        self._go(Step.DETAILS)
        return True

    def commitments_edited(self, chosen: list[str] | tuple[str, ...]) -> None:
        """A toggle changed: drop the "choose one" error as soon as it is fixed."""
        from kiosk.pledge import check_commitments  # noqa: PLC0415 - see the module doc

        if self._commitments_error and not check_commitments(chosen):
            self._commitments_error = None
            self.commitments_error.emit("")

    def details_edited(self, field: str) -> None:
        """The signer is correcting a field: its error goes until the next submit."""
        if self._details_errors.pop(field, None) is not None:
            self._emit_errors()

    def sign_edited(self) -> None:
        """The signer drew or cleared: an old "too small" message no longer applies."""
        if self._sign_error:
            self._sign_error = None
            self.sign_error.emit("")

    def submit_details(self, **fields: object) -> bool:
        from kiosk.pledge import check_details  # noqa: PLC0415 - see the module doc

        check = check_details(**fields)  # type: ignore[arg-type]
        self._details_errors = dict(check.errors)
        self._emit_errors()
        if not check.ok:
            self.touch()
            return False
        if self._note_repeat_signer(check.details.email):
            return False
        self.details = check.details
        self._go(Step.SIGN)
        return True

    def _note_repeat_signer(self, email: str | None) -> bool:
        """A known email gets a gentle "you have already signed — thank you!" once;
        tapping Next again signs anyway (the store flags the repeat, nobody is
        turned away: a household may share an address)."""
        if not email or self._known_email is None:
            return False
        normalised = email.strip().lower()
        if normalised == self._noted_email or not self._known_email(email):
            return False
        self._noted_email = normalised
        self.already_signed.emit(self.words("details.already_signed"))
        self.touch()
        return True

    def submit_signature(self, strokes: tuple[Stroke, ...]) -> bool:
        """Check the drawing and save the pledge off the GUI thread."""
        if self.is_saving or self.details is None:
            return False
        from kiosk.pledge import Pledge, check_strokes  # noqa: PLC0415 - see the module doc

        self._sign_error = check_strokes(strokes)
        self.sign_error.emit(self._translate(self._sign_error))
        if self._sign_error:
            self.touch()
            return False
        self.strokes = strokes
        pledge = Pledge(self.commitments, self.details, strokes, self.language)
        self.is_saving = True
        self.saving.emit(True)
        self._stop_timers()  # never reset the screen under a save in flight
        self.idle_countdown.emit(0)
        run_in_background(
            lambda: self._save_pledge(pledge),
            lambda uuid: self._on_saved(pledge, uuid),
            self._on_save_failed,
            parent=self,
        )
        return True

    def _on_saved(self, pledge: Pledge, uuid: str) -> None:
        self.is_saving = False
        self._save_error = None
        self.saving.emit(False)
        self.save_failed.emit("")
        self.last_saved = pledge
        self.last_saved_id = uuid
        self.saved.emit(uuid)
        self._go(Step.THANKS)

    def _on_save_failed(self, error: BaseException) -> None:
        self.is_saving = False
        if isinstance(getattr(error, "kind", None), str) and hasattr(error, "detail"):
            self._save_error = error  # type: ignore[assignment]
        else:
            self._save_error = _UnexpectedError(error)
        self.saving.emit(False)
        self.save_failed.emit(self.save_error_message())
        self.touch()

    @property
    def has_failed_save(self) -> bool:
        """A signed pledge waits for a retry; it must not be idled away."""
        return self._save_error is not None

    def retry_save(self) -> bool:
        return self.submit_signature(self.strokes)

    def withdrawal_code(self) -> str | None:
        """The code the last signer keeps to withdraw (thank-you screen, receipt)."""
        if not self.last_saved_id or self.is_practice():
            return None
        # Here, not before the first frame: it loads hashlib, and OpenSSL with it (~2 ms).
        from sync.privacy.withdrawal import code_for  # noqa: PLC0415

        return code_for(self.last_saved_id)

    def signer_name(self) -> str:
        pledge = self.last_saved
        return pledge.details.name if pledge else ""

    # --- cancel ---------------------------------------------------------------

    def ask_cancel(self) -> None:
        """The signer tapped cancel: ask once before anything is thrown away."""
        if self.step in FLOW_STEPS and not self.is_saving:
            self.is_asking_cancel = True
            self.cancel_asked.emit(True)
        self.touch()

    def keep_going(self) -> None:
        self.is_asking_cancel = False
        self.cancel_asked.emit(False)
        self.touch()

    def confirm_cancel(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Back to the attract screen with nothing of the last signer left."""
        if self.is_saving:
            return
        self.commitments = ()
        self.details = None
        self.strokes = ()
        self.last_saved = None
        self.last_saved_id = None
        self._noted_email = None
        self.already_signed.emit("")
        self._commitments_error = None
        self._details_errors = {}
        self._sign_error = None
        self._save_error = None
        self._stop_timers()
        self.idle_countdown.emit(0)
        if self.is_asking_cancel:
            self.is_asking_cancel = False
            self.cancel_asked.emit(False)
        if self.is_choosing_language:
            self.is_choosing_language = False
            self.language_choice_asked.emit(False)
        if self.words.language != self.default_language:
            self.words.language = self.default_language
            self.language_changed.emit(self.default_language)
        self._emit_errors()
        self.cleared.emit()
        self.step = Step.ATTRACT
        self.step_changed.emit(Step.ATTRACT.value)

    # --- idle -----------------------------------------------------------------

    def touch(self) -> None:
        """The signer did something: restart the idle clock, hide any warning.

        While a failed save waits for its retry the clock stays stopped: the
        signer was told to fetch a volunteer, and a reset would lose their
        signature. Cancel still clears the screen on purpose.
        """
        if self._seconds_left:
            self._seconds_left = 0
            self.idle_countdown.emit(0)
        self._touched_at = self.clock.monotonic()
        if self._watching_idle():
            self._tick_timer.start()  # restarted: the ticks count from this touch
        else:
            self._tick_timer.stop()

    def _watching_idle(self) -> bool:
        if self.step is Step.THANKS:
            return True
        return self.step is not Step.ATTRACT and not self.is_saving and not self.has_failed_save

    def check_time(self) -> None:
        """How long since the last touch? Warn, count down, or reset (each tick).

        As the README and the settings say: after `idle_seconds` without a
        touch the warning shows and counts down `warning_seconds` ticks, then
        the flow resets (60 s, then 10 s by default). The thank-you screen
        goes after `thanks_seconds`.
        """
        if not self._watching_idle():
            self._tick_timer.stop()
            return
        quiet = self.clock.monotonic() - self._touched_at
        if self.step is Step.THANKS:
            if quiet >= self.thanks_seconds:
                self.reset()
            return
        tick = self.tick_seconds
        warn_after = self.idle_seconds
        if quiet < warn_after:
            return
        left = self.warning_seconds - math.floor((quiet - warn_after) / tick + 1e-9)
        if left <= 0:
            self.reset()
        elif left != self._seconds_left:
            self._seconds_left = left
            self.idle_countdown.emit(left)

    def _stop_timers(self) -> None:
        self._tick_timer.stop()
        self._seconds_left = 0

    def configure_idle(
        self,
        *,
        idle_seconds: float,
        thanks_seconds: float,
        warning_seconds: int | None = None,
        tick_seconds: float | None = None,
    ) -> None:
        """Change the idle times (volunteer settings; short times in tests)."""
        self.idle_seconds = idle_seconds
        self.thanks_seconds = thanks_seconds
        if warning_seconds is not None:
            self.warning_seconds = warning_seconds
        if tick_seconds is not None:
            self.tick_seconds = tick_seconds
            self._tick_timer.setInterval(round(tick_seconds * 1000))
        self.touch()
