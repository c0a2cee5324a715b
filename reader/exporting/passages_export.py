"""Export the passages a window has listed: Markdown, CSV or Word, a citation per article.

The passages view keeps what its search found (:class:`reader.search.passages.ArticlePassages`
with their passages); exporting them must not search, load and render the library again, nor
disagree with what the reader saw. This builds the export from those very articles with the
same writers as every other export (:mod:`reader.exporting.entries`, ``markdown``, ``docx``,
``csv_export``): grouped by article, each passage with its locator, each article cited in
the chosen style (with the metadata the reader edited, ``extra_metadata``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from reader.citations import DEFAULT_STYLE, StyleInfo
from reader.errors import ReaderError, UsageError
from reader.exporting import write_built
from reader.exporting.entries import build_passages

PASSAGE_FORMATS = ("markdown", "docx", "csv", "json")


def export_listed_passages(
    articles: Iterable,
    fmt: str,
    style: str | StyleInfo = DEFAULT_STYLE,
    *,
    query: str = "",
    load: Callable[[str], object] | None = None,
    extra_metadata: dict[str, dict] | None = None,
    user_styles: Path | None = None,
    title: str = "",
    created: dt.datetime | None = None,
) -> bytes:
    """The file's bytes for ``articles`` (resolved ``ArticlePassages``, in the order shown).

    ``load(path)`` gives an article's :class:`~reader.library.model.Article` for its citation
    (title, authors, date); an article it cannot load is cited by the title the search knows.
    ``fmt``: markdown, docx, csv, or json (the ``passages_json`` shape of these articles)."""
    name = {"md": "markdown", "word": "docx"}.get((fmt or "").lower(), (fmt or "").lower())
    if name not in PASSAGE_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(PASSAGE_FORMATS)}")
    chosen = [a for a in articles if a.passages]
    if name == "json":
        listed = [a.to_json() for a in chosen]
        data = {
            "query": query,
            "total_articles": len(listed),
            "total_passages": sum(len(a["passages"]) for a in listed),
            "articles": listed,
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    loaded: dict[str, object] = {}
    if load is not None:
        for article in chosen:
            try:
                loaded[article.path] = load(article.path)
            except (ReaderError, OSError):
                continue  # cited by the title the search knows
    built = build_passages(chosen, loaded, style, query=query, extra_metadata=extra_metadata, user_styles=user_styles, title=title)
    return write_built(built, name, created)
