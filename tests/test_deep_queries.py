"""Queries too deep, too long or too many-worded: refused with a message, never a traceback.

A query nested deeper than the limit, longer than the limit or with more words than the limit
is not searched (and not searched as plain words either: that would turn ``NOT NOT NOT a``,
"without a", into "with a"); the user is told which limit it passed. Deep queries within the
limit are evaluated exactly, as the same query written flat.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import SearchIndex
from reader.search.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_DEPTH,
    MAX_QUERY_PARTS,
    Leaf,
    Op,
    QueryTooComplex,
    parse_query,
    parse_strict,
    positive_leaves,
)
from reader.search.searching import search
from tests.conftest import run_cli

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"

DEEP = "NESTED"
LONG = "LONG"
MANY = "MANY"
HOSTILE = {
    "300 nested parentheses": ("(" * 300 + "TEVV" + ")" * 300, DEEP),
    "300 unclosed parentheses": ("(" * 300 + "TEVV", DEEP),
    "100 NOTs": ("NOT " * 100 + "TEVV", DEEP),
    "(NOT ( 30 times": ("(NOT " * 30 + "TEVV" + ")" * 30, DEEP),
    "3,000 NOTs": ("NOT " * 3000 + "TEVV", LONG),
    "3,000 -a": ("-a " * 3000, LONG),
    "10,000 words": (" ".join(f"w{i}" for i in range(10_000)), LONG),
    "5,000 ORs": (" OR ".join(f"w{i}" for i in range(5001)), LONG),
    "1 MB of words": (("安全 " * 350_000)[:1_000_000], LONG),
    "1 MB of parentheses": ("(" * 500_000 + ")" * 500_000, LONG),
    "300 one-letter words": ("a " * 300, MANY),
    "300 words and an open quote": ('"' + "a " * 300, MANY),
}
MESSAGES = {
    DEEP: f"nested more than {MAX_QUERY_DEPTH} deep",
    LONG: f"the limit is {MAX_QUERY_CHARS:,}",
    MANY: f"more than {MAX_QUERY_PARTS} words",
}


@pytest.fixture
def index(sample_library: Path, data_dir: Path):
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    yield index
    index.close()
    catalog.close()


def paths_for(index: SearchIndex, query: str) -> list[str]:
    result = search(index, query, limit=0)
    assert not result.rejected, result.message
    return sorted(hit.path for hit in result.hits)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_query_beyond_the_limits_is_refused_with_the_reason(index, name: str) -> None:
    query, kind = HOSTILE[name]
    result = search(index, query, limit=0)
    assert result.rejected and not result.fallback
    assert (result.total, result.hits) == (0, [])
    assert result.message.startswith("Query not searched: ")
    assert MESSAGES[kind] in result.message
    if not query.startswith('"'):  # (the open quote is a syntax error; its words are too many)
        with pytest.raises(QueryTooComplex, match="Query not searched"):
            parse_strict(query)


def test_deep_queries_within_the_limit_are_exact(index) -> None:
    depth = MAX_QUERY_DEPTH
    assert paths_for(index, "NOT " * depth + "TEVV") == paths_for(index, "TEVV") == [NIST]  # even: as is
    assert paths_for(index, "NOT " * (depth - 1) + "TEVV") == paths_for(index, "-TEVV") == [MOU]  # odd: negated
    assert paths_for(index, "(" * (depth - 1) + "AI -NIST" + ")" * (depth - 1)) == [MOU]
    mixed = "(NOT " * (depth // 2) + "布萊切利" + ")" * (depth // 2)  # NOT 25 times: negated
    assert paths_for(index, mixed) == paths_for(index, "NOT 布萊切利") == [NIST]


def test_repeated_words_are_exact_and_rank_as_before(index) -> None:
    assert paths_for(index, "TEVV " * MAX_QUERY_PARTS) == paths_for(index, "TEVV") == [NIST]
    assert paths_for(index, " OR ".join(["布萊切利", "TEVV"] * 50)) == [NIST, MOU]
    assert paths_for(index, "-NIST " * 100 + "AI") == [MOU]
    assert paths_for(index, "date:2024-08 date:2024-08 OR date:2024-08") == [NIST]


def test_the_plain_words_fallback_still_works_for_malformed_queries(index) -> None:
    result = search(index, '(TEVV AND "方法')
    assert result.fallback and not result.rejected and "searched as words" in result.message
    assert [h.path for h in result.hits] == [NIST]


def test_positive_leaves_walk_any_depth_without_recursion() -> None:
    node = Leaf("w0")
    for number in range(1, 20_000):  # built by hand: the parser would refuse it
        node = Op("and", [node, Leaf(f"w{number}")])
    assert [leaf.text for leaf in positive_leaves(node)] == [f"w{n}" for n in range(20_000)]
    negated = node
    for _ in range(5_001):
        negated = Op("not", [negated])
    assert positive_leaves(negated) == []
    assert len(positive_leaves(Op("not", [negated]))) == 20_000
    assert [leaf.text for leaf in positive_leaves(parse_query("a (b OR NOT c) -d e").root)] == ["a", "b", "e"]


def test_the_cli_says_why_and_prints_no_traceback(sample_library: Path, data_dir: Path) -> None:
    for query, kind in (HOSTILE["300 nested parentheses"], HOSTILE["3,000 NOTs"], ("a " * 50_000, LONG)):
        result = run_cli("search", query, "--library", str(sample_library), data_dir=data_dir)
        assert result.returncode == 2, result.stderr  # not searched: a usage error, never "no results"
        assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
        assert "Query not searched: " in result.stderr and MESSAGES[kind] in result.stderr
        assert result.stdout == ""
    result = run_cli("search", HOSTILE["300 nested parentheses"][0], "--json", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 2 and result.stdout == ""
    assert MESSAGES[DEEP] in result.stderr


def test_the_window_search_box_answers_a_deep_query(qtbot, sample_library: Path, data_dir: Path) -> None:
    pytest.importorskip("PySide6")
    from tests.test_window import Harness

    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        failures: list[str] = []
        window.session.message.connect(failures.append)
        box = window.list_panel.search_box
        box.setText("TEVV")
        qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=10_000)
        for query in (HOSTILE["300 nested parentheses"][0], HOSTILE["5,000 ORs"][0], HOSTILE["3,000 NOTs"][0]):
            box.setText(query)  # (the box keeps at most 32,767 characters of it)
            qtbot.waitUntil(lambda: window.results_model.query == box.text().strip(), timeout=10_000)
            assert window.results_model.rowCount() == 0  # the earlier hit is not left standing
            assert "No results" in window.list_panel.status.text()
        assert failures == []  # no "Search failed: RecursionError" in the status bar
        box.setText("(" * MAX_QUERY_DEPTH + "TEVV" + ")" * MAX_QUERY_DEPTH)
        qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=10_000)
        assert window.results_model.rows[0].path == NIST
    finally:
        window.close()
