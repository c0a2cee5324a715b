"""Saved searches (issue 13): saved from the search box's menu or the Search menu, listed in
the article list panel and the Search menu with a live count, run by a click, renamed and
deleted from the context menu, kept in the settings (hostile stored values cleaned).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.paths import DataPaths
from reader.settings import SAVED_SEARCHES_MAX, SEARCH_NAME_MAX, Settings, clean_saved_searches

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"


@pytest.mark.parametrize(
    ("stored", "kept", "problem"),
    [
        ([{"name": "機構", "query": "NIST"}], [{"name": "機構", "query": "NIST"}], False),
        ("NIST", [], True),
        ([["機構", "NIST"], {"name": "機構"}, {"name": 3, "query": "x"}, {"name": "好", "query": "安全"}],
         [{"name": "好", "query": "安全"}], True),
        ([{"name": " ", "query": "x"}, {"name": "a", "query": ""}], [], True),
        ([{"name": "n" * (SEARCH_NAME_MAX + 1), "query": "x"}, {"name": "a", "query": "q" * 5000}], [], True),
        ([{"name": "同名", "query": "a"}, {"name": "同名", "query": "b"}], [{"name": "同名", "query": "a"}], True),
        ([{"name": f"n{i}", "query": "a"} for i in range(SAVED_SEARCHES_MAX + 3)],
         [{"name": f"n{i}", "query": "a"} for i in range(SAVED_SEARCHES_MAX)], True),
        ([{"name": "x", "query": "NIST", "extra": 1}], [{"name": "x", "query": "NIST"}], False),
    ],
)
def test_stored_saved_searches_are_checked_item_by_item(data_dir: Path, stored, kept, problem: bool) -> None:
    assert clean_saved_searches(stored)[0] == kept
    path = DataPaths(data_dir).settings_file
    path.write_text(json.dumps({"saved_searches": stored}), encoding="utf-8")
    settings = Settings(path)
    assert settings.get("saved_searches") == kept
    assert bool(settings.notices) == problem


# The window ---------------------------------------------------------------------------------
pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QInputDialog  # noqa: E402

from reader.ui.saved_searches import CountTextRole  # noqa: E402
from tests.test_window import Harness  # noqa: E402


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    qtbot.waitUntil(lambda: not h.window.session.indexing and not h.window.busy, timeout=20000)
    yield h
    if h.window is not None:
        h.window.close()


def _rows(window) -> list[tuple[str, str]]:
    view = window.list_panel.saved_searches.list
    return [(view.item(r).text(), view.item(r).data(CountTextRole)) for r in range(view.count())]


class _Answer:
    """QInputDialog.getText answered as a person would: records what it was asked."""

    def __init__(self, name: str | None) -> None:
        self.name, self.asked = name, []

    def __call__(self, parent, title, label, mode, default):
        self.asked.append(default)
        return (self.name or "", self.name is not None)


def test_save_from_the_box_menu_asks_a_name_defaulting_to_the_query(harness, monkeypatch, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    panel = window.list_panel
    assert not panel.saved_searches.isVisible()  # none saved: no section
    answer = _Answer("美國機構")
    monkeypatch.setattr(QInputDialog, "getText", answer)
    box = panel.search_box
    box.setText("NIST OR 備忘錄")
    qtbot.waitUntil(lambda: window.results_model.query == "NIST OR 備忘錄", timeout=5000)
    box.history_action.trigger()
    next(a for a in box.history_menu.actions() if a.text() == "Save this search…").trigger()
    box.history_menu.close()
    assert answer.asked == ["NIST OR 備忘錄"]
    assert panel.saved_searches.isVisible()
    qtbot.waitUntil(lambda: _rows(window) == [("美國機構", "2")], timeout=8000)
    assert Settings(DataPaths(data_dir).settings_file).get("saved_searches") == [{"name": "美國機構", "query": "NIST OR 備忘錄"}]

    cancel = _Answer(None)
    monkeypatch.setattr(QInputDialog, "getText", cancel)
    window.search_memory.save_search("TEVV")
    assert cancel.asked == ["TEVV"] and len(window.search_memory.saved) == 1  # cancelled: nothing saved


def test_the_search_menu_saves_lists_counts_and_runs(harness, monkeypatch) -> None:
    window, qtbot = harness.window, harness.qtbot
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert "&Search" in menu_titles
    monkeypatch.setattr(QInputDialog, "getText", _Answer("測試評估"))
    window.list_panel.search_box.setText("TEVV")
    qtbot.waitUntil(lambda: window.results_model.query == "TEVV", timeout=5000)
    menu = window.search_menu
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == "Save this search…").trigger()
    qtbot.waitUntil(lambda: _rows(window) == [("測試評估", "1")], timeout=8000)
    menu.aboutToShow.emit()
    entry = next(a for a in menu.actions() if a.text().startswith("測試評估"))
    assert entry.text() == "測試評估\t1"
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Escape)
    entry.trigger()
    assert window.list_panel.search_box.text() == "TEVV"
    qtbot.waitUntil(lambda: window.results_model.query == "TEVV" and window.results_model.rowCount() == 1, timeout=5000)


def test_a_click_runs_a_saved_search_and_rename_and_delete_work(harness, monkeypatch, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    memory = window.search_memory
    assert memory.save_search("備忘錄", name="合作")
    assert memory.save_search("NIST", name="機構")
    assert not memory.save_search("安全", name="機構")  # a name is one search
    assert "already called" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: _rows(window) == [("合作", "1"), ("機構", "1")], timeout=8000)
    view = window.list_panel.saved_searches.list
    rect = view.visualItemRect(view.item(1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.list_panel.search_box.text() == "NIST"
    qtbot.waitUntil(lambda: window.results_model.query == "NIST" and [r.path for r in window.results_model.rows] == [NIST], timeout=5000)

    monkeypatch.setattr(QInputDialog, "getText", _Answer("美國標準機構"))
    menu = view.context_menu(1)
    assert [a.text() for a in menu.actions()] == ["Search", "Rename…", "Delete"]
    next(a for a in menu.actions() if a.text() == "Rename…").trigger()
    assert _rows(window)[1][0] == "美國標準機構"
    menu = view.context_menu(0)
    next(a for a in menu.actions() if a.text() == "Delete").trigger()
    assert [name for name, _count in _rows(window)] == ["美國標準機構"]
    assert Settings(DataPaths(data_dir).settings_file).get("saved_searches") == [{"name": "美國標準機構", "query": "NIST"}]
    window = harness.restart()
    qtbot.waitUntil(lambda: _rows(window) == [("美國標準機構", "1")], timeout=8000)


def test_counts_follow_the_library_and_the_annotations(harness, sample_library: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    memory = window.search_memory
    memory.save_search("布萊切利", name="布萊切利")
    memory.save_search("htag:待讀", name="待讀")
    qtbot.waitUntil(lambda: _rows(window) == [("布萊切利", "1"), ("待讀", "0")], timeout=8000)
    (sample_library / "zz_new.md").write_text("---\ntitle: 新文章\n---\n\n布萊切利公園的會議。\n", encoding="utf-8")
    window.session.refresh()  # what the folder watcher does
    qtbot.waitUntil(lambda: _rows(window)[0] == ("布萊切利", "2"), timeout=15000)
    # A tag added in this session counts too.
    store, root = window.session.store, window.session.root
    from reader.annotations.selectors import describe

    harness.open(MOU)
    text = window.current.rendered.text
    start = text.index("布萊切利")
    quote, position = describe(text, start, start + 4)
    item = store.add_highlight(root, MOU, quote, position, article_hash=window.current.content_hash)
    store.set_tags(root, item.id, ["待讀"])
    qtbot.waitUntil(lambda: _rows(window)[1] == ("待讀", "1"), timeout=8000)


def test_a_long_name_is_elided_in_the_list_and_whole_in_the_tooltip(harness) -> None:
    window = harness.window
    name = "很長的名稱" * 20
    assert window.search_memory.save_search("NIST", name=name)
    view = window.list_panel.saved_searches.list
    assert view.item(0).text() == name and view.item(0).toolTip() == "NIST"
    assert not window.search_memory.save_search("NIST", name="x" * (SEARCH_NAME_MAX + 1))
    panel = window.list_panel.saved_searches
    panel.header.click()  # collapses
    assert not view.isVisible() and panel.isVisible()
    panel.header.click()
    assert view.isVisible()
    window.search_menu.aboutToShow.emit()
    entry = next(a for a in window.search_menu.actions() if a.toolTip() == "NIST" and "很長" in a.text())
    assert entry.text().split("\t")[0].endswith("…") and len(entry.text().split("\t")[0]) <= 40
