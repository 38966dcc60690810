"""Pieces every screen uses: the Screen bases, big buttons, toggles, the language button."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow import FLOW_STEPS, PledgeFlow, Step
from kiosk.i18n import language_name
from kiosk.ui.theme import FOCUS_RING, MIN_TOUCH_TARGET


class Screen(QWidget):
    """A full-window step of the flow.

    Subclasses build widgets in __init__, put every translatable text in
    `retranslate()` (called on every language change) and empty every field
    in `clear()` (called when a signer leaves, so nothing reaches the next).
    """

    def __init__(self, flow: PledgeFlow, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.flow = flow
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        flow.language_changed.connect(lambda _language: self.retranslate())
        flow.cleared.connect(self.clear)

    def retranslate(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Empty every input; screens without inputs have nothing to clear."""


def button(object_name: str, role: str = "", parent: QWidget | None = None) -> QPushButton:
    widget = QPushButton(parent)
    widget.setObjectName(object_name)
    if role:
        widget.setProperty("role", role)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def escape_markup(text: str) -> str:
    """Words as rich text shows them: `html.escape`'s three, without importing `html`
    before the first frame (its entity table is 8M instructions)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


_LINE_WIDTHS: dict[tuple[str, str], int] = {}  # (font, words): see _single_line_width
_LINE_WIDTHS_KEPT = 2048


def _single_line_width(widget: QWidget, words: str) -> int:
    """How wide `words` are on one line in `widget`'s font, and a space to spare (where
    Qt would break, that is the line to lay out as a document). Shaping Arabic for it
    takes ~0.08 ms a label, ~6 ms of a switch to Arabic; the same words come back
    at every switch, so their width is kept."""
    font = widget.font()
    key = (font.key(), words)
    width = _LINE_WIDTHS.get(key)
    if width is None:
        if len(_LINE_WIDTHS) >= _LINE_WIDTHS_KEPT:
            _LINE_WIDTHS.clear()
        metrics = widget.fontMetrics()
        widest = max(metrics.horizontalAdvance(line) for line in words.split("\n"))
        width = _LINE_WIDTHS[key] = widest + metrics.horizontalAdvance(" ")
    return width


_REFIT_ON = (QEvent.Type.Resize, QEvent.Type.FontChange)


class _ResizeWatch(QObject):
    """Tells the labels showing right-to-left words on one line of a resize or a new
    font. An event filter on those labels alone: a resizeEvent and changeEvent of
    WordsLabel's own cost start-up 5M instructions in calls into Python for the
    Swedish attract screen, which never needs them."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _REFIT_ON and isinstance(watched, WordsLabel):
            watched.recheck()
        return False


@cache
def _resize_watch() -> _ResizeWatch:
    return _ResizeWatch()


class WordsLabel(QLabel):
    """A wrapped label of words, never markup (a signer's name is shown as typed).

    Qt's plain-text layout ends every wrapped right-to-left line but the last
    with the space it broke at, so right-aligned Arabic lines stop a space short
    of the right edge, and a full line loses a few pixels of its last letter on
    the left. Laid out as a document the lines end flush, so right-to-left words
    that wrap go to Qt escaped, as rich text. A document's layout costs about
    twice a plain label's: with every Arabic label a document, a switch to
    Arabic took 30-39 ms instead of 14-18. So only words wider than the label
    become one (the switch takes ~22 ms), decided when the text is set and
    again when the label is resized or its font changes: from plain to document
    only, until the next text, so no layout can swing between the two. `text()`
    gives back the words as set. A caller that sets a format itself (its own
    markup) gets QLabel's behaviour.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._words = ""
        self._markup = False
        self._watched = False  # by _resize_watch
        self.setWordWrap(True)
        super().setTextFormat(Qt.TextFormat.PlainText)

    def setTextFormat(self, text_format: Qt.TextFormat, /) -> None:
        self._markup = text_format != Qt.TextFormat.PlainText
        super().setTextFormat(text_format)

    def setText(self, text: str, /) -> None:
        self._words = text
        if self._markup:
            super().setText(text)
            return
        right_to_left = self.wordWrap() and _RIGHT_TO_LEFT.search(text) is not None
        self._show(document=right_to_left and self._too_wide(), right_to_left=right_to_left)

    def text(self) -> str:
        return super().text() if self._markup else self._words

    def clear(self) -> None:
        if self._markup:
            super().clear()
        else:
            self.setText("")  # and no longer watched

    def recheck(self) -> None:
        """Resized, or its font changed: words that no longer fit become a document
        (only labels showing right-to-left words on one line are watched)."""
        if self._watched and not self._markup and self._too_wide():
            self._show(document=True, right_to_left=True)

    def _show(self, *, document: bool, right_to_left: bool) -> None:
        watch = right_to_left and not document
        if watch != self._watched:
            self._watched = watch
            if watch:
                self.installEventFilter(_resize_watch())
            else:
                self.removeEventFilter(_resize_watch())
        wanted = Qt.TextFormat.RichText if document else Qt.TextFormat.PlainText
        if self.textFormat() != wanted:
            QLabel.clear(self)  # else QLabel lays the old text out again in the new format
            QLabel.setTextFormat(self, wanted)
        # pre-wrap keeps every space and line break as plain text has them
        words = escape_markup(self._words) if document else self._words
        QLabel.setText(self, f'<p style="white-space: pre-wrap">{words}</p>' if document else words)

    def _too_wide(self) -> bool:
        """The words would wrap: wider than the room for one line."""
        room = self.contentsRect().width() - 2 * self.margin() - max(self.indent(), 0)
        return _single_line_width(self, self._words) > room


def label(object_name: str, role: str = "", parent: QWidget | None = None) -> QLabel:
    widget = WordsLabel(parent)
    widget.setObjectName(object_name)
    if role:
        widget.setProperty("role", role)
    return widget


def error_label(object_name: str, parent: QWidget | None = None) -> QLabel:
    """An inline error: hidden while empty, so no empty red box is ever shown."""
    widget = label(object_name, "error", parent)
    widget.hide()
    return widget


def show_error(widget: QLabel, message: str) -> None:
    widget.setText(message)
    widget.setVisible(bool(message))


def set_texts(widget: QAbstractButton, text: str, accessible: str = "") -> None:
    """A button's visible text and the name a screen reader says."""
    widget.setText(text)
    widget.setAccessibleName(accessible or text)


def grab_touch_scrolling(area: QAbstractScrollArea) -> None:
    """Let a finger drag `area`'s content, from the moment it is first shown.

    Not at construction: the first QScroller call makes PySide6 create a
    couple of hundred Python enums (a tenth of a second), which start-up
    should not wait for.
    """

    def grab() -> None:
        from PySide6.QtWidgets import QScroller  # noqa: PLC0415 - see above

        QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    _OnFirstShow(area, grab)


class _OnFirstShow(QObject):
    """Runs a function once, when the watched widget is first shown."""

    def __init__(self, widget: QWidget, action: Callable[[], None]):
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            self._action()
            self.deleteLater()
        return False


def touch_scroll_area(object_name: str, content: QWidget) -> QScrollArea:
    """A scroll area a finger can drag, for screens taller than a small window."""
    area = QScrollArea()
    area.setObjectName(object_name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    grab_touch_scrolling(area)
    return area


class LanguageButton(QPushButton):
    """With two languages: the *other* one's name ("English" / "Svenska"), one tap
    switches. With more: the other languages' names, each in itself
    ("English · العربية"), and a tap opens the picker (kiosk.ui.overlays)."""

    MAX_NAMES = 3  # more than this and the button shows the first ones and "…"

    def __init__(self, flow: PledgeFlow, parent: QWidget | None = None):
        super().__init__(parent)
        self.flow = flow
        self.setObjectName("languageButton")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a tap must not steal a field's focus
        self.clicked.connect(flow.language_tapped)
        flow.language_changed.connect(lambda _language: self.retranslate())
        flow.languages_offered.connect(lambda _languages: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        words = self.flow.words
        if len(words.offered) <= 2:
            target = words.other_language()
            self.setText(language_name(target))
            self.setAccessibleName(words("language.switch_to_named", name=language_name(target)))
            return
        others = [lang for lang in words.offered if lang != words.language]
        names = [language_name(lang) for lang in others[: self.MAX_NAMES]]
        if len(others) > self.MAX_NAMES:
            names.append("…")
        self.setText("  ·  ".join(isolate(name) for name in names))
        self.setAccessibleName(words("language.choose"))


RLI, PDI = "\u2067", "\u2069"  # right-to-left isolate, and its end


def arrowed(text: str, direction: str, *, back: bool = False) -> str:
    """'‹  Tillbaka' and 'Nästa  ›': the arrow points the way the language reads.

    Right to left the same marks mirror ("التالي ‹" on the left, pointing
    left), but only inside a right-to-left isolate: a button lays its text
    out left to right, and the bare marks landed on either side, either way.
    """
    composed = f"‹  {text}" if back else f"{text}  ›"
    return f"{RLI}{composed}{PDI}" if direction == "rtl" else composed


def isolate(text: str) -> str:
    """Text set apart from its neighbours' direction (an Arabic word in a Swedish line)."""
    return f"\u2068{text}\u2069"


class ToggleCard(QAbstractButton):
    """A big tick box whose whole card is the touch target and whose text wraps.

    QCheckBox cannot wrap its text, and a commitment or consent sentence is
    longer than a toggle's width on a laptop screen. Colours come from the
    stylesheet through the palette (QAbstractButton[role="toggle"]).
    """

    PADDING = 12
    BOX = 36
    GAP = 16

    def __init__(self, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "toggle")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.toggled.connect(lambda _checked: self.update())

    def set_text(self, text: str) -> None:
        set_texts(self, text)
        self.updateGeometry()

    def _text_width(self, width: int) -> int:
        return max(40, width - 2 * self.PADDING - self.BOX - self.GAP)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        bounds = self.fontMetrics().boundingRect(
            QRect(0, 0, self._text_width(width), 100_000),
            Qt.TextFlag.TextWordWrap,
            self.text(),
        )
        content = max(self.BOX, bounds.height())
        return max(MIN_TOUCH_TARGET, content + 2 * self.PADDING)

    def sizeHint(self) -> QSize:
        return QSize(360, self.heightForWidth(360))

    def minimumSizeHint(self) -> QSize:
        return QSize(160, MIN_TOUCH_TARGET)

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        surface = palette.color(QPalette.ColorRole.Button)
        text = palette.color(QPalette.ColorRole.ButtonText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        on_accent = palette.color(QPalette.ColorRole.HighlightedText)
        focus = palette.color(QPalette.ColorRole.AlternateBase)
        checked = self.isChecked()

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = self.rect().adjusted(2, 2, -2, -2)
        ring = self.hasFocus() and bool(self.property(FOCUS_RING))
        painter.setPen(QPen(focus if ring else accent, 4 if ring or self.isDown() else 2))
        painter.setBrush(accent if checked else surface)
        painter.drawRoundedRect(card, 14, 14)

        # Laid out left to right, then mirrored for right-to-left languages. QStyle is
        # imported here: PySide makes its ~50 enums (~15 ms) on first use, and the
        # attract screen, painted before any toggle, does not need it.
        from PySide6.QtWidgets import QStyle  # noqa: PLC0415

        direction = self.layoutDirection()
        box = QStyle.visualRect(
            direction,
            card,
            QRect(
                card.left() + self.PADDING, card.center().y() - self.BOX // 2, self.BOX, self.BOX
            ),
        )
        painter.setPen(QPen(on_accent if checked else accent, 3))
        painter.setBrush(on_accent if checked else surface)
        painter.drawRoundedRect(box, 8, 8)
        if checked:  # a tick, not only a colour change
            tick = QPainterPath()
            tick.moveTo(box.left() + 8, box.center().y() + 1)
            tick.lineTo(box.left() + 15, box.bottom() - 9)
            tick.lineTo(box.right() - 7, box.top() + 9)
            pen = QPen(accent, 5)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)

        text_rect = QStyle.visualRect(
            direction,
            card,
            QRect(
                card.left() + self.PADDING + self.BOX + self.GAP,
                card.top(),
                self._text_width(self.width()),
                card.height(),
            ),
        )
        painter.setPen(on_accent if checked else text)
        painter.setFont(self.font())
        align = QStyle.visualAlignment(direction, Qt.AlignmentFlag.AlignLeft)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter | align | Qt.TextFlag.TextWordWrap,
            self.text(),
        )
        painter.end()


COMPACT_BELOW_PX = 540  # a screen this short has the on-screen keyboard below it
QWIDGETSIZE_MAX = 16_777_215


class FlowScreen(Screen):
    """A numbered step: a header (step, language, cancel), a title, a body, back and next.

    Enter submits the step, unless a button has the focus: then Enter presses it.
    """

    def __init__(self, flow: PledgeFlow, step: Step, object_name: str):
        super().__init__(flow, object_name)
        self.step = step

        header = QFrame(self)
        header.setObjectName(f"{object_name}Header")
        header.setProperty("role", "header")
        self.step_label = label("stepLabel", "step", header)
        self.step_label.setWordWrap(False)
        self.language_button = LanguageButton(flow, header)
        self.cancel_button = button("cancelButton", "", header)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.cancel_button.clicked.connect(flow.ask_cancel)
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(32, 10, 32, 10)
        header_layout.setSpacing(16)
        header_layout.addWidget(self.step_label)
        header_layout.addStretch()
        header_layout.addWidget(self.language_button)
        header_layout.addWidget(self.cancel_button)

        self.title_label = label("titleLabel", "title", self)
        self.hint_label = label("hintLabel", "muted", self)
        self.body = QVBoxLayout()
        self.body.setSpacing(12)

        self.back_button = button("backButton", "", self)
        self.back_button.clicked.connect(flow.back)
        self.next_button = button("nextButton", "primary", self)
        self.next_button.clicked.connect(self.submit)
        # Back and Next in a bar of their own, folded away while the keyboard is up.
        self.footer_bar = QWidget(self)
        self.footer_bar.setObjectName("footerBar")
        self.footer = QHBoxLayout(self.footer_bar)
        self.footer.setContentsMargins(0, 0, 0, 0)
        self.footer.setSpacing(16)
        self.footer.addWidget(self.back_button)
        self.footer.addStretch()
        self.footer.addWidget(self.next_button)

        page = QVBoxLayout()
        page.setContentsMargins(40, 16, 40, 24)
        page.setSpacing(8)
        page.addWidget(self.title_label)
        page.addWidget(self.hint_label)
        page.addLayout(self.body, 1)
        page.addSpacing(8)
        page.addWidget(self.footer_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(page, 1)

    def submit(self) -> None:
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        """With the on-screen keyboard up (the window ends above it) the title, the
        hint and Back/Next fold away, so the field being typed and its label keep
        the room (the keyboard's ↵ goes on). Back and Next then come back where
        they always are, not where a finger last saw them above the keyboard."""
        super().resizeEvent(event)
        compact = self.height() < COMPACT_BELOW_PX
        limit = 0 if compact else QWIDGETSIZE_MAX
        for widget in (self.title_label, self.hint_label):
            if widget.maximumHeight() != limit:
                widget.setMaximumHeight(limit)
        if self.footer_bar.isHidden() != compact:
            self.footer_bar.setHidden(compact)

    def retranslate(self) -> None:
        tr = self.flow.words
        number = FLOW_STEPS.index(self.step) + 1
        self.step_label.setText(tr("nav.step", step=number, total=len(FLOW_STEPS)))
        set_texts(
            self.back_button, arrowed(tr("nav.back"), tr.direction, back=True), tr("nav.back")
        )
        set_texts(self.cancel_button, "✕  " + tr("nav.cancel"), tr("nav.cancel"))
        set_texts(self.next_button, arrowed(tr("nav.next"), tr.direction), tr("nav.next"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton) and focused.isEnabled():
                focused.click()
            else:
                self.submit()
            event.accept()
            return
        super().keyPressEvent(event)
