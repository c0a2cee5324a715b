"""Find in article (Ctrl+F): marks every match, "3 / 12", folds case, width and 简/繁."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from reader.search.folding import fold, fold_with_offsets, to_original
from reader.ui.i18n import tr


class FoldedText:
    """A text folded once and searched many times: the find bar searches on every keystroke,
    and folding a 10 MB article takes 0.4 s while searching the folded text takes 3 ms."""

    def __init__(self, text: str, source: object = None) -> None:
        self.source = source  # what the text was taken from, to know when it is stale
        self.folded, self.origin = fold_with_offsets(text)

    def find(self, needle: str) -> list[tuple[int, int]]:
        """Every (start, end) of ``needle`` after folding, in the text's own offsets."""
        target = fold(needle.strip())
        if not target:
            return []
        origin = self.origin
        return [(to_original(m.start(), origin), to_original(m.end(), origin)) for m in re.finditer(re.escape(target), self.folded)]


class FindLine(QLineEdit):
    step = Signal(bool)  # forward?
    closed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(not bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    query_changed = Signal(str)
    step_requested = Signal(bool)
    closed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.line = FindLine(self)
        self.line.setPlaceholderText(tr("Find in article"))
        self.line.setAccessibleName(tr("Find in article"))
        self.count = QLabel("", self)
        self.count.setMinimumWidth(70)
        previous = QToolButton(self)
        previous.setText("▲")
        previous.setToolTip(tr("Previous match (Shift+Enter)"))
        previous.setAccessibleName(tr("Previous match"))
        following = QToolButton(self)
        following.setText("▼")
        following.setToolTip(tr("Next match (Enter)"))
        following.setAccessibleName(tr("Next match"))
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip(tr("Close (Esc)"))
        close.setAccessibleName(tr("Close find bar"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.line.textChanged.connect(self.query_changed)
        self.line.step.connect(self.step_requested)
        self.line.closed.connect(self.closed)
        previous.clicked.connect(lambda: self.step_requested.emit(False))
        following.clicked.connect(lambda: self.step_requested.emit(True))
        close.clicked.connect(self.closed)

    def show_count(self, current: int, total: int) -> None:
        if not self.line.text().strip():
            self.count.setText("")
        elif total == 0:
            self.count.setText(tr("No matches"))
        else:
            self.count.setText(f"{current} / {total}")

    def open(self) -> None:
        self.show()
        self.line.setFocus()
        self.line.selectAll()
