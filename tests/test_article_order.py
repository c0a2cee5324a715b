"""The article list's orders (two stable sorts, the tie-break first) are exactly those of one
sort on (key, tie-break) tuples, which they replaced for speed at 100,000 articles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("PySide6")

from reader.ui.article_models import ArticleListModel, ArticleRow  # noqa: E402

REFERENCE = {
    "title": (lambda r: (r.title_key, r.path), False),
    "recent": (lambda r: (-r.last_read, r.title_key), False),
    "date": (lambda r: (r.date or "0000", r.title_key), True),
}

rows = st.lists(
    st.builds(
        ArticleRow,
        path=st.text("ab/", min_size=1, max_size=4),
        title=st.sampled_from(["", "a", "A", "Ａ", "b", "第三條", "第3條", "個人資料", "个人资料", "z"]),
        date=st.sampled_from(["", "0000", "(x)", "2023", "2024-01", "2024-01-02"]),
        last_read=st.sampled_from([0, 1, 7]),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(rows=rows, mode=st.sampled_from(sorted(REFERENCE)))
def test_the_list_order_is_the_tuple_order(qapp, rows: list[ArticleRow], mode: str) -> None:
    model = ArticleListModel()
    model.sort_mode = mode
    key, reverse = REFERENCE[mode]
    expected = sorted(rows, key=key, reverse=reverse)
    assert [id(r) for r in model._order(rows)] == [id(r) for r in expected]
