"""Very large articles are shown in parts, so the window holds a bounded amount of layout.

Qt keeps about 24 bytes of layout for every character it has laid out, for as long as the
document is shown: a 10 MB article would cost the window over 100 MB. An article with more
than ``PARTS_ABOVE`` characters of text is cut where ``html_chunks`` may cut (between
paragraphs, or between two letters of a long paragraph) into parts of about ``PART_CHARS``
characters. The pane shows one part at a time, with links to the others; highlights, matches,
jumps and the reading position each say which part they need.

Where each part's text begins in the article's plain text is found the only exact way: Qt
parses the part and its text is aligned with the article's (on the loader thread).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtGui import QTextDocument

from reader.render.article import RenderedArticle
from reader.render.html_chunks import html_chunks
from reader.ui.text_mapping import TextMapping

PARTS_ABOVE = 300_000
PART_CHARS = 200_000  # about a hundred printed pages of Chinese
_ANCHOR = re.compile(r'\bid="([^"]+)"')


@dataclass
class Part:
    html: str  # the part's body HTML
    start: int  # its text is RenderedArticle.text[start:end]
    end: int


@dataclass
class Parts:
    parts: list[Part] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)  # heading id -> part number

    def __len__(self) -> int:
        return len(self.parts)

    def number_at(self, plain_offset: int) -> int:
        """The part that shows this offset of the article's text."""
        for number, part in enumerate(self.parts):
            if plain_offset < part.end:
                return number
        return len(self.parts) - 1


def split_parts(rendered: RenderedArticle) -> Parts:
    """The article's parts; none when it is shown whole."""
    from reader.ui.article_document import load_html  # which shows parts: imported late
    text = rendered.text
    if len(text) <= PARTS_ABOVE:
        return Parts()
    html_per_char = max(1.0, len(rendered.body_html) / max(1, len(text)))
    chunks = html_chunks(rendered.body_html, int(PART_CHARS * html_per_char))
    if len(chunks) < 2:
        return Parts()  # nowhere to cut (one huge list or table): shown whole
    result, offset = Parts(), 0
    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    for number, chunk in enumerate(chunks):
        if number == len(chunks) - 1:
            end = len(text)
        else:
            load_html(doc, "", chunk.html, "")
            shown = doc.toPlainText()
            window = text[offset : offset + len(shown) + len(shown) // 10 + 1000]
            end = offset + TextMapping(window, shown, 0).aligned_end
        result.parts.append(Part(chunk.html, offset, end))
        for anchor in _ANCHOR.findall(chunk.html):
            result.anchors.setdefault(anchor, number)
        offset = end
    return result
