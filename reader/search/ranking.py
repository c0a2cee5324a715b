"""BM25F over the matching documents at once, from decoded postings.

The ranking query is what :mod:`reader.search.searching` builds: term queries (with boosts)
joined by ``Or``. Whoosh scores it one posting at a time through a tree of Python matchers
(about 460,000 ``score`` calls per 90 multi-word searches at 10,000 articles). Here each
term's postings come as arrays (:mod:`reader.search.postings`), the allowed documents are
looked up in them with ``searchsorted``, and BM25F is computed for all of them in one
vectorised expression. The formula, the statistics (idf, average field length, the
one-byte field lengths) and the order (best score first, then document number) are
Whoosh's, so the ranking is the same.
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq
from whoosh import scoring

from reader.search.postings import PostingCache


def flatten(ranking: wq.Query, boost: float = 1.0) -> list[tuple[str, str, float]] | None:
    """(field, term, boost) for every term query of ``ranking``, as often as it occurs
    (Whoosh's Or scores a repeated term again); None when ``ranking`` holds anything else."""
    if isinstance(ranking, wq.Term):
        return [(ranking.fieldname, ranking.text, boost * ranking.boost)]
    if isinstance(ranking, wq.Or) and not ranking.minmatch and not ranking.scale:
        out: list[tuple[str, str, float]] = []
        for sub in ranking.subqueries:
            part = flatten(sub, boost * ranking.boost)
            if part is None:
                return None
            out += part
        return out
    return None


def bm25f_scores(searcher, cache: PostingCache, terms: list[tuple[str, str, float]], docs: np.ndarray) -> np.ndarray:
    """The BM25F score of each of ``docs`` (sorted document numbers) for ``terms``."""
    weighting = searcher.weighting
    b_default, k1 = getattr(weighting, "B", 0.75), getattr(weighting, "K1", 1.2)
    field_b = getattr(weighting, "_field_B", {})
    scores = np.zeros(len(docs), dtype=np.float64)
    schema = searcher.schema
    for field, text, boost in terms:
        if field not in schema:
            continue
        ids, weights = cache.postings(field, text)
        if not len(ids):
            continue
        at = np.searchsorted(ids, docs)
        inside = at < len(ids)
        at = np.where(inside, at, 0)
        hit = inside & (ids[at] == docs)
        if not hit.any():
            continue
        tf = weights[at[hit]].astype(np.float64)
        if schema[field].scorable:
            idf = _idf(searcher, cache, field, text)
            avgfl = searcher.avg_field_length(field) or 1
            b = field_b.get(field, b_default)
            fl = cache.lengths(field)[docs[hit]]
            part = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        else:
            part = tf
        scores[hit] += part * boost
    return scores


def _idf(searcher, cache: PostingCache, field: str, text: str) -> float:
    """Whoosh's idf of a term (``WeightingModel.idf``), from the cache's document frequency
    (counted once, with the segments that hold the term) instead of another lookup in every
    segment; a weighting with its own idf, or a sub-searcher, asks Whoosh."""
    if type(searcher.weighting).idf is not scoring.WeightingModel.idf or searcher.get_parent() is not searcher:
        return searcher.idf(field, text)
    return log(searcher.doc_count_all() / (cache.doc_frequency(field, text) + 1)) + 1


def rank(searcher, cache: PostingCache, ranking: wq.Query, allowed: set[int], limit: int | None) -> list[tuple[float, int]] | None:
    """(score, document number) of the ``allowed`` documents, best first (ties by document
    number), ``limit`` of them (every one for None or 0); None when ``ranking`` is not made
    of term queries (the caller ranks with Whoosh then)."""
    terms = flatten(ranking)
    if terms is None:
        return None
    docs = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
    docs.sort()
    scores = bm25f_scores(searcher, cache, terms, docs)
    if limit and limit < len(docs):
        # The limit-th best score; every document scoring at least it is a candidate (ties).
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= cut
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))
    if limit:
        order = order[:limit]
    return [(float(scores[i]), int(docs[i])) for i in order]
