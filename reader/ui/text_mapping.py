"""Map between the article's plain text (what selectors index) and QTextDocument positions.

The pane shows a header before the body, and Qt's document text differs from ours in white
space only. One well-tested place aligns the two: characters are matched in order, white
space on either side may be skipped. Qt counts positions in UTF-16 code units; Python in code
points: both are handled here.
"""

from __future__ import annotations

from bisect import bisect_left


class TextMapping:
    def __init__(self, plain: str, doc_text: str, body_start: int) -> None:
        """``doc_text``: QTextDocument.toPlainText(); ``body_start``: where the body begins in
        it (code points)."""
        self.plain = plain
        self.body_start = body_start
        self._astral = [k for k, ch in enumerate(doc_text) if ord(ch) > 0xFFFF]
        self._astral_qt = [k + number for number, k in enumerate(self._astral)]
        if doc_text.startswith(plain, body_start):
            # The common case: Qt shows exactly our text; the mapping is an offset.
            self.identity = True
            self.body_end = body_start + len(plain)
            return
        self.identity = False
        self.plain_to_doc: list[int] = [0] * (len(plain) + 1)
        self.doc_to_plain: dict[int, int] = {}
        i, j = 0, body_start
        n, m = len(plain), len(doc_text)
        while i < n and j < m:
            a, b = plain[i], doc_text[j]
            if a == b or (a.isspace() and b.isspace()):
                self.plain_to_doc[i] = j
                self.doc_to_plain[j] = i
                i += 1
                j += 1
            elif a.isspace():
                self.plain_to_doc[i] = j
                i += 1
            elif b.isspace() or b in "\ufffc\u2028\u2029":
                j += 1
            else:  # a character Qt shows differently: keep both in step
                self.plain_to_doc[i] = j
                self.doc_to_plain[j] = i
                i += 1
                j += 1
        while i < n:
            self.plain_to_doc[i] = j
            i += 1
        self.plain_to_doc[n] = j
        self.body_end = j

    def _to_doc(self, plain_offset: int) -> int:
        return self.body_start + plain_offset if self.identity else self.plain_to_doc[plain_offset]

    def _to_plain(self, doc_offset: int) -> int | None:
        if self.identity:
            return doc_offset - self.body_start if self.body_start <= doc_offset < self.body_end else None
        return self.doc_to_plain.get(doc_offset)

    def to_qt(self, doc_offset: int) -> int:
        """Code point offset -> UTF-16 position (each astral character before it counts 2)."""
        return doc_offset + bisect_left(self._astral, doc_offset) if self._astral else doc_offset

    def from_qt(self, qt_position: int) -> int:
        return qt_position - bisect_left(self._astral_qt, qt_position) if self._astral else qt_position

    def plain_range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        start = max(0, min(start, len(self.plain)))
        end = max(start, min(end, len(self.plain)))
        last = self._to_doc(end - 1) + 1 if end > start else self._to_doc(start)
        return self.to_qt(self._to_doc(start)), self.to_qt(last)

    def qt_range_to_plain(self, qt_start: int, qt_end: int) -> tuple[int, int] | None:
        """The plain-text range of a selection, or None when it has no body text."""
        start, end = self.from_qt(qt_start), self.from_qt(qt_end)
        lo, hi = max(start, self.body_start), min(end, self.body_end)
        first = next((p for p in (self._to_plain(k) for k in range(lo, hi)) if p is not None), None)
        last = next((p for p in (self._to_plain(k) for k in range(hi - 1, lo - 1, -1)) if p is not None), None)
        if first is None or last is None:
            return None
        return first, last + 1
