"""Snippets: the passage with the most distinct query matches, matches wrapped in <mark>."""

from __future__ import annotations

import bisect
import functools
import html
import re
from itertools import islice

from reader.search.analysis import _HAN, exact_pattern, stem
from reader.search.folding import fold_chars_with_offsets, fold_with_offsets, to_original
from reader.search.query import Leaf

SNIPPET_CHARS = 110
_WORD = re.compile(rf"[^\W_{_HAN}]+")


def leaf_patterns(leaf: Leaf) -> list[re.Pattern[str]]:
    """Patterns over *folded* text that mark what a leaf matched: one for each of its forms
    (matching.leaf_forms: 三條 is 三条 or 3条)."""
    from reader.search.matching import leaf_forms

    forms = leaf_forms(leaf)
    if not forms:
        return []
    folded = forms[0]
    if len(forms) == 1 and not leaf.phrase and _WORD.fullmatch(folded) and folded.isalpha():
        # A single English word: every inflection of it is a match (as the index finds).
        return [_StemPattern(stem(folded), folded)]
    return [exact_pattern(form) for form in forms]


class _StemPattern:
    """Quacks like a compiled pattern's finditer for words sharing a stem."""

    def __init__(self, target: str, word: str) -> None:
        self.target = target
        self.word = word

    def finditer(self, text: str):
        for match in _WORD.finditer(text):
            token = match.group(0)
            if token == self.word or stem(token) == self.target:
                yield match


def ref_spans(text: str, refs: list) -> list[tuple[int, int]]:
    """(start, end) of each citation in ``text`` of one of the provisions ``refs``
    (:class:`reader.search.query.Ref`), as the index found them."""
    if not refs or not text:
        return []
    from reader.legal.references import find_references, reference_terms

    wanted = {term for ref in refs for term in ref.terms}
    return [(r.start, r.end) for r in find_references(text) if wanted.intersection(reference_terms(r))]


def _original_span(start: int, end: int, origin: list[int] | None) -> tuple[int, int]:
    """A folded span's original span: from its first character's source to its next
    character's source, widened to every source inside it (the numbering pass writes
    第 12-1 條 as 第12條之1, the one place a folded text is out of the original order)."""
    if origin is None:
        return start, end
    sources = origin[start:end]
    return min(sources), max(to_original(end, origin), max(sources) + 1)


@functools.lru_cache(maxsize=256)
def _marking(keys: tuple[tuple[str, bool], ...]) -> tuple[tuple[tuple[int, object], ...], bool]:
    """(leaf index, pattern) of every pattern of the leaves ``keys`` (text, phrase), and
    whether any of their forms needs the numbering pass: made once per query, not per hit."""
    from reader.search.matching import has_numerals, leaf_forms

    leaves = [Leaf(text, phrase=phrase) for text, phrase in keys]
    patterns = tuple((index, pattern) for index, leaf in enumerate(leaves) for pattern in leaf_patterns(leaf))
    return patterns, any(has_numerals(form) for leaf in leaves for form in leaf_forms(leaf))


def match_spans(text: str, leaves: list[Leaf], refs: list | None = None) -> list[tuple[int, int, int]]:
    """(start, end, leaf index) of every match in ``text``, as offsets into ``text``; the
    citations of ``refs`` (provisions) count after the leaves."""
    from reader.search.numbering import has_dash_numbering

    patterns, numbering = _marking(tuple((leaf.text, leaf.phrase) for leaf in leaves))
    # Forms without numerals match alike without the numbering pass (test_folding_numbering)
    # unless the text has a 第 12-1 條 the pass reorders; the pass is most of what folding costs.
    if numbering or has_dash_numbering(text):
        folded, origin = fold_with_offsets(text)
    else:
        folded, origin = fold_chars_with_offsets(text)
    spans = [(s, e, len(leaves)) for s, e in ref_spans(text, refs or [])]
    span = re.Match.span
    for index, pattern in patterns:
        if origin is None:  # folded offsets are the text's (the common case)
            spans += [(s, e, index) for s, e in map(span, pattern.finditer(folded)) if e > s]
        else:
            spans += [(*_original_span(s, e, origin), index) for s, e in map(span, pattern.finditer(folded)) if e > s]
    if len(patterns) == 1 and not refs and origin is None:
        return spans  # one pattern's matches: in order, and none overlaps the next
    spans.sort()
    merged: list[tuple[int, int, int]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], span[1]), last[2])
        else:
            merged.append(span)
    return merged


def _best_window(spans: list[tuple[int, int, int]], width: int) -> int:
    """The start of the first window of ``width`` characters (beginning at a match) holding
    the most distinct leaves, then the most matches: one pass, the window's leaves counted
    as it slides (an article can have hundreds of matches of one character)."""
    if all(span[2] == spans[0][2] for span in spans):
        return _most_matches(spans, width)
    best_start, best_score = spans[0][0], (-1, 0)
    counts: dict[int, int] = {}
    j = 0
    for i, (start, _end, _leaf) in enumerate(spans):
        if i and i - 1 < j:  # the previous match leaves the window
            leaf = spans[i - 1][2]
            counts[leaf] -= 1
            if not counts[leaf]:
                del counts[leaf]
        if j < i:
            j = i
        while j < len(spans) and spans[j][1] <= start + width:
            counts[spans[j][2]] = counts.get(spans[j][2], 0) + 1
            j += 1
        score = (len(counts), j - i)
        if score > best_score:
            best_score, best_start = score, start
    return best_start


def _most_matches(spans: list[tuple[int, int, int]], width: int) -> int:
    """:func:`_best_window` when every span is of one leaf: the first window with the most
    matches (no leaves to count)."""
    best_start, best = spans[0][0], -1
    j, count = 0, len(spans)
    for i, (start, _end, _leaf) in enumerate(spans):
        if j < i:
            j = i
        limit = start + width
        while j < count and spans[j][1] <= limit:
            j += 1
        if j - i > best:
            best, best_start = j - i, start
    return best_start


def highlight(text: str, spans: list[tuple[int, int, int]], start: int, end: int) -> str:
    """``text[start:end]`` escaped, the parts of ``spans`` (sorted, not overlapping) in it
    wrapped in <mark>."""
    first = bisect.bisect_right(spans, start, key=_span_end)  # the first span ending after start
    window = text[start:end]
    if _MARK_OPEN in window or _MARK_CLOSE in window:  # (never in extracted text; then piece by piece)
        return _highlight_pieces(text, spans[first:], start, end)
    parts, pos = [], start
    for s, e, _ in islice(spans, first, None):
        if s >= end:
            break
        s, e = max(s, start), min(e, end)
        parts += (text[pos:s], _MARK_OPEN, text[s:e], _MARK_CLOSE)
        pos = e
    parts.append(text[pos:end])
    # Escaping is character by character: the window at once, then the marks (one escape
    # instead of two a match: an article can have hundreds of a character in the window).
    return html.escape("".join(parts)).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


_MARK_OPEN, _MARK_CLOSE = "\x00", "\x01"


def _span_end(span: tuple[int, int, int]) -> int:
    return span[1]


def _highlight_pieces(text: str, spans, start: int, end: int) -> str:
    out, pos = [], start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def make_snippet(texts: dict[str, str], leaves: list[Leaf], width: int = SNIPPET_CHARS, refs: list | None = None) -> str:
    """The best passage of the body (or, failing a body match, of the notes or title)."""
    for name in ("body", "notes", "tags", "authors", "title"):
        text = " ".join(texts.get(name, "").split())
        spans = match_spans(text, leaves, refs) if leaves or refs else []
        if spans:
            first = _best_window(spans, width)
            start = max(0, first - width // 4)
            # Begin after a sentence or clause mark when one is close: snippets read better.
            cut = max(text.rfind(mark, start - 12, first) for mark in "。；！？.;!?，、")
            if cut >= 0 and first - cut <= width // 2:
                start = cut + 1
            end = min(len(text), start + width)
            start = max(0, min(start, end - width))
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return prefix + highlight(text, spans, start, end) + suffix
    body = " ".join(texts.get("body", "").split())
    return html.escape(body[:width]) + ("…" if len(body) > width else "")
