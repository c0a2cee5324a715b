"""Large Markdown formatted section by section, so memory follows a section, not the article.

python-markdown builds a tree of the whole article: 2 MB of prose peaks near 110 MB, and
parsing the resulting HTML again for its plain text adds as much. An article is cut only where
that cannot change the result: before a heading or a plain paragraph that follows a blank
line, outside fenced code. Articles where something may reach across such a cut (reference-style
link definitions, footnotes, raw HTML blocks, which python-markdown lets span blank lines)
are formatted whole. Heading ids are then made unique across the article the way the ``toc``
extension makes them unique within one document.
"""

from __future__ import annotations

import re

SECTION_CHARS = 30_000
_UNSAFE = re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:|\[\^|^ {0,3}<[A-Za-z!/?]|\[TOC\]")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: Lines that begin a block no earlier block can continue after a blank line: an ATX heading,
#: or a plain paragraph (not indented, not a list item, quote, table, rule or HTML).
_BLOCK_START = re.compile(r"#{1,6}(?:[ \t]|$)|(?![-*+][ \t]|\d+[.)][ \t]|[-*_=]{3})[^\s>|<#`~]")
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")


def sections(text: str, size: int | None = None) -> list[str]:
    """``text`` cut into sections of about ``size`` characters; [text] when it may not be."""
    size = size or SECTION_CHARS
    if len(text) <= size or _UNSAFE.search(text):
        return [text]
    out: list[str] = []
    start = offset = 0
    fence = ""
    blank_before = True
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif blank_before and _BLOCK_START.match(line) and offset - start >= size:
            out.append(text[start:offset])
            start = offset
        blank_before = not line.strip()
        offset += len(line) + 1
    out.append(text[start:])
    return out


def unique(anchor: str, used: set[str]) -> str:
    """python-markdown's ``toc.unique``: ``x``, ``x_1``, ``x_2``…"""
    while anchor in used or not anchor:
        match = _IDCOUNT.match(anchor)
        anchor = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{anchor}_1"
    used.add(anchor)
    return anchor
