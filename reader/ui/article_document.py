"""The QTextDocument an article is read in, built off the UI thread.

Parsing the HTML of a large article and aligning its text with ours takes Qt and Python
hundreds of milliseconds, so the loader thread does it (the HTML in pieces, see
``html_chunks``) and hands the finished document to the pane. Also:

* the sandbox lives in the document (``loadResource``), so a document reads nothing outside
  the library whichever thread or widget uses it;
* no block is longer than ``MAX_BLOCK_CHARS``: Qt lays a document out lazily, block by block,
  and a 10 MB one-line article would otherwise be one block laid out in one go (seconds).
  Display-only breaks are added; the text mapping skips them.
"""

from __future__ import annotations

import ctypes
import html
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageReader,
    QPainter,
    QTextCursor,
    QTextDocument,
    QTextOption,
)

from reader.library.documents import RESOURCE_PREFIX, embedded_image
from reader.library.model import Article
from reader.render.article import RenderedArticle, header_html, sources_html
from reader.render.html_chunks import CHUNK_CHARS, html_chunks
from reader.render.resources import library_image
from reader.render.themes import FONT_STACK, THEMES
from reader.ui.article_parts import Parts
from reader.ui.i18n import tr
from reader.ui.text_mapping import TextMapping

MAX_IMAGE_PIXELS = 40_000_000
BASE_FONT_PX = 17
MAX_BLOCK_CHARS = 8_000
#: Breaks for display are placed after one of these when one is near the limit.
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]{1000,}")
_BREAK_AFTER = set("。！？；，、.!?;, \u3000")


@dataclass(frozen=True)
class DocumentStyle:
    """What the document's look depends on; a plain value, so a worker thread can take it."""

    theme: str = "light"
    zoom: int = 0
    family: str = ""  # the reader's font (Preferences); "" is the CJK-first stack
    size: int = BASE_FONT_PX  # px at zoom 0
    spacing: int = 125  # line height, percent of the font's own

    @property
    def font_px(self) -> int:
        return self.size + self.zoom

    def families(self) -> list[str]:
        stack = [f.strip().strip('"') for f in FONT_STACK.split(",")]
        return [self.family, *stack] if self.family else stack

    def font(self) -> QFont:
        """CJK-first: QTextDocument ignores a font-size on <body>, so the default font carries it."""
        font = QFont()
        font.setFamilies(self.families())
        font.setPixelSize(self.font_px)
        return font

    def css(self) -> str:
        c = THEMES.get(self.theme, THEMES["light"])
        px = self.font_px
        family = ", ".join(f'"{f}"' if " " in f else f for f in self.families())
        # QTextDocument knows a subset of CSS: line-height as a percentage of the font's own line height (Noto CJK: ~1.45 em, so 125% is a
        # browser's 1.8), margins in px.
        return f"""
        body {{ font-family: {family}; font-size: {px}px; color: {c['fg']}; }}
        p, li, blockquote, td {{ line-height: {self.spacing}%; }}
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


def placeholder_image(text: str = "") -> QImage:
    image = QImage(160, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("#dddddd"))
    painter = QPainter(image)
    painter.setPen(QColor("#666666"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text or tr("image not shown"))
    painter.end()
    return image


def safe_image_path(library: Path | None, base: Path | None, url: QUrl) -> Path | None:
    """The local image file an article may show, or None: the rule of
    :func:`reader.render.resources.library_image` (which the HTML export follows too), for
    the URL Qt made of the article's reference."""
    if url.isEmpty():
        return None
    return library_image(library, base, url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


def decode_image(data: bytes) -> QImage:
    """``data`` as an image, or a null image when it is not one or is larger than
    MAX_IMAGE_PIXELS (the size is read from the header before anything is decoded)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return QImage()
    return reader.read()


class SandboxDocument(QTextDocument):
    """A document that loads library images only, and the pictures of the document an
    article was read from (``reader-embedded/NAME``, served from the extracted document,
    never from a file); every other resource is refused.

    Never calls the base class: QTextDocument's own loader reads any local path it is given."""

    def __init__(self, library: Path | None = None, base: Path | None = None, article: Article | None = None) -> None:
        super().__init__()
        self.library, self.base = library, base
        self.article = article if article is not None and article.extracted is not None else None
        self.resource_log: list[tuple[str, str]] = []  # (url, "image" | "refused") for tests

    def _image(self, url: QUrl) -> QImage:
        reference = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if self.article is not None and reference.startswith(RESOURCE_PREFIX) and not url.scheme():
            found = embedded_image(self.article, reference)  # type and size checked there
            return decode_image(found[1]) if found is not None else QImage()
        path = safe_image_path(self.library, self.base, url)
        return QImage(str(path)) if path is not None else QImage()

    def loadResource(self, kind: int, url: QUrl):
        if kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.ImageResource.value):
            image = self._image(url)
            if not image.isNull() and image.width() * image.height() <= MAX_IMAGE_PIXELS:
                self.resource_log.append((url.toString(), "image"))
            else:
                self.resource_log.append((url.toString(), "refused"))
                image = placeholder_image()
            # Kept, as the base class would: layout and painting ask again and again.
            self.addResource(QTextDocument.ResourceType.ImageResource, url, image)
            return image
        # Style sheets and anything else an article might name: never loaded.
        self.resource_log.append((url.toString(), "refused"))
        return None


@dataclass
class ArticleDocument:
    document: SandboxDocument
    mapping: TextMapping
    wrap_mode: QTextOption.WrapMode
    characters: int
    style: DocumentStyle
    part: int = 0  # which part is shown, when the article is shown in parts
    parts: Parts = field(default_factory=Parts)


def build_document(
    article: Article, rendered: RenderedArticle, style: DocumentStyle, library: Path | None, base: Path | None, parts: Parts | None = None, part: int = 0,
    decorate: Callable[[ArticleDocument], None] | None = None,
) -> ArticleDocument:
    """The finished document for ``article`` (for part ``part`` of ``parts``, if it is shown
    in parts); safe to call on any thread. ``decorate(built)`` may still edit the document
    (reference links) on the calling thread, before it is handed over.

    When called off the UI thread the document is handed over to the UI thread at the end
    (Qt objects belong to one thread)."""
    parts = parts or Parts()
    header = header_html(article)
    for problem in article.problems:  # e.g. too large to open: say so where the text would be
        header += f'<p class="notice">{html.escape(problem)}</p>'
    if rendered.notice:
        header += f'<p class="notice">{html.escape(notice_text(rendered.notice))}</p>'
    body, tail, text, offset = rendered.body_html, sources_html(article), rendered.text, 0
    if parts:
        header += _part_links(part, len(parts), top=True)
        shown = parts.parts[part]
        body, offset = shown.html, shown.start
        text = rendered.text[shown.start : shown.end]
        tail = _part_links(part, len(parts), top=False) + (tail if part == len(parts) - 1 else "")
    header_doc = QTextDocument()
    header_doc.setDefaultFont(style.font())
    header_doc.setDefaultStyleSheet(style.css())
    header_doc.setHtml(header)
    body_block = header_doc.blockCount()

    doc = SandboxDocument(library, base, article)
    doc.setUndoRedoEnabled(False)  # read-only: an undo stack would only cost memory
    doc.setDocumentMargin(12)
    doc.setDefaultFont(style.font())
    doc.setDefaultStyleSheet(style.css())
    load_html(doc, header, body, tail)
    body_start = doc.findBlockByNumber(body_block).position()
    split_long_blocks(doc, body_start)  # after the header, so body_start stays where it is
    mapping = TextMapping(text, doc.toPlainText(), body_start, offset)
    # Qt looks for a line break by scanning ahead to the next break opportunity: in a run of
    # thousands of characters with none (markup storms) that costs seconds, so such text
    # breaks anywhere. Other text keeps proper breaking (no 。 at the start of a line).
    unbreakable = _UNBREAKABLE.search(text)
    wrap = QTextOption.WrapMode.WrapAnywhere if unbreakable else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    built = ArticleDocument(doc, mapping, wrap, doc.characterCount(), style, part, parts)
    if decorate is not None:
        decorate(built)
        built.characters = doc.characterCount()
    app = QCoreApplication.instance()
    if app is not None and doc.thread() is not app.thread():
        doc.moveToThread(app.thread())
    release_freed_memory()
    return built


def notice_text(notice: str) -> str:
    """The renderer's notice ("Shown as plain text: <reason>."), in the interface's language."""
    reasons = {
        "the article is too long to format": tr("the article is too long to format"),
        "the article has a line too long to format": tr("the article has a line too long to format"),
        "the article has too many nested brackets to format": tr("the article has too many nested brackets to format"),
        "the article has a run of markup characters too long to format": tr("the article has a run of markup characters too long to format"),
        "the article's HTML is nested too deeply to format": tr("the article's HTML is nested too deeply to format"),
        "the article is nested too deeply to format": tr("the article is nested too deeply to format"),
        "formatting took too long": tr("formatting took too long"),
    }
    prefix = "Shown as plain text: "
    if notice.startswith(prefix) and notice.endswith(".") and notice[len(prefix) : -1] in reasons:
        return tr("Shown as plain text: {0}.").format(reasons[notice[len(prefix) : -1]])
    return notice


PART_LINK = "reader-part-"


def _part_links(part: int, count: int, top: bool) -> str:
    """"Part 2 of 14" with links to the neighbours (handled by the pane, never followed)."""
    links = []
    if part > 0:
        links.append(f'<a href="#{PART_LINK}{part - 1}">‹ {html.escape(tr("Previous part"))}</a>')
    links.append(html.escape(tr("Part {0} of {1}").format(part + 1, count)))
    if part < count - 1:
        links.append(f'<a href="#{PART_LINK}{part + 1}">{html.escape(tr("Next part"))} ›</a>')
    return f'<p class="notice">{" · ".join(links)}</p>' if top or part < count - 1 else ""


def _malloc_trim():
    try:  # by its soname: ctypes.util.find_library runs ldconfig, 0.1 s at start-up
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: its allocator returns memory by itself
        return None


_TRIM = _malloc_trim() if sys.platform.startswith("linux") else None


def release_freed_memory() -> None:
    """Give the memory freed while building back to the system.

    glibc keeps what a thread frees in that thread's arena: parsing a 1 MB hostile article
    left the window 17 MB larger for good; trimmed, 2 MB. (ctypes releases the interpreter
    lock meanwhile.)"""
    if _TRIM is not None:
        _TRIM(0)


def load_html(doc: QTextDocument, header: str, body_html: str, tail: str, chunk_chars: int = CHUNK_CHARS) -> None:
    """``doc.setHtml(header + body_html + tail)``, with the body given to Qt in pieces: its
    parser holds the interpreter lock, and the window's thread needs it meanwhile."""
    chunks = html_chunks(body_html, chunk_chars)
    chunks[-1].html += tail
    doc.setHtml(header + chunks[0].html)
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()  # one change notice at the end, not one per piece
    for chunk in chunks[1:]:
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not chunk.continues:
            cursor.insertBlock()  # the next paragraph's; its HTML fills it
        cursor.insertHtml(chunk.html)
    cursor.endEditBlock()


def split_long_blocks(doc: QTextDocument, start: int = 0, limit: int = MAX_BLOCK_CHARS) -> int:
    """Break blocks longer than ``limit`` for display; returns how many breaks were added.

    The pieces keep the block's look without the gap between paragraphs, so the paragraph
    still reads as one."""
    added = 0
    long_blocks = []
    block = doc.findBlock(start)
    while block.isValid():
        if block.length() - 1 > limit:
            long_blocks.append(block)
        block = block.next()
    if not long_blocks:
        return 0
    # One edit for all the breaks: Qt announces each edit, and doing it break by break costs
    # time in proportion to the block's length every time (seconds for a 10 MB block).
    edit = QTextCursor(doc)
    edit.beginEditBlock()
    for block in reversed(long_blocks):  # from the end, so earlier positions stay valid
        added += _split_block(block, limit)
    edit.endEditBlock()
    return added


def _split_block(block, limit: int) -> int:
    text = block.text()
    cuts, start = [], 0
    while len(text) - start > limit:
        start = _cut_point(text, start, limit)
        cuts.append(start)
    if not cuts:
        return 0
    utf16 = [0] * len(cuts)  # Qt positions count UTF-16 units
    done = units = 0
    for k, cut in enumerate(cuts):
        units += len(text[done:cut].encode("utf-16-le")) // 2
        utf16[k], done = units, cut
    cursor = QTextCursor(block)
    fmt = block.blockFormat()
    bottom = fmt.bottomMargin()
    fmt.setBottomMargin(0)
    cursor.setBlockFormat(fmt)
    text_list = block.textList()
    indent = text_list.format().indent() if text_list is not None else 0
    # From the last cut back, so the earlier positions stay valid.
    for k in range(len(cuts) - 1, -1, -1):
        cursor.setPosition(block.position() + utf16[k])
        cursor.insertBlock()
        piece = cursor.block()
        fmt = piece.blockFormat()
        fmt.setTopMargin(0)
        fmt.setBottomMargin(bottom if k == len(cuts) - 1 else 0)
        if piece.textList() is not None:  # a continuation, not a new list item
            piece.textList().remove(piece)
            fmt.setIndent(indent)
        cursor.setBlockFormat(fmt)
    return len(cuts)


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to break ``text`` after ``start``: after punctuation or a space near ``limit``."""
    end = start + limit
    for k in range(end, max(end - 400, start + 1), -1):
        if text[k - 1] in _BREAK_AFTER:
            return k
    return end
