"""Step 1: choose one or more "lagom" commitments, grouped by theme."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.content import Content
from kiosk.flow import PledgeFlow, Step
from kiosk.ui.common import (
    FlowScreen,
    ToggleCard,
    error_label,
    label,
    show_error,
    touch_scroll_area,
)

COLUMNS = 3


class CommitmentsScreen(FlowScreen):
    """One big toggle per commitment, in the content file's order."""

    def __init__(self, flow: PledgeFlow, content: Content):
        super().__init__(flow, Step.COMMITMENTS, "commitmentsScreen")
        self.content = content
        self.toggles: dict[str, ToggleCard] = {}
        self.theme_labels: dict[str, QLabel] = {}

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
            for index, commitment in enumerate(theme.commitments):
                toggle = ToggleCard(f"commitment-{commitment.id}", sheet)
                toggle.toggled.connect(self._on_toggled)
                self.toggles[commitment.id] = toggle
                grid.addWidget(toggle, index // COLUMNS, index % COLUMNS)
            for col in range(COLUMNS):
                grid.setColumnStretch(col, 1)
            column.addLayout(grid)
            column.addSpacing(10)
        column.addStretch()
        self.scroll = touch_scroll_area("commitmentsScroll", sheet)
        self.error_label = error_label("commitmentsError", self)
        self.body.addWidget(self.scroll, 1)
        self.body.addWidget(self.error_label)

        flow.commitments_error.connect(lambda message: show_error(self.error_label, message))
        self.retranslate()

    def chosen(self) -> list[str]:
        return [cid for cid, toggle in self.toggles.items() if toggle.isChecked()]

    def _on_toggled(self, _checked: bool) -> None:
        self.flow.commitments_edited(self.chosen())

    def submit(self) -> None:
        self.flow.submit_commitments(self.chosen())

    def retranslate(self) -> None:
        super().retranslate()
        tr = self.flow.tr
        language = self.flow.language
        self.title_label.setText(tr("commitments.title"))
        self.hint_label.setText(tr("commitments.hint"))
        for theme in self.content.themes:
            self.theme_labels[theme.id].setText(theme.title(language))
            for commitment in theme.commitments:
                self.toggles[commitment.id].set_text(commitment.text(language))

    def clear(self) -> None:
        for toggle in self.toggles.values():
            toggle.setChecked(False)
        show_error(self.error_label, "")
        self.scroll.verticalScrollBar().setValue(0)
