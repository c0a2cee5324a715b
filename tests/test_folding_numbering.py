"""Legal numbering and counted units (issue 14), white space inside numbering, with offsets,
and the query forms that keep substring search exact when a query cuts a pattern. Han
numbers are written from integers by the oracle (tests/folding_oracle.py), the inverse of
what the code parses."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.numbering import fold_numbering, han_number, join_numbering_spaces, query_forms
from reader.search.variants import fold_chars, fold_full, fold_full_with_offsets
from tests import folding_oracle as oracle


def expect(text: str) -> str:
    """The expected folded form, written in Traditional characters and Arabic numbers, as
    the oracle folds it (its variant classes keep another member than the code does, so
    folded texts are compared through the oracle: see same())."""
    return oracle.chars(text)


def same(folded: str, expected: str) -> bool:
    return oracle.chars(folded) == expect(expected)


@pytest.mark.parametrize("n", [*range(1, 130), 199, 200, 201, 210, 999, 1000, 1001, 1010, 1100, 1234, 2024, 9999])
def test_positional_han_numbers_in_numbering_are_arabic(n: int) -> None:
    assert han_number(oracle.han(n)) == n
    assert han_number(oracle.han(n, formal_ten=True)) == n
    assert same(fold_full(f"第{oracle.han(n)}條"), f"第{n}條")
    assert same(fold_full(f"第{oracle.han(n)}條之{oracle.han(1 + n % 9)}"), f"第{n}條之{1 + n % 9}")
    assert same(fold_full(f"處{oracle.han(n)}年以下有期徒刑"), f"處{n}年以下有期徒刑")


@pytest.mark.parametrize("n", [100, 101, 108, 112, 113, 748, 2024])
def test_digit_by_digit_numbers(n: int) -> None:
    assert same(fold_full(f"民國{oracle.han_digits(n)}年"), f"民國{n}年")
    assert same(fold_full(f"釋字第{oracle.han_digits(n)}號"), f"釋字第{n}號")


CASES = [
    # the examples
    ("第三條", "第3條"), ("第 3 條", "第3條"), ("第十二條之一", "第12條之1"), ("三十日", "30日"),
    ("一百萬元", "100萬元"), ("第二項", "第2項"), ("第三款", "第3款"), ("第四目", "第4目"),
    ("三年以下有期徒刑", "3年以下有期徒刑"),
    # more forms
    ("第 12-1 條", "第12條之1"), ("第 12-1 條之一", "第12條之1之一"), ("第 一 章", "第1章"), ("前二項", "前2項"), ("三十日內", "30日內"),
    ("30 日內", "30日內"), ("新臺幣一百五十萬元以下罰金", "新臺幣150萬元以下罰金"), ("十二萬三千元", "12萬3000元"),
    ("三分之二", "3分之2"), ("百分之五", "100分之5"), ("中華民國一百十二年三月三十日", "中華民國112年3月30日"),
    ("一一二年度台上字第一二三號", "112年度台上字第123號"), ("一〇八年", "108年"), ("新臺幣參萬元", "新臺幣3萬元"),
    ("年滿二十歲", "年滿20歲"), ("兩年", "2年"), ("六個月", "6個月"), ("每三年檢討", "每3年檢討"), ("第一審", "第1審"),
    ("一百零五人", "105人"), ("廿一日", "21日"),
    # what stays as written
    ("三權分立", "三權分立"), ("同一人", "同一人"), ("統一日本", "統一日本"), ("每一年", "每一年"),
    ("一時之間", "一時之間"), ("千萬不可", "千萬不可"), ("三五天", "三五天"), ("三兩天", "三兩天"), ("第一線", "第一線"),
    ("陸人", "陸人"), ("再三次", "再三次"), ("數十年", "數十年"), ("一一列舉", "一一列舉"), ("1,000萬元", "1,000萬元"),
    ("第1條第2項", "第1條第2項"), ("十分重要", "十分重要"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_numbering_cases(text: str, expected: str) -> None:
    assert same(fold_full(text), expected)


def test_offsets_fall_on_the_original_characters() -> None:
    text = "依第十二條之一，於 30 日內"
    folded, origin = fold_full_with_offsets(text)
    # The space inside 30 日 goes; the one before 30 is not inside a numbering and stays.
    assert same(folded, "依第12條之1,於 30日內")
    # Each folded character points at where it came from: a number's digits at its first
    # character, its last digit at its last one (a span ending at a number covers it all).
    sources = [text[i] for i in origin[:-1]]
    assert sources == ["依", "第", "十", "二", "條", "之", "一", "，", "於", " ", "3", "0", "日", "內"]
    assert origin[-1] == len(text)
    # A mark over the folded "12" covers the original 十二.
    start, end = folded.index("12"), folded.index("12") + 2
    assert text[origin[start] : origin[end]] == "十二"


def test_white_space_in_raw_queries() -> None:
    assert join_numbering_spaces("law:個資法 第 3 條 之 1 30 日 AND x") == "law:個資法 第3條之1 30日 AND x"
    assert join_numbering_spaces("第 1 條 第 2 項") == "第1條 第2項"


def test_query_forms_cover_a_query_cut_at_a_pattern() -> None:
    def found(query: str, text: str) -> bool:
        return any(_contains(fold_full(text), form) for form in query_forms(fold_chars(query)))

    assert found("第3條", "依第三條規定") and found("第三條", "依第 3 條規定")
    assert found("三條", "依第三條規定") and found("第三", "依第三條規定")
    assert found("一人", "同一人") and found("一人", "處一人")
    assert found("統一", "統一日本") and found("之一", "第十二條之一")
    assert found("30日內", "三十日內") and found("三十日", "30日")
    assert not found("十日", "三十日內")  # a number is matched as a whole number
    assert not found("3條", "第30條") and not found("第3條", "第13條")


def _contains(folded: str, form: str) -> bool:
    pattern = re.escape(form)
    if form[:1].isdigit():
        pattern = r"(?<![0-9])" + pattern
    if form[-1:].isdigit():
        pattern += r"(?![0-9])"
    return re.search(pattern, folded) is not None


# Texts made of legal numbering, counted units, numbers in every form and words around them.
_PIECES = st.one_of(
    st.sampled_from(["第", "前", "條", "項", "款", "目", "之", "日", "年", "月", "個月", "元", "萬", "億", "人", "次",
                     "處", "於", "同", "統", "每", "再", "數", "三權分立", "有期徒刑", "以下", "以上", "內", "，", " ",
                     "分之", "規定", "依", "新臺幣", "小時", "歲", "AI", "x1", "〇", "壹", "拾", "條之", "兆"]),
    st.integers(1, 2500).map(oracle.han),
    st.integers(100, 2024).map(oracle.han_digits),
    st.integers(1, 400).map(str),
    st.sampled_from(list("一二三四五六七八九十兩")),
)
_NUMERAL = set("〇零一二三四五六七八九十百千兩两廿卅壹貳贰參参叁肆伍陸陆柒捌玖拾佰仟0123456789")


@settings(max_examples=250, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=10), st.data())
def test_every_substring_query_finds_its_text(pieces: list[str], data) -> None:
    """Substring search stays exact: a query cut out of a text (at no point inside a number,
    without white space) is found in that text through one of its forms."""
    text = "".join(pieces)
    folded = fold_full(text)
    cuts = [i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1] in _NUMERAL and text[i] in _NUMERAL)]
    for _ in range(6):
        i = data.draw(st.sampled_from(cuts))
        j = data.draw(st.sampled_from([c for c in cuts if c > i] or [i]))
        query = text[i:j]
        if not query or any(c.isspace() for c in query):
            continue
        assert any(_contains(folded, form) for form in query_forms(fold_chars(query))), (text, query, folded)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=10))
def test_numbering_offsets_are_monotone_and_complete(pieces: list[str]) -> None:
    text = "".join(pieces)
    folded, origin = fold_numbering(fold_chars(text))
    if origin is None:
        return
    assert len(origin) == len(folded) + 1 and origin == sorted(origin)
    assert origin[-1] == len(fold_chars(text))


_WITH_LATIN = st.one_of(_PIECES, st.sampled_from(["AI", "NIST", "a", "GDPR", "x1", "-", "(", ")", "。", "第 12-1 條", "12-1", "之"]))


@settings(max_examples=250, deadline=None)
@given(st.lists(_WITH_LATIN, min_size=1, max_size=12), st.data())
def test_a_query_without_numbers_matches_alike_with_or_without_the_numbering_pass(pieces: list[str], data) -> None:
    """What lets verification of a query without numbers skip the numbering pass: the pass
    changes only numbers, the white space inside numbering and the - of 第 12-1 條 (which
    becomes 之), and a folded number never touches a Latin letter or digit (AI三年 stays the
    word ai, 1一分之一 stays 1一). So a query with no digit, Han numeral, 之 or - (what
    ``matching.has_numerals`` tests) matches alike, in a text without a 第 12-1 條: that one
    the pass reorders (第12條之1; 條規定 then stands apart), and ``has_dash_numbering`` sends
    such texts through the whole folding."""
    from reader.search.analysis import exact_pattern
    from reader.search.matching import has_numerals
    from reader.search.numbering import has_dash_numbering

    text = "".join(pieces)
    chars_only, full = fold_chars(text), fold_full(text)
    if has_dash_numbering(text):
        assert has_dash_numbering(chars_only)
        return
    for _ in range(6):
        i = data.draw(st.integers(0, len(chars_only)))
        j = data.draw(st.integers(i, len(chars_only)))
        query = chars_only[i:j].strip()
        if not query or has_numerals(query) or any(c.isspace() for c in query):
            continue
        pattern = exact_pattern(query)
        assert bool(pattern.search(chars_only)) == bool(pattern.search(full)), (text, query)


@pytest.mark.parametrize("text", ["一" * 200_000, "1" * 200_000, "一1" * 100_000, "第一" * 100_000, "三十日" * 60_000])
def test_hostile_texts_fold_in_linear_time(text: str) -> None:
    import time

    start = time.perf_counter()
    folded, origin = fold_full_with_offsets(text)
    assert time.perf_counter() - start < 10
    assert origin is None or len(origin) == len(folded) + 1


@settings(max_examples=400, deadline=None)
@given(st.lists(_WITH_LATIN, min_size=1, max_size=14))
def test_numbering_folds_as_the_oracle_does(pieces: list[str]) -> None:
    text = fold_chars("".join(pieces))
    assert fold_numbering(text)[0] == oracle.numbering(text), text


@pytest.mark.parametrize("n", [*range(1, 200), *range(1000, 1200, 7), 2024, 9999])
def test_the_oracles_number_table_reads_what_the_code_reads(n: int) -> None:
    for form in {oracle.han(n), oracle.han(n, formal_ten=True), oracle.han_digits(n) if n >= 100 else oracle.han(n)}:
        assert han_number(form) == oracle.number_value(form) == n


def test_every_han_number_of_up_to_four_characters_reads_as_the_oracle_reads_it() -> None:
    import itertools

    alphabet = "〇零一二三四五六七八九十百千兩廿卅"
    mismatches = [
        text
        for length in range(1, 5)
        for text in map("".join, itertools.product(alphabet, repeat=length))
        if han_number(text) != oracle.number_value(text)
    ]
    assert mismatches == []
    for text in ("壹佰", "參拾", "伍仟陸佰", "貳拾壹"):
        assert han_number(text) == oracle.number_value(text) is not None
