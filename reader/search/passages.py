"""Every passage of a search: each occurrence in the library, grouped by article, located.

The articles are the search's own exact result set (:mod:`reader.search.searching`, the same
evaluator and ranking), best first or newest first. Inside an article, the occurrences are
the matches of the query's *positive* leaves (not those under NOT, and only leaves that can
match the body: no ``title:``, ``tag:``, ``author:`` or ``note:`` leaf), found with the
patterns snippets use (:func:`reader.search.snippets.leaf_patterns`, the same exact patterns
verification uses) over the *folded* text, with the offsets mapped back to the original
characters. There is no second, approximate matcher.

What counts as one occurrence (``total_passages``):

* Each leaf's matches are found left to right without overlapping, as ``str.count``, ``grep
  -o`` and find-in-article do: ``哈哈`` occurs once in ``哈哈哈``.
* Matches of different leaves that overlap (``個人 個人資料`` on 個人資料) are one passage,
  spanning both: nothing is counted twice. Matches that only touch stay two.
* Only the body counts. Title, tags, authors and notes are not part of the article's plain
  text, so a match there yields no passage: such an article is still listed (it is a result
  of the search) with no passages.

Two texts are involved, and both are needed:

* Offsets, context and locators are taken from the article's plain text
  (:attr:`RenderedArticle.text`, what ``reader export PATH --format text`` prints), which
  means loading and rendering the article (about 9 ms each). That is done article by
  article as the stream is read: the first passages never wait for the others.
* :meth:`PassageSearch.count` counts every occurrence without ranking, rendering or building
  any snippet, over the body text the index stores for each article (the text the search
  matched): reading that text is most of its cost, about 60 µs an article. The stored body is the Markdown reduced to what a reader sees, so it holds
  the same occurrences as the plain text; where it does not (an image's alt text, an article
  edited since it was indexed), the article's count is corrected to its plain text's the
  moment it is rendered, and :attr:`PassageSearch.total_passages` with it. A consumer that
  reads every article (``passages_json``, an export) therefore always ends with the exact
  number of passages it listed.

Only the best :data:`FIRST_RANKED` articles are ranked before the first passages are built;
the others are ranked when the stream reaches them (``len()`` is exact from the start).

Counting is fast because most texts need no folding at all: when a text holds no character
whose folding changes its length or its kind (word character, white space), folding is a
character-for-character map, and the folded pattern matches the folded text exactly where a
pattern of *preimage classes* (each folded character → every character that folds to it)
matches the original text, at the same offsets. Texts with such a character (``…`` folds to
``...``) are folded and their offsets mapped as ``fold_with_offsets`` maps them. Both fast
paths are used only while folding *is* that per-character table (checked once on a probe
string, :func:`_per_character`) and only for patterns of the shape ``exact_pattern`` makes;
otherwise every text is folded with ``fold_with_offsets`` and matched as snippets match.
``tests/test_passages.py`` checks the paths give the same spans.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reader.errors import ReaderError
from reader.locator import Location, Locator, PageAt
from reader.search.analysis import WORDCHAR
from reader.search.documents import document_heading, document_texts
from reader.search.folding import (
    _tables,
    fold,
    fold_chars,
    fold_chars_with_offsets,
    fold_with_offsets,
    to_original,
)
from reader.search.matching import has_numerals, leaf_forms
from reader.search.numbering import has_dash_numbering
from reader.search.query import Leaf, ParsedQuery, Ref, parse_query, positive_leaves, positive_refs
from reader.search.snippets import _WORD, _StemPattern, leaf_patterns, ref_spans

DEFAULT_CONTEXT = 40
#: Articles ranked before the first passages are built (the others when they are reached).
FIRST_RANKED = 100
ORDERS = ("rank", "date")
BODY_FIELDS = (None, "body")

#: For an article: a ``page_at(offset)`` for its plain text when it is a paged source (PDF).
PagesFor = Callable[[str, object], "PageAt | None"]
#: An article's path -> (Article, RenderedArticle): how passages read articles (by default
#: ``library.load`` and ``render_article``; the window can hand in the ones it keeps).
Loader = Callable[[str], tuple]
Span = tuple[int, int]


# --- matching ------------------------------------------------------------------------------

class _Unsafe:
    """Does a text hold a character after which original and folded offsets or character
    kinds differ? One pass of a charset of those in the Basic Multilingual Plane (which
    Python's ``re`` tests with a bitmap) and of everything above it; only a text with a
    character up there is looked at again for the few that fold."""

    def __init__(self, chars: list[str]) -> None:
        low = "".join(re.escape(c) for c in sorted(c for c in chars if ord(c) < 0x10000))
        high = "".join(re.escape(c) for c in sorted(c for c in chars if ord(c) >= 0x10000))
        self.first = re.compile(f"[{low}\U00010000-\U0010ffff]")
        self.low = re.compile(f"[{low}]") if low else None
        self.high = re.compile(f"[{high}]") if high else None

    def search(self, text: str) -> bool:
        found = self.first.search(text)
        if found is None:
            return False
        if ord(found.group()) < 0x10000:
            return True
        return bool((self.low is not None and self.low.search(text, found.start())) or (self.high is not None and self.high.search(text, found.start())))


@functools.lru_cache(maxsize=1)
def _fold_maps() -> tuple[dict[str, str], _Unsafe, dict[str, tuple[str, ...]]]:
    """(folded character -> class of the characters folding to it, the test for texts whose
    folding is not character for character, folded character -> those characters). Characters above the Basic Multilingual Plane
    that fold (mathematical letters, enclosed forms) count as such: rare in articles, and
    keeping them out of the classes keeps every class a bitmap for Python's ``re``."""
    table, _ = _tables()
    word = re.compile(WORDCHAR)
    space = re.compile(r"\s")
    preimages: dict[str, list[str]] = {}
    unsafe: list[str] = []
    for cp, folded in table.items():
        char = chr(cp)
        if (
            len(folded) != 1
            or bool(word.match(char)) != bool(word.match(folded))
            or bool(space.match(char)) != bool(space.match(folded))
            or cp >= 0x10000  # keeps the classes in the Basic Multilingual Plane: fast charsets
        ):
            unsafe.append(char)
            continue
        preimages.setdefault(folded, []).append(char)
    classes, members = {}, {}
    for folded, chars in preimages.items():
        members[folded] = tuple(sorted(chars + ([folded] if ord(folded) not in table else [])))
        classes[folded] = "[" + "".join(re.escape(c) for c in members[folded]) + "]"
    return classes, _Unsafe(unsafe), members


def _preimages(char: str) -> tuple[str, ...]:
    """The original characters that fold to ``char`` (itself when it folds to itself): the
    members of :func:`_char_class`."""
    table, _ = _tables()
    members = _fold_maps()[2]
    if char in members:
        return members[char]
    return () if ord(char) in table else (char,)


#: A literal Han pattern is counted with ``str.count`` of each spelling while they are this few.
MAX_SPELLINGS = 16


def _spellings(literal: str) -> list[str] | None:
    """Every original spelling of a folded literal (个人 -> 个人, 個人, 个人…), for counting
    with ``str.count``; None when there are too many, or when two occurrences could overlap
    (the literal has a border: 哈哈 in 哈哈哈), which ``str.count`` per spelling would count
    twice where the pattern, left to right, finds one."""
    from itertools import product

    if any(literal[:k] == literal[-k:] for k in range(1, len(literal))):
        return None
    options = [_preimages(c) for c in literal]
    total = 1
    for choice in options:
        total *= len(choice)
    if total == 0 or total > MAX_SPELLINGS:
        return None if total else []
    return ["".join(p) for p in product(*options)]


def _char_class(char: str) -> str:
    """A pattern for the original characters that fold to ``char`` (itself included when it
    folds to itself)."""
    table, _ = _tables()
    classes = _fold_maps()[0]
    if char in classes:
        return classes[char]
    if ord(char) in table:  # folds to something else, and nothing folds to it
        return "(?!)"
    return re.escape(char)


_PREFIX = f"(?<!{WORDCHAR})"
_SUFFIX = f"(?!{WORDCHAR})"


def _raw_equivalent(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], str | None] | None:
    """For a pattern :func:`reader.search.analysis.exact_pattern` made (escaped literals
    joined by ``\\s+``, word-boundary guards at Latin ends), the same pattern for *original*
    text whose folding is character for character: each literal becomes the class of the
    characters that fold to it. None for a pattern of any other shape (it is then matched
    over the folded text, as snippets do)."""
    source = pattern.pattern
    if not isinstance(source, str) or pattern.flags != re.compile("").flags:
        return None
    head = source.startswith(_PREFIX)
    body = source[len(_PREFIX):] if head else source
    tail = body.endswith(_SUFFIX)
    body = body[: -len(_SUFFIX)] if tail else body
    literals = []
    for part in body.split(r"\s+"):
        text = re.sub(r"\\(.)", r"\1", part, flags=re.S)
        if not text or re.escape(text) != part:
            return None
        literals.append(text)
    rebuilt = (_PREFIX if head else "") + r"\s+".join(re.escape(t) for t in literals) + (_SUFFIX if tail else "")
    if rebuilt != source:
        return None
    raw = r"\s+".join("".join(_char_class(c) for c in t) for t in literals)
    plain = literals[0] if not head and not tail and len(literals) == 1 else None
    return re.compile((_PREFIX if head else "") + raw + (_SUFFIX if tail else "")), plain


#: Legal numbering, full-width forms, expansions, invisible characters, kana, Simplified
#: forms: folding that is more than a per-character table would change this string's folding.
_PROBE = "第十二條之一，三十日內；一百萬元。Ⅳ…ﬁ ＮＩＳＴ’s evaluations 個人資料 机关 \u200b\u00ad ｱｲ ① 硏究"


@functools.lru_cache(maxsize=1)
def _per_character() -> bool:
    """Whether the per-character folding is exactly the table, offsets included: what the
    fast paths assume. They serve only queries without numerals, which match alike in a text
    folded with or without the numbering pass (tests/test_folding_numbering.py); a query with
    numerals, or a per-character folding grown beyond the table, is matched over the text
    folded as snippets fold it."""
    table, _ = _tables()
    expected = _PROBE.translate(table)
    folded, origin = fold_chars_with_offsets(_PROBE)
    if fold_chars(_PROBE) != expected or folded != expected:
        return False
    offsets = [i for i, c in enumerate(_PROBE) for _ in table.get(ord(c), c)] + [len(_PROBE)]
    return (origin or list(range(len(_PROBE) + 1))) == offsets


class _ListOrigin:
    """Folded offsets back to original ones through ``fold_with_offsets``' list."""

    def __init__(self, origin: list[int] | None) -> None:
        self.origin = origin

    def start(self, offset: int) -> int:
        return to_original(offset, self.origin)

    def end(self, offset: int) -> int:
        return to_original(offset - 1, self.origin) + 1

    def span(self, start: int, end: int) -> Span:
        """Widened to every source inside it (第 12-1 條 folds out of order: 第12條之1)."""
        if self.origin is None:
            return start, end
        sources = self.origin[start:end]
        return min(sources), max(sources) + 1


class _Origin:
    """Folded offsets back to original ones, for a text where some characters fold to more
    (or fewer) than one: the same answers as :func:`reader.search.folding.fold_with_offsets`'s
    list, kept as the few places where the two texts shift instead of one entry a character."""

    def __init__(self, text: str) -> None:
        table, expanding = _tables()
        self.folded_at: list[int] = []  # folded offset where an expanding character's folding starts
        self.original: list[int] = []  # its original offset
        self.length: list[int] = []  # its folding's length
        self.shift_after: list[int] = []  # folded - original, after it
        shift = 0
        if expanding is not None:
            for match in expanding.finditer(text):
                index = match.start()
                size = len(table[ord(text[index])])
                self.folded_at.append(index + shift)
                self.original.append(index)
                self.length.append(size)
                shift += size - 1
                self.shift_after.append(shift)

    def start(self, offset: int) -> int:
        """The original character that folded offset ``offset`` comes from."""
        k = bisect_right(self.folded_at, offset) - 1
        if k < 0:
            return offset
        if offset < self.folded_at[k] + self.length[k]:
            return self.original[k]
        return offset - self.shift_after[k]

    def end(self, offset: int) -> int:
        """The original end of a folded span ending at ``offset`` (its last character's
        original character, included)."""
        return self.start(offset - 1) + 1

    def span(self, start: int, end: int) -> Span:
        return self.start(start), self.end(end)


#: Words a word pattern was asked about and the answers, kept per leaf (words repeat).
_MAX_KNOWN_TOKENS = 100_000


class _LeafScan:
    """One leaf's matches, over folded text (as snippets find them) or original text."""

    def __init__(self, leaf: Leaf) -> None:
        self.leaf = leaf
        self.folded_patterns = leaf_patterns(leaf)
        self.raw: list[tuple[str, object]] = []  # ("regex", pattern) | ("tokens", stem pattern)
        self.spellings: list[str] | None = None  # a lone literal's spellings, to str.count
        self._tokens: dict[str, bool] = {}  # word -> whether the word pattern takes it
        for pattern in self.folded_patterns:
            if isinstance(pattern, _StemPattern):
                self.raw.append(("tokens", pattern))
            elif isinstance(pattern, re.Pattern) and (found := _raw_equivalent(pattern)) is not None:
                self.raw.append(("regex", found[0]))
                if found[1] is not None and len(self.folded_patterns) == 1:
                    self.spellings = _spellings(found[1])
        self.has_raw = len(self.raw) == len(self.folded_patterns)
        # No numerals: matched alike over the per-character folding (the fast paths' view).
        self.plain = not any(has_numerals(form) for form in leaf_forms(leaf))

    def spans_raw(self, text: str) -> list[Span]:
        """Matches in ``text``, whose folding is character for character (word characters
        and white space stay what they are): a word pattern is asked about each word folded
        on its own, a literal pattern is matched by its preimage classes."""
        out: list[Span] = []
        for kind, pattern in self.raw:
            if kind == "tokens":
                known = self._tokens
                for match in _WORD.finditer(text):
                    word = match.group(0)
                    ok = known.get(word)
                    if ok is None:
                        token = fold_chars(word)
                        ok = any(m.start() == 0 and m.end() == len(token) for m in pattern.finditer(token))
                        if len(known) > _MAX_KNOWN_TOKENS:
                            known.clear()
                        known[word] = ok
                    if ok:
                        out.append((match.start(), match.end()))
            else:
                out.extend((m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start())
        return out

    def count_raw(self, text: str) -> int:
        if self.spellings is not None:
            return sum(text.count(spelling) for spelling in self.spellings)
        if len(self.raw) == 1 and self.raw[0][0] == "regex":
            return sum(1 for m in self.raw[0][1].finditer(text) if m.end() > m.start())
        return len(self.spans_raw(text))

    def spans_folded(self, folded: str, origin) -> list[Span]:
        """Matches in the folded text, as original offsets: the characters whose folding
        the match covers."""
        out: list[Span] = []
        for pattern in self.folded_patterns:
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    out.append(origin.span(match.start(), match.end()))
        return out


class Matcher:
    """The occurrences of a query's positive body leaves in a text (offsets into that text)."""

    def __init__(self, leaves: list[Leaf], refs: list[Ref] | None = None) -> None:
        distinct: dict[tuple, Leaf] = {}
        for leaf in leaves:
            if leaf.field in BODY_FIELDS and fold(leaf.text).strip():
                distinct.setdefault((fold(leaf.text).strip(), leaf.phrase), leaf)
        self.leaves = list(distinct.values())
        self.scans = [_LeafScan(leaf) for leaf in self.leaves]
        self.refs = list(refs or [])  # provisions (law: art:): each citation is a passage
        self.fast = _per_character() and all(scan.has_raw and scan.plain for scan in self.scans)

    @classmethod
    def for_query(cls, parsed: ParsedQuery) -> Matcher:
        return cls(positive_leaves(parsed.root), positive_refs(parsed.root))

    def __bool__(self) -> bool:
        return bool(self.scans or self.refs)

    def spans(self, text: str) -> list[Span]:
        """Every occurrence, in order; overlapping matches of different leaves merged."""
        if self.refs and text:
            return _merge(ref_spans(text, self.refs) + self._leaf_spans(text))
        return self._leaf_spans(text)

    def _leaf_spans(self, text: str) -> list[Span]:
        if not self.scans or not text:
            return []
        if not self.fast or has_dash_numbering(text):  # 第 12-1 條: the numbering pass reorders it
            folded, offsets = fold_with_offsets(text)
            origin: object = _ListOrigin(offsets)
        elif _fold_maps()[1].search(text):
            folded, origin = fold_chars(text), _Origin(text)
        else:
            return _merge([s for scan in self.scans for s in scan.spans_raw(text)])
        return _merge([s for scan in self.scans for s in scan.spans_folded(folded, origin)])

    def reference_spans(self, text: str) -> list[Span]:
        """:meth:`spans` the slow way, always folding the whole text as snippets do (for
        checking the fast paths)."""
        if not self.scans or not text:
            return []
        folded, offsets = fold_with_offsets(text)
        origin = _ListOrigin(offsets)
        return _merge([s for scan in self.scans for s in scan.spans_folded(folded, origin)])

    def count(self, text: str) -> int:
        """``len(self.spans(text))``, without making the spans when one leaf decides it."""
        if not (self.scans or self.refs) or not text:
            return 0
        if self.fast and not self.refs and len(self.scans) == 1 and not _fold_maps()[1].search(text) and not has_dash_numbering(text):
            return self.scans[0].count_raw(text)
        return len(self.spans(text))


def _merge(spans: list[Span]) -> list[Span]:
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# --- passages ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Passage:
    """One occurrence, located in the article's plain text."""

    path: str
    ordinal: int  # 1-based within its article
    start: int  # offsets into RenderedArticle.text (reader export PATH --format text)
    end: int
    text: str  # HTML: escaped context with the match in <mark>…</mark>
    before: str  # plain context before the match (inside its paragraph)
    match: str  # the plain text of the match, as the article writes it
    after: str
    paragraph: int | None
    heading: str
    page: int | str | None = None  # the printed label (39, "iv"), paged sources only
    section_paragraph: int | None = None

    def to_json(self) -> dict:
        out: dict = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "paragraph": self.paragraph,
            "heading": self.heading or None,
        }
        if self.page is not None:
            out["page"] = self.page
        return out

    @property
    def quote(self) -> str:
        """The passage as plain text (its context and match), for quoting and exports."""
        return self.before + self.match + self.after

    @property
    def location(self) -> Location:
        """Where it is, for citing it (:func:`reader.citations.cite`)."""
        return Location(self.start, self.paragraph, self.heading, section_paragraph=self.section_paragraph, page=self.page)


_LATIN = re.compile(r"[A-Za-z0-9]")
_MAX_WORD_CUT = 20


def _word_cut(text: str, cut: int, low: int, high: int, step: int) -> int:
    """``cut`` moved off the middle of a Latin word (towards the match: the context never
    grows), unless the word is longer than :data:`_MAX_WORD_CUT`."""
    if cut <= low or cut >= high or not (_LATIN.match(text[cut - 1]) and _LATIN.match(text[cut])):
        return cut
    moved = cut
    while low < moved < high and _LATIN.match(text[moved - 1]) and _LATIN.match(text[moved]) and abs(moved - cut) < _MAX_WORD_CUT:
        moved += step
    return moved if abs(moved - cut) < _MAX_WORD_CUT else cut


def build_passages(path: str, text: str, spans: list[Span], locator: Locator, context: int = DEFAULT_CONTEXT) -> list[Passage]:
    """A :class:`Passage` per span of ``text``: about ``context`` characters either side,
    never beyond the paragraph (line) of the match."""
    out = []
    for ordinal, (start, end) in enumerate(spans, 1):
        first, _ = locator.paragraph_span(start)
        _, last = locator.paragraph_span(max(start, end - 1))
        lo, hi = _word_cut(text, max(first, start - context), first, start, 1), _word_cut(text, min(last, end + context), end, last, -1)
        before, match, after = text[lo:start], text[start:end], text[end:hi]
        marked = (
            ("…" if lo > first else "")
            + html.escape(before)
            + "<mark>" + html.escape(match) + "</mark>"
            + html.escape(after)
            + ("…" if hi < last else "")
        ).replace("\n", " ")
        where = locator.at(start)
        out.append(Passage(path, ordinal, start, end, marked, before, match, after, where.paragraph, where.heading, where.page, where.section_paragraph))
    return out


@dataclass
class ArticlePassages:
    """One article of the result and, once resolved, its passages."""

    path: str
    title: str
    date: str
    score: float
    docnum: int
    indexed_count: int | None = None  # occurrences in the stored body (None: not counted yet)
    passages: list[Passage] | None = None  # None until resolved
    problem: str = ""  # why the article could not be read (it then has no passages)

    @property
    def count(self) -> int | None:
        """The number of passages: exact once resolved, else the stored body's count."""
        return len(self.passages) if self.passages is not None else self.indexed_count

    def to_json(self) -> dict:
        return {"path": self.path, "title": self.title, "passages": [p.to_json() for p in self.passages or []]}


@dataclass
class Resolved:
    """An article rendered for its passages: what opening it at a passage needs."""

    article: ArticlePassages
    loaded: object  # the Article
    rendered: object  # the RenderedArticle
    locator: Locator


class PassageSearch:
    """A query's passages: the articles in order, counted and resolved on demand.

    ``len(search)`` is the number of articles (the search's exact total); ``search[i]`` is
    the i-th :class:`ArticlePassages` in order (its stored path, title and date read when
    first asked for); iterating gives every :class:`Passage`. One thread at a time (the
    window runs it in a worker)."""

    def __init__(self, index, library, query: str, context: int = DEFAULT_CONTEXT, order: str = "rank", pages: PagesFor | None = None, loader: Loader | None = None, glossary=None,
                 htag_paths=None, no_expand: frozenset[str] = frozenset()) -> None:
        if order not in ORDERS:
            raise ReaderError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
        self.query = query
        self.context = max(0, int(context))
        self.order = order
        self.library = library
        self.pages = pages
        self.loader = loader
        self.parsed = parse_query(query)
        self.expansions: list = []  # expansion.Expansion, when a glossary was given
        if glossary is not None and self.parsed.root is not None:
            from reader.search.expansion import expand

            self.parsed.root, self.expansions = expand(self.parsed.root, glossary, skip=no_expand)
        self.htag_paths = htag_paths  # htag: as the search answers it (tag -> article paths)
        self.message = self.parsed.message
        self.fallback = self.parsed.fallback
        self.rejected = self.parsed.rejected
        self.matcher = Matcher.for_query(self.parsed)
        self._searcher = index.searcher() if self.parsed.root is not None else None
        self._allowed: list[int] = []  # the exact result set (document numbers, in index order)
        self._docs: list[tuple[float, int]] = []  # (score, docnum) in order, as far as known
        self._complete = False  # _docs holds every article
        self._stored: dict[int, tuple[str, str, str]] = {}  # docnum -> path, date, title
        self._counts: dict[int, int] = {}  # docnum -> occurrences in the stored body
        self._order_parts = None
        self._select()
        self._articles: list[ArticlePassages | None] = [None] * len(self._allowed)
        self._counted = False

    # The result set and its order: the search's own evaluator and ranking. ----------------
    def _select(self) -> None:
        if self._searcher is None:
            self._complete = True
            return
        from reader.search.searching import rank_documents, select_documents

        allowed, ranking = select_documents(self._searcher, self.parsed.root, self.htag_paths)
        self._allowed = sorted(allowed)
        if not allowed or ranking is None:
            self._complete = True
            return
        self._order_parts = (rank_documents, ranking, allowed)
        if self.order == "rank":
            # The first screen needs the best articles only: ranking them all waits.
            self._docs = rank_documents(self._searcher, ranking, allowed, FIRST_RANKED)
            self._complete = len(self._docs) >= len(allowed)
        else:
            self._rank_all()

    def _rank_all(self) -> None:
        rank, ranking, allowed = self._order_parts
        ranked = rank(self._searcher, ranking, allowed, None)
        if self.order == "date":
            # Newest first, undated articles last, the same date by rank (a stable sort).
            dates = {docnum: self._stored_info(docnum)[1] for _, docnum in ranked}
            ranked = sorted((r for r in ranked if dates[r[1]]), key=lambda r: dates[r[1]], reverse=True) + [r for r in ranked if not dates[r[1]]]
        else:
            known = {docnum for _, docnum in self._docs}
            ranked = self._docs + [r for r in ranked if r[1] not in known]
        self._docs = ranked
        self._complete = True

    def _stored_info(self, docnum: int) -> tuple[str, str, str]:
        """(path, date, title), from the index's heading column (no texts inflated)."""
        info = self._stored.get(docnum)
        if info is None:
            path, title, date = document_heading(self._searcher, docnum)
            info = (path, date, title)
            self._stored[docnum] = info
        return info

    def __len__(self) -> int:
        return len(self._allowed)

    @property
    def total_articles(self) -> int:
        return len(self._allowed)

    def __getitem__(self, number: int) -> ArticlePassages:
        if not 0 <= number < len(self._allowed):
            raise IndexError(number)
        article = self._articles[number]
        if article is None:
            if number >= len(self._docs) and not self._complete:
                self._rank_all()
            score, docnum = self._docs[number]
            path, date, title = self._stored_info(docnum)
            article = ArticlePassages(path, title, date, round(float(score), 4), docnum, self._counts.get(docnum))
            self._articles[number] = article
        return article

    # Counting ------------------------------------------------------------------------------
    def count(self, cancel: threading.Event | None = None) -> int | None:
        """Count every occurrence in every article (the stored bodies, in index order; no
        ranking, rendering or snippets). Returns the total, or None when ``cancel`` was set
        before the end (what was counted is kept)."""
        if not self._counted:
            for docnum in self._allowed:
                if cancel is not None and cancel.is_set():
                    return None
                if docnum not in self._counts:
                    self._count_one(docnum)
            for article in self._articles:
                if article is not None and article.indexed_count is None:
                    article.indexed_count = self._counts[article.docnum]
            self._counted = True
        return self.total_passages

    def _count_one(self, docnum: int) -> None:
        """The body's passages counted (and the heading kept)."""
        self._stored_info(docnum)
        body = document_texts(self._searcher, docnum)["body"] if self.matcher else ""
        self._counts[docnum] = self.matcher.count(body) if self.matcher else 0

    @property
    def total_passages(self) -> int | None:
        """The exact number of passages once :meth:`count` ran, or once every article was
        resolved (an article resolved counts as its plain text does); None before."""
        resolved = {a.docnum: len(a.passages) for a in self._articles if a is not None and a.passages is not None}
        if self._counted:
            return sum(resolved.get(d, self._counts[d]) for d in self._allowed)
        if len(resolved) == len(self._allowed):
            return sum(resolved.values())
        return None

    # Resolving -----------------------------------------------------------------------------
    def open(self, number: int) -> Resolved:
        """The ``number``-th article loaded and rendered, with its passages found: what the
        window needs to show it and select a passage (``passages[k].start/end``)."""
        from reader.render.article import render_article

        article = self[number]
        try:
            if self.loader is not None:
                loaded, rendered = self.loader(article.path)
            else:
                loaded = self.library.load(article.path)
                rendered = render_article(loaded)
        except (ReaderError, OSError) as exc:
            article.problem = str(exc)
            article.passages = []
            return Resolved(article, None, None, Locator(""))
        article.title = loaded.title or article.title
        if loaded.problems and not loaded.body:
            article.problem = "; ".join(loaded.problems)
        page_at = self.pages(article.path, rendered) if self.pages is not None else None
        locator = Locator.for_rendered(rendered, page_at)
        spans = self.matcher.spans(rendered.text) if self.matcher else []
        article.passages = build_passages(article.path, rendered.text, spans, locator, self.context)
        return Resolved(article, loaded, rendered, locator)

    def resolve(self, number: int) -> ArticlePassages:
        """The ``number``-th article with its passages (rendered once, then kept)."""
        article = self[number]
        if article.passages is None:
            self.open(number)
        return article

    def iter_articles(self, resolve: bool = True, progress: Callable[[int, int], None] | None = None) -> Iterator[ArticlePassages]:
        """The articles in order, each resolved as it is reached (unless ``resolve`` is
        False); ``progress(done, total)`` after each. Only passages are kept, not the
        rendered text: a long stream does not hold every article in memory."""
        total = len(self._allowed)
        for number in range(total):
            article = self.resolve(number) if resolve else self[number]
            if progress is not None:
                progress(number + 1, total)
            yield article

    def __iter__(self) -> Iterator[Passage]:
        """Every passage, in order, found article by article as they are read."""
        for article in self.iter_articles():
            yield from article.passages or []

    def first(self, n: int) -> list[Passage]:
        out: list[Passage] = []
        if n <= 0:
            return out
        for passage in self:
            out.append(passage)
            if len(out) >= n:
                break
        return out

    def to_json(self, progress: Callable[[int, int], None] | None = None) -> dict:
        """Every article resolved; see :func:`passages_json`."""
        articles = [a.to_json() for a in self.iter_articles(progress=progress)]
        return {
            "query": self.query,
            "total_articles": self.total_articles,
            "total_passages": sum(len(a["passages"]) for a in articles),
            "articles": articles,
        }


def passages(index, library, query: str, context: int = DEFAULT_CONTEXT, order: str = "rank", pages: PagesFor | None = None, loader: Loader | None = None, glossary=None,
             htag_paths=None, no_expand: frozenset[str] = frozenset()) -> PassageSearch:
    """The passages of ``query`` in ``library`` (searched in ``index``, a
    :class:`~reader.search.index.SearchIndex` of it). Iterate it for every
    :class:`Passage` in order, or take its articles in order (``search[i]``,
    :meth:`PassageSearch.iter_articles`); :meth:`PassageSearch.count` counts them all without
    building any. ``order`` is ``"rank"`` (best article first) or
    ``"date"`` (newest first). ``pages(path, rendered)`` gives a ``page_at(offset)`` for
    paged sources; ``loader(path)`` gives (Article, RenderedArticle) when the caller keeps
    them (see :data:`Loader`)."""
    return PassageSearch(index, library, query, context, order, pages, loader, glossary, htag_paths, no_expand)


def passages_json(
    index, library, query: str, context: int = DEFAULT_CONTEXT, order: str = "rank", pages: PagesFor | None = None,
    loader: Loader | None = None, progress: Callable[[int, int], None] | None = None,
) -> dict:
    """``{"query", "total_articles", "total_passages", "articles": [{"path", "title",
    "passages": [{"start", "end", "text", "paragraph", "heading", "page"}]}]}``; ``page``
    only for paged sources. ``total_passages`` is the number of passages listed. Every
    matching article is rendered (about 9 ms each): ``progress(done, total)`` after each."""
    return passages(index, library, query, context, order, pages, loader).to_json(progress)
