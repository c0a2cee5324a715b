"""Preferences with a schema: typed defaults, and only values that differ are written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "library": "",  # absolute path of the last library; empty means the bundled samples
    "recent_libraries": [],
    "theme": "system",  # system | light | dark | sepia
    "zoom": 0,  # steps from the default font size
    "language": "system",  # system | en | zh_TW
    "sort": "date",  # date | title | recent
    "highlight_colors": [
        {"key": "yellow", "name": "黃 Yellow", "color": "#ffe066"},
        {"key": "green", "name": "綠 Green", "color": "#8ce99a"},
        {"key": "blue", "name": "藍 Blue", "color": "#a5d8ff"},
        {"key": "pink", "name": "粉紅 Pink", "color": "#fcc2d7"},
        {"key": "orange", "name": "橘 Orange", "color": "#ffc078"},
    ],
}


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and ``os.replace`` so a crash leaves old or new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Settings:
    """A JSON file of the values that differ from :data:`DEFAULTS`."""

    def __init__(self, path: Path, defaults: dict[str, Any] | None = None) -> None:
        self.path = path
        self.defaults = defaults if defaults is not None else DEFAULTS
        self._values: dict[str, Any] = {}
        self.problem: str | None = None
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # A damaged settings file must not stop the app; fall back to defaults and say so.
            self.problem = f"{self.path}: unreadable settings ({exc}); using defaults"
            return
        if isinstance(raw, dict):
            self._values = {k: v for k, v in raw.items() if k in self.defaults or k.startswith("x-")}

    def get(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        value = self.defaults[key]
        return json.loads(json.dumps(value))  # a copy, so callers cannot mutate defaults

    def set(self, key: str, value: Any) -> None:
        if key not in self.defaults:
            raise KeyError(key)
        if value == self.defaults[key]:
            self._values.pop(key, None)
        else:
            self._values[key] = value
        self.save()

    def save(self) -> None:
        data = json.dumps(self._values, ensure_ascii=False, indent=2, sort_keys=True)
        write_atomically(self.path, data.encode("utf-8"))
