"""The reading pane: a QTextBrowser showing documents built by ``article_document``.

Documents come finished from the loader thread (sanitized HTML, resources sandboxed by the
document itself). Highlights, search matches and find matches are drawn by the pane's
:class:`~reader.ui.mark_layer.MarkLayer`; the pane keeps the methods the window calls and
hands them on. Large documents are laid out in steps; anything that needs positions waits
for that (``when_settled``), because asking Qt for a position lays the document out up to it,
on this thread, at once. Links are routed to the window.

An article from a paged source (a PDF) has its page labels ("p. 39") in the left margin, at
the line where each page starts (:class:`PageMargin`), drawn for the lines in view only."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QToolTip, QWidget

from reader.render.article import RenderedArticle
from reader.render.themes import THEMES
from reader.search.query import parse_query, positive_leaves
from reader.search.snippets import match_spans
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
from reader.ui.mark_layer import MarkLayer
from reader.ui.text_mapping import TextMapping

MEASURE_CHARS = 40  # full-width characters per line at the default size
#: Documents up to this many characters are laid out at once (at most tens of milliseconds,
#: even densely formatted); larger ones in steps by the LayoutDriver while the reader reads,
#: and whatever needs positions (highlights, matches, jumps) waits until that is done.
EAGER_LAYOUT_CHARS = 60_000


class ReadingPane(QTextBrowser):
    link_activated = Signal(QUrl)
    highlight_requested = Signal(str)  # colour key
    next_article_requested = Signal()
    previous_article_requested = Signal()

    settled = Signal()  # the document is laid out: highlights, matches and jumps are shown
    part_requested = Signal(int)  # an article shown in parts needs another part shown
    open_original_requested = Signal()  # the open article's source file, in the system viewer
    copy_citation_requested = Signal()  # Copy with citation of the selection (the window acts)
    edit_details_requested = Signal()  # the open article's title, authors, publication…

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Article"))
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
        self.marks = MarkLayer(self)
        self.page_margin = PageMargin(self)
        self._after_part: Callable[[], None] | None = None
        self.is_settled = True
        self._pending: list[Callable[[], None]] = []  # what waits for the layout
        self._driver: LayoutDriver | None = None
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        # Issue 14: the tooltip of a reference link (``ref:N``), set by the ReferencesController.
        self.reference_tooltip: Callable[[str], str] | None = None

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
        self.marks.clear_placed()
        if not same_article:
            self.marks.forget()
            self._after_part = None
        self._pending.clear()
        if self.wordWrapMode() != built.wrap_mode:
            self.setWordWrapMode(built.wrap_mode)
        if self._driver is not None:
            self._driver.detach()
            self._driver.deleteLater()
            self._driver = None
        built.document.setParent(self)
        self.page_margin.set_pages(rendered, built)
        self.update_measure()  # page labels take room in the margin: before the width is taken
        # Without a width, Qt's first layout pass lays lines out unbroken (0.2 s on a large
        # document); the pane would set this same width right after.
        built.document.setTextWidth(self.viewport().width())
        self.setDocument(built.document)
        self.built = built
        if isinstance(old, SandboxDocument) and old is not built.document:
            old.deleteLater()
        self.setExtraSelections([])
        self.marks.place()
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
        self.marks.apply()
        self.page_margin.update()
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
        self.marks.forget()
        self.page_margin.set_pages(None, None)
        self.update_measure()  # the labels' room goes with them
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
        if self.marks.window is not None:
            self.marks.apply()  # other text is in view now
        self.page_margin.place()

    def update_measure(self) -> None:
        side = max(16, (self.width() - self.measure_px()) // 2)
        # Page labels need room in the left margin: the text moves right when it is narrow.
        left = max(side, self.page_margin.needed_width())
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (left, side):
            self.setViewportMargins(left, 0, side, 0)
        self.page_margin.place()

    # Resources ---------------------------------------------------------------------------
    def loadResource(self, kind: int, url: QUrl):
        # Articles are SandboxDocuments, which load their own resources; anything that still
        # asks the browser (its initial empty document) gets nothing.
        if kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.ImageResource.value):
            return placeholder_image()
        return None

    # Highlights and matches (the mark layer's; kept here for the window) -------------------
    def set_highlights(self, ranges: list[tuple[int, int, str, str]]) -> None:
        """(plain start, plain end, css colour, note) for each attached highlight."""
        self.marks.set_highlights(ranges)

    def set_matches(self, ranges: list[tuple[int, int]], kind: str, plain: bool = True) -> int:
        """Mark search ("search") or find ("find") matches, given as plain-text ranges of the
        article or (``plain`` False) as Qt positions in the shown document; returns how many."""
        count = self.marks.set_matches(ranges, kind, plain)
        if ranges:
            self._go_to_match()
        return count

    def mark_search(self, query: str) -> int:
        """Mark a library search's matches of ``query``: in the body (stepped through with
        F3, the first one scrolled to) and in the title. Returns how many body matches."""
        leaves = positive_leaves(parse_query(query).root) if query.strip() else []
        if self.rendered is None or not leaves:
            return self.set_matches([], "search")
        body = [(s, e) for s, e, _ in match_spans(self.rendered.text, leaves)]
        title_text = self.document().firstBlock().text()
        title = self.marks.title_matches([(s, e) for s, e, _ in match_spans(title_text, leaves)])
        count = self.marks.set_matches(body, "search", True, title)
        if body:
            self._go_to_match()
        return count

    def step_match(self, forward: bool = True) -> tuple[int, int]:
        if not self.marks.match_ranges:
            return 0, 0
        self.marks.step(forward)
        self._go_to_match()
        return self.match_position

    @property
    def match_position(self) -> tuple[int, int]:
        return self.marks.match_position

    def _go_to_match(self) -> None:
        start = self.marks.current_start()
        if self.marks.match_plain and not self._shows(start):
            self.show_part(self.built.parts.number_at(start), self._scroll_to_match)
        else:
            self.when_settled(self._scroll_to_match)

    def _scroll_to_match(self) -> None:
        shown = self.marks.current_shown()
        if shown is None:
            return
        start, end = shown
        cursor = QTextCursor(self.document())
        cursor.setPosition(end)
        self.setTextCursor(cursor)
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def view_range(self, margin: float = 0.0) -> tuple[int, int]:
        """The Qt positions in view, and ``margin`` screens above and below."""
        viewport = self.viewport()
        extra = int(viewport.height() * margin)
        first = self.cursorForPosition(QPoint(0, -extra)).position()
        last = self.cursorForPosition(QPoint(viewport.width(), viewport.height() + extra)).position()
        return first, last + 1

    def _scrolled(self, _value: int) -> None:
        self.marks.scrolled()
        self.page_margin.update()

    def highlight_colors_at(self) -> list[str]:
        """The colours of the highlights in the shown document (part), in order."""
        return self.marks.highlight_colors()

    def shown_marks(self) -> list[tuple[int, int, str]]:
        """(Qt start, Qt end, colour) of the marks painted now: those in and around the view."""
        return self.marks.shown()

    @property
    def _notes(self) -> list[tuple[int, str]]:
        """(Qt position, note) of the note markers in and around the view (tests look)."""
        return self.marks.notes

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
        if not self.marks.notes or not self.is_settled:
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
        for position, _note in self.marks.notes_between(first, last + 1):
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

    # Reference tooltips (issue 14) ------------------------------------------------------------
    def reference_tooltip_at(self, pos: QPoint) -> str:
        """The tooltip of the reference link at ``pos`` (viewport coordinates), or ""."""
        href = self.anchorAt(pos)
        if not href.startswith("ref:") or self.reference_tooltip is None:
            return ""
        return self.reference_tooltip(href)

    def viewportEvent(self, event) -> bool:
        # Tooltip events reach the viewport (a scroll area's event() never sees them).
        if event.type() == QEvent.Type.ToolTip:
            text = self.reference_tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
                return True
        return super().viewportEvent(event)

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
            copy_citation = menu.addAction(tr("Copy with citation"), self.copy_citation_requested.emit)
            copy_citation.setShortcut(QKeySequence("Ctrl+Shift+C"))  # shown: the window's own action has the key
            copy_citation.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        if self.rendered is not None:
            menu.addSeparator()
            menu.addAction(tr("Open original"), self.open_original_requested.emit)
            menu.addAction(tr("Edit article details…"), self.edit_details_requested.emit)
        menu.exec(event.globalPos())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def legible(color: QColor, toward: QColor, background: QColor, ratio: float = 4.5) -> QColor:
    """``color``, or the first mix of it with ``toward`` (the text colour) that keeps ``ratio``."""
    for step in range(11):
        t = step / 10
        mixed = QColor.fromRgbF(*(c1 * (1 - t) + c2 * t for c1, c2 in zip(color.getRgbF()[:3], toward.getRgbF()[:3], strict=True)))
        if contrast_ratio(mixed, background) >= ratio:
            return QColor(mixed.name())  # whole channel values, as painted
    return QColor(toward)


def page_label_text(label: str) -> str:
    """What the margin shows for a page: "p. 39" ("頁 39" in Chinese)."""
    return tr("p. {page}").replace("{page}", label)


class PageMargin(QWidget):
    """The page labels of an article from a paged source, in the pane's left margin (the
    viewport margin, as a code editor's line numbers are), at the line where each page
    starts. Only the labels of the lines in view are placed, when painting: asking Qt where
    a line is lays the document out up to it."""

    PAD = 10  # px between a label and the text

    def __init__(self, pane: ReadingPane) -> None:
        super().__init__(pane)
        self.pane = pane
        self.labels: list[tuple[int, str]] = []  # (Qt position where a page starts, label) shown
        self._positions: list[int] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def set_pages(self, rendered: RenderedArticle | None, built: ArticleDocument | None) -> None:
        """The labels of ``rendered``'s pages that the shown document (part) holds; a page
        that goes on after a footnote or a figure is not labelled twice."""
        labels: list[tuple[int, str]] = []
        pages = getattr(rendered, "pages", None)
        if pages is not None and built is not None:
            mapping = built.mapping
            previous = None
            for offset, label in pages.boundaries():
                if label == previous:
                    continue
                previous = label
                if mapping.covers(offset, offset + 1):
                    labels.append((mapping.plain_range_to_qt(offset, offset + 1)[0], label))
        labels.sort()
        self.labels = labels
        self._positions = [position for position, _ in labels]
        self.setVisible(bool(labels))
        self.update()

    def label_font(self):
        font = self.pane.font()
        font.setPixelSize(max(10, (self.pane.font_size + self.pane.zoom) * 3 // 4))
        return font

    def needed_width(self) -> int:
        """The margin the labels need (0 without labels)."""
        if not self.labels:
            return 0
        metrics = QFontMetrics(self.label_font())
        widest = max(metrics.horizontalAdvance(page_label_text(label)) for _, label in self.labels)
        return widest + 2 * self.PAD

    def place(self) -> None:
        """Cover the left margin, beside the viewport."""
        rect = self.pane.contentsRect()
        self.setGeometry(QRect(rect.left(), rect.top(), self.pane.viewportMargins().left(), rect.height()))

    def color(self) -> QColor:
        """The theme's muted text colour, moved towards the text colour as far as it takes
        to keep 4.5:1 against the page (WCAG 1.4.3: sepia's muted alone is 4.4:1)."""
        colors = THEMES.get(self.pane.theme, THEMES["light"])
        return legible(QColor(colors["muted"]), QColor(colors["fg"]), QColor(colors["bg"]))

    def visible_labels(self) -> list[tuple[QRect, str]]:
        """(the line's box in the margin's coordinates, label) of the page starts in view."""
        pane = self.pane
        if not self.labels or not pane.is_settled or pane.built is None:
            return []
        first, last = pane.view_range()
        document = pane.document()
        offset = pane.viewport().y() - self.y()
        out = []
        for position, label in self.labels[bisect_left(self._positions, first) : bisect_right(self._positions, last)]:
            cursor = QTextCursor(document)
            cursor.setPosition(min(position, document.characterCount() - 1))
            line = pane.cursorRect(cursor)
            out.append((QRect(0, line.top() + offset, self.width() - self.PAD, line.height()), label))
        return out

    def paintEvent(self, _event) -> None:
        shown = self.visible_labels()
        if not shown:
            return
        painter = QPainter(self)
        painter.setFont(self.label_font())
        painter.setPen(self.color())
        for box, label in shown:  # centred on the line beside it
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, page_label_text(label))
        painter.end()
