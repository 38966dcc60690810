"""Step 1: choose one or more "lagom" commitments, grouped by theme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.content import Content
from kiosk.flow import PledgeFlow, Step
from kiosk.ui.common import (
    FlowScreen,
    ToggleCard,
    button,
    error_label,
    label,
    set_texts,
    show_error,
    touch_scroll_area,
)

WIDE_COLUMNS = 3
NARROW_COLUMNS = 2
NARROW_BELOW_PX = 1100  # under this window width three cards a row get too narrow to read


class CommitmentsScreen(FlowScreen):
    """One big toggle per commitment, in the content file's order."""

    def __init__(self, flow: PledgeFlow, content: Content):
        super().__init__(flow, Step.COMMITMENTS, "commitmentsScreen")
        self.content = content
        self.toggles: dict[str, ToggleCard] = {}
        self.theme_labels: dict[str, QLabel] = {}
        self.grids: list[tuple[QGridLayout, list[ToggleCard]]] = []
        self.columns = WIDE_COLUMNS

        sheet = QWidget()
        sheet.setObjectName("commitmentsSheet")
        column = QVBoxLayout(sheet)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(6)
        for theme in content.themes:
            heading = label(f"theme-{theme.id}", "heading", sheet)
            self.theme_labels[theme.id] = heading
            column.addWidget(heading)
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(12)
            cards = []
            for commitment in theme.commitments:
                toggle = ToggleCard(f"commitment-{commitment.id}", sheet)
                toggle.toggled.connect(self._on_toggled)
                self.toggles[commitment.id] = toggle
                cards.append(toggle)
            self.grids.append((grid, cards))
            column.addLayout(grid)
            column.addSpacing(10)
        column.addStretch()
        self.scroll_area = touch_scroll_area("commitmentsScroll", sheet)
        # A thin scrollbar is no hint at a market: themes below the fold are announced
        # in words, and a tap on the announcement scrolls to them.
        self.more_button = button("moreBelow", "more", self)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more_button.clicked.connect(self._scroll_down)
        self.more_button.hide()
        bar = self.scroll_area.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)
        self.error_label = error_label("commitmentsError", self)
        self.body.setSpacing(0)
        self.body.addWidget(self.scroll_area, 1)
        self.body.addWidget(self.more_button)
        self.body.addSpacing(8)
        self.body.addWidget(self.error_label)

        self._arrange(WIDE_COLUMNS)
        flow.commitments_error.connect(lambda message: show_error(self.error_label, message))
        self.retranslate()

    def _arrange(self, columns: int) -> None:
        """Lay the cards out `columns` to a row, in the content file's order."""
        self.columns = columns
        for grid, cards in self.grids:
            for card in cards:
                grid.removeWidget(card)
            for index, card in enumerate(cards):
                grid.addWidget(card, index // columns, index % columns)
            for col in range(WIDE_COLUMNS):
                grid.setColumnStretch(col, 1 if col < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        columns = NARROW_COLUMNS if self.width() < NARROW_BELOW_PX else WIDE_COLUMNS
        if columns != self.columns:
            self._arrange(columns)

    def _update_more(self, *_args: int) -> None:
        bar = self.scroll_area.verticalScrollBar()
        self.more_button.setVisible(bar.value() < bar.maximum())

    def _scroll_down(self) -> None:
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(bar.value() + bar.pageStep() * 3 // 4)

    def chosen(self) -> list[str]:
        return [cid for cid, toggle in self.toggles.items() if toggle.isChecked()]

    def _on_toggled(self, _checked: bool) -> None:
        self.flow.commitments_edited(self.chosen())

    def submit(self) -> None:
        self.flow.submit_commitments(self.chosen())

    def retranslate(self) -> None:
        super().retranslate()
        tr = self.flow.words
        language = self.flow.language
        self.title_label.setText(tr("commitments.title"))
        self.hint_label.setText(tr("commitments.hint"))
        more = tr("commitments.more_below")
        set_texts(self.more_button, more + "  ↓", more)
        for theme in self.content.themes:
            self.theme_labels[theme.id].setText(theme.title(language))
            for commitment in theme.commitments:
                self.toggles[commitment.id].set_text(commitment.text(language))

    def clear(self) -> None:
        for toggle in self.toggles.values():
            toggle.setChecked(False)
        show_error(self.error_label, "")
        self.scroll_area.verticalScrollBar().setValue(0)
