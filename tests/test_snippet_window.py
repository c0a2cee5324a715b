"""The snippet's window (reader.search.snippets._best_window), counted as it slides, is the
first of those beginning at a match with the most distinct leaves, then the most matches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.search.snippets import _best_window


@st.composite
def spans(draw):
    out, pos = [], 0
    for _ in range(draw(st.integers(1, 40))):
        pos += draw(st.integers(0, 60))
        length = draw(st.integers(1, 160))
        out.append((pos, pos + length, draw(st.integers(0, 3))))
        pos += length
    return out


@given(spans(), st.sampled_from([10, 50, 110]))
def test_the_window_with_the_most_distinct_leaves_then_matches(found, width) -> None:
    def score(start: int) -> tuple[int, int]:
        inside = [s for s in found if s[0] >= start and s[1] <= start + width]
        return len({leaf for _, _, leaf in inside}), len(inside)

    best = max(score(s) for s, _, _ in found)
    chosen = _best_window(found, width)
    assert score(chosen) == best
    assert chosen == next(s for s, _, _ in found if score(s) == best)  # the first such
