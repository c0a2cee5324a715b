"""Lay out a large document in small steps, so the window never waits long for Qt.

Qt lays a QTextDocument out lazily on a timer, but its steps double up to 200,000
characters: on formatted text one step takes well over 100 ms. The driver takes over: it
keeps Qt's layout timer from firing and lays the document out itself, a slice at a time,
sizing the slices by how long the last one took. Painting and scrolling still lay out what
they need, as before; the driver only replaces Qt's background steps.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QTextDocument

STEP_BUDGET_S = 0.02
FIRST_STEP_CHARS = 20_000
MAX_STEP_CHARS = 400_000


class LayoutDriver(QObject):
    finished = Signal()

    def __init__(self, document: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.layout = document.documentLayout()
        self.layout.installEventFilter(self)
        self.position = 0
        self.step = FIRST_STEP_CHARS
        self.timer = QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._step)

    def start(self) -> None:
        """(Re)start from the top: after the document was laid out again (a new width)."""
        self.position = 0
        self.timer.start()

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Qt's own lazy-layout steps (and its size notices, which the driver sends itself).
        return watched is self.layout and event.type() == QEvent.Type.Timer

    def _step(self) -> None:
        started = time.perf_counter()
        end = self.document.characterCount()
        self.position = min(end, self.position + self.step)
        # Asking where a block is makes Qt lay the document out up to that block.
        block = self.document.findBlock(max(0, self.position - 1))
        laid_out = self.layout.blockBoundingRect(block)
        self.layout.documentSizeChanged.emit(laid_out.size())  # the scroll bars follow
        spent = time.perf_counter() - started
        factor = min(1.5, max(0.25, STEP_BUDGET_S / max(spent, 1e-4)))
        self.step = max(2_000, min(MAX_STEP_CHARS, int(self.step * factor)))
        if self.position >= end:
            self.timer.stop()
            self.finished.emit()

    def detach(self) -> None:
        self.timer.stop()
        self.layout.removeEventFilter(self)
