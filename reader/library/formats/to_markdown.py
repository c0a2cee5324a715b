"""A :class:`Document` as Markdown for the existing renderer, and its pages in the rendered text.

:func:`document_to_markdown` writes one Markdown block per document block (text escaped so
it renders as written; footnote references as ``[^id]``; images as
``![alt](reader-embedded/NAME)``). It also returns *anchors*: for every block that starts a
page, or where a page starts inside a block, a short piece of the text the renderer will
show there.

:func:`page_map` finds those anchors, in order, in the rendered plain text
(``render_article(article).text``, the text highlights index into) and returns a
:class:`PageMap`: sorted (offset, page index) starts, so ``page_at(offset)`` is a bisection.
Locating instead of predicting keeps the map right whatever the renderer does between
blocks (separators, a table's cells, footnote numbers, the footnote list at the end): a block
is found by its own text. Footnotes are shown at the end of the article, each with the page
it was printed on.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from reader.library.formats.document import (
    CODE,
    EMPHASIS,
    FOOTNOTE,
    HEADING,
    IMAGE,
    INLINE_CODE,
    LIST_ITEM,
    MARKDOWN,
    QUOTE,
    RESOURCE_PREFIX,
    STRONG,
    SUBSCRIPT,
    SUPERSCRIPT,
    TABLE_ROW,
    Document,
)
from reader.library.formats.text import collapse

#: How many characters of a block's text locate it in the rendered text.
ANCHOR_CHARS = 24


@dataclass
class Anchor:
    page: int  # page index (0-based)
    text: str  # what the renderer shows at the start of the stretch (white space collapsed)
    footnote: bool = False  # shown in the footnote list at the end


@dataclass
class MarkdownText:
    markdown: str
    anchors: list[Anchor] = field(default_factory=list)
    title_dropped: bool = False  # the leading heading equal to the title was left out (the header shows it)


_ALWAYS = re.compile(r"([\\`*_\[\]|])")
_LINE_START = re.compile(r"^(\s*)([#>+\-~]|\d+[.)])")


def escape(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text (white space collapsed)."""
    text = collapse(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _ALWAYS.sub(r"\\\1", text)
    match = _LINE_START.match(text)
    if match:
        lead, mark = match.groups()
        if mark == "~":
            escaped = "&#126;"  # not escapable with a backslash in python-markdown (a ~~~ fence)
        elif mark[0].isdigit():
            escaped = mark[:-1] + "\\" + mark[-1]
        else:
            escaped = "\\" + mark
        text = lead + escaped + text[match.end():]
    return text


_WRAP = {EMPHASIS: ("*", "*"), STRONG: ("**", "**"), SUPERSCRIPT: ("<sup>", "</sup>"), SUBSCRIPT: ("<sub>", "</sub>")}


def inline(text: str, spans: list[tuple[int, int, str]], notes: list[tuple[int, str]], note_names: dict[str, str]) -> str:
    """Text with its styles and footnote references as Markdown."""
    if not spans and not notes:
        return escape(text)
    cuts = sorted({0, len(text)} | {a for a, _, _ in spans} | {b for _, b, _ in spans} | {a for a, _ in notes})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [None], strict=False):
        for offset, note in notes:
            if offset == a and note in note_names:
                out.append(f"[^{note_names[note]}]")
        if b is None:
            break
        piece = text[a:b]
        styles = [s for sa, sb, s in spans if sa <= a and b <= sb]
        core = piece.strip(" ")
        lead = piece[: len(piece) - len(piece.lstrip(" "))]
        tail = piece[len(piece.rstrip(" ")) :]
        if not core or not styles:
            out.append(lead + escape(core) + tail if core else piece)
            continue
        body = escape(core) if INLINE_CODE not in styles else _code_span(core)
        for style in styles:
            if style in _WRAP:
                opening, closing = _WRAP[style]
                body = f"{opening}{body}{closing}"
        out.append(lead + body + tail)
    joined = "".join(out)
    return re.sub(r" {2,}", " ", joined).strip(" ")


def _code_span(text: str) -> str:
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    fence = "`" * ticks
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"


def _anchor_text(text: str, start: int, notes: list[tuple[int, str]]) -> str:
    """Up to ANCHOR_CHARS of ``text`` from ``start``, stopping before a footnote reference
    (the renderer shows its number there)."""
    stop = min([o for o, _ in notes if o > start] + [len(text)])
    return collapse(text[start:stop]).strip()[:ANCHOR_CHARS]  # Markdown trims U+3000 too


def document_to_markdown(doc: Document) -> MarkdownText:
    """Markdown of ``doc`` and the anchors that let :func:`page_map` find its pages."""
    footnotes = {b.note_id: b for b in doc.blocks if b.kind == FOOTNOTE and b.note_id}
    note_names: dict[str, str] = {}
    referenced: list[str] = []
    for block in doc.blocks:
        for _, note in block.notes:
            if note in footnotes and note not in note_names:
                note_names[note] = f"n{len(note_names) + 1}"
                referenced.append(note)
    parts: list[str] = []
    anchors: list[Anchor] = []
    title = collapse(doc.title)
    dropped = False
    page = None
    table: list[str] = []

    def mark(block_page: int | None, text: str, start: int, notes) -> None:
        nonlocal page
        if block_page is None:
            return
        if block_page != page:
            anchors.append(Anchor(block_page, _anchor_text(text, start, notes)))
            page = block_page

    def close_table() -> None:
        if table:
            parts.append("\n".join(table))
            table.clear()

    body = [_trimmed(b) for b in doc.blocks if b.kind != FOOTNOTE]
    footnotes = {n: _trimmed(b) for n, b in footnotes.items()}
    for number, block in enumerate(body):
        if block.kind != TABLE_ROW:
            close_table()
        if number == 0 and block.kind == HEADING and title and collapse(block.text) == title:
            dropped = True
            page = block.page
            continue
        if block.kind == TABLE_ROW:
            cells = [inline(c, [], [], {}) or " " for c in block.cells] or [" "]
            mark(block.page, block.cells[0] if block.cells else "", 0, [])
            if not table:
                table.append("| " + " | ".join(cells) + " |")
                table.append("|" + "---|" * len(cells))
                if not block.header:
                    table.append("| " + " | ".join(cells) + " |")
                    table[0] = "| " + " | ".join(" " for _ in cells) + " |"
            else:
                table.append("| " + " | ".join(cells) + " |")
            continue
        if block.kind == IMAGE:
            if block.resource:
                parts.append(f"![{escape(block.text)}]({RESOURCE_PREFIX}{block.resource})")
            continue
        if block.kind == MARKDOWN:
            parts.append(block.text)
            continue
        if block.kind == CODE:
            mark(block.page, block.text.split("\n", 1)[0], 0, [])
            fence = "`" * max(3, max((len(r) for r in re.findall(r"`{3,}", block.text)), default=0) + 1)
            parts.append(f"{fence}\n{block.text}\n{fence}")
            continue
        mark(block.page, block.text, 0, block.notes)
        text = inline(block.text, block.spans, block.notes, note_names)
        for offset, break_page in block.breaks:
            if break_page != page:
                anchors.append(Anchor(break_page, _anchor_text(block.text, offset, block.notes)))
                page = break_page
        if not text.strip():
            continue
        if block.kind == HEADING:
            level = min(6, max(1, block.level or 1))
            parts.append("#" * level + " " + text.rstrip("#").rstrip() + ("\\#" if text.endswith("#") else ""))
        elif block.kind == LIST_ITEM:
            indent = "    " * max(0, block.level)
            parts.append(f"{indent}{'1.' if block.ordered else '-'} {text}")
        elif block.kind == QUOTE:
            parts.append(f"> {text}")
        else:
            parts.append(text)
    close_table()
    for block in doc.blocks:
        if block.kind == FOOTNOTE and block.note_id not in note_names and block.text:
            # A note nothing refers to is still text of the document: shown after the body.
            mark(block.page, block.text, 0, [])
            parts.append(inline(block.text, block.spans, [], {}))
    for note in referenced:
        block = footnotes[note]
        if block.page is not None:
            anchors.append(Anchor(block.page, _anchor_text(block.text, 0, block.notes), footnote=True))
        parts.append(f"[^{note_names[note]}]: " + (inline(block.text, block.spans, [], {}) or "\u00a0"))
    markdown = _join(parts)
    return MarkdownText(markdown, anchors, dropped)


def _trimmed(block):
    """The block with its text stripped of all white space at its ends (Markdown trims a
    paragraph's U+3000 too), its offsets moved along."""
    from dataclasses import replace

    if block.kind in (CODE, TABLE_ROW, IMAGE, MARKDOWN) or block.text == block.text.strip():
        return block
    lead = len(block.text) - len(block.text.lstrip())
    text = block.text.strip()
    end = len(text)

    def move(offset: int) -> int:
        return min(max(0, offset - lead), end)

    return replace(
        block,
        text=text,
        spans=[(move(a), move(b), st) for a, b, st in block.spans if move(b) > move(a)],
        notes=[(move(o), n) for o, n in block.notes],
        breaks=[(move(o), p) for o, p in block.breaks],
    )


def _join(parts: list[str]) -> str:
    """Blocks separated by blank lines; consecutive list items stay one list."""
    out: list[str] = []
    for part in parts:
        if out:
            is_item = bool(re.match(r"^\s*(?:-|1\.) ", part))
            was_item = bool(re.match(r"^\s*(?:-|1\.) ", out[-1]))
            out.append("\n" if is_item and was_item else "\n\n")
        out.append(part)
    return "".join(out)


@dataclass
class PageMap:
    """Which page each offset of the rendered plain text is on."""

    starts: list[int]  # ascending offsets
    pages: list[int]  # page index at each start
    labels: list[str]  # label of each page index

    def page_index_at(self, offset: int) -> int:
        """0-based page index; RFC 3778's ``page=N`` is this plus one."""
        if not self.starts:
            return 0
        k = bisect.bisect_right(self.starts, offset) - 1
        return self.pages[max(0, k)]

    def page_at(self, offset: int) -> str:
        """The page's printed label ("39"), else its 1-based index."""
        index = self.page_index_at(offset)
        return self.labels[index] if 0 <= index < len(self.labels) else str(index + 1)

    def boundaries(self) -> list[tuple[int, str]]:
        """(offset, label) where each page starts: for the reading pane's margin labels."""
        return [(s, self.labels[p] if p < len(self.labels) else str(p + 1)) for s, p in zip(self.starts, self.pages, strict=True)]

    def to_json(self) -> str:
        return json.dumps({"starts": self.starts, "pages": self.pages, "labels": self.labels}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> PageMap:
        data = json.loads(raw)
        return cls([int(s) for s in data["starts"]], [int(p) for p in data["pages"]], [str(x) for x in data["labels"]])


def page_map(doc: Document, rendered_text: str, markdown: MarkdownText | None = None) -> PageMap | None:
    """Where ``doc``'s pages are in ``rendered_text`` (None for a document without pages).

    Anchors are found in order; the footnotes' anchors are looked for after the last body
    anchor. An anchor that cannot be found (the renderer fell back to plain text, say) is
    skipped: its stretch is counted with the page before."""
    if not doc.paged:
        return None
    markdown = markdown or document_to_markdown(doc)
    first = next((b.page for b in doc.blocks if b.page is not None and b.kind != FOOTNOTE), 0)
    starts: list[int] = [0]
    pages: list[int] = [first]
    cursor = 0
    body_end = 0
    for anchor in markdown.anchors:
        if anchor.footnote:
            cursor = max(cursor, body_end)
        if not anchor.text:
            continue
        found = rendered_text.find(anchor.text, cursor)
        if found < 0:
            continue
        if not anchor.footnote:
            body_end = found + len(anchor.text)
        if found <= starts[-1]:
            pages[-1] = anchor.page
        else:
            starts.append(found)
            pages.append(anchor.page)
        cursor = found + len(anchor.text)
    # Merge consecutive starts of the same page.
    merged_s, merged_p = [], []
    for s, p in zip(starts, pages, strict=True):
        if merged_p and merged_p[-1] == p:
            continue
        merged_s.append(s)
        merged_p.append(p)
    return PageMap(merged_s, merged_p, list(doc.page_labels))
