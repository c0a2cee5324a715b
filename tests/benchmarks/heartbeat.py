"""Measure event-loop stalls: a 10 ms timer that records how late each tick comes."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer

INTERVAL_MS = 10


class Heartbeat:
    def __init__(self) -> None:
        self.gaps: list[int] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._beat)
        self._last = 0

    def _beat(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self._last = 0
        self.timer.start()

    def stop(self) -> int:
        """The longest stall seen, in ms beyond the timer interval."""
        self.timer.stop()
        return max(self.gaps) - INTERVAL_MS if self.gaps else 0
