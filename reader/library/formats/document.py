"""What every format extractor produces: a :class:`Document` of typed text blocks.

A document is plain data (no parser objects), so it crosses the process boundary of the
extraction process and is stored in the cache as JSON. Blocks carry their text as a reader
sees it (white space collapsed, Kangxi radicals and compatibility ideographs normalised),
inline styles as ranges over that text, footnote references as offsets, and for paged
sources the page where the block starts plus any page changes inside it (a paragraph that
runs on over a page break).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

# Block kinds.
HEADING = "heading"  # level 1..6
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"  # level = nesting depth (0 = outermost); ordered
TABLE_ROW = "table_row"  # cells; header row first; consecutive rows form one table
FOOTNOTE = "footnote"  # note_id; referenced from other blocks' notes
QUOTE = "quote"
CODE = "code"  # text kept verbatim (line breaks and spaces)
IMAGE = "image"  # resource = name in Document.resources; text = alternative text
MARKDOWN = "markdown"  # already Markdown (a saved web page through the HTML importer)
KINDS = (HEADING, PARAGRAPH, LIST_ITEM, TABLE_ROW, FOOTNOTE, QUOTE, CODE, IMAGE, MARKDOWN)

# Inline styles (Block.spans).
EMPHASIS = "em"
STRONG = "strong"
INLINE_CODE = "code"
SUPERSCRIPT = "sup"
SUBSCRIPT = "sub"
STYLES = (EMPHASIS, STRONG, INLINE_CODE, SUPERSCRIPT, SUBSCRIPT)


@dataclass
class Block:
    kind: str
    text: str = ""
    level: int = 0
    ordered: bool = False  # list items
    cells: list[str] = field(default_factory=list)  # table rows
    header: bool = False  # a table's header row
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, style) in text
    notes: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, footnote id)
    note_id: str = ""  # footnotes
    resource: str = ""  # images
    page: int | None = None  # 0-based index of the page where the block starts
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page index) inside the block

    def to_json(self) -> dict:
        out: dict = {"kind": self.kind}
        for name in ("text", "level", "ordered", "cells", "header", "spans", "notes", "note_id", "resource", "breaks"):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.page is not None:
            out["page"] = self.page
        return out

    @classmethod
    def from_json(cls, data: dict) -> Block:
        return cls(
            kind=str(data["kind"]),
            text=str(data.get("text", "")),
            level=int(data.get("level", 0)),
            ordered=bool(data.get("ordered", False)),
            cells=[str(c) for c in data.get("cells", [])],
            header=bool(data.get("header", False)),
            spans=[(int(a), int(b), str(s)) for a, b, s in data.get("spans", [])],
            notes=[(int(a), str(n)) for a, n in data.get("notes", [])],
            note_id=str(data.get("note_id", "")),
            resource=str(data.get("resource", "")),
            page=None if data.get("page") is None else int(data["page"]),
            breaks=[(int(a), int(p)) for a, p in data.get("breaks", [])],
        )


@dataclass
class Metadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY
    lang: str = ""
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    source_url: str = ""  # where a saved page came from


@dataclass
class Resource:
    mime: str
    data: bytes


#: Markdown names embedded resources with this relative prefix (``![alt](PREFIX + name)``):
#: relative, so the sanitizer keeps it; the reading pane serves it from Document.resources.
RESOURCE_PREFIX = "reader-embedded/"


@dataclass
class Document:
    format: str  # "pdf", "docx", "odt", "epub", "mhtml", "html"
    extractor: str = ""  # "pdf/3": the format module's VERSION, so the cache knows when to re-extract
    blocks: list[Block] = field(default_factory=list)
    page_labels: list[str] = field(default_factory=list)  # per page index; empty for unpaged sources
    metadata: Metadata = field(default_factory=Metadata)
    resources: dict[str, Resource] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    #: Set when a problem depends on this machine, not the file (Tesseract missing, a time
    #: limit on a busy machine): such a document is not cached. Not stored.
    transient: bool = False
    #: A reader's traceback when it failed on this file (for the log folder; never shown). Not stored.
    error_detail: str = ""

    @property
    def paged(self) -> bool:
        return bool(self.page_labels)

    @property
    def title(self) -> str:
        """The metadata's title, else the first heading."""
        if self.metadata.title:
            return self.metadata.title
        for block in self.blocks:
            if block.kind == HEADING and block.text:
                return block.text
        return ""

    def resource(self, name: str) -> Resource | None:
        """The embedded resource ``name`` (with or without :data:`RESOURCE_PREFIX`)."""
        return self.resources.get(name.removeprefix(RESOURCE_PREFIX))

    def add_resource(self, name: str, mime: str, data: bytes) -> str:
        """Store ``data`` under a safe unique name derived from ``name``; returns the name."""
        import re

        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit("/", 1)[-1])[:60].strip("._") or "resource"
        candidate, number = stem, 1
        while candidate in self.resources and self.resources[candidate].data != data:
            number += 1
            candidate = f"{number}-{stem}"
        self.resources[candidate] = Resource(mime, data)
        return candidate

    def text(self) -> str:
        """Every block's text, one per line (for tests and quick checks; not the rendered text)."""
        return "\n".join((" | ".join(b.cells) if b.kind == TABLE_ROW else b.text) for b in self.blocks)

    def to_json(self) -> bytes:
        meta = self.metadata
        data = {
            "format": self.format,
            "extractor": self.extractor,
            "blocks": [b.to_json() for b in self.blocks],
            "page_labels": self.page_labels,
            "metadata": {
                "title": meta.title, "authors": meta.authors, "date": meta.date, "lang": meta.lang,
                "subject": meta.subject, "keywords": meta.keywords, "source_url": meta.source_url,
            },
            "resources": {n: {"mime": r.mime, "data": base64.b64encode(r.data).decode("ascii")} for n, r in self.resources.items()},
            "problems": self.problems,
            "ocr_pages": self.ocr_pages,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Document:
        """Raises ValueError (or KeyError/TypeError) on anything that is not a stored document."""
        data = json.loads(raw.decode("utf-8"))
        meta = data.get("metadata", {})
        return cls(
            format=str(data["format"]),
            extractor=str(data.get("extractor", "")),
            blocks=[Block.from_json(b) for b in data.get("blocks", [])],
            page_labels=[str(x) for x in data.get("page_labels", [])],
            metadata=Metadata(
                title=str(meta.get("title", "")), authors=[str(a) for a in meta.get("authors", [])],
                date=str(meta.get("date", "")), lang=str(meta.get("lang", "")), subject=str(meta.get("subject", "")),
                keywords=[str(k) for k in meta.get("keywords", [])], source_url=str(meta.get("source_url", "")),
            ),
            resources={
                str(n): Resource(str(r["mime"]), base64.b64decode(r["data"], validate=True))
                for n, r in data.get("resources", {}).items()
            },
            problems=[str(p) for p in data.get("problems", [])],
            ocr_pages=[int(p) for p in data.get("ocr_pages", [])],
        )


class ExtractionProblem(Exception):
    """A file that cannot be read, in a user's words ("encrypted PDF: a password is needed").

    Extractors raise it; :func:`reader.library.formats.extract` turns it into a Document
    whose ``problems`` name it, so no caller ever sees an exception for a bad file."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


class Cancelled(Exception):
    """The caller's cancel event was set."""


def check_cancel(cancel) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()
