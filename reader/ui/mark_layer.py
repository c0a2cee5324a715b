"""The marks over the reading pane's text: highlights, library-search matches, find matches.

Marks are ExtraSelections over the document (the text itself is never modified, so positions
stay stable). An article may carry 100,000 highlights (or a find may match 100,000 times):
Qt goes through every ExtraSelection each time it paints, and each holds a cursor and a
format. So only the marks in and around the part of the document in view are
ExtraSelections (three screens, rebuilt when scrolling leaves them); the others are kept as
plain ranges (:class:`Spans`), mapped to Qt positions only when they come into view.

A library search marks its matches in the title too (the heading the pane shows above the
body, which is no part of the article's plain text): those are kept in Qt positions.

The layer belongs to one pane (a QTextEdit) and asks it for the document, its text mapping,
the theme, what is in view and whether the layout is done; it keeps no widget of its own.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from reader.render.themes import THEMES

if TYPE_CHECKING:
    from reader.ui.reading_pane import ReadingPane

# Violet: a hue no highlight colour has (yellow, green, blue, pink, orange), and underlined,
# so a match is told from a highlight by shape too.
SEARCH_COLOR = QColor("#dcc6ff")
FIND_COLOR = QColor("#e8dcff")
CURRENT_COLOR = QColor("#b38cf0")
MATCH_UNDERLINE = QColor("#5b2bb5")


class Spans:
    """Ranges (start, end, key), found by overlap with a stretch of text without looking at
    the others: sorted by start, the long ones (rare) apart, so that only ranges starting at
    most LONG before the stretch need looking at."""

    LONG = 2_000

    def __init__(self, ranges: list[tuple[int, int, int]]) -> None:
        ranges = sorted(ranges)
        self.short = [r for r in ranges if r[1] - r[0] <= self.LONG]
        self.long = [r for r in ranges if r[1] - r[0] > self.LONG]
        self.starts = [r[0] for r in self.short]

    def __len__(self) -> int:
        return len(self.short) + len(self.long)

    def overlapping(self, low: int, high: int) -> list[int]:
        """The keys of the ranges that overlap [low, high), in the order of the keys."""
        first = bisect_left(self.starts, low - self.LONG)
        last = bisect_left(self.starts, high)
        keys = [key for start, end, key in self.short[first:last] if end > low or start >= low]
        keys += [key for start, end, key in self.long if start < high and end > low]
        keys.sort()
        return keys

    def in_order(self) -> list[int]:
        return sorted(key for _s, _e, key in self.short + self.long)


def utf16_length(text: str) -> int:
    """How many positions Qt counts for ``text`` (astral characters count two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class MarkLayer:
    """Highlights and matches of the article shown in ``pane``; see the module's doc."""

    def __init__(self, pane: ReadingPane) -> None:
        self.pane = pane
        self.highlight_ranges: list[tuple[int, int, str, str]] = []  # as given: the whole article
        self.highlights = Spans([])  # of highlight_ranges, in the article's plain text
        self.notes: list[tuple[int, str]] = []  # (qt position of the end, note) of those in view
        self.match_ranges: list[tuple[int, int]] = []  # as given: plain, or Qt positions
        self.match_plain = True
        self.match_kind = ""
        self.current_match = -1
        self.title_ranges: list[tuple[int, int]] = []  # search matches in the title, Qt positions
        self._matches: list[tuple[int, int, int]] = []  # (number, qt start, qt end) shown here
        self._match_spans = Spans([])  # of _matches, in Qt positions
        self.window: tuple[int, int] | None = None  # the Qt positions the ExtraSelections cover

    # State ---------------------------------------------------------------------------------
    def forget(self) -> None:
        """Another article: no marks."""
        self.highlight_ranges, self.match_ranges, self.title_ranges = [], [], []
        self.current_match = -1
        self.clear_placed()

    def clear_placed(self) -> None:
        """The document changes: what was placed in its positions goes."""
        self.highlights, self._match_spans = Spans([]), Spans([])
        self.notes, self._matches, self.window = [], [], None

    def place(self) -> None:
        """Highlights and matches in the shown document's positions."""
        self._place_highlights()
        self._place_matches()

    # Highlights ----------------------------------------------------------------------------
    def set_highlights(self, ranges: list[tuple[int, int, str, str]]) -> None:
        """(plain start, plain end, css colour, note) for each attached highlight."""
        self.highlight_ranges = list(ranges)
        self._place_highlights()
        self.apply()

    def _place_highlights(self) -> None:
        """Index the highlights of the shown document (part); mapped when they come into view."""
        mapping = self.pane.mapping
        if mapping is None:
            self.highlights = Spans([])
            return
        low = mapping.offset  # what mapping.covers() decides, for each of up to 100,000
        high = low + len(mapping.plain)
        self.highlights = Spans([(start, end, k) for k, (start, end, _c, _n) in enumerate(self.highlight_ranges) if start < high and end > low])

    def highlight_colors(self) -> list[str]:
        """The colours of the highlights in the shown document (part), in order."""
        return [QColor(self.highlight_ranges[k][2]).name() for k in self.highlights.in_order()]

    # Matches -------------------------------------------------------------------------------
    def set_matches(self, ranges: list[tuple[int, int]], kind: str, plain: bool = True, title: list[tuple[int, int]] | None = None) -> int:
        """Mark search ("search") or find ("find") matches, given as plain-text ranges of the
        article or (``plain`` False) as Qt positions in the shown document; ``title``: the
        search's matches in the title, as Qt positions (they are not stepped through).
        Replaces the marks of either kind; returns how many body matches there are."""
        self.match_kind = kind
        self.match_ranges, self.match_plain = list(ranges), plain
        self.title_ranges = list(title or [])
        self.current_match = 0 if ranges else -1
        self._place_matches()
        self.apply()
        return len(ranges)

    def title_matches(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Qt positions of ``spans`` (offsets into the title's text, the document's first
        block) in the shown document."""
        document = self.pane.document()
        block = document.firstBlock()
        text = block.text()
        out = []
        for start, end in spans:
            if 0 <= start < end <= len(text):
                qs = block.position() + utf16_length(text[:start])
                out.append((qs, qs + utf16_length(text[start:end])))
        return out

    def step(self, forward: bool = True) -> None:
        self.current_match = (self.current_match + (1 if forward else -1)) % len(self.match_ranges)
        self.apply()

    @property
    def match_position(self) -> tuple[int, int]:
        return (self.current_match + 1 if self.match_ranges else 0), len(self.match_ranges)

    def current_start(self) -> int:
        """Where the current match starts, as it was given (plain or Qt)."""
        return self.match_ranges[self.current_match][0]

    def current_shown(self) -> tuple[int, int] | None:
        """The Qt range of the current match when the shown document (part) holds it."""
        shown = [(s, e) for n, s, e in self._matches if n == self.current_match]
        return shown[0] if shown else None

    def _place_matches(self) -> None:
        mapping = self.pane.mapping
        if not self.match_plain:
            self._matches = [(n, s, e) for n, (s, e) in enumerate(self.match_ranges)]
        elif mapping is not None:
            self._matches = [(n, *mapping.plain_range_to_qt(s, e)) for n, (s, e) in enumerate(self.match_ranges) if mapping.covers(s, e)]
        else:
            self._matches = []
        self._match_spans = Spans([(s, e, k) for k, (_n, s, e) in enumerate(self._matches)])

    # ExtraSelections -----------------------------------------------------------------------
    def _selection(self, start: int, end: int, background: QColor, foreground: QColor, tooltip: str = "", underline: QColor | None = None) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.pane.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(background)
        fmt.setForeground(foreground)
        if tooltip:
            fmt.setToolTip(tooltip)
        if underline is not None:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(underline)
        selection.format = fmt
        return selection

    def apply(self) -> None:
        """ExtraSelections for the marks in and around the view (see the module's doc)."""
        pane = self.pane
        if not pane.is_settled:
            return  # Qt would lay the document out up to every selection: at once, on this thread
        self.window = pane.view_range(margin=1.0)
        low, high = self.window
        selections = []
        self.notes = []
        mapping = pane.mapping
        theme = pane.theme if pane.theme in THEMES else "light"
        if self.highlights and mapping is not None:
            plain = mapping.qt_range_to_plain(low, high)
            if plain is not None:
                text_color = QColor(THEMES[theme]["mark_text"])
                colors: dict[str, QColor] = {}
                for k in self.highlights.overlapping(*plain):
                    start, end, css, note = self.highlight_ranges[k]
                    background = colors.get(css)
                    if background is None:
                        background = colors[css] = QColor(css)
                        if theme == "dark":
                            background.setAlpha(200)
                    qs, qe = mapping.plain_range_to_qt(start, end)
                    selections.append(self._selection(qs, qe, background, text_color, note))
                    if note:
                        self.notes.append((qe, note))
        base = SEARCH_COLOR if self.match_kind == "search" else FIND_COLOR
        black = QColor("#000000")
        for start, end in self.title_ranges:
            selections.append(self._selection(start, end, SEARCH_COLOR, black, underline=MATCH_UNDERLINE))
        for k in self._match_spans.overlapping(low, high):
            number, start, end = self._matches[k]
            color = QColor(CURRENT_COLOR if number == self.current_match else base)
            selections.append(self._selection(start, end, color, black, underline=MATCH_UNDERLINE))
        self.notes.sort()
        pane.setExtraSelections(selections)
        pane.viewport().update()

    def scrolled(self) -> None:
        """The view moved: new ExtraSelections when it leaves the stretch they cover."""
        if self.window is None or not self.pane.is_settled or not (self.highlights or self._match_spans):
            return
        low, high = self.pane.view_range()
        if low < self.window[0] or high > self.window[1]:
            self.apply()  # before Qt paints the new view

    def shown(self) -> list[tuple[int, int, str]]:
        """(Qt start, Qt end, colour) of the marks painted now: those in and around the view."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color().name()) for s in self.pane.extraSelections()]

    def notes_between(self, first: int, last: int) -> list[tuple[int, str]]:
        """(Qt position, note) of the highlights with a note that end in [first, last]."""
        out = []
        for position, note in self.notes[bisect_left(self.notes, (first, "")) :]:
            if position > last:
                break
            out.append((position, note))
        return out
