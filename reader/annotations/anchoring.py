"""Re-attach a highlight to a (possibly edited) text, in stages, never dropping it.

1. exact: the stored position still holds the quote;
2. moved: the exact quote elsewhere, the occurrence whose prefix/suffix agree best (then the
   one nearest the old position);
3. fuzzy: the best approximate match of the quote with bounded edits (rapidfuzz);
4. orphan: kept, with its quote and note, for the user to re-attach.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.annotations.selectors import TextPosition, TextQuote

EXACT, MOVED, FUZZY, ORPHAN = "exact", "moved", "fuzzy", "orphan"
MIN_FUZZY_SCORE = 80.0  # rapidfuzz ratio, 0-100
MIN_FUZZY_LENGTH = 4  # shorter quotes match too much by chance
MAX_OCCURRENCES = 2000


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    state: str
    score: float = 100.0

    @property
    def attached(self) -> bool:
        return self.state != ORPHAN


ORPHANED = Anchor(-1, -1, ORPHAN, 0.0)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _occurrences(text: str, exact: str) -> list[int]:
    found, start = [], text.find(exact)
    while start != -1 and len(found) < MAX_OCCURRENCES:
        found.append(start)
        start = text.find(exact, start + 1)
    return found


def anchor(text: str, quote: TextQuote, position: TextPosition | None = None) -> Anchor:
    exact = quote.exact
    if not exact:
        return ORPHANED
    if position is not None and text[position.start : position.end] == exact:
        return Anchor(position.start, position.end, EXACT)
    occurrences = _occurrences(text, exact)
    old = position.start if position is not None else 0
    context_size = len(quote.prefix) + len(quote.suffix)
    best_exact = None
    if occurrences:

        def fit(start: int) -> tuple[int, int]:
            before = text[max(0, start - len(quote.prefix)) : start]
            after = text[start + len(exact) : start + len(exact) + len(quote.suffix)]
            context = _common_suffix(before, quote.prefix) + _common_prefix(after, quote.suffix)
            return context, -abs(start - old)

        best_exact = max(occurrences, key=fit)
        if context_size == 0 or fit(best_exact)[0] * 2 >= context_size:
            state = EXACT if position is not None and best_exact == position.start else MOVED
            return Anchor(best_exact, best_exact + len(exact), state)
    if len(exact) >= MIN_FUZZY_LENGTH:
        located = _fuzzy_in_context(text, quote)
        if located is not None:
            return located
    if best_exact is not None:
        # Same words, different surroundings: the best exact occurrence is still our best bet.
        return Anchor(best_exact, best_exact + len(exact), MOVED)
    if len(exact) >= MIN_FUZZY_LENGTH:
        from rapidfuzz import fuzz

        found = fuzz.partial_ratio_alignment(exact, text, score_cutoff=MIN_FUZZY_SCORE)
        if found is not None and found.dest_end > found.dest_start:
            return Anchor(found.dest_start, found.dest_end, FUZZY, round(found.score, 1))
    return ORPHANED


def _fuzzy_in_context(text: str, quote: TextQuote) -> Anchor | None:
    """Find the passage by quote *and* context, then the quote inside it."""
    from rapidfuzz import fuzz

    if not quote.prefix and not quote.suffix:
        return None
    whole = quote.prefix + quote.exact + quote.suffix
    region = fuzz.partial_ratio_alignment(whole, text, score_cutoff=70)
    if region is None:
        return None
    # Where the quote should sit inside the matched passage, give or take the edits.
    expected = region.dest_start + max(0, len(quote.prefix) - region.src_start)
    slack = max(4, len(quote.exact) // 3)
    lo = max(0, expected - slack)
    hi = min(len(text), expected + len(quote.exact) + slack)
    inner = fuzz.partial_ratio_alignment(quote.exact, text[lo:hi], score_cutoff=MIN_FUZZY_SCORE)
    if inner is None or inner.dest_end <= inner.dest_start:
        return None
    start, end = lo + inner.dest_start, lo + inner.dest_end
    state = MOVED if text[start:end] == quote.exact else FUZZY
    return Anchor(start, end, state, 100.0 if state == MOVED else round(inner.score, 1))
