"""The window's search makes the snippets of the first screen of hits; the others are made
as the list scrolls to them (issue 15): each hit still gets the snippet search would have
given it, rows keep their height, and the total stays exact."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from reader.search.searching import WINDOW_SNIPPETS, search, snippets_for, window_search  # noqa: E402
from reader.ui.article_models import PathRole, SnippetRole  # noqa: E402
from tests.indexed import indexed_library  # noqa: E402
from tests.test_window import Harness, type_text  # noqa: E402

ARTICLES = WINDOW_SNIPPETS * 3


def _articles() -> dict[str, str]:
    out = {}
    for n in range(ARTICLES):
        body = "前言。" * n + f"第{n}篇討論演算法透明度的義務。\n\n其他段落。\n"
        out[f"a{n:03}.md"] = f"---\ntitle: 文章{n}\ndate: 2024-01-01\n---\n\n{body}"
    return out


def _library(root: Path) -> Path:
    library = root / "library"
    library.mkdir()
    for name, text in _articles().items():
        (library / name).write_text(text, encoding="utf-8")
    return library


@pytest.fixture
def harness(qtbot, data_dir: Path, tmp_path: Path):
    h = Harness(qtbot, data_dir, _library(tmp_path), articles=ARTICLES)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def test_hits_past_the_first_screen_get_their_snippets_when_shown(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    view = window.list_panel.view
    type_text(qtbot, window.list_panel.search_box, "透明度")
    model = window.results_model
    qtbot.waitUntil(lambda: model.rowCount() == ARTICLES, timeout=10000)
    assert model.total == ARTICLES
    rows = model.rows
    assert all("<mark>" in r.snippet for r in rows[:WINDOW_SNIPPETS])
    assert all(r.snippet == "" and r.snippet_pending for r in rows[WINDOW_SNIPPETS:])
    heights = [view.sizeHintForIndex(model.index(r, 0)).height() for r in range(ARTICLES)]
    assert len(set(heights)) == 1  # a row waiting for its snippet is as tall as one with it

    last = model.index(ARTICLES - 1, 0)
    view.scrollTo(last)
    qtbot.waitUntil(lambda: "<mark>" in (last.data(SnippetRole) or ""), timeout=10000)
    # What the search would have made for it, all at once.
    qtbot.waitUntil(lambda: not window.session.searches.busy, timeout=10000)
    every = {h.path: h.snippet for h in search(window.session.search_index, "透明度", limit=None).hits}
    assert last.data(SnippetRole) == every[last.data(PathRole)]
    assert view.sizeHintForIndex(last).height() == heights[0]
    # Rows never shown were not made: the work follows the scrolling.
    assert any(r.snippet_pending for r in model.rows)


def test_snippets_for_gives_what_search_gives(tmp_path: Path) -> None:
    with indexed_library(tmp_path, _articles()) as (_library, _catalog, index):
        query = "演算法 透明度"
        full = search(index, query, limit=None).hits
        first = window_search(index, query)
        # Headings past the first screen come from the index's heading column: the same.
        assert [(h.path, h.title, h.date, h.score) for h in first.hits] == [(h.path, h.title, h.date, h.score) for h in full]
        assert [h.snippet for h in first.hits[:WINDOW_SNIPPETS]] == [h.snippet for h in full[:WINDOW_SNIPPETS]]
        later = [h.path for h in first.hits[WINDOW_SNIPPETS:]]
        expected = {h.path: h.snippet for h in full[WINDOW_SNIPPETS:]}
        assert snippets_for(index, query, later + ["gone.md"]) == {**expected, "gone.md": ""}  # every path answered
        assert snippets_for(index, "", later) == dict.fromkeys(later, "")


def test_enter_opens_the_top_hit_while_snippets_are_being_made(harness) -> None:
    """Snippets asked for by the list are not a search under way: Enter in the search box
    opens the best hit at once (it waited for a search that never came)."""
    from PySide6.QtCore import Qt

    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    type_text(qtbot, box, "透明度")
    model = window.results_model
    qtbot.waitUntil(lambda: model.rowCount() == ARTICLES and not window.session.search_busy, timeout=10000)
    top = model.rows[0].path
    window.search.fetch_snippets([r.path for r in model.rows[WINDOW_SNIPPETS:]])
    assert window.session.searches.busy  # the snippets' job is queued, nothing delivered yet
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == top, timeout=5000)


def test_a_request_not_answered_is_asked_again(harness) -> None:
    """Snippets dropped (a newer search was under way, or making them failed) leave no row
    blank for good: the row asks again when it is painted next."""
    window, qtbot = harness.window, harness.qtbot
    type_text(qtbot, window.list_panel.search_box, "透明度")
    model = window.results_model
    qtbot.waitUntil(lambda: model.rowCount() == ARTICLES and not window.session.search_busy, timeout=10000)
    row = model.index(ARTICLES - 1, 0)
    path = row.data(PathRole)
    window.session.searches.wait(5000)
    model.snippets_wanted.disconnect(window.search.fetch_snippets)  # nobody answers: as if dropped
    with qtbot.waitSignal(model.snippets_wanted, timeout=3000) as asked:
        assert row.data(SnippetRole) == ""
    assert asked.args[0] == [path]
    assert row.data(SnippetRole) == "" and model.rows[-1].snippet_pending  # asked once, not twice
    window.session.snippets_dropped.emit([path])
    with qtbot.waitSignal(model.snippets_wanted, timeout=3000) as again:
        row.data(SnippetRole)  # the next paint
    assert again.args[0] == [path]


def test_enter_on_a_search_without_hits_opens_nothing_later(harness) -> None:
    from PySide6.QtCore import Qt

    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    type_text(qtbot, box, "無此詞句")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # while its search may still run
    qtbot.waitUntil(lambda: window.results_model.query == "無此詞句" and not window.session.search_busy, timeout=10000)
    assert window.results_model.rowCount() == 0
    window.search.rerun()  # the index changed: the same text is searched again (no Enter)
    box.clear()
    type_text(qtbot, box, "透明度")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == ARTICLES and not window.session.search_busy, timeout=10000)
    qtbot.wait(200)
    assert window.current is None  # nothing was opened without an Enter for it
