"""What of an article goes into the index: searchable texts, stored compactly."""

from __future__ import annotations

import contextlib
import json
import re
import zlib

from reader.library.model import Article
from reader.search.schema import TEXT_FIELDS

FIELD_SEPARATOR = "\n\x00\n"  # between fields in verification text, so no match crosses one

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_REF_DEF = re.compile(r"(?m)^\s*\[[^\]\n]+\]:\s*\S+.*$")
_FOOTREF = re.compile(r"\[\^[^\]\n]+\]:?")
_HTML_TAG = re.compile(r"<[^>\n]{1,500}>")
_LINE_MARK = re.compile(r"(?m)^[ \t]{0,12}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+|\|)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def markdown_search_text(markdown: str) -> str:
    """Markdown reduced to the words a reader sees, quickly (no full rendering).

    Link targets, markup characters and tags go; text, link texts and image alt texts stay.
    """
    import html

    text = _REF_DEF.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _FOOTREF.sub("", text)
    text = _HTML_TAG.sub("", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def field_texts(article: Article, notes: str = "") -> dict[str, str]:
    return {
        "title": article.title,
        "tags": "\n".join(article.tags),
        "authors": "\n".join(article.authors),
        "body": markdown_search_text(article.body),
        "notes": notes,
    }


def pack_texts(texts: dict[str, str]) -> bytes:
    return zlib.compress(json.dumps([texts[f] for f in TEXT_FIELDS], ensure_ascii=False).encode("utf-8"), 3)


def unpack_texts(blob: bytes) -> dict[str, str]:
    return dict(zip(TEXT_FIELDS, json.loads(zlib.decompress(blob).decode("utf-8")), strict=True))


def pack_heading(path: str, title: str, date: str) -> bytes:
    """What a hit's row shows, for the index's heading column."""
    return json.dumps([path, title, date], ensure_ascii=False).encode("utf-8")


def unpack_heading(value: bytes) -> tuple[str, str, str] | None:
    """The (path, title, date) of a heading column's value; None for an empty or damaged one."""
    try:
        path, title, date = json.loads(value.decode("utf-8"))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return (path, title, date) if all(isinstance(v, str) for v in (path, title, date)) else None


def index_column(searcher, name: str):
    """The column reader of the index's column ``name``, kept on ``searcher`` (made once per
    index generation); None for an index without it."""
    from reader.search.postings import kept_on

    def make() -> list:  # (in a list: a column reader's truth is its length, not its presence)
        with contextlib.suppress(Exception):  # an index of another layout: its stored fields serve
            reader = searcher.reader()
            if reader.has_column(name):
                return [reader.column_reader(name)]
        return [None]

    return kept_on(searcher, f"{name}_column", make)[0]


def document_texts(searcher, docnum: int, name: str = "texts") -> dict[str, str]:
    """A document's texts (``name`` "texts") or folded texts ("ftexts") by field: from the
    index's column (reader.search.schema), or from the stored fields of an index that kept
    them there."""
    column = index_column(searcher, name)
    if column is not None:
        return unpack_texts(column[docnum])
    return unpack_texts(searcher.stored_fields(docnum)[name])


def document_heading(searcher, docnum: int) -> tuple[str, str, str]:
    """A document's (path, title, date) from the index's heading column, without inflating
    its texts (from its stored fields and texts when the column lacks a readable value)."""
    column = index_column(searcher, "heading")
    found = unpack_heading(column[docnum]) if column is not None else None
    if found is None:
        stored = searcher.stored_fields(docnum)
        found = (stored.get("path", ""), document_texts(searcher, docnum).get("title", ""), stored.get("date", "") or "")
    return found
