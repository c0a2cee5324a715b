"""The one place that maps plain-text offsets to Qt document positions and back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ui.text_mapping import TextMapping

HEADER = "標題\n2024-07\n"


@pytest.mark.parametrize(
    "doc_body",
    [
        "第一段 文字\n第二段𠀀字𠀁",  # identical (the fast path)
        "第一段  文字\n\n第二段𠀀字𠀁\n",  # Qt's white space differs
    ],
)
def test_round_trip_with_astral_characters(doc_body: str) -> None:
    plain = "第一段 文字\n第二段𠀀字𠀁"
    mapping = TextMapping(plain, HEADER + doc_body, len(HEADER))
    for words in ("𠀀", "字𠀁", "第二段", "文字", "第一段 文字"):
        start = plain.index(words)
        qt_start, qt_end = mapping.plain_range_to_qt(start, start + len(words))
        assert mapping.qt_range_to_plain(qt_start, qt_end) == (start, start + len(words))
        utf16 = (HEADER + doc_body).encode("utf-16-le")
        shown = utf16[qt_start * 2 : qt_end * 2].decode("utf-16-le")
        assert shown.replace("  ", " ") == words


def test_a_selection_in_the_header_has_no_body_range() -> None:
    plain = "本文"
    mapping = TextMapping(plain, HEADER + plain, len(HEADER))
    assert mapping.qt_range_to_plain(0, 2) is None


def _reference(plain: str, doc: str, body_start: int) -> tuple[list[int], dict[int, int]]:
    """The character-by-character alignment the run-based mapping must agree with."""
    plain_to_doc, doc_to_plain = [-1] * (len(plain) + 1), {}
    i, j = 0, body_start
    while i < len(plain) and j < len(doc):
        a, b = plain[i], doc[j]
        if a == b or (a.isspace() and b.isspace()) or not (a.isspace() or b.isspace() or b in "\ufffc\u2028\u2029"):
            plain_to_doc[i], doc_to_plain[j] = j, i
            i, j = i + 1, j + 1
        elif a.isspace():
            plain_to_doc[i] = -1  # shown nowhere
            i += 1
        else:
            j += 1
    return plain_to_doc, doc_to_plain


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet="法規AI安全 𠀀", min_size=1, max_size=12), min_size=1, max_size=12),
    breaks=st.lists(st.sampled_from(["", " ", "\u2029", "\n\n", "  "]), min_size=12, max_size=12),
)
def test_runs_agree_with_the_character_by_character_alignment(words: list[str], breaks: list[str]) -> None:
    plain = " ".join(words)
    # What Qt might show: the same characters with different white space and added breaks.
    doc_body = "".join(w + breaks[k] for k, w in enumerate(words))
    mapping = TextMapping(plain, HEADER + doc_body, len(HEADER))
    plain_to_doc, doc_to_plain = _reference(plain, HEADER + doc_body, len(HEADER))
    for i, j in enumerate(plain_to_doc[:-1]):
        if j >= 0:
            assert mapping.from_qt(mapping.plain_range_to_qt(i, i + 1)[0]) == j
    for j, i in doc_to_plain.items():
        qt = mapping.to_qt(j)
        assert mapping.qt_range_to_plain(qt, qt + (2 if ord((HEADER + doc_body)[j]) > 0xFFFF else 1)) == (i, i + 1)


def test_a_paragraph_split_for_display_maps_back_to_one_paragraph() -> None:
    plain = "字" * 25_000 + "。結尾"
    shown = "\u2029".join(plain[k : k + 10_000] for k in range(0, len(plain), 10_000))
    mapping = TextMapping(plain, HEADER + shown, len(HEADER))
    start = plain.index("結尾")
    qt_start, qt_end = mapping.plain_range_to_qt(start, start + 2)
    assert (HEADER + shown)[qt_start:qt_end] == "結尾"
    # A selection across the added break selects the characters on both sides, nothing else.
    across = len(HEADER) + 10_000
    assert mapping.qt_range_to_plain(across - 1, across + 2) == (9_999, 10_001)
