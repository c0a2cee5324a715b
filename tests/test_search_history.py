"""The search box's history (issue 13): the last 50 distinct searches that counted (paused
on, entered, or opened), kept in the settings, shown by ↓ in the empty box or the ▾ button.

Hostile stored values are checked without Qt; the rest drives the real window.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.paths import DataPaths
from reader.settings import SEARCH_HISTORY_MAX, SEARCH_TEXT_MAX, Settings, clean_search_history

NIST = "000_bd272dec8418f04b.md"


# Stored values ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "kept", "problem"),
    [
        (["NIST", "安全"], ["NIST", "安全"], False),
        ("NIST", [], True),
        ({"a": 1}, [], True),
        (None, [], True),
        (["NIST", 3, None, ["x"], {"q": "y"}, "安全"], ["NIST", "安全"], True),
        (["NIST", "x" * (SEARCH_TEXT_MAX + 1), "安全"], ["NIST", "安全"], True),
        (["NIST", "  ", "", "NIST", " NIST "], ["NIST"], True),
        ([f"q{i}" for i in range(500)], [f"q{i}" for i in range(SEARCH_HISTORY_MAX)], True),
    ],
)
def test_a_stored_history_is_checked_item_by_item(data_dir: Path, stored, kept: list[str], problem: bool) -> None:
    assert clean_search_history(stored)[0] == kept
    path = DataPaths(data_dir).settings_file
    path.write_text(json.dumps({"search_history": stored, "theme": "dark"}), encoding="utf-8")
    settings = Settings(path)
    assert settings.get("search_history") == kept
    assert settings.get("theme") == "dark"  # the other values are kept
    assert bool(settings.notices) == problem
    if problem:
        assert "search_history" in settings.notices[0] and str(path) in settings.notices[0]


# The window ---------------------------------------------------------------------------------
pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from tests.test_window import Harness, type_text  # noqa: E402


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def _stored(data_dir: Path) -> list[str]:
    return Settings(DataPaths(data_dir).settings_file).get("search_history")


def test_a_search_counts_after_a_pause_not_every_prefix(harness, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    type_text(qtbot, box, "TE")
    qtbot.waitUntil(lambda: window.results_model.query == "TE", timeout=5000)
    assert window.search_memory.history == []  # searched, not yet paused on
    type_text(qtbot, box, "VV")
    qtbot.waitUntil(lambda: window.search_memory.history == ["TEVV"], timeout=8000)
    assert _stored(data_dir) == ["TEVV"]
    assert box.history == ["TEVV"]


def test_enter_and_opening_a_hit_count_at_once_and_the_newest_is_first(harness, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    type_text(qtbot, box, "NIST")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # opens the top hit
    assert window.search_memory.history == ["NIST"]
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == NIST, timeout=5000)
    box.clear()
    type_text(qtbot, box, "TEVV")
    qtbot.waitUntil(lambda: window.results_model.query == "TEVV", timeout=5000)
    harness.open(NIST)  # opening a hit counts
    assert window.search_memory.history == ["TEVV", "NIST"]
    box.setText("NIST")
    qtbot.waitUntil(lambda: window.results_model.query == "NIST", timeout=5000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.search_memory.history == ["NIST", "TEVV"]  # once each, newest first
    assert _stored(data_dir) == ["NIST", "TEVV"]


def test_down_in_the_empty_box_shows_the_history_and_an_entry_runs(harness, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    for query in ("NIST", "備忘錄"):
        box.setText(query)
        qtbot.waitUntil(lambda q=query: window.results_model.query == q, timeout=5000)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClick(box, Qt.Key.Key_Escape)
        box.setFocus()
    assert box.text() == ""
    qtbot.keyClick(box, Qt.Key.Key_Down)
    menu = box.history_menu
    assert menu is not None and menu.isVisible()
    entries = [a.data() for a in menu.actions() if a.data()]
    assert entries == ["備忘錄", "NIST"]
    labels = [a.text() for a in menu.actions()]
    assert "Clear history" in labels and "Save this search…" in labels
    next(a for a in menu.actions() if a.data() == "NIST").trigger()
    menu.close()
    assert box.text() == "NIST"
    qtbot.waitUntil(lambda: window.results_model.query == "NIST" and window.results_model.rowCount() == 1, timeout=5000)
    assert window.search_memory.history[0] == "NIST"


def test_the_arrow_button_shows_the_history_and_clear_empties_it(harness, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    box.setText("TEVV")
    qtbot.waitUntil(lambda: window.results_model.query == "TEVV", timeout=5000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    box.history_action.trigger()  # the ▾ at the box's end
    menu = box.history_menu
    assert [a.data() for a in menu.actions() if a.data()] == ["TEVV"]
    next(a for a in menu.actions() if a.text() == "Clear history").trigger()
    menu.close()
    assert window.search_memory.history == [] and box.history == [] and _stored(data_dir) == []
    box.history_action.trigger()
    assert "No searches yet" in [a.text() for a in box.history_menu.actions()]
    assert not next(a for a in box.history_menu.actions() if a.text() == "Clear history").isEnabled()
    box.history_menu.close()


def test_the_history_survives_a_restart_and_keeps_at_most_50(harness, data_dir: Path) -> None:
    window = harness.window
    for number in range(SEARCH_HISTORY_MAX + 5):
        window.search_memory.remember(f"查詢{number}")
    assert len(window.search_memory.history) == SEARCH_HISTORY_MAX
    window = harness.restart()
    history = window.search_memory.history
    assert len(history) == SEARCH_HISTORY_MAX and history[0] == f"查詢{SEARCH_HISTORY_MAX + 4}"
    assert window.list_panel.search_box.history == history


def test_a_hostile_stored_history_opens_the_window_with_what_is_usable(qtbot, data_dir: Path, sample_library: Path) -> None:
    path = DataPaths(data_dir).settings_file
    path.write_text(json.dumps({"search_history": ["NIST", 7, "x" * 100_000, *[f"q{i}" for i in range(80)]]}), encoding="utf-8")
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        history = window.search_memory.history
        assert history[0] == "NIST" and len(history) == SEARCH_HISTORY_MAX and all(len(q) < 100 for q in history)
    finally:
        window.close()


def test_a_settings_file_that_cannot_be_written_keeps_the_history_and_says_so(harness, data_dir: Path) -> None:
    window = harness.window
    settings_file = DataPaths(data_dir).settings_file
    if settings_file.exists():
        settings_file.unlink()
    settings_file.mkdir()  # a folder where the file should be: every save fails, as root too
    try:
        window.search_memory.remember("NIST")
        assert window.search_memory.history == ["NIST"] and window.list_panel.search_box.history == ["NIST"]
        assert window.settings.save_problem
        assert "settings.json" in window.statusBar().currentMessage()
    finally:
        settings_file.rmdir()
