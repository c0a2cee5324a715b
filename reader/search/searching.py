"""Run a parsed query against the index: exact (grep-complete) results, BM25F ranking.

Each query leaf compiles to a Whoosh query. Pure Han runs become phrases of bigrams and
single Latin words become terms: both are exact. Leaves the index cannot decide by itself
(Latin next to Han as in ``AI安全``, punctuation inside a word, a single Han character next
to other tokens, quoted phrases with spaces) get a candidate superset from the index, then
each candidate is checked against its stored folded text. Boolean structure is then applied
as set algebra over document numbers, and the ranking query scores the survivors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from reader.search.analysis import _HAN, STEM_MARK, han_terms, query_tokens, stem
from reader.search.documents import FIELD_SEPARATOR, unpack_texts
from reader.search.folding import fold
from reader.search.query import DateRange, Leaf, Node, Op, ParsedQuery, parse_query, positive_leaves
from reader.search.schema import TEXT_FIELDS
from reader.search.snippets import make_snippet

_WORDCHAR = rf"[^\W_{_HAN}]"


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


def _field_query(fieldname: str, leaf: Leaf, tokens) -> tuple[wq.Query, bool]:
    """(query, needs verification) for one leaf on one text field."""
    if len(tokens) == 1:
        token = tokens[0]
        if token.kind == "han":
            if len(token.text) == 1:
                # Bigrams starting with the character, or the character ending a run.
                return wq.Or([wq.Term(fieldname, token.text), wq.Prefix(fieldname, token.text)]), False
            terms = han_terms(token.text)
            query = wq.Term(fieldname, terms[0]) if len(terms) == 1 else wq.Phrase(fieldname, terms)
            return query, False
        if leaf.phrase or not token.text.isalpha():
            return wq.Term(fieldname, token.text), False
        stemmed = stem(token.text)
        return wq.Or([wq.Term(fieldname, token.text, boost=2.0), wq.Term(fieldname, STEM_MARK + stemmed)]), False
    parts: list[wq.Query] = []
    sequence: list[str] = []
    positional = True
    for token in tokens:
        if token.kind == "han" and len(token.text) == 1:
            positional = False
            parts.append(wq.Or([wq.Term(fieldname, token.text), wq.Prefix(fieldname, token.text)]))
        elif token.kind == "han":
            sequence.extend(han_terms(token.text))
            parts.append(wq.Phrase(fieldname, han_terms(token.text)) if len(token.text) > 2 else wq.Term(fieldname, token.text))
        else:
            sequence.append(token.text)
            parts.append(wq.Term(fieldname, token.text))
    if positional:
        return wq.Phrase(fieldname, sequence), True
    return wq.And(parts), True


def _verify_pattern(leaf: Leaf) -> re.Pattern[str]:
    folded = fold(leaf.text).strip()
    body = r"\s+".join(re.escape(part) for part in folded.split())
    if re.match(_WORDCHAR, folded):
        body = rf"(?<!{_WORDCHAR})" + body
    if re.search(_WORDCHAR + r"\Z", folded):
        body += rf"(?!{_WORDCHAR})"
    return re.compile(body)


class _Compiler:
    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.verify_cache: dict[int, str] = {}
        self.all_docs: set[int] | None = None

    def leaf_query(self, leaf: Leaf) -> tuple[wq.Query, bool]:
        tokens = query_tokens(fold(leaf.text.strip()))
        fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)
        if not tokens:
            return wq.Every(), True
        if leaf.field is None and len(tokens) == 1 and tokens[0].kind == "han" and len(tokens[0].text) == 1:
            char = tokens[0].text
            # One term lookup on the unigram field decides; the title prefix only adds score.
            return wq.Or([wq.Term("chars", char), wq.Prefix("title", char, boost=3.0)]), False
        queries, verify = [], False
        for name in fields:
            query, needs = self._leaf_for(name, leaf, tokens)
            queries.append(query)
            verify |= needs
        return (queries[0] if len(queries) == 1 else wq.Or(queries)), verify

    def _leaf_for(self, name: str, leaf: Leaf, tokens) -> tuple[wq.Query, bool]:
        if leaf.phrase and any(t.kind == "word" for t in tokens) and len(tokens) > 1:
            query, _ = _field_query(name, leaf, tokens)
            return query, True
        if leaf.phrase and len(tokens) > 1:
            return _field_query(name, leaf, tokens)[0], True
        return _field_query(name, leaf, tokens)

    def date_query(self, node: DateRange) -> wq.Query:
        if node.start == node.end:
            return wq.Prefix("date", node.start)
        return wq.TermRange("date", node.start, node.end + "\uffff")

    def texts(self, docnum: int) -> dict[str, str]:
        stored = self.searcher.stored_fields(docnum)
        return unpack_texts(stored["texts"])

    def verified(self, leaf: Leaf, candidates: set[int]) -> set[int]:
        pattern = _verify_pattern(leaf)
        fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)
        out = set()
        for docnum in candidates:
            texts = self.texts(docnum)
            haystack = fold(FIELD_SEPARATOR.join(texts[f] for f in fields))
            if pattern.search(haystack):
                out.add(docnum)
        return out

    def docs(self, query: wq.Query) -> set[int]:
        return set(query.docs(self.searcher))

    def every(self) -> set[int]:
        if self.all_docs is None:
            self.all_docs = set(self.searcher.reader().all_doc_ids())
        return self.all_docs

    def exact_set(self, node: Node) -> set[int]:
        if isinstance(node, DateRange):
            return self.docs(self.date_query(node))
        if isinstance(node, Leaf):
            query, verify = self.leaf_query(node)
            docs = self.every() if isinstance(query, wq.Every) else self.docs(query)
            return self.verified(node, docs) if verify else docs
        sets = [self.exact_set(child) for child in node.children]
        if node.kind == "not":
            return self.every() - sets[0]
        if node.kind == "and":
            result = None
            for child, docs in zip(node.children, sets):
                result = docs if result is None else result & docs
            return result if result is not None else set()
        result = set()
        for docs in sets:
            result |= docs
        return result

    def needs_verification(self, node: Node) -> bool:
        if isinstance(node, Leaf):
            return self.leaf_query(node)[1]
        if isinstance(node, Op):
            return any(self.needs_verification(child) for child in node.children)
        return False

    def ranking_query(self, node: Node) -> wq.Query | None:
        """Positive parts only: NOT parts do not score."""
        if isinstance(node, DateRange):
            return wq.ConstantScoreQuery(self.date_query(node), 0.0)
        if isinstance(node, Leaf):
            return self.leaf_query(node)[0]
        if node.kind == "not":
            return None
        parts = [q for q in (self.ranking_query(c) for c in node.children) if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def whoosh_query(self, node: Node) -> wq.Query:
        """The exact query when no leaf needs verification."""
        if isinstance(node, DateRange):
            return self.date_query(node)
        if isinstance(node, Leaf):
            return self.leaf_query(node)[0]
        if node.kind == "not":
            return wq.Not(self.whoosh_query(node.children[0]))
        children = [self.whoosh_query(c) for c in node.children]
        return wq.And(children) if node.kind == "and" else wq.Or(children)


def search(search_index, text: str, limit: int | None = 20, with_snippets: bool = True) -> SearchResult:
    """Search ``search_index`` (a :class:`~reader.search.index.SearchIndex`). ``limit`` None or
    0 returns every hit."""
    parsed: ParsedQuery = parse_query(text)
    result = SearchResult(query=text, total=0, fallback=parsed.fallback, message=parsed.message)
    if parsed.root is None:
        return result
    scored = search_index.searcher()
    compiler = _Compiler(scored)
    limit = None if not limit else limit
    if compiler.needs_verification(parsed.root) or _is_pure_not(parsed.root):
        allowed = compiler.exact_set(parsed.root)
        ranking = compiler.ranking_query(parsed.root) or wq.Every()
        results = scored.search(ranking, limit=limit, filter=allowed, terms=False) if allowed else None
        total = len(allowed)
    else:
        results = scored.search(compiler.whoosh_query(parsed.root), limit=limit)
        total = len(results) if results is not None else 0
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


def _is_pure_not(node: Node) -> bool:
    return isinstance(node, Op) and node.kind == "not"

