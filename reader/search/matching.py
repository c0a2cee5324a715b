"""Exact document sets for query leaves, computed from postings.

Whoosh's span machinery is general and slow in Python; here a phrase is decided by reading
the positions of its rarest terms only for the documents that contain all of them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from reader.search.analysis import (
    STEM_MARK,
    QueryToken,
    exact_pattern,
    han_terms,
    has_punctuation,
    query_space_term,
    query_tokens,
)
from reader.search.documents import FIELD_SEPARATOR, document_texts
from reader.search.folding import fold_chars
from reader.search.inflection import query_terms
from reader.search.numbering import HAN_NUMERAL_CHARS, query_forms
from reader.search.postings import posting_cache
from reader.search.query import Leaf
from reader.search.schema import TEXT_FIELDS

Sequence = list[tuple[str, int]]  # (term, position offset from the first term)

#: A term's positions are decoded for all its documents (and kept) unless the candidates
#: are fewer than its documents over this: then only theirs, blocks without one skipped.
FEW_CANDIDATES = 4


@dataclass
class LeafPlan:
    """How one leaf is decided on one field."""

    field: str
    sequence: Sequence  # terms at fixed offsets, when ``positional``
    parts: list[tuple[str, object]]  # otherwise: ("char" | "word", text), all required
    positional: bool
    verify: bool  # the text must confirm (punctuation, which is not indexed)
    check: Sequence | None = None  # the part of ``sequence`` whose positions decide it


def covering(terms_at: Sequence) -> Sequence:
    """Of a Han run's bigrams (at offsets 0, 1, 2, ...), those at even offsets and the last:
    together they cover every character. A run occupies consecutive positions and two runs
    never touch, so bigrams at p and p+2 of the same document imply the one at p+1: checking
    positions for the others is work without effect."""
    last = len(terms_at) - 1
    return [item for k, item in enumerate(terms_at) if k % 2 == 0 or k == last]


def plan_leaf(leaf: Leaf, field: str, tokens: list[QueryToken], punctuation: bool) -> LeafPlan:
    """Every Han run is indexed as its bigrams plus its first and last characters, so a run
    followed by another token is matched by bigrams plus its last unigram. A run at the end of
    the query may continue in the text: bigrams only. A single character at the end, after
    another token, begins a run in the text: its first unigram at its position."""
    if len(tokens) == 1 and not punctuation:
        token = tokens[0]
        if token.kind == "han" and len(token.text) == 1:
            return LeafPlan(field, [], [("char", token.text)], False, False)
        if token.kind == "han":
            run = [(t, i) for i, t in enumerate(han_terms(token.text))]
            return LeafPlan(field, run, [], True, False, covering(run))
        if leaf.phrase or not token.text.isalpha():
            return LeafPlan(field, [(token.text, 0)], [], True, False)
        return LeafPlan(field, [], [("word", token.text)], False, False)
    sequence: Sequence = []
    whole: set[tuple[str, int]] = set()  # words and single characters (not bigrams)
    spaces: set[int] = set()
    for number, token in enumerate(tokens):
        if token.spaced:  # white space before it: its term there, which names both neighbours
            sequence.append((query_space_term(tokens[number - 1], token), token.pos - 1))
            spaces.add(token.pos - 1)
        if token.kind == "word" or len(token.text) == 1:
            # A word; or a last single character (two Han characters make one token), which
            # after another token begins a Han run in the text: the run's first unigram.
            sequence.append((token.text, token.pos))
            whole.add((token.text, token.pos))
        else:
            last = number == len(tokens) - 1
            terms = han_terms(token.text) + ([] if last else [token.text[-1]])
            offsets = list(range(len(han_terms(token.text)))) + ([] if last else [len(token.text) - 1])
            sequence.extend((t, token.pos + o) for t, o in zip(terms, offsets, strict=True))
            if not last:
                whole.add(sequence[-1])
    # White space's term at p is only ever indexed with the word or the Han character it
    # names at p - 1 and at p + 1: their positions need not be read (a bigram there is not
    # implied: the term names one character of it).
    check = [item for item in sequence if item not in whole or not {item[1] - 1, item[1] + 1} & spaces]
    return LeafPlan(field, sequence, [], True, punctuation, check)


#: Digits, Han numerals, and the 之 and - that the numbering pass writes and removes (第 12-1 條
#: is 第12條之1): a form with none of them matches alike with or without that pass.
_NUMERAL = re.compile(f"[-之0-9{re.escape(HAN_NUMERAL_CHARS)}]")


def leaf_forms(leaf: Leaf) -> list[str]:
    """The folded forms a leaf is looked for in (one, unless its edges cut legal numbering:
    三條 is 三条 or 3条; :func:`reader.search.numbering.query_forms`), the plain one first."""
    return list(_forms(leaf.text))


@functools.lru_cache(maxsize=1024)
def _forms(text: str) -> tuple[str, ...]:
    folded = fold_chars(text).strip()
    if not folded:
        return ()
    return tuple(dict.fromkeys(form.strip() for form in query_forms(folded) if form.strip()))


def has_numerals(form: str) -> bool:
    """Whether a folded form has a digit, a Han numeral, 之 or -. One without is matched
    alike in a text folded with or without the numbering pass, which verification then
    skips."""
    return _NUMERAL.search(form) is not None


def verify_pattern(leaf: Leaf) -> re.Pattern[str]:
    """One pattern for all of a leaf's forms."""
    forms = leaf_forms(leaf)
    if len(forms) == 1:
        return exact_pattern(forms[0])
    return re.compile("|".join(f"(?:{exact_pattern(f).pattern})" for f in forms))


def _in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Those of ``values`` (sorted) that are in ``sorted_keys`` (sorted, distinct)."""
    if not len(sorted_keys):
        return sorted_keys
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return values[sorted_keys[at] == values]


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """A sorted array without its repeats (np.unique without its sort)."""
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class LeafMatcher:
    """Computes exact document sets against one Whoosh searcher."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.frequency = posting_cache(searcher).doc_frequency  # (field, term) -> documents
        self._all: set[int] | None = None

    def all_docs(self) -> set[int]:
        if self._all is None:
            self._all = set(self.reader.all_doc_ids())
        return self._all

    def term_docs(self, field: str, term: str) -> set[int]:
        return set(posting_cache(self.searcher).doc_ids(field, term).tolist())

    def prefix_docs(self, field: str, prefix: str) -> set[int]:
        docs: set[int] = set()
        for term in self.reader.expand_prefix(field, prefix):
            docs |= self.term_docs(field, term.decode("utf-8") if isinstance(term, bytes) else term)
        return docs

    def char_docs(self, field: str, char: str) -> set[int]:
        if field == "*":
            return self.term_docs("chars", char)
        return self.term_docs(field, char) | self.prefix_docs(field, char)

    def word_docs(self, field: str, word: str) -> set[int]:
        """The word and its inflections (never its derivations: inflection.query_terms)."""
        docs: set[int] = set()
        for term in query_terms(word, STEM_MARK):
            docs |= self.term_docs(field, term)
        return docs

    def phrase_docs(self, field: str, sequence: Sequence, check: Sequence | None = None, within: set[int] | None = None) -> set[int]:
        """Documents with the terms of ``sequence`` at its offsets. Only the terms of ``check``
        (by default all) are read, for positions: the others are implied by them (see
        :func:`covering` and :func:`plan_leaf`); those whose documents are decoded already
        narrow the candidates."""
        if not sequence:
            return set()
        check = check or sequence
        if len(check) == 1:  # one term, no positions to compare (it implies the others)
            candidates = self.term_docs(field, check[0][0])
            return candidates if within is None else candidates & within
        cache = posting_cache(self.searcher)
        alive: np.ndarray | None = None
        if within is not None:
            alive = np.fromiter(within, dtype=np.int64, count=len(within))
            alive.sort()
        for term in dict.fromkeys(term for term, _ in sequence):
            ids = cache.peek(field, term)
            if ids is not None:
                alive = ids.astype(np.int64) if alive is None else np.intersect1d(alive, ids, assume_unique=True)
                if not len(alive):
                    return set()
        # Every occurrence as one number, document * 2**32 + (position - offset): a document
        # where each term of ``check`` has an occurrence giving the same start matches.
        # Rarest terms first, and each next term read only in the documents still in.
        starts = None
        frequency = {term: self.frequency(field, term) for term, _ in check}
        for term, offset in sorted(check, key=lambda item: frequency[item[0]]):
            if alive is None or len(alive) * FEW_CANDIDATES >= frequency[term]:
                # Most of the term's documents are candidates: all of its positions, kept
                # for the next keystrokes, then those of the candidates.
                docs, positions = cache.all_positions(field, term)
                if alive is not None:
                    at = np.minimum(np.searchsorted(alive, docs), len(alive) - 1)
                    inside = alive[at] == docs
                    docs, positions = docs[inside], positions[inside]
                docs, positions = docs.astype(np.int64), positions.astype(np.int64)
            else:
                docs, positions = cache.positions(field, term, alive)
            keep = positions >= offset
            keys = (docs[keep] << 32) | (positions[keep] - offset)
            if len(keys) > 1 and (keys[1:] <= keys[:-1]).any():  # (only the rare 4-byte postings come out of order)
                keys = np.unique(keys)
            starts = keys if starts is None else _in_sorted(starts, keys)
            if not len(starts):
                return set()
            alive = _distinct_sorted(starts >> 32)
        return set(alive.tolist())

    def plan_docs(self, plan: LeafPlan, within: set[int] | None = None) -> set[int]:
        """The documents of ``plan`` (only those in ``within``, when given)."""
        if plan.positional and plan.sequence:
            return self.phrase_docs(plan.field, plan.sequence, plan.check, within)
        result: set[int] | None = within
        for kind, text in plan.parts:
            if kind == "char":
                docs = self.char_docs(plan.field, text)
            elif kind == "word":
                docs = self.word_docs(plan.field, text)
            else:
                raise ValueError(kind)
            result = docs if result is None else result & docs
            if not result:
                return set()
        return result or set()

    def leaf_docs(self, leaf: Leaf, within: set[int] | None = None) -> set[int]:
        """The documents ``leaf`` matches (only those in ``within``, when given: the
        expensive checks then look at fewer documents): those of any of its forms."""
        forms = leaf_forms(leaf)
        if not forms:
            return self.verified(leaf, self.all_docs() if within is None else within)
        docs: set[int] = set()
        for form in forms:
            docs |= self.form_docs(leaf, form, within)
        return docs

    def form_docs(self, leaf: Leaf, folded: str, within: set[int] | None = None) -> set[int]:
        tokens = query_tokens(folded)
        punctuation = has_punctuation(folded)
        if not tokens:
            return self.verified(leaf, self.all_docs() if within is None else within, [folded])
        fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)
        if leaf.field is None and len(tokens) == 1 and tokens[0].kind == "han" and len(tokens[0].text) == 1 and not punctuation:
            docs = self.char_docs("*", tokens[0].text)
            return docs if within is None else docs & within
        docs: set[int] = set()
        verify = False
        for field in fields:
            plan = plan_leaf(leaf, field, tokens, punctuation)
            verify |= plan.verify
            docs |= self.plan_docs(plan, within)
        return self.verified(leaf, docs, [folded]) if verify else docs

    def estimate(self, leaf: Leaf) -> int:
        """About how many documents ``leaf`` can match: its rarest term's count (cheap)."""
        fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)

        def count(token: QueryToken) -> int:
            if token.kind == "han" and len(token.text) == 1:
                return self.frequency("chars", token.text)
            terms = han_terms(token.text) if token.kind == "han" else [token.text]
            return min(sum(self.frequency(f, t) for f in fields) for t in terms)

        forms = leaf_forms(leaf)
        tokens = query_tokens(forms[0]) if len(forms) == 1 else []
        return min((count(t) for t in tokens), default=self.reader.doc_count_all())

    def verified(self, leaf: Leaf, candidates: set[int], forms: list[str] | None = None) -> set[int]:
        """The candidates whose folded text holds one of ``forms`` (by default the leaf's)."""
        forms = leaf_forms(leaf) if forms is None else forms
        if not forms:
            return set()
        pattern = re.compile("|".join(f"(?:{exact_pattern(f).pattern})" for f in forms))
        # What a text must hold for a form to match: its pieces between white space. Looking
        # for them is a fast substring search; the pattern (whose leading word-boundary check
        # keeps the regex engine from looking for a literal first) runs on what has them all.
        pieces = [form.split() for form in forms]
        fields = TEXT_FIELDS if leaf.field is None else (leaf.field,)
        out = set()
        for doc in candidates:
            folded_texts = document_texts(self.searcher, doc, "ftexts")  # folded at indexing
            text = FIELD_SEPARATOR.join(folded_texts[f] for f in fields)
            if any(all(piece in text for piece in parts) for parts in pieces) and pattern.search(text):
                out.add(doc)
        return out
