"""Per-library reading state (read marks, reading positions) and window state, as JSON.

Written atomically, never on every scroll: callers save on a timer or at close. What is read
back is checked value by value: a value of the wrong type (a position that is not a number, a
geometry that is not saved window state) is dropped, the rest is kept, and :attr:`notices`
says what was dropped. A file that cannot be read at all starts empty, also with a notice.
A file that cannot be written (read-only data folder, full disk) keeps the state in memory:
:attr:`save_problem` says why it was not saved, and the window goes on.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import time
from pathlib import Path
from typing import Any

from reader.errors import from_os_error, os_problem
from reader.settings import is_number, shown_value, write_atomically


class Dropped(Exception):
    """A value that does not fit its field; the text says what was expected."""


def saved_qt_state(value: Any) -> str:
    """Qt's saveGeometry / saveState, as base64 text."""
    if not isinstance(value, str):
        raise Dropped("expected saved window state (base64 text)")
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Dropped("expected saved window state (base64 text)") from None
    return value


class JsonState:
    """A JSON object of state. ``FIELDS`` maps each known key to a cleaner that returns the
    value to keep or raises :class:`Dropped`; unknown keys are kept as they are."""

    FIELDS: dict[str, Any] = {"geometry": saved_qt_state, "splitter": saved_qt_state}

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {}
        self.notices: list[str] = []
        self.save_problem = ""
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            reason = os_problem(exc) if isinstance(exc, OSError) else "not valid JSON"
            self.notices.append(f"{path}: unreadable ({reason}); starting from an empty state")
            return
        if not isinstance(data, dict):
            self.notices.append(f"{path}: not a JSON object (found {shown_value(data)}); starting from an empty state")
            return
        dropped = []
        for key, value in data.items():
            cleaner = self.FIELDS.get(key)
            if cleaner is None:
                self.data[key] = value
                continue
            try:
                self.data[key], problems = _cleaned(cleaner(value))
            except Dropped as why:
                dropped.append(f"{key} ({why}, found {shown_value(value)})")
                continue
            dropped += [f"{key}: {problem}" for problem in problems]
        if dropped:
            self.notices.append(f"{path}: values of the wrong type were ignored: " + "; ".join(dropped))

    @property
    def problem(self) -> str | None:
        return "\n".join(self.notices) or None

    def save(self) -> bool:
        """Write if changed; False (and :attr:`save_problem`) when the file cannot be written."""
        if not self.dirty:
            return True
        try:
            write_atomically(self.path, json.dumps(self.data, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            self.save_problem = str(from_os_error(exc, self.path, "kept until Reader closes, but not saved"))
            return False
        self.dirty = False
        self.save_problem = ""
        return True


def _cleaned(result: Any) -> tuple[Any, list[str]]:
    """A cleaner returns the value, or (value, problems) when it dropped parts of it."""
    if isinstance(result, _Partial):
        return result.value, result.problems
    return result, []


class _Partial:
    def __init__(self, value: Any, problems: list[str]) -> None:
        self.value, self.problems = value, problems


def _mapping(value: Any, what: str, item: Any) -> _Partial:
    """A JSON object whose values ``item`` cleans; entries that do not fit are dropped."""
    if not isinstance(value, dict):
        raise Dropped(f"expected an object of {what}")
    kept, problems = {}, []
    for key, entry in value.items():
        try:
            kept[key] = item(entry)
        except Dropped as why:
            problems.append(f"{shown_value(key)} ({why}, found {shown_value(entry)})")
    return _Partial(kept, problems)


def _read_time(value: Any) -> int:
    if not is_number(value) or not math.isfinite(value) or value < 0:
        raise Dropped("expected a time in milliseconds")
    return int(value)


def _fraction(value: Any) -> float:
    if not is_number(value) or not math.isfinite(value) or not 0 <= value <= 1:
        raise Dropped("expected a fraction from 0 to 1")
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str):
        raise Dropped("expected an article path")
    return value


class ReadingState(JsonState):
    """read: path -> last opened (epoch ms); positions: path -> scroll fraction."""

    FIELDS = {
        "read": lambda v: _mapping(v, "reading times", _read_time),
        "positions": lambda v: _mapping(v, "reading positions", _fraction),
        "last": _path,
    }

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
