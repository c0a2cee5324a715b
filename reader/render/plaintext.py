"""The plain text of rendered HTML: what a reader sees, as one string.

Annotation selectors (W3C TextQuote/TextPosition) index into this text, so it must be a pure
function of the article. Blocks (paragraphs, headings, list items, table cells) are separated
by a newline and whitespace inside a block is collapsed, as a browser or QTextDocument shows it.
"""

from __future__ import annotations

import re

BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "table", "tr",
    "td", "th", "ul", "ol", "dl", "dt", "dd", "hr", "figure", "figcaption", "thead", "tbody",
}
_SPACE = re.compile(r"[ \t\r\n\f]+")


def html_to_text(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "".join(current)
        current.clear()
        text = text.strip(" ")
        if text:
            blocks.append(text)

    def walk(node, in_pre: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in BLOCKS
        pre = in_pre or tag == "pre"
        if block:
            flush()
        if tag == "br":
            current.append("\n" if pre else " ")
        if node.text and tag:
            current.append(node.text if pre else _SPACE.sub(" ", node.text))
        for child in node:
            walk(child, pre)
            if child.tail:
                current.append(child.tail if pre else _SPACE.sub(" ", child.tail))
        if block:
            flush()

    walk(root, False)
    flush()
    return "\n".join(blocks)
