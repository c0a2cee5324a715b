"""reader.search.snippets: where a search marks its matches. The offsets of ``match_spans``
point at the characters as written (full-width, simplified, any case), so the reading pane
marks the right text; a snippet contains its match, marked and escaped, in Chinese and in
English, at the start, in the middle and at the end of an article."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.query import parse_query, positive_leaves
from reader.search.snippets import SNIPPET_CHARS, make_snippet, match_spans


def leaves(query: str):
    return positive_leaves(parse_query(query).root)


def marked(text: str, query: str) -> list[str]:
    """The original characters each match covers."""
    return [text[start:end] for start, end, _ in match_spans(text, leaves(query))]


def marks_in(snippet: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", snippet)]


# match_spans: offsets into the original text -----------------------------------------------
@pytest.mark.parametrize(
    "text, query, expected",
    [
        ("美國ＮＩＳＴ的指引", "NIST", ["ＮＩＳＴ"]),  # full-width = half-width (documented)
        ("美國NIST的指引", "ＮＩＳＴ", ["NIST"]),
        ("中国的人工智能机构", "機構", ["机构"]),  # simplified = traditional (documented)
        ("主管機關與機構", "机构", ["機構"]),
        ("the EU AI Act", "ai act", ["AI", "Act"]),  # any case
        ("「個人資料保護法」第一條", "個人資料保護法", ["個人資料保護法"]),
    ],
)
def test_spans_cover_the_characters_as_written(text: str, query: str, expected: list[str]) -> None:
    assert marked(text, query) == expected


def test_spans_after_characters_that_fold_to_another_length_still_point_right() -> None:
    """A ligature folds to two letters: the later match must not shift."""
    text = "ﬁnance 的安全"
    assert marked(text, "安全") == ["安全"]
    assert marked(text, "finance") == ["ﬁnance"]


def test_every_occurrence_is_marked_with_its_leaf() -> None:
    text = "安全與隱私：安全優先，再談隱私。"
    spans = match_spans(text, leaves("安全 隱私"))
    assert [(text[s:e], leaf) for s, e, leaf in spans] == [("安全", 0), ("隱私", 1), ("安全", 0), ("隱私", 1)]
    assert spans == sorted(spans)


def test_words_left_out_with_not_are_not_marked() -> None:
    assert marked("安全與美國", "安全 -美國") == ["安全"]


def test_overlapping_matches_become_one_span() -> None:
    text = "人工智慧基本法草案"
    spans = match_spans(text, leaves('"人工智慧" "智慧基本法"'))
    assert [(text[s:e]) for s, e, _ in spans] == ["人工智慧基本法"]


def test_english_words_match_at_word_boundaries_and_by_stem() -> None:
    assert marked("The regulations regulate regulators", "regulation") == ["regulations"]
    assert marked("email mail mailbox", "mail") == ["mail"]
    assert marked("AI, ai and AIDS", "AI") == ["AI", "ai"]


def test_a_phrase_matches_across_any_white_space() -> None:
    text = "the AI\n  Seoul\tSummit of 2024"
    assert marked(text, '"AI Seoul Summit"') == ["AI\n  Seoul\tSummit"]


@pytest.mark.parametrize("where", ["start", "end", "whole"])
def test_matches_at_the_edges_of_the_text(where: str) -> None:
    text = {"start": "安全第一的原則", "end": "原則是安全", "whole": "安全"}[where]
    spans = match_spans(text, leaves("安全"))
    assert [text[s:e] for s, e, _ in spans] == ["安全"]
    start, end, _ = spans[0]
    assert 0 <= start < end <= len(text)
    if where != "end":
        assert start == 0
    if where != "start":
        assert end == len(text)


def test_no_match_and_no_leaves_give_no_spans() -> None:
    assert match_spans("沒有相關的字", leaves("安全")) == []
    assert match_spans("任何文字", []) == []
    assert match_spans("", leaves("安全")) == []


_FILLER = st.text(alphabet=st.sampled_from(list("的法律與規範條例 ，。、「」\n")), max_size=30)
_FORMS = {"機構": ["機構", "机构"], "NIST": ["NIST", "ＮＩＳＴ", "nist", "Nist"], "資料保護": ["資料保護", "资料保护"]}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_FILLER, st.sampled_from(sorted(_FORMS)), st.integers(0, 3)), min_size=1, max_size=5), _FILLER)
def test_spans_point_at_every_inserted_form(pieces, tail: str) -> None:
    """Whatever the surrounding text, each written form of a word is found exactly where it
    was put, however folding changed the lengths before it."""
    text, expected = "", []
    for filler, word, form in pieces:
        text += filler + " "
        written = _FORMS[word][form % len(_FORMS[word])]
        expected.append((len(text), len(text) + len(written), written, word))
        text += written + " "
    text += tail
    for word in _FORMS:
        want = [(s, e, w) for s, e, w, query in expected if query == word]
        got = [(s, e, text[s:e]) for s, e, _ in match_spans(text, leaves(word))]
        assert got == want, (text, word)


# make_snippet ------------------------------------------------------------------------------
def test_a_snippet_contains_the_match_marked() -> None:
    body = "前言。" + "無關的文字" * 40 + "依人工智慧基本法第五條，主管機關應訂定辦法。" + "其他內容" * 60
    snippet = make_snippet({"body": body}, leaves("人工智慧"))
    assert marks_in(snippet) == ["人工智慧"]
    assert snippet.startswith("…") and snippet.endswith("…")  # cut on both sides, and says so
    assert len(html.unescape(re.sub(r"</?mark>", "", snippet)).strip("…")) <= SNIPPET_CHARS


def test_a_snippet_prefers_the_passage_with_the_most_distinct_words() -> None:
    body = "安全" + "，填充文字" * 60 + "。安全與隱私並重的規範" + "，填充文字" * 60 + "。隱私"
    snippet = make_snippet({"body": body}, leaves("安全 隱私"))
    assert marks_in(snippet) == ["安全", "隱私"]
    assert "安全與隱私並重" in re.sub(r"</?mark>", "", snippet)


def test_an_english_snippet_marks_the_words_as_written() -> None:
    body = ("Background. " + "Unrelated words fill this part of the report. " * 8 +
            "The NIST framework asks providers to document Regulations carefully. " + "More filler text here. " * 10)
    snippet = make_snippet({"body": body}, leaves("nist regulation"))
    assert marks_in(snippet) == ["NIST", "Regulations"]


@pytest.mark.parametrize("where", ["start", "end"])
def test_a_match_at_either_end_of_the_article(where: str) -> None:
    filler = "其他內容" * 80
    body = "安全規範" + filler if where == "start" else filler + "安全規範"
    snippet = make_snippet({"body": body}, leaves("安全"))
    assert marks_in(snippet) == ["安全"]
    if where == "start":
        assert not snippet.startswith("…") and snippet.startswith("<mark>安全</mark>") and snippet.endswith("…")
    else:
        assert snippet.startswith("…") and not snippet.endswith("…") and snippet.endswith("<mark>安全</mark>規範")


def test_a_short_article_is_shown_whole() -> None:
    snippet = make_snippet({"body": "安全是首要。"}, leaves("安全"))
    assert snippet == "<mark>安全</mark>是首要。"


def test_html_in_the_text_is_escaped_and_the_match_still_marked() -> None:
    body = '<script>alert("x")</script> 第 & 條 <b>安全</b>'
    snippet = make_snippet({"body": body}, leaves("安全"))
    assert "<script>" not in snippet and "<b>" not in snippet
    assert marks_in(snippet) == ["安全"]
    assert html.unescape(re.sub(r"</?mark>", "", snippet)) == body


def test_a_match_only_in_the_title_or_notes_gives_their_snippet() -> None:
    texts = {"body": "本文沒有這個字。", "notes": "我的筆記：安全很重要", "title": "安全指引"}
    assert marks_in(make_snippet(texts, leaves("安全"))) == ["安全"]
    assert "筆記" in make_snippet(texts, leaves("安全"))  # notes come before the title
    assert marks_in(make_snippet({"body": "無關", "title": "安全指引"}, leaves("安全"))) == ["安全"]


def test_no_match_shows_the_start_of_the_body() -> None:
    body = "第一句話。" * 50
    snippet = make_snippet({"body": body}, leaves("不存在"))
    assert "<mark>" not in snippet and snippet.startswith("第一句話。") and snippet.endswith("…")


def test_white_space_is_collapsed_in_the_snippet_and_marks_stay_right() -> None:
    snippet = make_snippet({"body": "第一段\n\n\n第二段   有   安全  的字"}, leaves("安全"))
    assert snippet == "第一段 第二段 有 <mark>安全</mark> 的字"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("的法律與規範安全隱私 ，。<>&\"'\nAIai")), max_size=400), st.sampled_from(["安全", "隱私", "AI", "安全 隱私"]))
def test_a_snippet_is_always_a_faithful_excerpt(body: str, query: str) -> None:
    snippet = make_snippet({"body": body}, leaves(query))
    plain = html.unescape(re.sub(r"</?mark>", "", snippet)).removeprefix("…").removesuffix("…")
    assert plain in " ".join(body.split())
    if match_spans(" ".join(body.split()), leaves(query)):
        assert marks_in(snippet)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab<>&\"' 法\x00\x01", max_size=60), cuts=st.lists(st.integers(0, 60), max_size=12),
       window=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_marking_a_window_at_once_equals_marking_it_piece_by_piece(text: str, cuts: list[int], window) -> None:
    """The window is escaped in one pass with the marks as placeholders; with a placeholder
    character in the text (a NUL in an extracted file) it is marked piece by piece."""
    from reader.search.snippets import _highlight_pieces, highlight

    bounds = sorted({min(c, len(text)) for c in cuts})
    spans = [(s, e, 0) for s, e in zip(bounds[::2], bounds[1::2], strict=False) if e > s]
    start, end = min(window[0], len(text)), min(max(window), len(text))
    got = highlight(text, spans, start, end)
    assert got == _highlight_pieces(text, spans, start, end)
    assert html.unescape(re.sub("</?mark>", "", got)) == text[start:end]


@settings(max_examples=300, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 30), st.integers(0, 2)), min_size=1, max_size=40),
       width=st.integers(1, 120), one_leaf=st.booleans())
def test_the_best_window_is_the_first_with_the_most_leaves_then_matches(spans, width: int, one_leaf: bool) -> None:
    """Against a count of every window (spans sorted and apart, as match_spans gives them)."""
    from reader.search.snippets import _best_window

    ordered, end = [], 0
    for start, length, leaf in sorted(spans):
        start = max(start, end)
        ordered.append((start, start + length, 0 if one_leaf else leaf))
        end = start + length

    def score(i: int) -> tuple[int, int]:
        inside = [span for span in ordered[i:] if span[1] <= ordered[i][0] + width]
        return len({leaf for _, _, leaf in inside}), len(inside)

    best = max(range(len(ordered)), key=lambda i: (score(i), -i))
    assert _best_window(ordered, width) == ordered[best][0]
