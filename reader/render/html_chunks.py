"""Cut a large article's HTML into pieces that Qt can parse one at a time.

Qt's HTML parser holds the Python interpreter lock while it runs (0.5 s for 2 MB of
HTML), so a worker thread parsing a large article whole freezes the window. Given in pieces,
the window's thread gets its turn between them. Appending the pieces must build exactly the
document that parsing the whole would, so cuts are made only where Qt's way of adding HTML
to a document allows:

* between two top-level paragraphs: the next piece goes into a new block;
* inside the plain text of a long top-level paragraph, between two letters: the next piece
  reopens the paragraph, and Qt merges a piece's first block into the block it is added to,
  so the paragraph simply continues.

A body with neither (one huge list or table) stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHUNK_CHARS = 32_000
#: Unbounded, unlike the guard's pattern in markdown_html: sanitized HTML may carry a long
#: attribute, and a tag missed here would throw the nesting count off.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
VOID_ELEMENTS = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "param", "track"}


@dataclass
class Chunk:
    html: str
    continues: bool = False  # goes on with the previous piece's last paragraph


class _Cutter:
    def __init__(self, html: str, size: int) -> None:
        self.html, self.size = html, size
        self.chunks: list[Chunk] = []
        self.start, self.continues, self.prefix = 0, False, ""

    def cut(self, at: int, continues: bool, prefix: str = "") -> None:
        piece = self.html[self.start : at]
        if not continues:
            piece = piece.rstrip()  # white space between paragraphs shows nowhere
        self.chunks.append(Chunk(self.prefix + piece, self.continues))
        self.start, self.continues, self.prefix = at, continues, prefix

    def cut_text(self, text_start: int, text_end: int, paragraph_tag: str) -> None:
        while text_end - self.start > self.size:
            at = _letter_boundary(self.html, max(text_start, self.start + self.size), text_end)
            if at is None:
                return
            self.cut(at, True, paragraph_tag)


def html_chunks(body_html: str, size: int = CHUNK_CHARS) -> list[Chunk]:
    if len(body_html) <= size:
        return [Chunk(body_html)]
    cutter = _Cutter(body_html, size)
    depth = 0
    after_paragraph = False  # the last thing closed at the top level was a paragraph
    paragraph_tag = ""  # the opening tag of the top-level paragraph we are in
    text_start = 0  # where the text before the current tag begins
    for match in _TAG.finditer(body_html):
        if depth == 1 and paragraph_tag:
            cutter.cut_text(text_start, match.start(), paragraph_tag)
        between = body_html[text_start : match.start()]
        text_start = match.end()
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in VOID_ELEMENTS or self_closing:
            after_paragraph = False  # <p>…</p><hr><p>: not two paragraphs in a row
            continue
        if closing:
            depth = max(0, depth - 1)
            after_paragraph = depth == 0 and name == "p"
            if depth == 0:
                paragraph_tag = ""
            continue
        if depth == 0:
            if name == "p" and after_paragraph and not between.strip() and match.start() - cutter.start >= size:
                cutter.cut(match.start(), False)
            paragraph_tag = match.group(0) if name == "p" else ""
        after_paragraph = False
        depth += 1
    cutter.cut(len(body_html), False)
    return cutter.chunks


def _letter_boundary(html: str, at: int, end: int) -> int | None:
    """A place in [at, end) between two letters and outside any character reference."""
    for k in range(at, min(end, at + 200)):
        if html[k - 1].isalnum() and html[k].isalnum() and html.rfind("&", max(0, k - 12), k) <= html.rfind(";", max(0, k - 12), k):
            return k
    return None
