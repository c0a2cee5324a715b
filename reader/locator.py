"""Where an offset of an article's plain text is: paragraph, heading above it, page.

One Qt-free module, used by passages, annotations, citations and exports, so that a passage,
a highlight and the citation made from either name the same place.

The plain text is :attr:`RenderedArticle.text <reader.render.article.RenderedArticle.text>`
(what ``reader export PATH --format text`` prints): every block of the article (paragraph,
heading, list item, table cell, quotation paragraph) is one line, blocks are separated by a
single newline, and white space inside a block is collapsed; only preformatted blocks (code)
keep their own line breaks.

**Paragraph.** A paragraph is a line of that text that holds something besides white space
and is not a heading; they are numbered 1, 2, 3… from the start of the body (the title and
the other header fields are not part of the text). A list item or a table cell is a
paragraph, as a reader counting blocks sees it; each line of a code block is one. An offset
inside a heading has no paragraph (``paragraph`` is None): the heading itself locates it.
:attr:`Location.section_paragraph` counts again from 1 after each heading (the way APA asks
unpaged sources to be cited: "Discussion section, para. 2").

**Heading.** The nearest heading at or above the offset: the last of
``RenderedArticle.headings`` whose line starts at or before the offset's line. Headings are
found in the text in order: each is the first line after the previous heading's line whose
collapsed text equals the heading's text (a heading whose text the renderer changed, so that
no line equals it, is looked for as a line that starts with it, and otherwise left out).

**Page.** Only for paged sources (PDF-derived articles): a ``page_at(offset)`` callable given
by whoever knows the pages, returning the page's printed label (``"39"``, ``"iv"``, ``"S12"``;
a PDF's page map gives strings) or a number; without one, ``page`` is None. A label of ASCII
digits becomes a number (``"39"`` -> 39); any other label is kept as written (stripped), so
a citation says 頁 iv; an empty label, None or a non-label (a bool) is no page.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

PageAt = Callable[[int], "int | str | None"]


def page_label(value: object) -> int | str | None:
    """A page_at's answer as a Location's ``page``: see the module's docstring."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        label = " ".join(value.split())
        if not label:
            return None
        return int(label) if label.isdecimal() and label.isascii() else label
    return None


@dataclass(frozen=True)
class Location:
    """Where one offset of the plain text is."""

    offset: int
    paragraph: int | None  # 1-based over the article's paragraphs; None inside a heading
    heading: str  # the nearest heading at or above, "" when there is none
    heading_level: int = 0
    heading_anchor: str = ""
    section_paragraph: int | None = None  # 1-based within the heading's section
    page: int | str | None = None  # paged sources only: the printed label (39, "iv")

    def to_json(self) -> dict:
        """``paragraph`` and ``heading`` always; ``page`` only for paged sources."""
        out: dict = {"paragraph": self.paragraph, "heading": self.heading or None}
        if self.page is not None:
            out["page"] = self.page
        return out

    def label(self) -> str:
        """How a reader names the place: 頁 12, else 第 3 段, else the heading."""
        if self.page is not None:
            return f"頁 {self.page}"
        if self.paragraph is not None:
            return f"第 {self.paragraph} 段"
        return self.heading

    def describe(self) -> str:
        """The label and, when it is not the label already, the heading: 第 3 段（延伸閱讀）."""
        label = self.label()
        if self.heading and label != self.heading:
            return f"{label}（{self.heading}）"
        return label


def _collapse(text: str) -> str:
    return " ".join(text.split())


class Locator:
    """Locations in one article's plain text; build once per article, ask many times."""

    def __init__(self, text: str, headings: list[tuple[int, str, str]] | None = None, page_at: PageAt | None = None) -> None:
        self.text = text
        self.page_at = page_at
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts
        ends = [s - 1 for s in starts[1:]] + [len(text)]
        # A heading's line: looked for in order, each after the previous one's line.
        heading_at: dict[int, tuple[int, str, str]] = {}
        line = 0
        for level, title, anchor in headings or []:
            wanted = _collapse(title)
            if not wanted:
                continue
            found = None
            for number in range(line, len(starts)):
                if _collapse(text[starts[number] : ends[number]]) == wanted:
                    found = number
                    break
            if found is None:
                for number in range(line, len(starts)):
                    if _collapse(text[starts[number] : ends[number]]).startswith(wanted):
                        found = number
                        break
            if found is None:
                continue
            heading_at[found] = (level, title, anchor)
            line = found + 1
        self._heading_at = heading_at
        # Per line: its paragraph number (0 for a heading or a blank line), the number of the
        # last paragraph at or before it, and the heading in force and where its section starts.
        paragraphs: list[int] = []
        upto: list[int] = []
        heading_of: list[tuple[int, str, str] | None] = []
        section_base: list[int] = []
        count = 0
        current: tuple[int, str, str] | None = None
        base = 0
        for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if number in heading_at:
                current = heading_at[number]
                base = count
                paragraphs.append(0)
            elif text[start:end].strip():
                count += 1
                paragraphs.append(count)
            else:
                paragraphs.append(0)
            upto.append(count)
            heading_of.append(current)
            section_base.append(base)
        self._paragraphs = paragraphs
        self._upto = upto
        self._heading_of = heading_of
        self._section_base = section_base
        self.paragraph_count = count

    @classmethod
    def for_rendered(cls, rendered, page_at: PageAt | None = None) -> Locator:
        """For a :class:`~reader.render.article.RenderedArticle`."""
        return cls(rendered.text, rendered.headings, page_at)

    def line_of(self, offset: int) -> int:
        """The 0-based line of ``offset`` (clamped into the text)."""
        offset = min(max(offset, 0), len(self.text))
        return bisect_right(self._starts, offset) - 1

    def at(self, offset: int) -> Location:
        line = self.line_of(offset)
        paragraph = self._paragraphs[line] or None
        heading = self._heading_of[line]
        page = self.page_at(offset) if self.page_at is not None else None
        return Location(
            offset=offset,
            paragraph=paragraph,
            heading=heading[1] if heading else "",
            heading_level=heading[0] if heading else 0,
            heading_anchor=heading[2] if heading else "",
            section_paragraph=(paragraph - self._section_base[line]) if paragraph else None,
            page=page_label(page),
        )

    def paragraph_span(self, offset: int) -> tuple[int, int]:
        """(start, end) of the line holding ``offset``: the block a passage stays inside."""
        line = self.line_of(offset)
        start = self._starts[line]
        end = self._starts[line + 1] - 1 if line + 1 < len(self._starts) else len(self.text)
        return start, end

    def heading_offsets(self) -> list[tuple[int, int, str, str]]:
        """(offset, level, text, anchor) of each heading found in the text, in order."""
        return [(self._starts[line], *self._heading_at[line]) for line in sorted(self._heading_at)]


def locate(text: str, offset: int, headings: list[tuple[int, str, str]] | None = None, page_at: PageAt | None = None) -> Location:
    """One location (build a :class:`Locator` to ask about many offsets of one article)."""
    return Locator(text, headings, page_at).at(offset)
