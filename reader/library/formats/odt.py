"""OpenDocument text (.odt): content.xml, styles.xml and meta.xml of the zip read with lxml.

Headings (``text:h``), paragraphs, lists (bullet or numbered by their list style), tables,
quotations and preformatted text (by paragraph style), bold/italic/superscript (by text
style), footnotes and endnotes (``text:note``, shown as footnotes), pictures
(``draw:image``) and text boxes. Not body text: annotations (comments), the tracked-changes
record (where deleted text is kept), generated indexes (a table of contents repeats the
headings). Tracked insertions are ordinary text between change marks and stay.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from reader.library.formats.document import (
    CODE,
    EMPHASIS,
    FOOTNOTE,
    HEADING,
    IMAGE,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    STRONG,
    SUBSCRIPT,
    SUPERSCRIPT,
    TABLE_ROW,
    Block,
    Document,
    ExtractionProblem,
    check_cancel,
)
from reader.library.formats.docx import IMAGE_TYPES
from reader.library.formats.safety import SafeZip, parse_xml
from reader.library.formats.text import InlineBuilder, clean, iso_date, split_authors

VERSION = 1
SUFFIXES = (".odt",)
WHAT = "OpenDocument text"
MIMETYPE = b"application/vnd.oasis.opendocument.text"

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


T, TABLE, DRAW, OFFICE, STYLE = "text", "table", "draw", "office", "style"
#: Elements whose content is not body text at all.
_SKIP = {
    _q(T, "tracked-changes"), _q(OFFICE, "annotation"), _q(OFFICE, "annotation-end"), _q(T, "note-citation"),
    _q(T, "table-of-content"), _q(T, "alphabetical-index"), _q(T, "illustration-index"), _q(T, "object-index"),
    _q(T, "user-index"), _q(T, "table-index"), _q(T, "bibliography"), _q(T, "sequence-decls"),
    _q(T, "variable-decls"), _q(T, "user-field-decls"), _q(OFFICE, "forms"), _q(T, "change"),
    _q(T, "change-start"), _q(T, "change-end"), _q(T, "bookmark"), _q(T, "bookmark-start"), _q(T, "bookmark-end"),
    _q(T, "reference-mark"), _q(T, "reference-mark-start"), _q(T, "reference-mark-end"), _q(T, "soft-page-break"),
    _q(T, "toc-mark"), _q(T, "alphabetical-index-mark"), _q("svg", "desc"), _q("svg", "title"),
}
MAX_REPEAT = 50  # number-rows/columns-repeated beyond this are formatting of empty space


class _Styles:
    def __init__(self, roots: list) -> None:
        self.parent: dict[str, str] = {}
        self.display: dict[str, str] = {}
        self.text: dict[str, set[str]] = {}
        self.lists: dict[str, dict[int, bool]] = {}  # list style -> level -> numbered
        for root in roots:
            if root is None:
                continue
            for style in root.iter(_q(STYLE, "style")):
                name = style.get(_q(STYLE, "name")) or ""
                self.parent[name] = style.get(_q(STYLE, "parent-style-name")) or ""
                self.display[name] = (style.get(_q(STYLE, "display-name")) or name.replace("_20_", " ")).lower()
                props = style.find(_q(STYLE, "text-properties"))
                found = set()
                if props is not None:
                    if (props.get(_q("fo", "font-weight")) or "") in ("bold", "700", "800", "900"):
                        found.add(STRONG)
                    if (props.get(_q("fo", "font-style")) or "") == "italic":
                        found.add(EMPHASIS)
                    position = props.get(_q(STYLE, "text-position")) or ""
                    if position.startswith("super") or (position[:1].isdigit() and not position.startswith("0")):
                        found.add(SUPERSCRIPT)
                    elif position.startswith("sub") or position.startswith("-"):
                        found.add(SUBSCRIPT)
                self.text[name] = found
            for list_style in root.iter(_q(T, "list-style")):
                levels = {}
                for child in list_style:
                    level = child.get(_q(T, "level")) or "1"
                    levels[int(level) if level.isdigit() else 1] = child.tag == _q(T, "list-level-style-number")
                self.lists[list_style.get(_q(STYLE, "name")) or ""] = levels

    def chain(self, name: str) -> list[str]:
        out, seen = [], set()
        while name and name not in seen and len(out) < 20:
            out.append(name)
            seen.add(name)
            name = self.parent.get(name, "")
        return out

    def kind(self, name: str) -> str:
        names = [self.display.get(n, n.lower()) for n in self.chain(name)]
        if any(n in ("quotations", "quote", "quotation") for n in names):
            return QUOTE
        if any("preformatted" in n or "source text" in n or "code" in n for n in names):
            return CODE
        return PARAGRAPH

    def inline(self, name: str) -> set[str]:
        out: set[str] = set()
        for n in reversed(self.chain(name)):
            out |= self.text.get(n, set())
        return out


class _Reader:
    def __init__(self, archive: SafeZip, doc: Document, styles: _Styles, cancel) -> None:
        self.archive, self.doc, self.styles, self.cancel = archive, doc, styles, cancel
        self.blocks: list[Block] = []
        self.notes: list[Block] = []
        self.note_count = 0

    def container(self, element, list_style: str = "", depth: int = -1) -> None:
        for child in element:
            check_cancel(self.cancel)
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _q(T, "h"):
                level = child.get(_q(T, "outline-level")) or "1"
                self.paragraph(child, HEADING, min(6, int(level)) if level.isdigit() else 1)
            elif tag == _q(T, "p"):
                if depth >= 0:
                    numbered = self.styles.lists.get(list_style, {}).get(depth + 1, False)
                    self.paragraph(child, LIST_ITEM, depth, ordered=numbered)
                else:
                    self.paragraph(child, self.styles.kind(child.get(_q(T, "style-name")) or ""), 0)
            elif tag == _q(T, "list"):
                self.container(child, child.get(_q(T, "style-name")) or list_style, depth + 1)
            elif tag in (_q(T, "list-item"), _q(T, "list-header")):
                self.container(child, list_style, depth)
            elif tag == _q(TABLE, "table"):
                self.table(child)
            else:  # text:section, office:text, text:index-body…
                self.container(child, list_style, depth)

    def paragraph(self, element, kind: str, level: int, ordered: bool = False) -> None:
        builder = InlineBuilder(verbatim=kind == CODE)
        images: list[tuple[str, str]] = []
        boxes: list = []
        self.inline(element, builder, frozenset(self.styles.inline(element.get(_q(T, "style-name")) or "")), images, boxes)
        text, spans, notes = builder.result()
        if text.strip():
            self.blocks.append(Block(kind, text, level=level, ordered=ordered, spans=spans, notes=notes))
        for name, alt in images:
            self.blocks.append(Block(IMAGE, alt, resource=name))
        for box in boxes:
            self.container(box)

    def inline(self, element, builder: InlineBuilder, styles: frozenset[str], images: list, boxes: list) -> None:
        builder.add(element.text or "", styles)
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP:
                if tag == _q(T, "span"):
                    inner = styles | self.styles.inline(child.get(_q(T, "style-name")) or "")
                    self.inline(child, builder, frozenset(inner), images, boxes)
                elif tag == _q(T, "s"):
                    count = child.get(_q(T, "c")) or "1"
                    builder.add(" " * (min(int(count), 100) if count.isdigit() else 1))
                elif tag in (_q(T, "tab"), _q(T, "line-break")):
                    builder.add("\n" if builder.verbatim and tag == _q(T, "line-break") else " ")
                elif tag == _q(T, "note"):
                    self.note(child, builder)
                elif tag == _q(DRAW, "frame"):
                    self.frame(child, images, boxes)
                else:  # text:a, text:meta, fields (their shown value is their text)…
                    self.inline(child, builder, styles, images, boxes)
            builder.add(child.tail or "", styles)  # the text after a child, even a skipped one

    def note(self, element, builder: InlineBuilder) -> None:
        self.note_count += 1
        note_id = f"{element.get(_q(T, 'note-class')) or 'footnote'}-{element.get(_q(T, 'id')) or self.note_count}-{self.note_count}"
        body = element.find(_q(T, "note-body"))
        inner = InlineBuilder()
        if body is not None:
            for paragraph in body.iter(_q(T, "p"), _q(T, "h")):
                if inner.parts:
                    inner.add(" ")
                self.inline(paragraph, inner, frozenset(), [], [])
        text, spans, _ = inner.result()
        builder.note(note_id)
        self.notes.append(Block(FOOTNOTE, text, spans=spans, note_id=note_id))

    def frame(self, element, images: list, boxes: list) -> None:
        alt = clean(" ".join(t.text or "" for t in element.iter(_q("svg", "title"), _q("svg", "desc"))))
        for child in element:
            if child.tag == _q(DRAW, "image"):
                href = child.get(_q("xlink", "href")) or ""
                name = self.image(href)
                if name:
                    images.append((name, alt))
                    break
            elif child.tag == _q(DRAW, "text-box"):
                boxes.append(child)

    def image(self, href: str) -> str:
        if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("/"):
            return ""  # a linked picture outside the file: never fetched
        target = posixpath.normpath(href.removeprefix("./"))
        mime = IMAGE_TYPES.get(posixpath.splitext(target)[1].lower())
        if mime is None or target.startswith("..") or not self.archive.has(target):
            return ""
        return self.doc.add_resource(posixpath.basename(target), mime, self.archive.read(target, 50 * 1024 * 1024))

    def table(self, element) -> None:
        first = True
        for row in element.iter(_q(TABLE, "table-row")):
            if row.getparent() is None or next(row.iterancestors(_q(TABLE, "table")), None) is not element:
                continue
            cells: list[str] = []
            for cell in row:
                if cell.tag == _q(TABLE, "covered-table-cell"):
                    continue
                if cell.tag != _q(TABLE, "table-cell"):
                    continue
                builder = InlineBuilder()
                for paragraph in cell.iter(_q(T, "p"), _q(T, "h")):
                    if builder.parts:
                        builder.add(" ")
                    self.inline(paragraph, builder, frozenset(), [], [])
                text = builder.result()[0]
                repeat = cell.get(_q(TABLE, "number-columns-repeated")) or "1"
                cells += [text] * (min(int(repeat), MAX_REPEAT) if repeat.isdigit() and text else 1)
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            repeat = row.get(_q(TABLE, "number-rows-repeated")) or "1"
            for _ in range(min(int(repeat), MAX_REPEAT) if repeat.isdigit() else 1):
                self.blocks.append(Block(TABLE_ROW, cells=list(cells), header=first))
                first = False
        self.blocks.append(Block(PARAGRAPH, ""))


def _meta(archive: SafeZip, doc: Document) -> None:
    if not archive.has("meta.xml"):
        return
    root = parse_xml(archive.read("meta.xml", 4_000_000), WHAT, "meta.xml")

    def first(path: str) -> str:
        return clean(str(root.xpath(f"string({path})", namespaces=NS)))

    meta = doc.metadata
    meta.title = first("//dc:title")
    meta.authors = split_authors(first("//dc:creator") or first("//meta:initial-creator"))
    meta.date = iso_date(first("//meta:creation-date")) or iso_date(first("//dc:date"))
    meta.lang = first("//dc:language")
    meta.subject = first("//dc:subject")
    meta.keywords = [clean(k) for k in root.xpath("//meta:keyword/text()", namespaces=NS) if k.strip()]


def extract(path: Path, progress=None, cancel=None) -> Document:
    from reader.library.formats.docx import _drop_table_ends

    doc = Document("odt", extractor=f"odt/{VERSION}")
    with SafeZip(path, WHAT) as archive:
        if archive.has("mimetype"):
            mimetype = archive.read("mimetype", 200).strip()
            if mimetype and mimetype != MIMETYPE and mimetype.startswith(b"application/vnd.oasis.opendocument"):
                raise ExtractionProblem(f"not an OpenDocument text: it is {mimetype.decode('ascii', 'replace')}")
        manifest = archive.read("META-INF/manifest.xml", 4_000_000) if archive.has("META-INF/manifest.xml") else b""
        if b"encryption-data" in manifest:
            raise ExtractionProblem(f"password-protected {WHAT}")
        if not archive.has("content.xml"):
            raise ExtractionProblem(f"not an {WHAT}: the archive has no content.xml")
        content = parse_xml(archive.read("content.xml"), WHAT, "content.xml")
        styles_root = parse_xml(archive.read("styles.xml"), WHAT, "styles.xml") if archive.has("styles.xml") else None
        styles = _Styles([styles_root, content])
        reader = _Reader(archive, doc, styles, cancel)
        body = content.find(f"{_q(OFFICE, 'body')}/{_q(OFFICE, 'text')}")
        if body is None:
            raise ExtractionProblem(f"not an {WHAT}: content.xml has no text body")
        reader.container(body)
        _meta(archive, doc)
    doc.blocks = _drop_table_ends(reader.blocks) + reader.notes
    if not doc.metadata.title:
        heading = next((b for b in doc.blocks if b.kind == HEADING), None)
        doc.metadata.title = heading.text if heading else ""
    if progress is not None:
        progress(1, 1)
    return doc
