"""The window's search expands glossed terms as the CLI does, and says so with removable
chips under the search box (issue 14): NIST → also 美國國家標準暨技術研究院.

The real window on a copy of the sample collection (its first article glosses NIST), plus one
article that names the institute only in Chinese, so the expansion changes what is found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.search.index import SearchIndex  # noqa: E402
from reader.search.searching import search  # noqa: E402
from reader.ui.passages_view import KindRole, MatchRole  # noqa: E402
from tests.test_window import Harness  # noqa: E402

NIST = "000_bd272dec8418f04b.md"
CHINESE_ONLY = "zz_chinese_only.md"


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    (sample_library / CHINESE_ONLY).write_text(
        "---\ntitle: 標準機構的新指引\ndate: 2024-09\n---\n\n美國國家標準暨技術研究院本月又發布一份指引。\n", encoding="utf-8")
    h = Harness(qtbot, data_dir, sample_library, articles=3)
    h.start()
    qtbot.waitUntil(lambda: not h.window.session.indexing and not h.window.busy, timeout=20000)
    yield h
    if h.window is not None:
        h.window.close()


def _paths(window) -> list[str]:
    return sorted(row.path for row in window.results_model.rows)


def _unexpanded(library: Path, data_dir: Path, query: str) -> list[str]:
    lib = Library(library.resolve(), DataPaths(data_dir))
    index = SearchIndex(lib.index_dir)
    try:
        return sorted(h.path for h in search(index, query, limit=0).hits)
    finally:
        index.close()


def test_a_glossed_term_is_expanded_with_a_chip_and_the_chip_takes_it_back(harness, sample_library: Path, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    box, bar = window.list_panel.search_box, window.list_panel.expansions
    box.setText("NIST")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=8000)
    assert _paths(window) == [NIST, CHINESE_ONLY]
    assert bar.isVisible() and len(bar.chips) == 1
    chip = bar.chips[0]
    assert chip.term == "NIST"
    assert chip.label.full_text == "NIST → also 美國國家標準暨技術研究院, National Institute of Standards and Technology"
    assert chip.label.text().startswith("NIST → also") and chip.label.isVisible()
    assert chip.button.accessibleName()

    # The open hit marks the other forms too.
    harness.open(NIST)
    qtbot.waitUntil(lambda: window.pane.match_position[1] > 0, timeout=5000)
    expanded_marks = window.pane.match_position[1]

    qtbot.mouseClick(chip.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=8000)
    assert _paths(window) == _unexpanded(sample_library, data_dir, "NIST") == [NIST]
    assert not bar.isVisible() and bar.chips == []
    # The marks follow: only NIST now (fewer than NIST and its other forms).
    qtbot.waitUntil(lambda: 0 < window.pane.match_position[1] < expanded_marks, timeout=5000)

    # Remembered until the query changes: a new query expands again.
    box.setText("NIST 指引")
    qtbot.waitUntil(lambda: window.results_model.query == "NIST 指引", timeout=8000)
    assert _paths(window) == [CHINESE_ONLY] and len(bar.chips) == 1
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_a_query_without_glossed_terms_shows_no_chip(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.list_panel.search_box.setText("布萊切利公園")
    qtbot.waitUntil(lambda: window.results_model.query == "布萊切利公園", timeout=8000)
    assert window.results_model.rowCount() >= 1 and not window.list_panel.expansions.isVisible()


def test_chips_are_translated_in_zh_tw(qtbot, data_dir: Path, sample_library: Path) -> None:
    from reader.ui.app import make_app
    from reader.ui.i18n import install_translator

    app = make_app()
    translator = install_translator(app, "zh_TW")
    try:
        window = Harness(qtbot, data_dir, sample_library).start()
        window.list_panel.search_box.setText("NIST")
        qtbot.waitUntil(lambda: len(window.list_panel.expansions.chips) == 1, timeout=8000)
        assert window.list_panel.expansions.chips[0].label.full_text.startswith("NIST → 也找 美國國家標準暨技術研究院、National")
        window.close()
    finally:
        if translator is not None:
            app.removeTranslator(translator)


def test_the_glossary_follows_the_index_a_new_gloss_expands_after_indexing(harness, sample_library: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    bar = window.list_panel.expansions
    window.list_panel.search_box.setText("DRF")
    qtbot.waitUntil(lambda: window.results_model.query == "DRF", timeout=8000)
    assert window.results_model.rowCount() == 0 and not bar.isVisible()
    (sample_library / "zz_gloss.md").write_text(
        "---\ntitle: 新的詞\n---\n\n數位韌性框架（Digital Resilience Framework, DRF）是新的政策。\n\n本文再談數位韌性框架。\n",
        encoding="utf-8")
    window.session.refresh()  # what the folder watcher does; indexing follows, then the search again
    qtbot.waitUntil(lambda: len(bar.chips) == 1, timeout=20000)
    assert bar.chips[0].term == "DRF" and "Digital Resilience Framework" in bar.chips[0].label.full_text
    assert [r.path for r in window.results_model.rows] == ["zz_gloss.md"]


def test_the_passages_view_lists_the_expanded_forms_until_the_chip_is_removed(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.list_panel.search_box.setText("NIST")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=8000)
    with qtbot.waitSignal(window.passages.finished, timeout=30000):
        window.passages_controller.set_visible(True)
    model = window.passages.model
    assert sorted(g.path for g in model.groups) == sorted([NIST, CHINESE_ONLY])
    matches = {model.index(r, 0).data(MatchRole) for r in range(model.rowCount()) if model.index(r, 0).data(KindRole) == "passage"}
    assert "美國國家標準暨技術研究院" in matches and "NIST" in matches
    with qtbot.waitSignal(window.passages.finished, timeout=30000):
        qtbot.mouseClick(window.list_panel.expansions.chips[0].button, Qt.MouseButton.LeftButton)
    matches = {model.index(r, 0).data(MatchRole) for r in range(model.rowCount()) if model.index(r, 0).data(KindRole) == "passage"}
    assert [g.path for g in model.groups] == [NIST] and matches == {"NIST"}


def test_a_pair_rejected_in_the_terms_view_stops_expanding_at_once(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    box = window.list_panel.search_box
    box.setText("NIST")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=8000)
    window.show_terms()
    dialog = window.terms_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=8000)
    row = next(r for r, p in enumerate(dialog.model.pairs) if p.abbr == "NIST" and p.zh == "美國國家標準暨技術研究院")
    dialog.select_row(row)
    assert dialog.decide("rejected")
    # The same query, searched again with the glossary built again: NIST only as typed.
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=8000)
    assert _paths(window) == [NIST] and not window.list_panel.expansions.isVisible()
    dialog.close()
