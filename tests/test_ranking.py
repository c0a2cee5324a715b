"""The vectorised ranking (reader.search.ranking over reader.search.postings) gives Whoosh's
own BM25F: the same documents in the same order with the same scores, on an index of
several segments, for the ranking queries real searches build."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import query as wq

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.folding import fold_chars
from reader.search.index import SearchIndex
from reader.search.postings import PostingCache, posting_cache
from reader.search.query import parse_query
from reader.search.ranking import flatten, rank
from reader.search.searching import _Evaluator, search

WORDS = ["個人資料", "保護法", "主管機關", "人工智慧", "風險", "透明度", "罰鍰", "第六條", "評估", "隱私",
         "NIST", "GDPR", "risk", "evaluation", "evaluations", "management", "AI"]


def _article(rng: random.Random, n: int) -> str:
    title = "".join(rng.choices(WORDS, k=3))
    body = "\n\n".join("".join(rng.choices(WORDS, k=rng.randint(3, 40))) + "。" for _ in range(rng.randint(1, 6)))
    tags = ", ".join(rng.sample(["隱私", "AI", "法規"], k=rng.randint(0, 2)))
    return f"---\ntitle: {title}{n}\ndate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\ntags: [{tags}]\n---\n\n{body}\n"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """120 articles indexed in four commits: four segments, so document numbers are offset
    (small segments are otherwise merged at commits: index.MERGE_LIMIT)."""
    from reader.search import index as index_module

    patch = pytest.MonkeyPatch()
    patch.setattr(index_module, "MERGE_LIMIT", 0)
    root = tmp_path_factory.mktemp("ranking")
    rng = random.Random(15)
    library_dir = root / "library"
    library_dir.mkdir()
    library = Library(library_dir.resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    search_index = SearchIndex(library.index_dir)
    for batch in range(4):
        names = set()
        for n in range(batch * 30, batch * 30 + 30):
            name = f"{n:03}.md"
            (library_dir / name).write_text(_article(rng, n), encoding="utf-8")
            names.add(name)
        catalog.rescan()
        search_index.update(library, catalog, only=names)
    yield search_index
    search_index.close()
    catalog.close()
    patch.undo()


def _whoosh_rank(searcher, ranking, allowed: set[int]) -> list[tuple[float, int]]:
    found = searcher.search(ranking, limit=None, filter=allowed, terms=False)
    scored = [(hit.score, hit.docnum) for hit in found]
    scored += [(0.0, d) for d in sorted(allowed - {d for _, d in scored})]
    return scored


QUERIES = ["個人資料", "主管機關 NIST", "風險 OR 透明度", "risk", "evaluations", "人", "資料 -GDPR",
           '"個人資料保護法"', "title:保護法", "第六條 罰鍰", "AI 風險 評估", "tag:隱私 人工智慧", "隱"]


def test_the_index_has_several_segments(index: SearchIndex) -> None:
    assert len(index.searcher().reader().leaf_readers()) > 1


@pytest.mark.parametrize("query", QUERIES)
def test_scores_and_order_are_whooshs(index: SearchIndex, query: str) -> None:
    searcher = index.searcher()
    parsed = parse_query(query)
    evaluator = _Evaluator(searcher)
    allowed = evaluator.exact_set(parsed.root)
    ranking = evaluator.ranking_query(parsed.root)
    assert allowed and ranking is not None and flatten(ranking) is not None
    ours = rank(searcher, PostingCache(searcher), ranking, allowed, None)
    theirs = _whoosh_rank(searcher, ranking, allowed)
    assert [d for _, d in ours] == [d for _, d in theirs]
    assert np.allclose([s for s, _ in ours], [s for s, _ in theirs], rtol=1e-9, atol=1e-12)
    for limit in (1, 3, 20):
        assert rank(searcher, PostingCache(searcher), ranking, allowed, limit) == ours[:limit]


def test_repeated_terms_score_again_and_boosts_apply(index: SearchIndex) -> None:
    searcher = index.searcher()
    allowed = set(range(searcher.doc_count_all()))
    risk = fold_chars("風險")
    ranking = wq.Or([wq.Term("body", risk, boost=2.0), wq.Term("body", risk), wq.Or([wq.Term("title", risk), wq.Term("body", "ai")], boost=3.0)])
    ours = rank(searcher, PostingCache(searcher), ranking, allowed, None)
    theirs = _whoosh_rank(searcher, ranking, allowed)
    assert ours[0][0] > 0 and ours[-1][0] < ours[0][0]
    assert [d for _, d in ours] == [d for _, d in theirs]
    assert np.allclose([s for s, _ in ours], [s for s, _ in theirs])


def test_postings_and_lengths_are_the_readers(index: SearchIndex) -> None:
    searcher = index.searcher()
    reader = searcher.reader()
    cache = PostingCache(searcher)
    for field, term in [("body", fold_chars("風險")), ("title", fold_chars("保護")), ("body", "risk"), ("body", "無此詞")]:
        assert (field, term) in reader or term == "無此詞"
        ids, weights = cache.postings(field, term)
        if (field, term) in reader:
            items = list(reader.postings(field, term).items_as("weight"))
            assert ids.tolist() == [d for d, _ in items]
            assert np.allclose(weights, [w for _, w in items])
        else:
            assert not len(ids)
    for field in ("body", "title", "tags"):
        expected = [reader.doc_field_length(d, field, 0) or 0 for d in range(reader.doc_count_all())]
        assert cache.lengths(field).tolist() == expected


def test_the_cache_keeps_to_its_budget(index: SearchIndex) -> None:
    searcher = index.searcher()
    cache = PostingCache(searcher, budget_bytes=64)
    for term in ("風險", "資料", "主管", "透明"):
        ids, _ = cache.postings("body", fold_chars(term))
        assert len(ids)
    assert cache.held_bytes <= 64
    again = posting_cache(searcher)
    assert again is posting_cache(searcher)  # one cache per searcher


def test_search_results_keep_title_first(index: SearchIndex) -> None:
    result = search(index, "保護法", limit=5)
    assert result.hits and "保護法" in result.hits[0].title


def test_posting_values_are_the_readers_for_the_documents_asked(index: SearchIndex) -> None:
    searcher = index.searcher()
    reader = searcher.reader()
    cache = PostingCache(searcher)
    term = fold_chars("風險")
    every = dict(reader.postings("body", term).all_items())
    asked = set(list(every)[::3]) | {10_000, -1}  # some of its documents, and ones it lacks
    assert cache.values("body", term, asked) == {d: v for d, v in every.items() if d in asked}
    assert cache.values("body", "無此詞", asked) == {}
