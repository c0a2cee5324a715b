"""(X)HTML content as blocks: for EPUB chapters, which are the book itself (no site chrome to
clean away, so no readability guess that could drop a short chapter).

Block elements become blocks (h1–h6, p, li, tr, blockquote, pre, figure, img); text directly
inside a container (a ``div`` with text and blocks mixed) becomes paragraphs between the
blocks. Inline styles: em/i/cite, strong/b, code, sup, sub. Footnotes: EPUB's
``epub:type="noteref"`` links (and ``role="doc-noteref"``) become references, their targets
(``aside epub:type="footnote"``…) footnotes. Ruby annotations (注音 in ``rt``) are not text.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from reader.library.formats.document import (
    CODE,
    EMPHASIS,
    FOOTNOTE,
    HEADING,
    IMAGE,
    INLINE_CODE,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    STRONG,
    SUBSCRIPT,
    SUPERSCRIPT,
    TABLE_ROW,
    Block,
)
from reader.library.formats.text import InlineBuilder, clean

EPUB_NS = "http://www.idpf.org/2007/ops"
_SKIP = {"head", "script", "style", "template", "noscript", "nav", "rt", "rp", "object", "iframe", "form", "button", "input", "select", "textarea", "svg", "math"}
_CONTAINERS = {"html", "body", "div", "section", "article", "main", "header", "footer", "aside", "figure", "center", "dl", "hgroup", "details", "address"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote", "pre", "hr", "dt", "dd", "figcaption", "caption", "summary"} | _CONTAINERS
_STYLES = {"em": EMPHASIS, "i": EMPHASIS, "cite": EMPHASIS, "dfn": EMPHASIS, "strong": STRONG, "b": STRONG,
           "code": INLINE_CODE, "tt": INLINE_CODE, "kbd": INLINE_CODE, "samp": INLINE_CODE, "sup": SUPERSCRIPT, "sub": SUBSCRIPT}
_NOTE_TYPES = {"footnote", "endnote", "rearnote", "note"}


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _types(element) -> set[str]:
    value = element.get(f"{{{EPUB_NS}}}type") or element.get("epub:type") or ""
    role = (element.get("role") or "").removeprefix("doc-")
    return set(value.split()) | ({role} if role else set())


class HtmlBlocks:
    """Blocks of one (X)HTML document. ``name`` is its path in the book (for note ids);
    ``image(src) -> resource name or ""`` resolves pictures."""

    def __init__(self, name: str, image: Callable[[str], str]) -> None:
        self.name = name
        self.image = image
        self.blocks: list[Block] = []
        self.notes: list[Block] = []
        self.ids: dict[str, int] = {}  # element id -> index of the block it starts

    def note_id(self, href: str) -> str:
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.name), path)) if path else self.name
        return f"{target}#{fragment}"

    def convert(self, root) -> None:
        body = next((e for e in root.iter() if _local(e.tag) == "body"), root)
        self.flow(body, 0)

    def _remember(self, element) -> None:
        ident = element.get("id")
        if ident and ident not in self.ids:
            self.ids[ident] = len(self.blocks)

    def flow(self, element, depth: int, kind: str = PARAGRAPH) -> None:
        """A container: inline content between its block children becomes paragraphs."""
        builder = InlineBuilder()
        images: list[tuple[str, str]] = []
        self._remember(element)

        def flush() -> None:
            nonlocal builder
            self._emit(builder, kind, 0, False, images)
            builder = InlineBuilder()

        builder.add(element.text or "")
        for child in element:
            tag = _local(child.tag)
            if tag in _SKIP or not tag:
                builder.add(child.tail or "")
                continue
            if _types(child) & _NOTE_TYPES:
                flush()
                self.footnote(child)
                builder.add(child.tail or "")
                continue
            if tag in _BLOCKS or tag == "img" and kind == PARAGRAPH and not (builder.parts or images):
                flush()
                self.block(child, tag, depth, kind)
            else:
                self.inline(child, builder, (), images)
            builder.add(child.tail or "")
        flush()

    def block(self, element, tag: str, depth: int, kind: str) -> None:
        self._remember(element)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.leaf(element, HEADING, int(tag[1]))
        elif tag in ("p", "dt", "dd", "figcaption", "caption", "summary"):
            self.leaf(element, kind)
        elif tag in ("ul", "ol"):
            for item in element:
                if _local(item.tag) == "li":
                    self.list_item(item, depth, tag == "ol")
        elif tag == "li":
            self.list_item(element, depth, False)
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            self.flow(element, depth, QUOTE)
        elif tag == "pre":
            builder = InlineBuilder(verbatim=True)
            builder.add("".join(element.itertext()))
            text, _, _ = builder.result()
            if text.strip():
                self.blocks.append(Block(CODE, text))
        elif tag == "img":
            name = self.image(element.get("src") or "")
            if name:
                self.blocks.append(Block(IMAGE, clean(element.get("alt") or ""), resource=name))
        elif tag == "hr":
            return
        else:
            self.flow(element, depth, kind)

    def leaf(self, element, kind: str, level: int = 0, ordered: bool = False) -> None:
        builder = InlineBuilder()
        images: list[tuple[str, str]] = []
        nested: list = []
        builder.add(element.text or "")
        for child in element:
            tag = _local(child.tag)
            if tag in _SKIP or not tag:
                pass
            elif _types(child) & _NOTE_TYPES or tag in ("ul", "ol", "table", "blockquote", "pre") or (tag in _BLOCKS and tag not in ("p",) and kind == LIST_ITEM):
                nested.append(child)
            elif tag in _BLOCKS:
                self.inline(child, builder, (), images)  # a block inside a heading: its text
            else:
                self.inline(child, builder, (), images)
            builder.add(child.tail or "")
        self._emit(builder, kind, level, ordered, images)
        for child in nested:
            if _types(child) & _NOTE_TYPES:
                self.footnote(child)
            else:
                self.block(child, _local(child.tag), level + 1 if kind == LIST_ITEM else 0, PARAGRAPH)

    def list_item(self, element, depth: int, ordered: bool) -> None:
        self._remember(element)
        self.leaf(element, LIST_ITEM, depth, ordered)

    def _emit(self, builder: InlineBuilder, kind: str, level: int, ordered: bool, images: list) -> None:
        text, spans, notes = builder.result()
        if text.strip() or notes:
            self.blocks.append(Block(kind, text, level=level, ordered=ordered, spans=spans, notes=notes))
        for name, alt in images:
            self.blocks.append(Block(IMAGE, alt, resource=name))
        images.clear()

    def inline(self, element, builder: InlineBuilder, styles: tuple[str, ...], images: list) -> None:
        tag = _local(element.tag)
        if tag in _SKIP or not tag:
            return
        if tag == "br":
            builder.add(" ")
            return
        if tag == "img":
            name = self.image(element.get("src") or "")
            if name:
                images.append((name, clean(element.get("alt") or "")))
            return
        if tag == "a" and "noteref" in _types(element) and (element.get("href") or "").find("#") >= 0:
            builder.note(self.note_id(element.get("href") or ""))
            return
        inner = styles + ((_STYLES[tag],) if tag in _STYLES else ())
        if tag in _BLOCKS:
            builder.add(" ")  # a paragraph inside a footnote or a cell: a space between
        builder.add(element.text or "", inner)
        for child in element:
            self.inline(child, builder, inner, images)
            builder.add(child.tail or "", inner)
        if tag in _BLOCKS:
            builder.add(" ")

    def table(self, element) -> None:
        first = True
        for row in element.iter():
            if _local(row.tag) != "tr":
                continue
            cells = []
            for cell in row:
                if _local(cell.tag) in ("td", "th"):
                    builder = InlineBuilder()
                    self.inline(cell, builder, (), [])
                    cells.append(builder.result()[0])
            if cells:
                self.blocks.append(Block(TABLE_ROW, cells=cells, header=first))
                first = False
        self.blocks.append(Block(PARAGRAPH, ""))

    def footnote(self, element) -> None:
        ident = element.get("id") or next((e.get("id") for e in element.iter() if e.get("id")), "")
        builder = InlineBuilder()
        self.inline(element, builder, (), [])
        text, spans, _ = builder.result()
        if text.strip():
            self.notes.append(Block(FOOTNOTE, text, spans=spans, note_id=f"{self.name}#{ident}" if ident else ""))
