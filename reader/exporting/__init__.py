"""Exports of annotations and of passages: Markdown, Word (.docx), CSV and W3C JSON.

Entry points (Qt-free; each returns the file's bytes, to be written with
:func:`reader.output.write_output` or by the window)::

    export_annotations(items, articles, fmt, style, colors, only_colors=..., only_tags=...)
    export_passages(search, fmt, style)          # a reader.search.passages.PassageSearch

``fmt`` is one of :data:`FORMATS`; :func:`suffix` gives its file name suffix.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from reader.citations import DEFAULT_STYLE, StyleInfo
from reader.errors import ReaderError, UsageError
from reader.exporting import csv_export, docx, markdown
from reader.exporting.entries import Built, build_annotations, build_passages, select, tags_of

FORMATS = ("markdown", "docx", "csv", "json")
_SUFFIX = {"markdown": ".md", "docx": ".docx", "csv": ".csv", "json": ".json"}
MEDIA_TYPES = {
    "markdown": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def suffix(fmt: str) -> str:
    return _SUFFIX[_format(fmt)]


def _format(fmt: str) -> str:
    name = (fmt or "").lower()
    name = {"md": "markdown", "word": "docx"}.get(name, name)
    if name not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return name


def write_built(built: Built, fmt: str, created: dt.datetime | None = None) -> bytes:
    fmt = _format(fmt)
    if fmt == "markdown":
        return markdown.write(built)
    if fmt == "docx":
        return docx.write(built, created)
    if fmt == "csv":
        return csv_export.write(built)
    raise UsageError("JSON is written from the annotations or passages themselves")


def export_annotations(
    items: Iterable,
    articles: dict,
    fmt: str,
    style: str | StyleInfo = DEFAULT_STYLE,
    colors: dict[str, str] | None = None,
    *,
    only_colors: Iterable[str] | None = None,
    only_tags: Iterable[str] | None = None,
    tags: dict[str, list[str]] | None = None,
    extra_metadata: dict[str, dict] | None = None,
    rendered_for=None,
    pages=None,
    user_styles: Path | None = None,
    title: str = "Annotations",
    created: dt.datetime | None = None,
    labels: dict[str, str] | None = None,
) -> bytes:
    """The annotations ``items`` (of :class:`reader.annotations.store.Annotation`, positions
    as today's text has them: ``service.current_annotations``) as a file of format ``fmt``.

    ``articles``: path -> :class:`~reader.library.model.Article` (for titles, locators,
    citations); ``colors``: colour key -> the name shown; ``only_colors`` / ``only_tags``:
    filters (see :func:`reader.exporting.entries.select`); ``extra_metadata``: path -> the
    citation metadata dict (journal, volume, issue, pages, url, accessed…);
    ``rendered_for(path)``: an already rendered article, to save rendering it again;
    ``pages(path, rendered)``: a ``page_at(offset)`` for paged sources; ``labels``: the
    words around the entries in another language (see ``entries.LABELS``). JSON is the W3C
    export of :func:`reader.annotations.exchange.export_json` (of the selected items)."""
    fmt = _format(fmt)
    if fmt == "json":
        from reader.annotations.exchange import export_json

        chosen = select(items, colors, only_colors=only_colors, only_tags=only_tags, tags=tags)
        return export_json(chosen, colors or {}).encode("utf-8")
    built = build_annotations(
        items, articles, style, colors, only_colors=only_colors, only_tags=only_tags, tags=tags,
        extra_metadata=extra_metadata, rendered_for=rendered_for, pages=pages, user_styles=user_styles, title=title,
        labels=labels,
    )
    return write_built(built, fmt, created)


def export_passages(
    search,
    fmt: str,
    style: str | StyleInfo = DEFAULT_STYLE,
    *,
    loaded: dict | None = None,
    extra_metadata: dict[str, dict] | None = None,
    user_styles: Path | None = None,
    title: str = "",
    created: dt.datetime | None = None,
) -> bytes:
    """The passages of a :class:`reader.search.passages.PassageSearch` (every article is
    resolved, in its order) as a file: grouped by article, each passage with its locator
    and citation. ``loaded``: path -> Article, when the caller has them (else each article
    with passages is loaded from the search's library, for its citation). JSON is the
    ``passages_json`` shape."""
    fmt = _format(fmt)
    if fmt == "json":
        return (json.dumps(search.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    found = list(search.iter_articles())
    articles = dict(loaded or {})
    for article in found:
        if article.passages and article.path not in articles and getattr(search, "library", None) is not None:
            try:
                articles[article.path] = search.library.load(article.path)
            except (ReaderError, OSError):  # cited by the title the search knows
                continue
    built = build_passages(found, articles, style, query=search.query, extra_metadata=extra_metadata, user_styles=user_styles, title=title)
    return write_built(built, fmt, created)


__all__ = ["FORMATS", "MEDIA_TYPES", "export_annotations", "export_passages", "select", "suffix", "tags_of", "write_built"]
