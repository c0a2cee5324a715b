"""Snippets: the passage with the most distinct query matches, matches wrapped in <mark>."""

from __future__ import annotations

import html
import re

from reader.search.analysis import _HAN, exact_pattern, stem
from reader.search.folding import fold_with_offsets, to_original
from reader.search.query import Leaf

SNIPPET_CHARS = 110
_WORD = re.compile(rf"[^\W_{_HAN}]+")


def leaf_patterns(leaf: Leaf) -> list[re.Pattern[str]]:
    """Patterns over *folded* text that mark what a leaf matched."""
    from reader.search.folding import fold

    folded = fold(leaf.text).strip()
    if not folded:
        return []
    if not leaf.phrase and _WORD.fullmatch(folded) and folded.isalpha() and len(folded) >= 4:
        # A single English word: every word with the same stem is a match.
        target = stem(folded)
        return [_StemPattern(target, folded)]
    return [exact_pattern(folded)]


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


def match_spans(text: str, leaves: list[Leaf]) -> list[tuple[int, int, int]]:
    """(start, end, leaf index) of every match in ``text``, as offsets into ``text``."""
    folded, origin = fold_with_offsets(text)
    spans = []
    for index, leaf in enumerate(leaves):
        for pattern in leaf_patterns(leaf):
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    spans.append((to_original(match.start(), origin), to_original(match.end(), origin), index))
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
    best_start, best_score = spans[0][0], (-1, 0)
    j = 0
    for i, (start, _end, _leaf) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        window = spans[i:j]
        score = (len({leaf for _, _, leaf in window}), len(window))
        if score > best_score:
            best_score, best_start = score, start
    return best_start


def highlight(text: str, spans: list[tuple[int, int, int]], start: int, end: int) -> str:
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


def make_snippet(texts: dict[str, str], leaves: list[Leaf], width: int = SNIPPET_CHARS) -> str:
    """The best passage of the body (or, failing a body match, of the notes or title)."""
    for name in ("body", "notes", "tags", "authors", "title"):
        text = " ".join(texts.get(name, "").split())
        spans = match_spans(text, leaves) if leaves else []
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
