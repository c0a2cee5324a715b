"""Per-library reading state (read marks, reading positions) and window state, as JSON.

Written atomically, never on every scroll: callers save on a timer or at close.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from reader.settings import write_atomically


class JsonState:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.data = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.data = {}
        self.dirty = False

    def save(self) -> None:
        if self.dirty:
            write_atomically(self.path, json.dumps(self.data, ensure_ascii=False).encode("utf-8"))
            self.dirty = False


class ReadingState(JsonState):
    """read: path -> last opened (epoch ms); positions: path -> scroll fraction."""

    def mark_read(self, path: str) -> None:
        self.data.setdefault("read", {})[path] = int(time.time() * 1000)  # ms: order of reading
        self.data["last"] = path
        self.dirty = True

    def last_read(self, path: str) -> int:
        return int(self.data.get("read", {}).get(path, 0))

    def is_read(self, path: str) -> bool:
        return path in self.data.get("read", {})

    @property
    def last_article(self) -> str:
        return str(self.data.get("last", ""))

    def position(self, path: str) -> float:
        return float(self.data.get("positions", {}).get(path, 0.0))

    def set_position(self, path: str, fraction: float) -> None:
        positions = self.data.setdefault("positions", {})
        if abs(positions.get(path, -1.0) - fraction) > 1e-4:
            positions[path] = round(fraction, 5)
            self.dirty = True
