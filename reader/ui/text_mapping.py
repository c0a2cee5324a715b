"""Map between the article's plain text (what selectors index) and QTextDocument positions.

The pane shows a header before the body, and Qt's document text differs from ours in white
space only (and in the breaks the pane adds to split very long paragraphs). One well-tested
place aligns the two: characters are matched in order, white space on either side may be
skipped. Qt counts positions in UTF-16 code units; Python in code points: both are handled
here.

The alignment is kept as runs of identical text, found by comparing slices (C speed), so a
10 MB article maps in milliseconds instead of a Python loop over every character.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_DOC_ONLY = "\ufffc\u2028\u2029"  # object replacement, line and paragraph separators


def _common_prefix(a: str, i: int, b: str, j: int, limit: int) -> int:
    """Length of the common prefix of a[i:] and b[j:], at most ``limit``."""
    if limit <= 0 or a[i] != b[j]:
        return 0
    known, step = 1, 64
    while known < limit:  # gallop: compare only the new stretch each time
        end = min(known + step, limit)
        if a[i + known : i + end] != b[j + known : j + end]:
            lo, hi = known, end  # the first difference is in [lo, hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if a[i + lo : i + mid] == b[j + lo : j + mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
        known, step = end, step * 4
    return known


class TextMapping:
    def __init__(self, plain: str, doc_text: str, body_start: int, offset: int = 0) -> None:
        """``doc_text``: QTextDocument.toPlainText(); ``body_start``: where the body begins in
        it (code points). ``plain`` may be a part of the article's text that begins at
        ``offset``: plain offsets given and returned are the article's."""
        self.plain = plain
        self.offset = offset
        self.body_start = body_start
        self._astral = [m.start() for m in _ASTRAL.finditer(doc_text)]
        self._astral_qt = [k + number for number, k in enumerate(self._astral)]
        # Runs of text shown exactly: plain[p : p + n] == doc_text[d : d + n].
        self._p: list[int] = []
        self._d: list[int] = []
        self._n: list[int] = []
        i, j = 0, body_start
        n, m = len(plain), len(doc_text)
        while i < n and j < m:
            same = _common_prefix(plain, i, doc_text, j, min(n - i, m - j))
            if same:
                self._add(i, j, same)
                i, j = i + same, j + same
                continue
            a, b = plain[i], doc_text[j]
            if a.isspace() and b.isspace():
                self._add(i, j, 1)
                i, j = i + 1, j + 1
            elif a.isspace():
                i += 1
            elif b.isspace() or b in _DOC_ONLY:
                j += 1
            else:  # a character Qt shows differently: keep both in step
                self._add(i, j, 1)
                i, j = i + 1, j + 1
        self.body_end = j

    def _add(self, p: int, d: int, length: int) -> None:
        if self._p and self._p[-1] + self._n[-1] == p and self._d[-1] + self._n[-1] == d:
            self._n[-1] += length
            return
        self._p.append(p)
        self._d.append(d)
        self._n.append(length)

    def _to_doc(self, plain_offset: int) -> int:
        k = bisect_right(self._p, plain_offset) - 1
        if k >= 0 and plain_offset < self._p[k] + self._n[k]:
            return self._d[k] + plain_offset - self._p[k]
        # Plain white space Qt does not show: the position of what comes next.
        return self._d[k + 1] if k + 1 < len(self._d) else self.body_end

    def _to_plain(self, doc_offset: int) -> int | None:
        k = bisect_right(self._d, doc_offset) - 1
        if k >= 0 and doc_offset < self._d[k] + self._n[k]:
            return self._p[k] + doc_offset - self._d[k]
        return None

    def to_qt(self, doc_offset: int) -> int:
        """Code point offset -> UTF-16 position (each astral character before it counts 2)."""
        return doc_offset + bisect_left(self._astral, doc_offset) if self._astral else doc_offset

    def from_qt(self, qt_position: int) -> int:
        return qt_position - bisect_left(self._astral_qt, qt_position) if self._astral else qt_position

    @property
    def aligned_end(self) -> int:
        """Just after the last character of ``plain`` matched in the document (local)."""
        return self._p[-1] + self._n[-1] if self._p else 0

    def covers(self, start: int, end: int) -> bool:
        """Whether any of [start, end) is in the shown text."""
        return start < self.offset + len(self.plain) and end > self.offset

    def plain_range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        start = max(0, min(start - self.offset, len(self.plain)))
        end = max(start, min(end - self.offset, len(self.plain)))
        last = self._to_doc(end - 1) + 1 if end > start else self._to_doc(start)
        return self.to_qt(self._to_doc(start)), self.to_qt(last)

    def qt_range_to_plain(self, qt_start: int, qt_end: int) -> tuple[int, int] | None:
        """The plain-text range of a selection, or None when it has no body text."""
        lo = max(self.from_qt(qt_start), self.body_start)
        hi = min(self.from_qt(qt_end), self.body_end)
        if lo >= hi:
            return None
        # The first and last shown body characters inside [lo, hi), found run by run.
        k = max(0, bisect_right(self._d, lo) - 1)
        first = None
        while k < len(self._d) and self._d[k] < hi:
            if self._d[k] + self._n[k] > lo:
                first = self._p[k] + max(lo, self._d[k]) - self._d[k]
                break
            k += 1
        k = bisect_right(self._d, hi - 1) - 1
        last = None
        while k >= 0 and self._d[k] + self._n[k] > lo:
            if self._d[k] <= hi - 1:
                last = self._p[k] + min(hi - 1, self._d[k] + self._n[k] - 1) - self._d[k]
                break
            k -= 1
        if first is None or last is None:
            return None
        return first + self.offset, last + 1 + self.offset
