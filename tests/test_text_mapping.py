"""The one place that maps plain-text offsets to Qt document positions and back."""

from __future__ import annotations

import pytest

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
