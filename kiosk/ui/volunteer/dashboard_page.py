"""The stall dashboard: how the day is going, and anything that needs attention."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Content
from kiosk.i18n import Translator
from kiosk.ui.common import button, label
from kiosk.ui.sync_link import last_success
from kiosk.ui.theme import CAMPAIGN, Palette
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.store.dashboard import Dashboard
    from kiosk.system_check import Problem
    from kiosk.volunteer.panel_jobs import DashboardView

FIRST_HOUR, LAST_HOUR = 8, 19


class HourChart(QWidget):
    """Bars of signatures per local hour, drawn with QPainter in palette colours."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hourChart")
        self.setMinimumHeight(150)
        self.per_hour: dict[int, int] = {}
        self.palette_colours: Palette = CAMPAIGN

    def set_data(self, per_hour: dict[int, int], palette: Palette) -> None:
        self.per_hour = per_hour
        self.palette_colours = palette
        self.update()

    def hours(self) -> range:
        used = [h for h, n in self.per_hour.items() if n]
        return range(min([FIRST_HOUR, *used]), max([LAST_HOUR, *used]) + 1)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = self.palette_colours
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(p.surface))
        hours = self.hours()
        top = max(self.per_hour.values(), default=0) or 1
        label_height = 28
        slot = self.width() / len(hours)
        usable = self.height() - 2 * label_height
        painter.setPen(QColor(p.text))
        for index, hour in enumerate(hours):
            count = self.per_hour.get(hour, 0)
            height = usable * count / top
            x = index * slot
            bar = QRectF(x + slot * 0.15, label_height + usable - height, slot * 0.7, height)
            painter.fillRect(bar, QColor(p.primary))
            painter.drawText(
                QRectF(x, self.height() - label_height, slot, label_height),
                Qt.AlignmentFlag.AlignCenter,
                f"{hour:02d}",
            )
            if count:
                painter.drawText(
                    QRectF(x, bar.top() - label_height, slot, label_height),
                    Qt.AlignmentFlag.AlignCenter,
                    str(count),
                )
        painter.end()


# Each opt-in is named with the words the signer ticked (the details screen's own).
OPT_IN_WORDS = {"community": "details.community_opt_in", "helpers": "details.helper_opt_in"}
BIG = ("today", "event", "community", "helpers")  # big number, small label
SMALL = ("pending", "sync", "disk")
TOP_SHOWN = 3  # the screen shows the top three; the summary PDF has them all
SMALL_PLACES = {"pending": (0, 1), "sync": (1, 2), "disk": (3, 1)}  # (column, span)


class DashboardPage(QWidget):
    """One screen at 1366×768: what needs attention, big numbers, the day's hours."""

    def __init__(
        self,
        controller: PanelController,
        content: Content,
        words: Translator,
        *,
        palette: Callable[[], Palette] = lambda: CAMPAIGN,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.controller = controller
        self.content = content
        self.words = words
        self.palette_of = palette
        self.figures: Dashboard | None = None
        self.refused = 0
        self.missing: tuple[Problem, ...] = ()
        self.retry_message = ""
        self.attention = label("attention", "error", self)
        self.clock_label = label("clockProblem", "error", self)
        self.clock_button = button("acknowledgeClock", parent=self)
        self.clock_button.clicked.connect(controller.acknowledge_clock)
        self.refused_label = label("refusedRecords", "error", self)
        self.retry_button = button("retryRefused", "primary", self)
        self.retry_button.clicked.connect(self.retry_refused)
        self.values: dict[str, tuple[QLabel, QLabel]] = {}
        tiles = QGridLayout()
        tiles.setSpacing(12)
        for index, name in enumerate(BIG + SMALL):
            tile = QFrame(self)
            tile.setProperty("role", "tile")
            # Minimum, not Maximum: a caption wrapped to three lines (large text) gets its height.
            tile.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            value = label(f"{name}Value", "bignumber" if name in BIG else "value", tile)
            caption = label(f"{name}Caption", "caption", tile)
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            inside = QVBoxLayout(tile)
            inside.setContentsMargins(14, 4, 14, 8)
            inside.setSpacing(2)
            inside.addWidget(value)
            inside.addWidget(caption, 1)
            if name in BIG:
                tiles.addWidget(tile, 0, index)
            else:  # three small tiles under four big ones; the sync time is the widest
                column, span = SMALL_PLACES[name]
                tiles.addWidget(tile, 1, column, 1, span)
            self.values[name] = (caption, value)
        self.chart_heading = label("chartHeading", "heading", self)
        self.chart = HourChart(self)
        self.top_heading = label("topHeading", "heading", self)
        self.top_list = label("topList", "caption", self)
        right = QVBoxLayout()
        right.addWidget(self.chart_heading)
        right.addWidget(self.chart, 1)
        left = QVBoxLayout()
        left.addLayout(tiles)
        left.addWidget(self.top_heading)
        left.addWidget(self.top_list)
        left.addStretch()
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(left, 5)
        columns.addLayout(right, 3)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock_label, 1)
        clock_row.addWidget(self.clock_button)
        refused_row = QHBoxLayout()
        refused_row.addWidget(self.refused_label, 1)
        refused_row.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.attention)
        layout.addLayout(clock_row)
        layout.addLayout(refused_row)
        layout.addLayout(columns, 1)
        for widget in (self.attention, self.clock_label, self.clock_button):
            widget.hide()
        for widget in (self.refused_label, self.retry_button):
            widget.hide()
        controller.dashboard_loaded.connect(self.show_figures)
        controller.sync_status_changed.connect(self.on_sync_status)
        controller.clock_changed.connect(self.retranslate)
        controller.refused_retried.connect(self.on_refused_retried)

    def value_text(self, name: str) -> str:
        return self.values[name][1].text()

    def caption_text(self, name: str) -> str:
        return self.values[name][0].text()

    def refresh(self) -> None:
        """Ask for the figures; the page shows them when they come."""
        self.controller.load_dashboard()

    def retry_refused(self) -> None:
        self.retry_button.setEnabled(False)  # until the store has queued them
        self.controller.retry_refused()

    def on_refused_retried(self, count: int) -> None:
        self.retry_button.setEnabled(True)
        self.retry_message = self.words.plural(
            "volunteer.refused_retried", count, count=self.words.number(count)
        )
        self.retranslate()

    def on_sync_status(self, _status: object) -> None:
        self.retranslate()

    def show_figures(self, view: DashboardView) -> None:
        self.figures = view.figures
        self.refused = view.refused
        self.missing = view.missing
        self.retranslate()

    def retranslate(self) -> None:
        t = self.words
        self._show_clock()
        self.clock_button.setText(t("volunteer.clock_acknowledge"))
        self.retry_button.setText(t("volunteer.refused_retry"))
        figures = self.figures
        if figures is None:
            return
        status = self.controller.sync_status
        last_sync = last_success(status)
        if status is None or not status.enrolled:
            sync_text = t("volunteer.dash_sync_not_set_up")
        elif last_sync is None:
            sync_text = t("volunteer.dash_sync_never")
        else:
            sync_text = t.datetime(last_sync.astimezone())
        event_caption = (
            t("volunteer.dash_event", name=figures.event_name)
            if figures.event_name
            else t("volunteer.event_none")
        )
        rows = {
            "today": (t("volunteer.dash_today"), t.number(figures.today)),
            "event": (event_caption, t.number(figures.event)),
            "community": (t(OPT_IN_WORDS["community"]), t.number(figures.community_opt_ins)),
            "helpers": (t(OPT_IN_WORDS["helpers"]), t.number(figures.helper_opt_ins)),
            "sync": (t("volunteer.dash_last_sync"), sync_text),
            "pending": (t("volunteer.dash_pending"), t.number(figures.pending)),
            "disk": (t("volunteer.dash_disk"), t.size(figures.free_bytes)),
        }
        for name, (caption, value) in rows.items():
            self.values[name][0].setText(caption)
            self.values[name][1].setText(value)
        attention = [t(a.key, **a.values) for a in figures.attention]
        # What the kiosk started without (kiosk.system_check), with its install command.
        attention += [problem.message(words=t) for problem in self.missing]
        self.attention.setText("\n".join(attention))
        self.attention.setVisible(bool(attention))
        refused = self.refused
        if refused or self.retry_message:
            text = (
                t.plural("volunteer.refused_waiting", refused, count=t.number(refused))
                if refused
                else ""
            )
            self.refused_label.setText("  ".join(filter(None, (text, self.retry_message))))
        self.refused_label.setVisible(bool(refused or self.retry_message))
        self.retry_button.setVisible(bool(refused))
        self.chart_heading.setText(t("volunteer.dash_per_hour"))
        self.chart.set_data(figures.per_hour, self.palette_of())
        self.top_heading.setText(t("volunteer.dash_top"))
        language = t.language
        self.top_list.setText(
            "\n".join(
                f"{t.number(count)} × {self.content.commitment_text(cid, language)}"
                for cid, count in figures.top_commitments[:TOP_SHOWN]
            )
            or "–"
        )

    def _show_clock(self) -> None:
        """The clock problem in the kiosk's plain words, with the way to go on signing."""
        problem = self.controller.clock_problem()
        self.clock_label.setText(problem.message(self.words) if problem else "")
        self.clock_label.setVisible(problem is not None)
        self.clock_button.setVisible(problem is not None and self.controller.clock_blocks())
