"""The reading pane: sanitized HTML in a QTextBrowser that reads nothing outside the library.

Highlights, search matches and find matches are ExtraSelections over the document (the text
itself is never modified, so positions stay stable). Links are routed to the window.
"""

from __future__ import annotations

import stat
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit

from reader.library.model import Article
from reader.render.article import RenderedArticle, header_html, sources_html
from reader.render.themes import FONT_STACK, THEMES
from reader.ui.i18n import tr
from reader.ui.text_mapping import TextMapping

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".svg"}
MAX_IMAGE_BYTES = 8 * 1024 * 1024
BASE_FONT_PX = 17
MEASURE_CHARS = 40  # full-width characters per line at the default size
SEARCH_COLOR = QColor("#ffb74d")
FIND_COLOR = QColor("#ffd54f")
CURRENT_COLOR = QColor("#f57c00")


def placeholder_image(text: str = "") -> QImage:
    image = QImage(160, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("#dddddd"))
    painter = QPainter(image)
    painter.setPen(QColor("#666666"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text or tr("image not shown"))
    painter.end()
    return image


def safe_image_path(library: Path | None, base: Path | None, url: QUrl) -> Path | None:
    """The local image file an article may show, or None.

    Only relative URLs without a scheme, resolving (after symlinks) to a regular image file
    inside the library and under the size cap. Everything else is refused."""
    if library is None or base is None:
        return None
    if url.scheme() or url.isEmpty() or url.host():
        return None
    raw = url.path()
    if not raw or raw.startswith(("/", "\\")) or ":" in raw.split("/")[0]:
        return None
    try:
        target = (base / raw).resolve(strict=True)
        target.relative_to(library.resolve())
        info = target.stat()
    except (OSError, ValueError, RuntimeError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_IMAGE_BYTES or target.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    return target


class ReadingPane(QTextBrowser):
    link_activated = Signal(QUrl)
    highlight_requested = Signal(str)  # colour key
    next_article_requested = Signal()
    previous_article_requested = Signal()
    selection_changed_in_body = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.link_activated)
        self.library: Path | None = None
        self.base: Path | None = None
        self.mapping: TextMapping | None = None
        self.rendered: RenderedArticle | None = None
        self.theme = "light"
        self.zoom = 0
        self.colors: list[tuple[str, str, str]] = []  # (key, name, css colour)
        self.resource_log: list[tuple[str, str]] = []  # (url, "image" | "refused") for tests
        self._highlights: list[QTextEdit.ExtraSelection] = []
        self._notes: list[tuple[int, str]] = []  # (qt position of the end, note)
        self._matches: list[tuple[int, int]] = []
        self._current_match = -1
        self._match_kind = ""
        self.copyAvailable.connect(lambda _: self.selection_changed_in_body.emit(self.selection_range() is not None))

    # Content -------------------------------------------------------------------------------
    def show_article(self, article: Article, rendered: RenderedArticle, library: Path, base: Path) -> None:
        self.library, self.base, self.rendered = library, base, rendered
        self.resource_log.clear()
        self._matches, self._current_match = [], -1
        doc = QTextDocument(self)
        doc.setDocumentMargin(12)
        doc.setDefaultFont(self.reading_font())
        css = self.css()
        doc.setDefaultStyleSheet(css)
        self.setDocument(doc)
        header = header_html(article)
        if rendered.notice:
            header += f'<p class="notice">{rendered.notice}</p>'
        # Text shown as a fallback may hold very long unbroken runs (markup storms); searching
        # them for word breaks costs Qt seconds, breaking anywhere costs nothing.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere if rendered.notice else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        header_doc = QTextDocument()
        header_doc.setDefaultFont(self.reading_font())
        header_doc.setDefaultStyleSheet(css)
        header_doc.setHtml(header)
        body_block = header_doc.blockCount()
        self.setHtml(header + rendered.body_html + sources_html(article))
        body_start = self.document().findBlockByNumber(body_block).position()
        self.mapping = TextMapping(rendered.text, self.document().toPlainText(), body_start)
        self._apply_selections()

    def clear_article(self) -> None:
        self.rendered = None
        self.mapping = None
        self._highlights, self._notes, self._matches = [], [], []
        self.setHtml("")

    def reading_font(self) -> QFont:
        """CJK-first: QTextDocument ignores a font-size on <body>, so the default font carries it."""
        font = QFont()
        font.setFamilies([f.strip().strip('"') for f in FONT_STACK.split(",")])
        font.setPixelSize(BASE_FONT_PX + self.zoom)
        return font

    def css(self) -> str:
        c = THEMES.get(self.theme, THEMES["light"])
        px = BASE_FONT_PX + self.zoom
        # QTextDocument knows a subset of CSS: line-height as a percentage of the font's own line height (Noto CJK: ~1.45 em, so 125% is a
        # browser's 1.8), margins in px.
        return f"""
        body {{ font-family: {FONT_STACK}; font-size: {px}px; color: {c['fg']}; }}
        p, li, blockquote, td {{ line-height: 125%; }}
        p {{ margin-top: 0px; margin-bottom: {int(px * 0.9)}px; }}
        h1 {{ font-size: {int(px * 1.55)}px; font-weight: 600; margin-bottom: 6px; }}
        h2 {{ font-size: {int(px * 1.3)}px; font-weight: 600; margin-top: {px}px; margin-bottom: 6px; }}
        h3, h4, h5, h6 {{ font-size: {int(px * 1.1)}px; font-weight: 600; }}
        a {{ color: {c['link']}; text-decoration: none; }}
        .meta {{ color: {c['muted']}; font-size: {int(px * 0.85)}px; }}
        .tags {{ color: {c['muted']}; font-size: {int(px * 0.85)}px; }}
        .sources {{ color: {c['muted']}; font-size: {int(px * 0.85)}px; }}
        .notice {{ color: {c['muted']}; font-size: {int(px * 0.85)}px; font-style: italic; }}
        pre, code {{ background-color: {c['code']}; }}
        """

    def apply_theme(self, theme: str) -> None:
        self.theme = theme
        c = THEMES.get(theme, THEMES["light"])
        self.setStyleSheet(f"QTextBrowser {{ background-color: {c['bg']}; color: {c['fg']}; border: none; }}")

    def measure_px(self) -> int:
        return (BASE_FONT_PX + self.zoom) * MEASURE_CHARS + 24

    def resizeEvent(self, event) -> None:
        side = max(16, (event.size().width() - self.measure_px()) // 2)
        self.setViewportMargins(side, 0, side, 0)
        super().resizeEvent(event)

    def update_measure(self) -> None:
        side = max(16, (self.width() - self.measure_px()) // 2)
        self.setViewportMargins(side, 0, side, 0)

    # Resources: the sandbox ---------------------------------------------------------------
    def loadResource(self, kind: int, url: QUrl):
        if kind == QTextDocument.ResourceType.ImageResource.value or kind == QTextDocument.ResourceType.ImageResource:
            path = safe_image_path(self.library, self.base, url)
            if path is not None:
                image = QImage(str(path))
                if not image.isNull() and image.width() * image.height() <= 40_000_000:
                    self.resource_log.append((url.toString(), "image"))
                    return image
            self.resource_log.append((url.toString(), "refused"))
            return placeholder_image()
        # Style sheets and anything else an article might name: never loaded.
        self.resource_log.append((url.toString(), "refused"))
        return None

    # Highlights and matches ----------------------------------------------------------------
    def set_highlights(self, ranges: list[tuple[int, int, str, str]]) -> None:
        """(plain start, plain end, css colour, note) for each attached highlight."""
        self._highlights, self._notes = [], []
        if self.mapping is None:
            return
        text_color = QColor(THEMES[self.theme if self.theme in THEMES else "light"]["mark_text"])
        for start, end, color, note in ranges:
            qs, qe = self.mapping.plain_range_to_qt(start, end)
            background = QColor(color)
            if self.theme == "dark":
                background.setAlpha(200)
            self._highlights.append(self._selection(qs, qe, background, text_color, note))
            if note:
                self._notes.append((qe, note))
        self._apply_selections()

    def _selection(self, start: int, end: int, background: QColor, foreground: QColor, tooltip: str = "") -> QTextEdit.ExtraSelection:
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
        selection.format = fmt
        return selection

    def set_matches(self, ranges: list[tuple[int, int]], kind: str, plain: bool = True) -> int:
        """Mark search ("search") or find ("find") matches; returns how many."""
        self._match_kind = kind
        if plain and self.mapping is not None:
            self._matches = [self.mapping.plain_range_to_qt(s, e) for s, e in ranges]
        else:
            self._matches = list(ranges)
        self._current_match = 0 if self._matches else -1
        self._apply_selections()
        if self._matches:
            self._scroll_to_match()
        return len(self._matches)

    def step_match(self, forward: bool = True) -> tuple[int, int]:
        if not self._matches:
            return 0, 0
        self._current_match = (self._current_match + (1 if forward else -1)) % len(self._matches)
        self._apply_selections()
        self._scroll_to_match()
        return self._current_match + 1, len(self._matches)

    @property
    def match_position(self) -> tuple[int, int]:
        return (self._current_match + 1 if self._matches else 0), len(self._matches)

    def _scroll_to_match(self) -> None:
        start, end = self._matches[self._current_match]
        cursor = QTextCursor(self.document())
        cursor.setPosition(end)
        self.setTextCursor(cursor)
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _apply_selections(self) -> None:
        selections = list(self._highlights)
        base = SEARCH_COLOR if self._match_kind == "search" else FIND_COLOR
        black = QColor("#000000")
        for number, (start, end) in enumerate(self._matches):
            color = QColor(CURRENT_COLOR if number == self._current_match else base)
            selections.append(self._selection(start, end, color, black))
        self.setExtraSelections(selections)
        self.viewport().update()

    def highlight_colors_at(self) -> list[str]:
        return [s.format.background().color().name() for s in self._highlights]

    def selection_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.mapping is None:
            return None
        return self.mapping.qt_range_to_plain(cursor.selectionStart(), cursor.selectionEnd())

    def scroll_to_plain(self, start: int) -> None:
        if self.mapping is None:
            return
        qs, _ = self.mapping.plain_range_to_qt(start, start + 1)
        cursor = QTextCursor(self.document())
        cursor.setPosition(qs)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # Reading position ------------------------------------------------------------------------
    def scroll_fraction(self) -> float:
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() else 0.0

    def set_scroll_fraction(self, fraction: float) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(int(round(fraction * bar.maximum())))

    # Painting note markers -----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._notes:
            return
        painter = QPainter(self.viewport())
        painter.setPen(QColor("#c2185b"))
        font = painter.font()
        font.setPixelSize(max(9, (BASE_FONT_PX + self.zoom) * 2 // 3))
        painter.setFont(font)
        for position, _note in self._notes:
            cursor = QTextCursor(self.document())
            cursor.setPosition(position)
            rect: QRect = self.cursorRect(cursor)
            painter.drawText(QPoint(rect.right() + 1, rect.top() + font.pixelSize()), "✎")
        painter.end()

    # Input ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().lower()
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
                action = QAction(f"● {name}", sub)
                action.setData(key)
                action.triggered.connect(lambda _checked=False, k=key: self.highlight_requested.emit(k))
                sub.addAction(action)
                del css
        menu.exec(event.globalPos())
