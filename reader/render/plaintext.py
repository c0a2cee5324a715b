"""The plain text of rendered HTML: what a reader sees, as one string, and a map back.

Annotation selectors (W3C TextQuote/TextPosition) index into this text, so it must be a pure
function of the article. Blocks (paragraphs, headings, list items, table cells) are separated
by a newline and white space inside a block is collapsed, as a browser shows it.
:class:`TextMap` also remembers where each character came from, so ranges of the plain text
can be marked in the HTML (highlights in exports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "table", "tr",
    "td", "th", "ul", "ol", "dl", "dt", "dd", "hr", "figure", "figcaption", "thead", "tbody",
}
_SPACE = re.compile(r"[ \t\r\n\f]+")


@dataclass
class _Piece:
    node: object  # lxml element
    attr: str  # "text" or "tail"
    source: str  # the original string of node.text / node.tail


@dataclass
class TextMap:
    """Plain text of an HTML fragment with, per character, (piece index, index in piece)."""

    root: object
    text: str = ""
    origin: list[tuple[int, int]] = field(default_factory=list)  # -1 piece: a block newline
    pieces: list[_Piece] = field(default_factory=list)

    @classmethod
    def build(cls, html: str) -> TextMap:
        import lxml.html

        root = lxml.html.fragment_fromstring(html or "", create_parent="div")
        tmap = cls(root)
        blocks: list[list[tuple[str, int, int]]] = []
        current: list[tuple[str, int, int]] = []

        def add(node, attr: str, pre: bool) -> None:
            source = getattr(node, attr)
            if not source:
                return
            index = len(tmap.pieces)
            tmap.pieces.append(_Piece(node, attr, source))
            if pre:
                current.extend((ch, index, i) for i, ch in enumerate(source))
                return
            for match in re.finditer(r"[ \t\r\n\f]+|[^ \t\r\n\f]+", source):
                if match.group(0)[0] in " \t\r\n\f":
                    if not current or current[-1][0] != " ":
                        current.append((" ", index, match.start()))
                else:
                    current.extend((ch, index, match.start() + i) for i, ch in enumerate(match.group(0)))

        def flush() -> None:
            while current and current[0][0] == " ":
                current.pop(0)
            while current and current[-1][0] == " ":
                current.pop()
            if current:
                blocks.append(list(current))
            current.clear()

        def walk(node, pre: bool) -> None:
            tag = node.tag if isinstance(node.tag, str) else ""
            block = tag in BLOCKS
            pre = pre or tag == "pre"
            if block:
                flush()
            if tag == "br":
                current.append(("\n" if pre else " ", -1, 0))
            if tag:
                add(node, "text", pre)
            for child in node:
                walk(child, pre)
                add(child, "tail", pre)
            if block:
                flush()

        walk(root, False)
        flush()
        chars: list[str] = []
        for number, block in enumerate(blocks):
            if number:
                chars.append("\n")
                tmap.origin.append((-1, 0))
            for ch, piece, index in block:
                chars.append(ch)
                tmap.origin.append((piece, index))
        tmap.text = "".join(chars)
        return tmap

    def mark(self, ranges: list[tuple[int, int, dict[str, str]]]) -> str:
        """The HTML with ``<mark>`` elements (attributes given) around each plain-text range."""
        import lxml.html

        # Per piece: sorted (start, end, attrs) in source indices.
        per_piece: dict[int, list[tuple[int, int, dict[str, str]]]] = {}
        for start, end, attrs in ranges:
            run: list[tuple[int, int]] = []
            for piece, index in self.origin[max(0, start) : max(0, end)]:
                if piece < 0:
                    continue
                if run and run[-1][0] == piece and run[-1][1] < index:
                    run[-1] = (piece, index)
                    per_piece.setdefault(piece, [])[-1] = (per_piece[piece][-1][0], index + 1, attrs)
                else:
                    run.append((piece, index))
                    per_piece.setdefault(piece, []).append((index, index + 1, attrs))
        for number, spans in per_piece.items():
            piece = self.pieces[number]
            spans.sort(key=lambda s: s[0])
            source = piece.source
            cursor, made = 0, []
            head = None
            for start, end, attrs in spans:
                if start < cursor:
                    start = cursor
                if end <= start:
                    continue
                if head is None:
                    head = source[cursor:start]
                else:
                    made[-1].tail = source[cursor:start]
                element = lxml.html.Element("mark", attrs)
                element.text = source[start:end]
                made.append(element)
                cursor = end
            if not made:
                continue
            made[-1].tail = source[cursor:]
            if piece.attr == "text":
                piece.node.text = head
                for offset, element in enumerate(made):
                    piece.node.insert(offset, element)
            else:
                piece.node.tail = head
                parent = piece.node.getparent()
                at = parent.index(piece.node) + 1
                for offset, element in enumerate(made):
                    parent.insert(at + offset, element)
        inner = (self.root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in self.root)
        return inner


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    return TextMap.build(html).text
