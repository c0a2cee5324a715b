"""The reading pane's mark layer on the real sample articles: library-search matches are
marked in the title as in the body, find marks replace them, clearing removes them all."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QTextCharFormat  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.render.article import render_article  # noqa: E402
from reader.ui.app import make_app  # noqa: E402
from reader.ui.article_document import build_document  # noqa: E402
from reader.ui.mark_layer import MATCH_UNDERLINE, SEARCH_COLOR  # noqa: E402
from reader.ui.reading_pane import ReadingPane  # noqa: E402

NIST = "000_bd272dec8418f04b.md"


@pytest.fixture
def pane(qtbot, data_dir: Path, sample_library: Path):
    """A pane at a laptop's size showing the NIST sample article, built as the loader does."""
    make_app()
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    article, _hash = library.load_with_hash(NIST)
    rendered = render_article(article)
    widget = ReadingPane()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    built = build_document(article, rendered, widget.document_style(), library.root, library.file_path(NIST).parent)
    widget.show_document(built, rendered)
    qtbot.waitUntil(lambda: widget.is_settled, timeout=5000)
    widget.article = article
    return widget


def marks_at(pane: ReadingPane, start: int, end: int) -> list[QTextCharFormat]:
    """The formats of the ExtraSelections that cover exactly [start, end) (Qt positions)."""
    return [QTextCharFormat(s.format) for s in pane.extraSelections() if (s.cursor.selectionStart(), s.cursor.selectionEnd()) == (start, end)]


def title_range(pane: ReadingPane, word: str) -> tuple[int, int]:
    block = pane.document().firstBlock()
    assert block.text() == pane.article.title  # the heading the reader sees at the top
    start = block.position() + block.text().index(word)
    return start, start + len(word)


def test_library_search_marks_the_title_like_the_body(pane) -> None:
    word = "美國國家標準暨技術研究院"
    assert word in pane.article.title
    count = pane.mark_search(word)
    assert count >= 1  # the body says it too
    start, end = title_range(pane, word)
    formats = marks_at(pane, start, end)
    assert len(formats) == 1
    title_mark = formats[0]
    assert title_mark.background().color().name() == SEARCH_COLOR.name()
    assert title_mark.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert title_mark.underlineColor().name() == MATCH_UNDERLINE.name()
    # The body's matches carry the same mark (the current one a stronger shade of it).
    body = [s for s in pane.extraSelections() if s.cursor.selectionStart() >= pane.mapping.body_start]
    assert body and all(s.format.underlineColor().name() == MATCH_UNDERLINE.name() for s in body)
    assert all(pane.document().toPlainText()[s.cursor.selectionStart():s.cursor.selectionEnd()] == word for s in body)
    # F3 steps through the body's matches only; the title stays marked meanwhile.
    assert pane.match_position == (1, count)
    pane.step_match()
    assert len(marks_at(pane, start, end)) == 1


def test_a_query_matching_only_the_title_marks_it(pane) -> None:
    text = pane.rendered.text
    title = pane.article.title
    only_title = next(title[k:k + 2] for k in range(len(title) - 1) if title[k:k + 2].strip() and title[k:k + 2] not in text)
    assert pane.mark_search(only_title) == 0
    start, end = title_range(pane, only_title)
    assert [f.background().color().name() for f in marks_at(pane, start, end)] == [SEARCH_COLOR.name()]


def test_clearing_the_search_or_finding_removes_the_title_marks(pane) -> None:
    word = "美國國家標準暨技術研究院"
    pane.mark_search(word)
    start, end = title_range(pane, word)
    assert marks_at(pane, start, end)
    pane.set_matches([], "search")  # the window clears the search
    assert not marks_at(pane, start, end)
    pane.mark_search(word)
    pane.set_matches([(start + 1, start + 3)], "find", plain=False)  # Ctrl+F takes over
    assert not marks_at(pane, start, end)
    assert [f.background().color().name() for f in marks_at(pane, start + 1, start + 3)] != []


def test_highlights_keep_their_colour_under_the_layer(pane) -> None:
    text = pane.rendered.text
    at = text.index("美國國家標準暨技術研究院")
    pane.set_highlights([(at, at + 4, "#fff176", "a note")])
    assert pane.highlight_colors_at() == ["#fff176"]
    qs, qe = pane.mapping.plain_range_to_qt(at, at + 4)
    assert [f.background().color().name() for f in marks_at(pane, qs, qe)] == ["#fff176"]
    assert pane.marks.notes == [(qe, "a note")]


def test_in_the_window_a_library_search_marks_the_title_until_it_is_cleared(qtbot, data_dir: Path, sample_library: Path) -> None:
    from PySide6.QtCore import Qt

    from reader.ui.article_models import PathRole
    from tests.test_window import NIST as NIST_PATH
    from tests.test_window import Harness, type_text

    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        word = "國家標準"
        type_text(qtbot, window.list_panel.search_box, word)
        qtbot.waitUntil(lambda: window.results_model.rowCount() >= 1 and window.results_model.query == word, timeout=10000)
        view = window.list_panel.view
        row = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data(PathRole) == NIST_PATH)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center())
        qtbot.waitUntil(lambda: window.current is not None and window.current.path == NIST_PATH, timeout=10000)
        pane = window.pane
        pane.article = window.current.article
        start, end = title_range(pane, word)
        qtbot.waitUntil(lambda: bool(marks_at(pane, start, end)), timeout=5000)
        assert [f.background().color().name() for f in marks_at(pane, start, end)] == [SEARCH_COLOR.name()]
        qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Escape)  # the search is cleared
        qtbot.waitUntil(lambda: not marks_at(pane, start, end), timeout=5000)
    finally:
        window.close()
