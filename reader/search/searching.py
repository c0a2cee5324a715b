"""Run a parsed query against the index: exact (grep-complete) results, BM25F ranking.

Each leaf's documents are computed exactly from postings (see ``matching``); the boolean
structure is set algebra over document numbers; then a query of plain terms ranks the
surviving documents with BM25F (title and tags weigh more than body).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from reader.search.analysis import (
    STEM_MARK,
    han_terms,
    has_punctuation,
    query_space_term,
    query_tokens,
)
from reader.search.documents import document_heading, document_texts
from reader.search.inflection import query_terms
from reader.search.matching import LeafMatcher, leaf_forms
from reader.search.postings import kept_on, posting_cache
from reader.search.query import (
    DateRange,
    Leaf,
    Node,
    ParsedQuery,
    Ref,
    TagFilter,
    parse_query,
    positive_leaves,
    positive_refs,
)
from reader.search.schema import TEXT_FIELDS
from reader.search.snippets import make_snippet


@dataclass
class Hit:
    path: str
    title: str
    date: str
    score: float
    snippet: str  # HTML: escaped text with <mark>…</mark> around matches
    snippet_pending: bool = False  # not made yet (beyond snippet_limit): ask snippets_for()


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    fallback: bool = False
    message: str = ""
    rejected: bool = False  # the query is beyond the limits and nothing was searched (see query)
    expansions: list = field(default_factory=list)  # expansion.Expansion: terms also searched as others


def _scoring_terms(leaf: Leaf, frequency) -> wq.Query:
    """Term queries that rank a leaf's documents with BM25F over the boosted fields.

    Ranking reads postings, so it uses few of them: for a Han run its two rarest bigrams
    (they carry most of the information), for a single character the unigram fields.
    """
    forms = leaf_forms(leaf)
    tokens = [t for form in forms for t in query_tokens(form)]
    fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)
    if len({t.kind for t in tokens}) > 1 and len(tokens) > 2:
        # Han text and numbers (第3條第1項 and its forms): rank by the two rarest tokens; the
        # numbers and single characters are in nearly every law article.
        def rarity(token) -> int:
            if token.kind == "han" and len(token.text) == 1:
                return frequency("chars", token.text)
            if token.kind == "han":
                return min(frequency("body", t) for t in han_terms(token.text))
            return frequency("body", token.text)

        tokens = sorted(tokens, key=rarity)[:2]
    spaces = _phrase_spaces(leaf, forms)
    if spaces:
        # A phrase of words ranks by how often it holds them side by side (its white space's
        # terms, the two rarest), which its exact set has just read.
        keep = sorted(spaces, key=lambda t: frequency("body", t))[:2]
        return _any([wq.Term(f, term, boost=2.0) for f in fields for term in keep])
    words = [t for t in tokens if t.kind == "word"]
    if len(words) > 2:  # a phrase of words ranks by its two rarest, as a Han run by two bigrams
        keep = sorted(words, key=lambda t: frequency("body", t.text))[:2]
        tokens = [t for t in tokens if t.kind != "word" or t in keep]
    queries: list[wq.Query] = []
    for token in tokens:
        if token.kind == "han" and len(token.text) == 1:
            if leaf.field is None:
                queries += [wq.Term("chars", token.text), wq.Term("tchars", token.text, boost=3.0)]
            else:
                queries += [wq.Term(f, token.text) for f in fields]
        elif token.kind == "han":
            bigrams = sorted(set(han_terms(token.text)), key=lambda t: frequency("body", t))[:2]
            queries += [wq.Term(f, t) for f in fields for t in bigrams]
        else:
            # The word as typed weighs twice its inflections: exact forms rank first.
            queries += [wq.Term(f, token.text, boost=2.0) for f in fields]
            if not leaf.phrase and token.text.isalpha():
                queries += [wq.Term(f, term) for f in fields for term in query_terms(token.text, STEM_MARK)[1:]]
    return _any(queries)


def _any(queries: list[wq.Query]) -> wq.Query:
    if not queries:
        return wq.Every()
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _phrase_spaces(leaf: Leaf, forms: list[str]) -> list[str]:
    """The terms of a quoted phrase's white space (``"risk management"``), when it is one
    form of words with white space between each two; else none."""
    if not leaf.phrase or len(forms) != 1:
        return []
    tokens = query_tokens(forms[0])
    if len(tokens) < 2 or has_punctuation(forms[0]) or any(t.kind != "word" for t in tokens):
        return []
    if not all(t.spaced for t in tokens[1:]):
        return []
    return list(dict.fromkeys(query_space_term(a, b) for a, b in zip(tokens, tokens[1:], strict=False)))


def _distinct(children: list[Node]) -> list[Node]:
    """``children`` without repeated leaves and dates: ``a a`` is ``a``, and ``a OR a`` too, so
    a repeated word is looked up once (ranking still counts it as often as it is written)."""
    seen: set[tuple] = set()
    out = []
    for child in children:
        if isinstance(child, Leaf):
            key: tuple | None = ("leaf", child.text, child.field, child.phrase)
        elif isinstance(child, DateRange):
            key = ("date", child.start, child.end)
        elif isinstance(child, Ref):
            key = ("ref", tuple(child.terms))
        elif isinstance(child, TagFilter):
            key = ("htag", child.tag)
        else:
            key = None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(child)
    return out


class _Evaluator:
    def __init__(self, searcher, htag_paths=None) -> None:
        self.matcher = LeafMatcher(searcher)
        self.searcher = searcher
        self.htag_paths = htag_paths  # tag -> article paths (htag:), None: no tag matches

    def tag_docs(self, node: TagFilter) -> set[int]:
        """The documents of the articles whose annotations carry the tag (none without a
        resolver, or for a tag nobody used: not an error)."""
        if self.htag_paths is None or not node.tag:
            return set()
        docs: set[int] = set()
        for path in self.htag_paths(node.tag):
            number = self.searcher.document_number(path=path)
            if number is not None:
                docs.add(number)
        return docs

    def date_docs(self, node: DateRange) -> set[int]:
        if node.start == node.end:
            query: wq.Query = wq.Prefix("date", node.start)
        else:
            query = wq.TermRange("date", node.start, node.end + "\uffff")
        return set(query.docs(self.searcher))

    def ref_docs(self, node: Ref) -> set[int]:
        docs: set[int] = set()
        for term in node.terms:
            docs |= self.matcher.term_docs("ref", term)
        return docs

    def exact_set(self, node: Node, within: set[int] | None = None) -> set[int]:
        """The documents ``node`` matches, among ``within`` when given.

        AND takes its rarest leaf first and gives each next part only the documents still
        in the running: position checks and text verification, the costly steps, then look
        at hundreds of documents instead of thousands, and an empty part ends it."""
        if isinstance(node, DateRange):
            docs = self.date_docs(node)
            return docs if within is None else docs & within
        if isinstance(node, Leaf):
            return self.matcher.leaf_docs(node, within)
        if isinstance(node, Ref):
            docs = self.ref_docs(node)
            return docs if within is None else docs & within
        if isinstance(node, TagFilter):
            docs = self.tag_docs(node)
            return docs if within is None else docs & within
        if node.kind == "not":
            return (self.matcher.all_docs() if within is None else within) - self.exact_set(node.children[0], within)
        children = _distinct(node.children)
        if node.kind == "or":
            result: set[int] = set()
            for child in children:
                result |= self.exact_set(child, within)
            return result
        result_and = within
        for child in sorted(children, key=self._cost):
            result_and = self.exact_set(child, result_and)
            if not result_and:
                return set()
        return result_and if result_and is not None else set()

    def _cost(self, node: Node) -> int:
        if isinstance(node, Leaf):
            return self.matcher.estimate(node)
        if isinstance(node, Ref):
            return sum(self.matcher.frequency("ref", t) for t in node.terms)
        if isinstance(node, TagFilter):
            return 0  # a set from memory: the cheapest first part of an AND
        return self.matcher.reader.doc_count_all() + (1 if isinstance(node, DateRange) else 2)

    def ranking_query(self, node: Node) -> wq.Query | None:
        """Positive parts only: NOT parts, dates and highlight tags do not score."""
        if isinstance(node, (DateRange, TagFilter)):
            return None
        if isinstance(node, Leaf):
            return _scoring_terms(node, self.matcher.frequency)
        if isinstance(node, Ref):
            terms = [wq.Term("ref", t) for t in node.terms]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        if node.kind == "not":
            return None
        parts = [q for q in (self.ranking_query(c) for c in node.children) if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)


#: The window's search: this many hits listed, the first WINDOW_SNIPPETS of them with their
#: snippet at once (a tall screen's rows); the others' snippets are made as the list scrolls to
#: them (:func:`snippets_for`). The total is always exact.
WINDOW_LIMIT = 300
WINDOW_SNIPPETS = 12


def window_search(search_index, text: str, glossary=None, htag_paths=None,
                  no_expand: frozenset[str] | set[str] = frozenset()) -> SearchResult:
    """What the window's search box asks for each query typed (see WINDOW_LIMIT)."""
    return search(search_index, text, limit=WINDOW_LIMIT, glossary=glossary, htag_paths=htag_paths,
                  no_expand=no_expand, snippet_limit=WINDOW_SNIPPETS, typing=True)


def search(search_index, text: str, limit: int | None = 20, with_snippets: bool = True, glossary=None,
           htag_paths=None, no_expand: frozenset[str] | set[str] = frozenset(),
           snippet_limit: int | None = None, typing: bool = False) -> SearchResult:
    """Search ``search_index`` (a :class:`~reader.search.index.SearchIndex`). ``limit`` None or
    0 returns every hit. With a ``glossary`` (:func:`reader.search.expansion.index_glossary`)
    the terms it knows are also searched as their other forms, except the terms in
    ``no_expand``; ``result.expansions`` says which. ``htag_paths(tag)`` (see
    :func:`reader.annotations.tag_search.tag_resolver`) answers ``htag:`` parts; without
    it they match nothing. With ``snippet_limit``, only the first that many hits get their
    snippet; the others are ``snippet_pending`` (:func:`snippets_for` makes them). ``typing``:
    the next query likely extends this one (search-as-you-type), so positions read are kept."""
    parsed = _parsed(text, glossary, no_expand)
    result = SearchResult(query=text, total=0, fallback=parsed.fallback, message=parsed.message, rejected=parsed.rejected,
                          expansions=parsed.expansions)
    if parsed.root is None:
        return result
    searcher = search_index.searcher()
    if typing:
        posting_cache(searcher).keep_positions = True
    evaluator = _Evaluator(searcher, htag_paths)
    allowed = evaluator.exact_set(parsed.root)
    total = len(allowed)
    results = None
    if allowed:
        ranking = evaluator.ranking_query(parsed.root) or wq.Every()
        results = _rank(searcher, ranking, allowed, limit)
    result.total = total
    if not results:
        return result
    leaves = positive_leaves(parsed.root)
    refs = positive_refs(parsed.root)
    shown = _Shown(searcher)
    for number, (score, docnum) in enumerate(results):
        if with_snippets and (snippet_limit is None or number < snippet_limit):
            path, title, date, texts = shown.texts(docnum)
            snippet, pending = make_snippet(texts, leaves, refs=refs), False
        else:
            (path, title, date), snippet, pending = shown.heading(docnum), "", with_snippets
        result.hits.append(Hit(path, title, date, round(float(score), 4), snippet, pending))
    return result


def snippets_for(search_index, text: str, paths: list[str], glossary=None,
                 no_expand: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    """The snippets of the articles ``paths`` for the search ``text`` (as :func:`search` would
    have made them, with the same ``glossary`` and ``no_expand``): the hits a list scrolls to
    after :func:`window_search` made the first screen's. A path no longer indexed gets ""."""
    parsed = _parsed(text, glossary, no_expand)
    if parsed.root is None:
        return dict.fromkeys(paths, "")
    searcher = search_index.searcher()
    leaves, refs = positive_leaves(parsed.root), positive_refs(parsed.root)
    shown = _Shown(searcher)
    out = {}
    for path in paths:
        docnum = searcher.document_number(path=path)
        out[path] = "" if docnum is None else make_snippet(shown.texts(docnum)[3], leaves, refs=refs)
    return out


@dataclass
class _Parsed:
    root: Node | None
    fallback: bool
    message: str
    rejected: bool
    expansions: list


def _parsed(text: str, glossary, no_expand) -> _Parsed:
    parsed: ParsedQuery = parse_query(text)
    out = _Parsed(parsed.root, parsed.fallback, parsed.message, parsed.rejected, [])
    if glossary is not None and out.root is not None:
        from reader.search.expansion import expand

        out.root, out.expansions = expand(out.root, glossary, skip=no_expand)
    return out


#: Headings a searcher keeps (about 100 bytes each).
HEADINGS_KEPT = 50_000


class _Shown:
    """What the hits of one searcher show: headings (path, title, date) from the index's
    heading column, which is read without the texts, and texts from their column."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        # The keystrokes of a burst list the same hits.
        self.headings: dict[int, tuple[str, str, str]] = kept_on(searcher, "headings", dict)

    def texts(self, docnum: int) -> tuple[str, str, str, dict[str, str]]:
        return (*self.heading(docnum), document_texts(self.searcher, docnum))

    def heading(self, docnum: int) -> tuple[str, str, str]:
        found = self.headings.get(docnum)
        if found is None:
            found = document_heading(self.searcher, docnum)
            if len(self.headings) >= HEADINGS_KEPT:
                self.headings.clear()
            self.headings[docnum] = found
        return found


#: Matching documents are scored one by one (the ranking terms' postings skipped to each)
#: while they are fewer than the postings over this ratio; with more, Whoosh's collector,
#: which reads the postings through, is faster (measured on 10,000 articles).
DIRECT_RANKING_RATIO = 4


def _rank(searcher, ranking: wq.Query, allowed: set[int], limit: int | None) -> list[tuple[float, int]]:
    """(score, document number) of the ``allowed`` documents, best first, ``limit`` of them.

    Whoosh's filter reads every posting of the ranking terms and drops the documents not
    allowed: for 2 matches of a query with a common term that was 170 ms. With few matches
    for their postings, the postings are skipped to each of them instead."""
    from reader.search.ranking import rank

    ranked = rank(searcher, posting_cache(searcher), ranking, allowed, limit)
    if ranked is not None:
        return ranked
    postings = sum(searcher.doc_frequency(field, text) for field, text in ranking.iter_all_terms())
    if len(allowed) * DIRECT_RANKING_RATIO > postings:
        found = searcher.search(ranking, limit=limit or None, filter=allowed, terms=False)
        scored = [(hit.score, hit.docnum) for hit in found]
        if not limit or len(scored) < limit:  # documents the ranking terms miss still match
            scored += [(0.0, d) for d in sorted(allowed - {d for _, d in scored})]
        return scored[:limit] if limit else scored
    scored = []
    docs = sorted(allowed)
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = [d - offset for d in docs if offset <= d < end]
        if not local:
            continue
        matcher = ranking.matcher(sub, sub.context(weighting=searcher.weighting))
        for doc in local:
            if matcher.is_active() and matcher.id() < doc:
                matcher.skip_to(doc)
            hit = matcher.is_active() and matcher.id() == doc
            scored.append((matcher.score() if hit else 0.0, doc + offset))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored[:limit] if limit else scored





# The public face of the result set and its ranking, for the passages of a search
# (reader.search.passages), which must select and order exactly as search() does.
def select_documents(searcher, root: Node, htag_paths=None) -> tuple[set[int], wq.Query | None]:
    """(the document numbers of ``searcher`` that ``root``, a parsed query's root, matches
    exactly; the Whoosh query that ranks them, None when nothing matches), as
    :func:`search` computes them (``htag_paths`` as for :func:`search`)."""
    evaluator = _Evaluator(searcher, htag_paths)
    allowed = evaluator.exact_set(root)
    if not allowed:
        return allowed, None
    return allowed, evaluator.ranking_query(root) or wq.Every()


def rank_documents(searcher, ranking: wq.Query, allowed: set[int], limit: int | None = None) -> list[tuple[float, int]]:
    """(score, document number) of the ``allowed`` documents, best first, ``limit`` of them
    (None: all), ranked as :func:`search` ranks its hits."""
    return _rank(searcher, ranking, allowed, limit)
