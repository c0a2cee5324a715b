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
class _Run:
    """A stretch of plain text copied from one piece (or a separator with piece -1)."""

    plain_start: int
    text: str
    piece: int
    source_start: int


@dataclass
class TextMap:
    """Plain text of an HTML fragment, and where each stretch of it came from."""

    root: object
    text: str = ""
    runs: list[_Run] = field(default_factory=list)
    pieces: list[_Piece] = field(default_factory=list)

    @classmethod
    def build(cls, html: str) -> TextMap:
        import lxml.html

        # huge_tree: libxml2 otherwise drops text nodes over 10 MB and trees deeper than 256.
        parser = lxml.html.HTMLParser(huge_tree=True)
        root = lxml.html.fragment_fromstring(html or "", create_parent="div", parser=parser)
        tmap = cls(root)
        blocks: list[list[tuple[str, int, int]]] = []
        current: list[tuple[str, int, int]] = []  # (text, piece, source start)

        def add(node, attr: str, pre: bool) -> None:
            source = getattr(node, attr)
            if not source:
                return
            index = len(tmap.pieces)
            tmap.pieces.append(_Piece(node, attr, source))
            if pre:
                current.append((source, index, 0))
                return
            for match in _TOKENS.finditer(source):
                if match.group(0)[0] in " \t\r\n\f":
                    if not current or current[-1][0] not in (" ", "\n"):
                        current.append((" ", index, match.start()))
                else:
                    current.append((match.group(0), index, match.start()))

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
            if tag == "br" and (pre or not current or current[-1][0] != " "):
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
        parts: list[str] = []
        offset = 0
        for number, block in enumerate(blocks):
            if number:
                parts.append("\n")
                offset += 1
            for text, piece, source_start in block:
                tmap.runs.append(_Run(offset, text, piece, source_start))
                parts.append(text)
                offset += len(text)
        tmap.text = "".join(parts)
        return tmap

    def _source_spans(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(piece, source start, source end) covering plain ``[start, end)``."""
        from bisect import bisect_right

        starts = [run.plain_start for run in self.runs]
        out: list[tuple[int, int, int]] = []
        index = max(0, bisect_right(starts, start) - 1)
        while index < len(self.runs) and self.runs[index].plain_start < end:
            run = self.runs[index]
            index += 1
            lo = max(start, run.plain_start) - run.plain_start
            hi = min(end, run.plain_start + len(run.text)) - run.plain_start
            if run.piece < 0 or hi <= lo:
                continue
            if run.text == " ":  # a collapsed white space run: keep its first character
                lo, hi = 0, 1
            span = (run.piece, run.source_start + lo, run.source_start + hi)
            if out and out[-1][0] == span[0] and out[-1][2] >= span[1]:
                out[-1] = (span[0], out[-1][1], max(out[-1][2], span[2]))
            elif out and out[-1][0] == span[0]:
                out[-1] = (span[0], out[-1][1], span[2])  # white space inside one piece
            else:
                out.append(span)
        return out

    def mark(self, ranges: list[tuple[int, int, dict[str, str]]]) -> str:
        """The HTML with ``<mark>`` elements (attributes given) around each plain-text range."""
        import lxml.html

        per_piece: dict[int, list[tuple[int, int, dict[str, str]]]] = {}
        for start, end, attrs in ranges:
            for piece, lo, hi in self._source_spans(max(0, start), max(0, end)):
                per_piece.setdefault(piece, []).append((lo, hi, attrs))
        for number, spans in per_piece.items():
            piece = self.pieces[number]
            spans.sort(key=lambda s: s[0])
            source = piece.source
            cursor, made = 0, []
            head = None
            for start, end, attrs in spans:
                start = max(start, cursor)
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
        return (self.root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in self.root)


_TOKENS = re.compile(r"[ \t\r\n\f]+|[^ \t\r\n\f]+")


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    return TextMap.build(html).text
