"""reader.search.query: the query syntax documented in ``reader search --help`` and the README
(words, OR, NOT / -word, parentheses, "phrases", fields, dates, and the limits), and the
promise that no text a user types makes the parser fail with anything but its own errors."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import UsageError
from reader.search.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_DEPTH,
    MAX_QUERY_PARTS,
    DateRange,
    Leaf,
    Op,
    QuerySyntaxError,
    QueryTooComplex,
    parse_query,
    parse_strict,
    positive_leaves,
)


def shape(node) -> object:
    """A tree as nested tuples: ("and", …), ("word", text), ("phrase", text), field:text, date."""
    if node is None:
        return None
    if isinstance(node, DateRange):
        return ("date", node.start, node.end)
    if isinstance(node, Leaf):
        kind = "phrase" if node.phrase else "word"
        return (kind, node.text) if node.field is None else (kind, node.text, node.field)
    assert isinstance(node, Op)
    return (node.kind, *[shape(child) for child in node.children])


def parsed(text: str) -> object:
    result = parse_query(text)
    assert not result.fallback and not result.rejected, result.message
    return shape(result.root)


# The documented syntax -------------------------------------------------------------------
def test_words_separated_by_spaces_must_all_occur() -> None:
    assert parsed("ai 安全") == ("and", ("word", "ai"), ("word", "安全"))
    assert parsed("ai AND 安全") == parsed("ai 安全")
    assert parsed("  ai\t安全 \n") == parsed("ai 安全")
    assert parsed("人工智慧") == ("word", "人工智慧")


def test_or_between_words() -> None:
    assert parsed("ai OR 人工智慧") == ("or", ("word", "ai"), ("word", "人工智慧"))
    assert parsed("a OR b OR c") == ("or", ("word", "a"), ("word", "b"), ("word", "c"))


def test_and_binds_tighter_than_or() -> None:
    assert parsed("a b OR c") == ("or", ("and", ("word", "a"), ("word", "b")), ("word", "c"))


def test_operators_are_upper_case_only() -> None:
    """"or", "and", "not" in lower case are words (an English query may contain them)."""
    assert parsed("war or peace") == ("and", ("word", "war"), ("word", "or"), ("word", "peace"))
    assert parsed("not guilty") == ("and", ("word", "not"), ("word", "guilty"))


@pytest.mark.parametrize("query", ["ai NOT 美國", "ai -美國"])
def test_not_and_minus_leave_a_word_out(query: str) -> None:
    assert parsed(query) == ("and", ("word", "ai"), ("not", ("word", "美國")))
    assert [leaf.text for leaf in positive_leaves(parse_query(query).root)] == ["ai"]


def test_a_lone_hyphen_is_a_word_not_an_operator() -> None:
    assert parsed("a - b") == ("and", ("word", "a"), ("word", "-"), ("word", "b"))


def test_parentheses_group() -> None:
    assert parsed("(ai OR 人工智慧) 安全") == ("and", ("or", ("word", "ai"), ("word", "人工智慧")), ("word", "安全"))
    assert parsed("((a))") == ("word", "a")
    assert parsed("NOT (a OR b)") == ("not", ("or", ("word", "a"), ("word", "b")))


def test_a_phrase_in_quotes_is_one_part() -> None:
    assert parsed('"AI Seoul Summit"') == ("phrase", "AI Seoul Summit")
    assert parsed('"AI Seoul Summit" 安全') == ("and", ("phrase", "AI Seoul Summit"), ("word", "安全"))
    # Operators and parentheses inside quotes are text.
    assert parsed('"a OR (b)"') == ("phrase", "a OR (b)")


@pytest.mark.parametrize(
    "query, field",
    [("title:安全", "title"), ("tag:政策", "tags"), ("tags:政策", "tags"), ("author:王", "authors"),
     ("authors:王", "authors"), ("note:重要", "notes"), ("notes:重要", "notes"), ("TITLE:安全", "title")],
)
def test_field_prefixes(query: str, field: str) -> None:
    leaf = parse_query(query).root
    assert isinstance(leaf, Leaf) and leaf.field == field and leaf.text == query.partition(":")[2]


def test_all_documented_fields_together() -> None:
    assert parsed("title:安全 tag:政策 author:王 note:重要") == (
        "and", ("word", "安全", "title"), ("word", "政策", "tags"), ("word", "王", "authors"), ("word", "重要", "notes"))


def test_a_field_takes_a_phrase() -> None:
    assert parsed('title:"AI Act"') == ("phrase", "AI Act", "title")


def test_an_unknown_prefix_and_a_url_are_plain_words() -> None:
    assert parsed("foo:bar") == ("word", "foo:bar")
    assert parsed("https://law.moj.gov.tw/") == ("word", "https://law.moj.gov.tw/")


@pytest.mark.parametrize(
    "query, start, end",
    [("date:2024", "2024", "2024"), ("date:2024-05", "2024-05", "2024-05"), ("date:2024-05-17", "2024-05-17", "2024-05-17"),
     ("date:2024-05..2024-08", "2024-05", "2024-08"), ("date:2023..2024-02-29", "2023", "2024-02-29")],
)
def test_dates_and_date_ranges(query: str, start: str, end: str) -> None:
    assert parsed(query) == ("date", start, end)


def test_date_with_other_parts() -> None:
    assert parsed("date:2024 title:安全") == ("and", ("date", "2024", "2024"), ("word", "安全", "title"))


# Malformed queries: searched as plain words, and said -----------------------------------
@pytest.mark.parametrize(
    "query, words",
    [("(ai 安全", ["ai", "安全"]), ("ai 安全)", ["ai", "安全"]), ('"AI Seoul', ["AI", "Seoul"]), ("ai OR", ["ai"]),
     ("OR ai", ["ai"]), ("ai NOT", ["ai"]), ("date:2024-08..2024-05 ai", ["date:2024-08..2024-05", "ai"]),
     ("date:yesterday", ["date:yesterday"]), ("title:", ["title:"]), ('""', [])],
)
def test_a_malformed_query_is_searched_as_its_words_and_says_so(query: str, words: list[str]) -> None:
    result = parse_query(query)
    assert result.fallback and not result.rejected
    assert "searched as words" in result.message
    assert [leaf.text for leaf in positive_leaves(result.root)] == words
    assert all(not leaf.phrase and leaf.field is None for leaf in positive_leaves(result.root))
    with pytest.raises(QuerySyntaxError):
        parse_strict(query)


def test_an_empty_query_is_no_query() -> None:
    for query in ("", "   ", "\n\t"):
        result = parse_query(query)
        assert result.root is None and not result.fallback and not result.rejected


# Limits -----------------------------------------------------------------------------------
def test_a_query_nested_deeper_than_the_limit_is_refused_not_searched() -> None:
    deep = "(" * (MAX_QUERY_DEPTH + 1) + "a" + ")" * (MAX_QUERY_DEPTH + 1)
    result = parse_query(deep)
    assert result.rejected and result.root is None
    assert result.message.startswith("Query not searched:") and str(MAX_QUERY_DEPTH) in result.message
    with pytest.raises(QueryTooComplex):
        parse_strict(deep)
    ok = "(" * MAX_QUERY_DEPTH + "a" + ")" * MAX_QUERY_DEPTH
    assert parsed(ok) == ("word", "a")


def test_a_chain_of_nots_beyond_the_limit_is_refused_not_searched_as_words() -> None:
    """Searched as words, ``NOT NOT … a`` would find the very articles it excludes."""
    result = parse_query("NOT " * (MAX_QUERY_DEPTH + 1) + "a")
    assert result.rejected and result.root is None
    assert shape(parse_query("NOT " * 3 + "a").root) == ("not", ("not", ("not", ("word", "a"))))


def test_an_unclosed_deep_query_is_refused_too() -> None:
    result = parse_query("(" * 10_000 + "a")
    assert result.rejected and result.root is None


def test_too_many_words_are_refused_with_advice() -> None:
    result = parse_query(" ".join(["字"] * (MAX_QUERY_PARTS + 1)))
    assert result.rejected and result.root is None
    assert "put it in quotes" in result.message
    assert isinstance(parse_query(" ".join(["字"] * MAX_QUERY_PARTS)).root, Op)
    # A long passage in quotes is one part.
    quoted = '"' + " ".join(["字"] * (MAX_QUERY_PARTS + 1)) + '"'
    assert parse_query(quoted).root.phrase


def test_too_many_words_in_a_malformed_query_are_refused_too() -> None:
    result = parse_query("(" + " ".join(["w"] * (MAX_QUERY_PARTS + 1)))
    assert result.rejected and result.root is None


def test_a_query_longer_than_the_limit_is_refused() -> None:
    result = parse_query("字" * (MAX_QUERY_CHARS + 1))
    assert result.rejected and result.root is None and f"{MAX_QUERY_CHARS:,}" in result.message
    assert parsed("字" * MAX_QUERY_CHARS) == ("word", "字" * MAX_QUERY_CHARS)


def test_query_too_complex_is_a_usage_error() -> None:
    """The CLI turns it into exit code 2 with the message."""
    with pytest.raises(QueryTooComplex) as caught:
        parse_strict("x" * (MAX_QUERY_CHARS + 1))
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2


# Properties -------------------------------------------------------------------------------
_SYNTAX = st.lists(
    st.sampled_from(list('()"-: .') + ["AND", "OR", "NOT", "title:", "tag:", "date:", "2024", "..", "-05", "a", "安全", "\t", "\u3000"]),
    max_size=40,
).map("".join)


def _check_result(text: str) -> None:
    result = parse_query(text)
    if result.rejected:
        assert result.root is None and result.message.startswith("Query not searched:")
    elif result.fallback:
        assert result.message
    for leaf in positive_leaves(result.root):
        assert isinstance(leaf.text, str) and leaf.text.strip()
    with contextlib.suppress(QuerySyntaxError, QueryTooComplex):  # the documented errors only
        parse_strict(text)


@settings(max_examples=500, deadline=None)
@given(_SYNTAX)
def test_syntax_soup_never_raises_anything_but_the_documented_errors(text: str) -> None:
    _check_result(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_anything_but_the_documented_errors(text: str) -> None:
    _check_result(text)


@settings(max_examples=50, deadline=None)
@given(st.integers(MAX_QUERY_DEPTH + 1, 400), st.sampled_from(["(", "NOT ", "(NOT ", "-("]))
def test_any_deep_nesting_is_refused_without_recursion_errors(depth: int, opener: str) -> None:
    text = opener * depth + "a" + ")" * depth
    result = parse_query(text[:MAX_QUERY_CHARS])
    if opener != "-(":
        assert result.rejected
    _check_result(text[:MAX_QUERY_CHARS])


def test_negated_leaves_are_never_marked() -> None:
    root = parse_query('a -b NOT (c OR d) (e NOT f) "g h"').root
    assert [leaf.text for leaf in positive_leaves(root)] == ["a", "e", "g h"]
