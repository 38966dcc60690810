"""The stall dashboard: how the day is going, and anything that needs attention."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.content import Content
from kiosk.i18n import Translator
from kiosk.ui.common import label
from kiosk.ui.sync_link import last_success
from kiosk.ui.theme import CAMPAIGN, Palette
from kiosk.volunteer.controller import PanelController

if TYPE_CHECKING:
    from kiosk.store.dashboard import Dashboard

FIRST_HOUR, LAST_HOUR = 8, 19


class HourChart(QWidget):
    """Bars of signatures per local hour, drawn with QPainter in palette colours."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hourChart")
        self.setMinimumHeight(180)
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


class DashboardPage(QWidget):
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
        self.attention = label("attention", "error", self)
        self.values: dict[str, tuple] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        names = ("today", "event", "community", "helpers", "sync", "pending", "disk")
        for row, name in enumerate(names):
            caption = label(f"{name}Caption", "muted", self)
            value = label(f"{name}Value", parent=self)
            value.setObjectName(f"{name}Value")
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self.values[name] = (caption, value)
        self.chart_heading = label("chartHeading", "title", self)
        self.chart = HourChart(self)
        self.top_heading = label("topHeading", "title", self)
        self.top_list = label("topList", parent=self)
        right = QVBoxLayout()
        right.addWidget(self.chart_heading)
        right.addWidget(self.chart, 1)
        right.addWidget(self.top_heading)
        right.addWidget(self.top_list)
        columns = QGridLayout()
        columns.addLayout(grid, 0, 0)
        columns.addLayout(right, 0, 1)
        columns.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.attention)
        layout.addLayout(columns, 1)
        controller.dashboard_loaded.connect(self.show_figures)
        controller.sync_status_changed.connect(self.on_sync_status)

    def value_text(self, name: str) -> str:
        return self.values[name][1].text()

    def refresh(self) -> None:
        """Ask for the figures; the page shows them when they come."""
        self.controller.load_dashboard()

    def on_sync_status(self, _status: object) -> None:
        self.retranslate()

    def show_figures(self, figures: Dashboard) -> None:
        self.figures = figures
        self.retranslate()

    def retranslate(self) -> None:
        figures = self.figures
        if figures is None:
            return
        t = self.words
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
            "today": (t("volunteer.dash_today"), str(figures.today)),
            "event": (event_caption, str(figures.event)),
            "community": (t("volunteer.dash_community"), str(figures.community_opt_ins)),
            "helpers": (t("volunteer.dash_helpers"), str(figures.helper_opt_ins)),
            "sync": (t("volunteer.dash_last_sync"), sync_text),
            "pending": (t("volunteer.dash_pending"), str(figures.pending)),
            "disk": (
                t("volunteer.dash_disk"),
                t.size(figures.free_bytes),
            ),
        }
        for name, (caption, value) in rows.items():
            self.values[name][0].setText(caption)
            self.values[name][1].setText(value)
        if figures.attention:
            self.attention.setText("\n".join(t(a.key, **a.values) for a in figures.attention))
            self.attention.show()
        else:
            self.attention.hide()
        self.chart_heading.setText(t("volunteer.dash_per_hour"))
        self.chart.set_data(figures.per_hour, self.palette_of())
        self.top_heading.setText(t("volunteer.dash_top"))
        language = t.language
        self.top_list.setText(
            "\n".join(
                f"{count} × {self.content.commitment_text(cid, language)}"
                for cid, count in figures.top_commitments
            )
            or "–"
        )
