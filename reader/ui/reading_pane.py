"""The reading pane: a QTextBrowser showing documents built by ``article_document``.

Documents come finished from the loader thread (sanitized HTML, resources sandboxed by the
document itself). Highlights, search matches and find matches are ExtraSelections over the
document (the text itself is never modified, so positions stay stable). Large documents are
laid out in steps; anything that needs positions waits for that (``when_settled``), because
asking Qt for a position lays the document out up to it, on this thread, at once.
Links are routed to the window.

An article may carry 100,000 highlights (or a find may match 100,000 times): Qt goes through
every ExtraSelection each time it paints, and each holds a cursor and a format. So only the
marks in and around the part of the document in view are ExtraSelections (three screens,
rebuilt when scrolling leaves them); the others are kept as plain ranges (:class:`Spans`),
mapped to Qt positions only when they come into view."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit

from reader.render.article import RenderedArticle
from reader.render.themes import THEMES
from reader.ui.annotations_panel import color_icon
from reader.ui.article_document import (
    BASE_FONT_PX,
    PART_LINK,
    ArticleDocument,
    DocumentStyle,
    SandboxDocument,
    placeholder_image,
)
from reader.ui.i18n import tr
from reader.ui.layout_driver import LayoutDriver
from reader.ui.text_mapping import TextMapping

MEASURE_CHARS = 40  # full-width characters per line at the default size
# Violet: a hue no highlight colour has (yellow, green, blue, pink, orange), and underlined,
# so a match is told from a highlight by shape too.
SEARCH_COLOR = QColor("#dcc6ff")
FIND_COLOR = QColor("#e8dcff")
CURRENT_COLOR = QColor("#b38cf0")
MATCH_UNDERLINE = QColor("#5b2bb5")
#: Documents up to this many characters are laid out at once (at most tens of milliseconds,
#: even densely formatted); larger ones in steps by the LayoutDriver while the reader reads,
#: and whatever needs positions (highlights, matches, jumps) waits until that is done.
EAGER_LAYOUT_CHARS = 60_000


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


class ReadingPane(QTextBrowser):
    link_activated = Signal(QUrl)
    highlight_requested = Signal(str)  # colour key
    next_article_requested = Signal()
    previous_article_requested = Signal()
    selection_changed_in_body = Signal(bool)

    settled = Signal()  # the document is laid out: highlights, matches and jumps are shown
    part_requested = Signal(int)  # an article shown in parts needs another part shown

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._link_clicked)
        self.built: ArticleDocument | None = None
        self.rendered: RenderedArticle | None = None
        self.theme = "light"
        self.zoom = 0
        # Reading comfort (Preferences): font, size at zoom 0 (px), line height (%), measure.
        self.font_family, self.font_size, self.line_spacing, self.text_width = "", BASE_FONT_PX, 125, MEASURE_CHARS
        self.colors: list[tuple[str, str, str]] = []  # (key, name, css colour)
        self._highlight_ranges: list[tuple[int, int, str, str]] = []  # as given: the whole article
        self._highlights = Spans([])  # of _highlight_ranges, in the article's plain text
        self._notes: list[tuple[int, str]] = []  # (qt position of the end, note) of those in view
        self._match_ranges: list[tuple[int, int]] = []  # as given: plain, or Qt positions
        self._match_plain = True
        self._matches: list[tuple[int, int, int]] = []  # (number, qt start, qt end) shown here
        self._match_spans = Spans([])  # of _matches, in Qt positions
        self._window: tuple[int, int] | None = None  # the Qt positions the ExtraSelections cover
        self._current_match = -1
        self._after_part: Callable[[], None] | None = None
        self._match_kind = ""
        self.is_settled = True
        self._pending: list[Callable[[], None]] = []  # what waits for the layout
        self._driver: LayoutDriver | None = None
        self.copyAvailable.connect(lambda _: self.selection_changed_in_body.emit(self.selection_range() is not None))
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # Content -------------------------------------------------------------------------------
    def document_style(self) -> DocumentStyle:
        return DocumentStyle(self.theme, self.zoom, self.font_family, self.font_size, self.line_spacing)

    @property
    def mapping(self) -> TextMapping | None:
        return self.built.mapping if self.built is not None else None

    @property
    def resource_log(self) -> list[tuple[str, str]]:
        doc = self.document()
        return doc.resource_log if isinstance(doc, SandboxDocument) else []

    def show_document(self, built: ArticleDocument, rendered: RenderedArticle, same_article: bool = False) -> None:
        """Show a document built by :func:`build_document` (normally on the loader thread).
        ``same_article``: another part (or style) of the article shown; its marks stay."""
        old = self.document()
        self.rendered = rendered
        self._clear_placed()
        if not same_article:
            self._highlight_ranges, self._match_ranges, self._current_match = [], [], -1
            self._after_part = None
        self._pending.clear()
        if self.wordWrapMode() != built.wrap_mode:
            self.setWordWrapMode(built.wrap_mode)
        if self._driver is not None:
            self._driver.detach()
            self._driver.deleteLater()
            self._driver = None
        built.document.setParent(self)
        # Without a width, Qt's first layout pass lays lines out unbroken (0.2 s on a large
        # document); the pane would set this same width right after.
        built.document.setTextWidth(self.viewport().width())
        self.setDocument(built.document)
        self.built = built
        if isinstance(old, SandboxDocument) and old is not built.document:
            old.deleteLater()
        self.setExtraSelections([])
        self._place_marks()
        self.is_settled = False
        if built.characters <= EAGER_LAYOUT_CHARS:
            self.document().documentLayout().documentSize()  # lays it all out now
            self._settle()
        else:
            self._driver = LayoutDriver(built.document, self)
            self._driver.finished.connect(self._settle)
            self._driver.start()

    def _settle(self) -> None:
        if self.is_settled:
            return  # laid out again after a resize: nothing waits
        self.is_settled = True
        self._apply_selections()
        if self._after_part is not None:
            self._pending.append(self._after_part)
            self._after_part = None
        pending, self._pending = self._pending, []
        for action in pending:
            action()
        self.settled.emit()

    def when_settled(self, action: Callable[[], None]) -> None:
        """Run ``action`` now, or once the document is laid out (positions are known)."""
        if self.is_settled:
            action()
        else:
            self._pending.append(action)

    # Parts ---------------------------------------------------------------------------------
    @property
    def part_count(self) -> int:
        return len(self.built.parts) if self.built is not None else 0

    def _shows(self, plain_start: int) -> bool:
        """Whether the shown document (part) holds this offset of the article's text."""
        if self.built is None or not self.built.parts:
            return True
        part = self.built.parts.parts[self.built.part]
        return part.start <= plain_start < part.end or (plain_start == part.end == len(self.rendered.text))

    def show_part(self, number: int, then: Callable[[], None] | None = None) -> None:
        """Ask for part ``number``; ``then`` runs once it is shown and laid out."""
        if self.built is None or not self.built.parts or number == self.built.part:
            if then is not None:
                self.when_settled(then)
            return
        self._after_part = then
        self.part_requested.emit(number)

    def _link_clicked(self, url: QUrl) -> None:
        fragment = url.fragment()
        if not url.scheme() and not url.path() and fragment.startswith(PART_LINK):
            # Our links between parts; an article may carry look-alikes: only a real part is shown.
            number = fragment[len(PART_LINK) :]
            if number.isdigit() and int(number) < self.part_count:
                self.show_part(int(number), lambda: self.verticalScrollBar().setValue(0))
            return
        self.link_activated.emit(url)

    def clear_article(self) -> None:
        self.rendered = None
        self.built = None
        self._highlight_ranges, self._match_ranges = [], []
        self._clear_placed()
        self._pending.clear()
        if self._driver is not None:
            self._driver.detach()
            self._driver = None
        self.setHtml("")

    def show_welcome(self, html: str) -> None:
        """No article open: show ``html`` (a short welcome the window gives, in the
        interface language) instead of an empty page."""
        self.clear_article()
        self.setHtml(html)
        self.verticalScrollBar().setValue(0)

    def apply_theme(self, theme: str) -> None:
        self.theme = theme
        c = THEMES.get(theme, THEMES["light"])
        self.setStyleSheet(f"QTextBrowser {{ background-color: {c['bg']}; color: {c['fg']}; border: none; }}")

    def measure_px(self) -> int:
        return (self.font_size + self.zoom) * self.text_width + 24

    def resizeEvent(self, event) -> None:
        # The viewport's resizes arrive here too: the margins must come from the pane's own
        # width, or they change the viewport, which resizes again (a loop that overflowed the stack).
        self.update_measure()
        width = self.document().textWidth()
        super().resizeEvent(event)
        if self._driver is not None and self.document().textWidth() != width:
            self._driver.start()  # Qt starts the layout over at a new width
        if self._window is not None:
            self._apply_selections()  # other text is in view now

    def update_measure(self) -> None:
        side = max(16, (self.width() - self.measure_px()) // 2)
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    # Resources ---------------------------------------------------------------------------
    def loadResource(self, kind: int, url: QUrl):
        # Articles are SandboxDocuments, which load their own resources; anything that still
        # asks the browser (its initial empty document) gets nothing.
        if kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.ImageResource.value):
            return placeholder_image()
        return None

    # Highlights and matches ----------------------------------------------------------------
    def set_highlights(self, ranges: list[tuple[int, int, str, str]]) -> None:
        """(plain start, plain end, css colour, note) for each attached highlight."""
        self._highlight_ranges = list(ranges)
        self._place_highlights()
        self._apply_selections()

    def _place_marks(self) -> None:
        """Highlights and matches in the shown document's positions."""
        self._place_highlights()
        self._place_matches()

    def _clear_placed(self) -> None:
        self._highlights, self._match_spans = Spans([]), Spans([])
        self._notes, self._matches, self._window = [], [], None

    def _place_highlights(self) -> None:
        """Index the highlights of the shown document (part); mapped when they come into view."""
        if self.mapping is None:
            self._highlights = Spans([])
            return
        low = self.mapping.offset  # what mapping.covers() decides, for each of up to 100,000
        high = low + len(self.mapping.plain)
        self._highlights = Spans([(start, end, k) for k, (start, end, _c, _n) in enumerate(self._highlight_ranges) if start < high and end > low])

    def _selection(self, start: int, end: int, background: QColor, foreground: QColor, tooltip: str = "", underline: QColor | None = None) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
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

    def set_matches(self, ranges: list[tuple[int, int]], kind: str, plain: bool = True) -> int:
        """Mark search ("search") or find ("find") matches, given as plain-text ranges of the
        article or (``plain`` False) as Qt positions in the shown document; returns how many."""
        self._match_kind = kind
        self._match_ranges, self._match_plain = list(ranges), plain
        self._current_match = 0 if ranges else -1
        self._place_matches()
        self._apply_selections()
        if ranges:
            self._go_to_match()
        return len(ranges)

    def step_match(self, forward: bool = True) -> tuple[int, int]:
        if not self._match_ranges:
            return 0, 0
        self._current_match = (self._current_match + (1 if forward else -1)) % len(self._match_ranges)
        self._apply_selections()
        self._go_to_match()
        return self.match_position

    @property
    def match_position(self) -> tuple[int, int]:
        return (self._current_match + 1 if self._match_ranges else 0), len(self._match_ranges)

    def _place_matches(self) -> None:
        if not self._match_plain:
            self._matches = [(n, s, e) for n, (s, e) in enumerate(self._match_ranges)]
        elif self.mapping is not None:
            self._matches = [(n, *self.mapping.plain_range_to_qt(s, e)) for n, (s, e) in enumerate(self._match_ranges) if self.mapping.covers(s, e)]
        self._match_spans = Spans([(s, e, k) for k, (_n, s, e) in enumerate(self._matches)])

    def _go_to_match(self) -> None:
        start = self._match_ranges[self._current_match][0]
        if self._match_plain and not self._shows(start):
            self.show_part(self.built.parts.number_at(start), self._scroll_to_match)
        else:
            self.when_settled(self._scroll_to_match)

    def _scroll_to_match(self) -> None:
        shown = [(s, e) for n, s, e in self._matches if n == self._current_match]
        if not shown:
            return
        start, end = shown[0]
        cursor = QTextCursor(self.document())
        cursor.setPosition(end)
        self.setTextCursor(cursor)
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _apply_selections(self) -> None:
        """ExtraSelections for the marks in and around the view (see the module's doc)."""
        if not self.is_settled:
            return  # Qt would lay the document out up to every selection: at once, on this thread
        self._window = self._view_range(margin=1.0)
        low, high = self._window
        selections = []
        self._notes = []
        if self._highlights and self.mapping is not None:
            plain = self.mapping.qt_range_to_plain(low, high)
            if plain is not None:
                text_color = QColor(THEMES[self.theme if self.theme in THEMES else "light"]["mark_text"])
                colors: dict[str, QColor] = {}
                for k in self._highlights.overlapping(*plain):
                    start, end, css, note = self._highlight_ranges[k]
                    background = colors.get(css)
                    if background is None:
                        background = colors[css] = QColor(css)
                        if self.theme == "dark":
                            background.setAlpha(200)
                    qs, qe = self.mapping.plain_range_to_qt(start, end)
                    selections.append(self._selection(qs, qe, background, text_color, note))
                    if note:
                        self._notes.append((qe, note))
        base = SEARCH_COLOR if self._match_kind == "search" else FIND_COLOR
        black = QColor("#000000")
        for k in self._match_spans.overlapping(low, high):
            number, start, end = self._matches[k]
            color = QColor(CURRENT_COLOR if number == self._current_match else base)
            selections.append(self._selection(start, end, color, black, underline=MATCH_UNDERLINE))
        self._notes.sort()
        self.setExtraSelections(selections)
        self.viewport().update()

    def _view_range(self, margin: float = 0.0) -> tuple[int, int]:
        """The Qt positions in view, and ``margin`` screens above and below."""
        viewport = self.viewport()
        extra = int(viewport.height() * margin)
        first = self.cursorForPosition(QPoint(0, -extra)).position()
        last = self.cursorForPosition(QPoint(viewport.width(), viewport.height() + extra)).position()
        return first, last + 1

    def _scrolled(self, _value: int) -> None:
        if self._window is None or not self.is_settled or not (self._highlights or self._match_spans):
            return
        low, high = self._view_range()
        if low < self._window[0] or high > self._window[1]:
            self._apply_selections()  # before Qt paints the new view

    def highlight_colors_at(self) -> list[str]:
        """The colours of the highlights in the shown document (part), in order."""
        return [QColor(self._highlight_ranges[k][2]).name() for k in self._highlights.in_order()]

    def shown_marks(self) -> list[tuple[int, int, str]]:
        """(Qt start, Qt end, colour) of the marks painted now: those in and around the view."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color().name()) for s in self.extraSelections()]

    def selection_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.mapping is None:
            return None
        return self.mapping.qt_range_to_plain(cursor.selectionStart(), cursor.selectionEnd())

    def scroll_to_plain(self, start: int) -> None:
        if self.mapping is None:
            return
        if not self._shows(start):
            self.show_part(self.built.parts.number_at(start), lambda: self.scroll_to_plain(start))
            return
        qs, _ = self.mapping.plain_range_to_qt(start, start + 1)

        def scroll() -> None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(qs, self.document().characterCount() - 1))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
            # Not at the very edge (a highlight that starts at the end of the last line shown
            # would continue out of view): a third of the way down, as a browser's find does.
            rect = self.cursorRect(cursor)
            height = self.viewport().height()
            if rect.top() < rect.height() or rect.bottom() > height - 3 * rect.height():
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - height // 3)

        self.when_settled(scroll)

    def scroll_to_anchor(self, name: str) -> None:
        if self.built is not None and self.built.parts and name in self.built.parts.anchors:
            self.show_part(self.built.parts.anchors[name], lambda: self.scrollToAnchor(name))
            return
        self.when_settled(lambda: self.scrollToAnchor(name))

    # Reading position ------------------------------------------------------------------------
    def scroll_fraction(self) -> float:
        """How far into the article the reader is, 0 to 1 (over all parts)."""
        bar = self.verticalScrollBar()
        here = bar.value() / bar.maximum() if bar.maximum() else 0.0
        count = self.part_count
        return (self.built.part + here) / count if count else here

    def set_scroll_fraction(self, fraction: float) -> None:
        count = self.part_count
        part = min(count - 1, int(fraction * count)) if count else 0
        here = fraction * count - part if count else fraction

        def scroll() -> None:
            bar = self.verticalScrollBar()
            bar.setValue(int(round(here * bar.maximum())))

        if count:
            self.show_part(part, scroll)
        else:
            self.when_settled(scroll)

    # Painting note markers -----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._notes or not self.is_settled:
            return
        # Only the notes in view: a cursor rectangle further down makes Qt lay out up to it.
        first = self.cursorForPosition(QPoint(0, 0)).position()
        last = self.cursorForPosition(QPoint(self.viewport().width(), self.viewport().height())).position()
        # A solid badge in the theme's note colour (at least 3:1 against the page, WCAG
        # 1.4.11; a thin glyph alone is drawn lighter than its colour) with ✎ in the page colour.
        colors = THEMES.get(self.theme, THEMES["light"])
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        size = max(10, (self.font_size + self.zoom) * 2 // 3)
        font.setPixelSize(max(7, size * 3 // 4))
        painter.setFont(font)
        for position, _note in self._notes[bisect_left(self._notes, (first, "")) :]:
            if position > last + 1:
                break
            cursor = QTextCursor(self.document())
            cursor.setPosition(position)
            rect: QRect = self.cursorRect(cursor)
            badge = QRect(rect.right() + 1, rect.top(), size, size)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors["note"]))
            painter.drawEllipse(badge)
            painter.setPen(QColor(colors["bg"]))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "✎")
        painter.end()

    # Input ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().lower()
        if event.modifiers() == Qt.KeyboardModifier.ControlModifier and event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.set_scroll_fraction(0.0 if event.key() == Qt.Key.Key_Home else 1.0)  # over every part
            return
        if event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if text == "h" and self.selection_range() is not None:
                self.highlight_requested.emit(self.colors[0][0] if self.colors else "yellow")
                return
            if text == "j":
                self.next_article_requested.emit()
                return
            if text == "k":
                self.previous_article_requested.emit()
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu: QMenu = self.createStandardContextMenu(event.pos())
        if self.selection_range() is not None:
            menu.addSeparator()
            sub = menu.addMenu(tr("Highlight"))
            for key, name, css in self.colors:
                action = QAction(color_icon(css), name, sub)
                action.setData(key)
                action.triggered.connect(lambda _checked=False, k=key: self.highlight_requested.emit(k))
                sub.addAction(action)
        menu.exec(event.globalPos())
