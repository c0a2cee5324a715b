"""The posting blocks of reader.search.codec: an index written with them reads back, through
Whoosh's own matchers and through the posting cache's arrays, exactly what Whoosh's W3
codec gives for the same documents, and Whoosh's own queries find the same documents."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, query
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage

from reader.search.codec import ArrayCodec, ArrayLeafMatcher
from reader.search.postings import PostingCache

WORDS = ["alpha", "beta", "gamma", "delta", "law", "risk", "nist"]


def _schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(stored=True),  # values of no size
        body=fields.TEXT(phrase=True),  # positions: values of varying size
        freq=fields.TEXT(phrase=False),  # frequencies
        tags=fields.KEYWORD(scorable=True),
    )


def _index(codec, documents: list[list[str]], deleted: set[int]):
    ix = RamStorage().create_index(_schema())
    writer = ix.writer(codec=codec)
    for number, words in enumerate(documents):
        text = " ".join(words)
        writer.add_document(key=f"d{number}", body=text, freq=text, tags=" ".join(sorted(set(words))[:2]))
    writer.commit()
    if deleted:
        writer = ix.writer(codec=codec)
        for number in deleted:
            writer.delete_by_term("key", f"d{number}")
        writer.commit(merge=False)
    return ix


def _postings(ix) -> dict:
    out = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for field in ("key", "body", "freq", "tags"):
            for term in reader.lexicon(field):
                matcher = reader.postings(field, term)
                items = []
                while matcher.is_active():
                    items.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                out[field, term] = items
    return out


documents = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=300)


@settings(max_examples=40, deadline=None)
@given(documents, st.data())
def test_postings_read_back_as_whoosh_writes_them(docs, data) -> None:
    deleted = data.draw(st.sets(st.integers(0, len(docs) - 1), max_size=len(docs) // 3))
    ours, theirs = _index(ArrayCodec(), docs, deleted), _index(W3Codec(), docs, deleted)
    assert _postings(ours) == _postings(theirs)
    with ours.searcher() as a, theirs.searcher() as b:
        for q in (query.Term("body", "law"), query.Phrase("body", ["risk", "nist"]), query.And([query.Term("freq", "alpha"), query.Term("tags", "beta")])):
            assert [(h["key"], round(h.score, 5)) for h in a.search(q, limit=None)] == [
                (h["key"], round(h.score, 5)) for h in b.search(q, limit=None)]


@settings(max_examples=25, deadline=None)
@given(documents)
def test_the_posting_cache_reads_the_blocks_as_arrays(docs) -> None:
    ix = _index(ArrayCodec(), docs, set())
    with ix.searcher() as searcher:
        cache = PostingCache(searcher)
        for term in WORDS:
            expected = [n for n, words in enumerate(docs) if term in words]
            ids, weights = cache.postings("body", term)
            assert ids.tolist() == expected
            assert weights.tolist() == [float(docs[n].count(term)) for n in expected]
            found, joined, lengths = cache._values("body", term, set(expected[::2]))
            assert found.tolist() == expected[::2]
            assert int(lengths.sum()) == len(joined)


def test_a_long_posting_list_spans_blocks_and_skips_them() -> None:
    docs = [["law"] * (1 + n % 3) + (["rare"] if n in (5, 700) else []) for n in range(1200)]
    ix = _index(ArrayCodec(), docs, set())
    with ix.searcher() as searcher:
        matcher = searcher.reader().postings("body", "law")
        assert isinstance(matcher, ArrayLeafMatcher)
        blocks = 0
        while matcher.is_active():
            blocks += 1
            matcher._next_block()
        assert blocks == 3  # 512 postings a block (codec.BLOCK_POSTINGS)
        cache = PostingCache(searcher)
        found, _joined, lengths = cache._values("body", "law", {3, 1199})
        assert found.tolist() == [3, 1199]
        assert (np.asarray(lengths) > 0).all()
        assert sorted(h["key"] for h in searcher.search(query.Phrase("body", ["law", "rare"]), limit=None)) == ["d5", "d700"]
