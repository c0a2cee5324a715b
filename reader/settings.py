"""Preferences with a schema: typed defaults, and only values that differ are written.

Every value read from ``settings.json`` is checked against :data:`DEFAULTS`: it must have the
type of its default (a whole number for ``zoom``, text for ``theme``, a list of folder paths for
``recent_libraries``, a list of ``{key, name, color}`` for ``highlight_colors``). A value of the
wrong type is dropped (its default is used) and :attr:`Settings.notices` says which; the other
values are kept. A damaged file falls back to every default, also with a notice.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from reader.errors import from_os_error, os_problem

DEFAULTS: dict[str, Any] = {
    "library": "",  # absolute path of the last library; empty means the bundled samples
    "recent_libraries": [],
    "theme": "system",  # system | light | dark | sepia
    "zoom": 0,  # steps from the default font size
    "language": "system",  # system | en | zh_TW
    "sort": "date",  # date | title | recent
    "font_family": "",  # the reading font; empty means the CJK-first default stack
    "font_size": 17,  # px at zoom 0
    "line_spacing": 125,  # percent of the font's own line height (125 % is a browser's 1.8)
    "text_width": 40,  # full-width characters per line
    "search_cache_mb": 64,  # decoded postings kept per index generation (freed when the window is idle)
    "citation_style": "taiwan-law-journal",  # Copy with citation and exports: a shipped style or a .csl in <data>/csl
    "search_history": [],  # the last distinct searches, newest first (see clean_search_history)
    "saved_searches": [],  # [{name, query}] (see clean_saved_searches)
    "highlight_colors": [
        {"key": "yellow", "name": "黃 Yellow", "color": "#ffe066"},
        {"key": "green", "name": "綠 Green", "color": "#8ce99a"},
        {"key": "blue", "name": "藍 Blue", "color": "#a5d8ff"},
        {"key": "pink", "name": "粉紅 Pink", "color": "#fcc2d7"},
        {"key": "orange", "name": "橘 Orange", "color": "#ffc078"},
    ],
}

#: Whole-number settings and the values they may take (the window's zoom steps).
RANGES: dict[str, tuple[int, int]] = {"zoom": (-6, 16), "font_size": (12, 32), "line_spacing": (100, 220), "text_width": (20, 80),
                                      "search_cache_mb": (0, 4096)}


# Search history and saved searches (issue 13): lists checked item by item ---------------------
SEARCH_HISTORY_MAX = 50  # distinct searches kept
SAVED_SEARCHES_MAX = 200
SEARCH_TEXT_MAX = 2_000  # a query longer than this is not searched (reader.search.query)
SEARCH_NAME_MAX = 200


def clean_search_history(value: Any) -> tuple[list[str], str]:
    """(the usable history in ``value``, what was wrong with it or ""): texts only, not
    blank, at most SEARCH_TEXT_MAX characters, each once, at most SEARCH_HISTORY_MAX."""
    if not isinstance(value, list):
        return [], f"search_history (expected a list of texts, found {shown_value(value)})"
    kept: list[str] = []
    dropped = 0
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > SEARCH_TEXT_MAX or item.strip() in kept:
            dropped += 1
            continue
        kept.append(item.strip())
    if len(kept) > SEARCH_HISTORY_MAX:
        dropped += len(kept) - SEARCH_HISTORY_MAX
        kept = kept[:SEARCH_HISTORY_MAX]
    return kept, (f"search_history ({dropped} unusable entries left out)" if dropped else "")


def clean_saved_searches(value: Any) -> tuple[list[dict], str]:
    """(the usable saved searches in ``value``, what was wrong or ""): ``{name, query}``
    objects of non-blank texts within the limits, names distinct, at most SAVED_SEARCHES_MAX."""
    if not isinstance(value, list):
        return [], f"saved_searches (expected a list of {{name, query}}, found {shown_value(value)})"
    kept: list[dict] = []
    names: set[str] = set()
    dropped = 0
    for item in value:
        name = item.get("name") if isinstance(item, dict) else None
        query = item.get("query") if isinstance(item, dict) else None
        if (not isinstance(name, str) or not isinstance(query, str) or not name.strip() or not query.strip()
                or len(name) > SEARCH_NAME_MAX or len(query) > SEARCH_TEXT_MAX or name.strip() in names
                or len(kept) >= SAVED_SEARCHES_MAX):
            dropped += 1
            continue
        names.add(name.strip())
        kept.append({"name": name.strip(), "query": query.strip()})
    return kept, (f"saved_searches ({dropped} unusable entries left out)" if dropped else "")


#: Settings checked by a function of their own: value -> (the usable value, problem or "").
CLEANERS = {"search_history": clean_search_history, "saved_searches": clean_saved_searches}


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


# Checking values against the schema -------------------------------------------------------
def shown_value(value: Any, limit: int = 40) -> str:
    """A value as JSON on one short line, for a notice."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _describe(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, str):
        return "text"
    if isinstance(default, list):
        if default and isinstance(default[0], dict):
            return "a list of {" + ", ".join(default[0]) + "} with text values"
        return "a list of texts"
    if isinstance(default, dict):
        return "an object"
    return type(default).__name__


def _fits(value: Any, default: Any) -> bool:
    """Whether ``value`` has the shape of ``default`` (items of lists included)."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return is_int(value)
    if isinstance(default, float):
        return is_number(value)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, list):
        if not isinstance(value, list):
            return False
        if default and isinstance(default[0], dict):
            keys = set(default[0])
            return all(isinstance(item, dict) and set(item) == keys and all(isinstance(v, str) for v in item.values()) for item in value)
        return all(isinstance(item, str) for item in value)  # lists of texts (paths)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return value is None


def schema_problem(key: str, value: Any, default: Any) -> str:
    """Why ``value`` cannot stand for ``default`` ("" when it can)."""
    if not _fits(value, default):
        return f"{key} (expected {_describe(default)}, found {shown_value(value)})"
    if key in RANGES:
        low, high = RANGES[key]
        if not low <= value <= high:
            return f"{key} (expected {low} to {high}, found {shown_value(value)})"
    return ""


def ignored_notice(path: Path, problems: list[str]) -> str:
    return f"{path}: values of the wrong type were ignored and their defaults used: " + "; ".join(problems)


class Settings:
    """A JSON file of the values that differ from :data:`DEFAULTS`."""

    def __init__(self, path: Path, defaults: dict[str, Any] | None = None) -> None:
        self.path = path
        self.defaults = defaults if defaults is not None else DEFAULTS
        self._values: dict[str, Any] = {}
        self.notices: list[str] = []  # what was wrong with the file, in the user's words
        self.save_problem: str = ""  # why the last save failed ("" when it did not)
        self._load()

    @property
    def problem(self) -> str | None:
        """All notices on one line (None when the file was fine)."""
        return "\n".join(self.notices) or None

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # A damaged settings file must not stop the app; fall back to defaults and say so.
            self.notices.append(f"{self.path}: unreadable settings ({_reason(exc)}); using the defaults")
            return
        if not isinstance(raw, dict):
            self.notices.append(f"{self.path}: the settings are not a JSON object (found {shown_value(raw)}); using the defaults")
            return
        problems = []
        for key, value in raw.items():
            if key.startswith("x-"):
                self._values[key] = value
            elif key in CLEANERS and key in self.defaults:
                value, problem = CLEANERS[key](value)
                if problem:
                    problems.append(problem)
                if value:
                    self._values[key] = value
            elif key in self.defaults:
                problem = schema_problem(key, value, self.defaults[key])
                if problem:
                    problems.append(problem)
                else:
                    self._values[key] = value
        if problems:
            self.notices.append(ignored_notice(self.path, problems))

    def get(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        value = self.defaults[key]
        return json.loads(json.dumps(value))  # a copy, so callers cannot mutate defaults

    def set(self, key: str, value: Any) -> None:
        """Change a value and save. When the file cannot be written (read-only data folder,
        full disk) the value is kept for this session and :attr:`save_problem` says why it
        was not saved: a preference is never worth stopping the window for."""
        if key not in self.defaults:
            raise KeyError(key)
        if value == self.defaults[key]:
            self._values.pop(key, None)
        else:
            self._values[key] = value
        try:
            self.save()
            self.save_problem = ""
        except OSError as exc:
            self.save_problem = str(from_os_error(exc, self.path, "the preference is used until Reader closes, but not saved"))

    def save(self) -> None:
        data = json.dumps(self._values, ensure_ascii=False, indent=2, sort_keys=True)
        write_atomically(self.path, data.encode("utf-8"))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return os_problem(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)

