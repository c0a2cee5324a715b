"""Run a parsed query against the index: exact (grep-complete) results, BM25F ranking.

Each leaf's documents are computed exactly from postings (see ``matching``); the boolean
structure is set algebra over document numbers; then a query of plain terms ranks the
surviving documents with BM25F (title and tags weigh more than body).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from reader.search.analysis import STEM_MARK, han_terms, query_tokens, stem
from reader.search.documents import unpack_texts
from reader.search.folding import fold
from reader.search.matching import LeafMatcher
from reader.search.query import DateRange, Leaf, Node, ParsedQuery, parse_query, positive_leaves
from reader.search.schema import TEXT_FIELDS
from reader.search.snippets import make_snippet


@dataclass
class Hit:
    path: str
    title: str
    date: str
    score: float
    snippet: str  # HTML: escaped text with <mark>…</mark> around matches


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    fallback: bool = False
    message: str = ""


def _scoring_terms(leaf: Leaf, reader) -> wq.Query:
    """Term queries that rank a leaf's documents with BM25F over the boosted fields.

    Ranking reads postings, so it uses few of them: for a Han run its two rarest bigrams
    (they carry most of the information), for a single character the unigram fields.
    """
    tokens = query_tokens(fold(leaf.text.strip()))
    fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)
    queries: list[wq.Query] = []
    for token in tokens:
        if token.kind == "han" and len(token.text) == 1:
            if leaf.field is None:
                queries += [wq.Term("chars", token.text), wq.Term("tchars", token.text, boost=3.0)]
            else:
                queries += [wq.Term(f, token.text) for f in fields]
        elif token.kind == "han":
            bigrams = sorted(set(han_terms(token.text)), key=lambda t: reader.doc_frequency("body", t))[:2]
            queries += [wq.Term(f, t) for f in fields for t in bigrams]
        else:
            queries += [wq.Term(f, token.text, boost=2.0) for f in fields]
            if not leaf.phrase and token.text.isalpha():
                queries += [wq.Term(f, STEM_MARK + stem(token.text)) for f in fields]
    if not queries:
        return wq.Every()
    return queries[0] if len(queries) == 1 else wq.Or(queries)


class _Evaluator:
    def __init__(self, searcher) -> None:
        self.matcher = LeafMatcher(searcher)
        self.searcher = searcher

    def date_docs(self, node: DateRange) -> set[int]:
        if node.start == node.end:
            query: wq.Query = wq.Prefix("date", node.start)
        else:
            query = wq.TermRange("date", node.start, node.end + "\uffff")
        return set(query.docs(self.searcher))

    def exact_set(self, node: Node) -> set[int]:
        if isinstance(node, DateRange):
            return self.date_docs(node)
        if isinstance(node, Leaf):
            return self.matcher.leaf_docs(node)
        if node.kind == "not":
            return self.matcher.all_docs() - self.exact_set(node.children[0])
        sets = iter(self.exact_set(child) for child in node.children)
        result = next(sets)
        for docs in sets:
            result = (result & docs) if node.kind == "and" else (result | docs)
        return result

    def ranking_query(self, node: Node) -> wq.Query | None:
        """Positive parts only: NOT parts and dates do not score."""
        if isinstance(node, DateRange):
            return None
        if isinstance(node, Leaf):
            return _scoring_terms(node, self.matcher.reader)
        if node.kind == "not":
            return None
        parts = [q for q in (self.ranking_query(c) for c in node.children) if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)


def search(search_index, text: str, limit: int | None = 20, with_snippets: bool = True) -> SearchResult:
    """Search ``search_index`` (a :class:`~reader.search.index.SearchIndex`). ``limit`` None or
    0 returns every hit."""
    parsed: ParsedQuery = parse_query(text)
    result = SearchResult(query=text, total=0, fallback=parsed.fallback, message=parsed.message)
    if parsed.root is None:
        return result
    searcher = search_index.searcher()
    evaluator = _Evaluator(searcher)
    allowed = evaluator.exact_set(parsed.root)
    total = len(allowed)
    results = None
    if allowed:
        ranking = evaluator.ranking_query(parsed.root) or wq.Every()
        results = searcher.search(ranking, limit=limit or None, filter=allowed, terms=False)
    result.total = total
    if not results:
        return result
    leaves = positive_leaves(parsed.root)
    for hit in results:
        stored = hit.fields()
        texts = unpack_texts(stored["texts"])
        snippet = make_snippet(texts, leaves) if with_snippets else ""
        result.hits.append(Hit(stored["path"], texts["title"], stored.get("date", ""), round(float(hit.score), 4), snippet))
    return result



