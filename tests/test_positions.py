"""Positions as the index writes them (reader.search.positions): every list comes back as it
went in, one at a time and thousands at once, and phrases are found through them where an
article is long enough for positions past 65,535."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reader.search import positions
from reader.search.folding import fold
from reader.search.postings import posting_cache
from reader.search.searching import search
from tests.indexed import indexed_library

position_lists = st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=40, unique=True).map(sorted)


@given(position_lists)
def test_a_posting_reads_back_as_written(poslist: list[int]) -> None:
    value = positions.encode(poslist)
    assert positions.decode(value) == poslist
    assert positions.frequency(value) == len(poslist)


@given(st.lists(position_lists.filter(bool), max_size=30))
def test_many_postings_read_back_at_once(lists: list[list[int]]) -> None:
    docs = list(range(100, 100 + len(lists)))
    values = [positions.encode(p) for p in lists]
    lengths = [len(v) for v in values]
    got_docs, got_positions = positions.decode_many(docs, b"".join(values), lengths)
    assert sorted(zip(got_docs.tolist(), got_positions.tolist(), strict=True)) == sorted(
        (doc, p) for doc, poslist in zip(docs, lists, strict=True) for p in poslist)
    assert got_docs.dtype == got_positions.dtype == np.int64
    assert positions.frequencies(b"".join(values), lengths).tolist() == [len(p) for p in lists]


def test_two_bytes_a_position_below_65536() -> None:
    assert len(positions.encode([1, 2, 65535])) == 1 + 3 * 2
    assert len(positions.encode([1, 65536])) == 1 + 2 * 4


def test_phrases_past_position_65535_are_found(tmp_path) -> None:
    """A long article (a statute compilation): its positions need four bytes, and a phrase at
    its very end, a phrase spanning the two-byte limit and a run at its start are all found;
    a run whose bigrams are all in it but never adjacent is not."""
    filler = "法規條文內容" * 14000  # about 84,000 bigram positions
    articles = {
        "long.md": f"---\ntitle: 長篇\n---\n\n開頭的段落{filler}結尾出現的獨特詞句。\n\n資料。保護。\n",
        "short.md": "---\ntitle: 短篇\n---\n\n結尾出現的獨特詞句。\n",
    }
    with indexed_library(tmp_path, articles) as (_library, _catalog, index):
        assert {h.path for h in search(index, "結尾出現的獨特詞句", limit=None).hits} == {"long.md", "short.md"}
        assert [h.path for h in search(index, '"開頭的段落法規"', limit=None).hits] == ["long.md"]
        assert search(index, "資料保護", limit=None).total == 0  # 資料 and 保護 in it, never together
        searcher = index.searcher()
        doc = searcher.document_number(path="long.md")
        docs, found = posting_cache(searcher).positions("body", fold("獨特"), np.array([doc]))
        assert docs.tolist() == [doc] and found[0] > 65535


def test_positions_are_kept_for_typing_not_for_a_single_search(tmp_path) -> None:
    """The window's search-as-you-type keeps a term's positions with its postings (the next
    keystroke makes a phrase of it); reader search, one query a process, does not decode them."""
    from reader.search.searching import window_search

    articles = {f"{n}.md": f"---\ntitle: 第{n}篇\n---\n\n主管機關應公告。\n" for n in range(3)}
    with indexed_library(tmp_path, articles) as (_library, _catalog, index):
        cache = posting_cache(index.searcher())
        assert search(index, "主管").total == 3
        assert not any(len(key) == 3 for key in cache._lists)
        assert window_search(index, "機關").total == 3
        assert any(key[1] == fold("機關") and key[2:] == ("positions",) for key in cache._lists)
        assert window_search(index, "機關應").total == 3  # the kept positions answer the phrase
        assert window_search(index, "機關公").total == 0
