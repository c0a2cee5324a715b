"""``htag:定義`` in a search (issue 13): articles whose highlights or notes carry a tag.

The parser and the search run without Qt on a real index of the sample articles and a real
annotations database in tmp_path; the CLI runs as a user's script would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.annotations.selectors import describe
from reader.annotations.store import AnnotationStore
from reader.annotations.tag_search import tag_resolver
from reader.library.library import Library
from reader.paths import DataPaths
from reader.render.article import render_article
from reader.search.index import SearchIndex
from reader.search.query import Leaf, Op, TagFilter, parse_query
from reader.search.searching import search
from tests.conftest import run_cli

A, B = "000_bd272dec8418f04b.md", "001_5d55142517522224.md"


# The parser -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "root"),
    [
        ("htag:定義", TagFilter("定義")),
        ("htag：定義", TagFilter("定義")),  # the full-width colon an input method types
        ('htag:"AI 安全"', TagFilter("AI 安全")),
        ("HTAG:定義", TagFilter("定義")),
        ("安全 htag:定義", Op("and", [Leaf("安全"), TagFilter("定義")])),
        ("htag:定義 OR htag:AI", Op("or", [TagFilter("定義"), TagFilter("AI")])),
        ("NOT htag:定義", Op("not", [TagFilter("定義")])),
        ("-htag:定義", Op("not", [TagFilter("定義")])),
    ],
)
def test_htag_is_a_field_of_the_query_language(query: str, root) -> None:
    parsed = parse_query(query)
    assert not parsed.fallback and not parsed.rejected
    assert parsed.root == root


def test_an_empty_htag_is_searched_as_words_and_said() -> None:
    parsed = parse_query("htag:")
    assert parsed.fallback and "htag" in parsed.message


# Search ---------------------------------------------------------------------------------------
def _highlight(store: AnnotationStore, library: Library, path: str, snippet: str):
    text = render_article(library.load(path)).text
    start = text.index(snippet)
    quote, position = describe(text, start, start + len(snippet))
    return store.add_highlight(library.key, path, quote, position, article_hash=library.load_with_hash(path)[1])


@pytest.fixture
def tagged(sample_library: Path, data_dir: Path):
    """The sample index; A's highlight tagged 定義 and AI, B's tagged 定義."""
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    store = AnnotationStore.open(library.paths)
    first = _highlight(store, library, A, "攜手打造安全")
    second = _highlight(store, library, B, "雙方將共同開發先進人工智慧")
    store.set_tags(library.key, first.id, ["定義", "AI"])
    store.set_tags(library.key, second.id, ["定義"])
    store.close()
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    yield library, index
    index.close()
    catalog.close()


def _paths(library: Library, index: SearchIndex, query: str) -> list[str]:
    result = search(index, query, limit=0, htag_paths=tag_resolver(library.paths, library.key))
    assert not result.fallback and not result.rejected, result.message
    assert result.total == len(result.hits)
    return sorted(hit.path for hit in result.hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("htag:定義", [A, B]),
        ("htag:ai", [A]),  # tags compare as the store compares them (AI = ai)
        ("htag:定義 NIST", [A]),
        ("htag:定義 AND NOT htag:AI", [B]),
        ("htag:定義 -htag:AI", [B]),
        ("NOT htag:AI", [B]),
        ("htag:AI OR 備忘錄", [A, B]),
        ("(htag:AI OR htag:定義) 安全", [A, B]),
        ("htag:沒有這個標籤", []),
        ("htag:沒有這個標籤 OR NIST", [A]),
    ],
)
def test_htag_results_intersect_with_the_rest_of_the_query(tagged, query: str, expected: list[str]) -> None:
    library, index = tagged
    assert _paths(library, index, query) == expected


def test_without_a_resolver_htag_matches_nothing_and_is_not_an_error(tagged) -> None:
    _library, index = tagged
    result = search(index, "htag:定義", limit=0)
    assert result.total == 0 and not result.message
    assert search(index, "htag:定義 OR NIST", limit=0).total == 1


def test_a_damaged_annotations_database_gives_no_tagged_articles(sample_library: Path, data_dir: Path) -> None:
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    try:
        library.paths.annotations_db.write_bytes(b"not a database " * 100)
        resolver = tag_resolver(library.paths, library.key)
        result = search(index, "htag:定義 OR NIST", limit=0, htag_paths=resolver)
        assert [h.path for h in result.hits] == [A]
        assert resolver.messages and "htag" in resolver.messages[0]
    finally:
        index.close()
        catalog.close()


# The CLI --------------------------------------------------------------------------------------
def test_reader_search_answers_htag_from_the_annotations_database(tagged, sample_library: Path, data_dir: Path) -> None:
    result = run_cli("search", "htag:定義", "--json", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 2 and sorted(h["path"] for h in data["hits"]) == [A, B]
    result = run_cli("search", "htag:定義 -htag:AI", "--json", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert [h["path"] for h in json.loads(result.stdout)["hits"]] == [B]
    unknown = run_cli("search", "htag:無此標籤", "--library", str(sample_library), data_dir=data_dir)
    assert unknown.returncode == 0 and unknown.stdout.strip() == "No results." and "Traceback" not in unknown.stderr


def test_reader_search_passages_answer_htag_too(tagged, sample_library: Path, data_dir: Path) -> None:
    result = run_cli("search", "htag:定義 AI", "--passages", "--json", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total_articles"] == 2 and sorted(a["path"] for a in data["articles"]) == [A, B]
    assert data["total_passages"] > 0 and all("<mark>" in p["text"] for a in data["articles"] for p in a["passages"])
    result = run_cli("search", "htag:定義 -htag:AI AI", "--passages", "--json", "--library", str(sample_library), data_dir=data_dir)
    assert [a["path"] for a in json.loads(result.stdout)["articles"]] == [B]


# The window -----------------------------------------------------------------------------------
def test_the_window_finds_a_tag_added_in_this_session(qtbot, data_dir: Path, sample_library: Path) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    from tests.test_window import Harness

    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        box = window.list_panel.search_box
        box.setText("htag:定義")
        qtbot.waitUntil(lambda: window.results_model.query == "htag:定義", timeout=8000)
        assert window.results_model.rowCount() == 0 and "No results" in window.list_panel.status.text()
        qtbot.keyClick(box, Qt.Key.Key_Escape)

        harness.open(B)
        text = window.pane.document().toPlainText()
        start = text.index("雙方將共同開發先進人工智慧")
        cursor = QTextCursor(window.pane.document())
        cursor.setPosition(start)
        cursor.setPosition(start + len("雙方將共同開發先進人工智慧"), QTextCursor.MoveMode.KeepAnchor)
        window.pane.setTextCursor(cursor)
        window.pane.setFocus()
        qtbot.keyClick(window.pane, Qt.Key.Key_H)
        qtbot.waitUntil(lambda: len(window.annotations.items) == 1, timeout=5000)
        # The tag editor of the card asks; the controller writes it.
        window.annotations.tags_change_requested.emit(window.annotations.items[0].id, ["定義"])
        qtbot.waitUntil(lambda: window.session.store.paths_with_tag(window.session.root, "定義") == {B}, timeout=5000)

        box.setText("htag:定義")
        qtbot.waitUntil(lambda: window.results_model.query == "htag:定義" and window.results_model.rowCount() == 1, timeout=8000)
        assert window.results_model.rows[0].path == B
        box.setText("htag:定義 OR NIST")
        qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=8000)
        box.setText("NOT htag:定義")
        qtbot.waitUntil(lambda: window.results_model.query == "NOT htag:定義", timeout=8000)
        assert [r.path for r in window.results_model.rows] == [A]
    finally:
        window.close()


def test_reader_search_help_names_htag(data_dir: Path) -> None:
    result = run_cli("search", "--help", data_dir=data_dir)
    assert result.returncode == 0 and "htag:定義" in result.stdout
