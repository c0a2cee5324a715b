"""What "Copy with citation" copies: a span of an article (a selection, a highlight, a
passage) quoted and cited in a style, with its locator.

Qt-free: the window's :mod:`reader.ui.citation_actions` calls these and puts the result on
the clipboard. The locator is :mod:`reader.locator`'s: the printed page of a paged source
(the same ``page_at`` the exports use, :func:`reader.exporting.command.document_pages`),
else the paragraph, else the heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.citations.metadata import metadata
from reader.citations.render import copy_with_citation
from reader.citations.styles import DEFAULT_STYLE, StyleInfo, find_style
from reader.errors import UsageError
from reader.locator import Location, Locator


@dataclass(frozen=True)
class QuotedCitation:
    """The clipboard's two forms, and what they were made of."""

    plain: str
    html: str
    style: StyleInfo
    quote: str
    location: Location | None


def _pages(path: str, rendered):
    # Imported here: reader.exporting imports reader.citations.
    from reader.exporting.command import document_pages

    return document_pages(path, rendered)


def quote_span(
    article,
    rendered,
    start: int,
    end: int,
    style: str | StyleInfo = DEFAULT_STYLE,
    *,
    quote: str | None = None,
    extra: dict | None = None,
    user_dir: Path | None = None,
    locator: Locator | None = None,
) -> QuotedCitation:
    """The text ``rendered.text[start:end]`` of ``article`` (or ``quote``, a highlight's own
    words) with its citation in ``style``, located at ``start``. ``extra``: the article's
    citation metadata dict (journal, volume, pages, url…; see :func:`metadata`);
    ``locator``: an already built :class:`Locator` of ``rendered`` (with its pages)."""
    info = style if isinstance(style, StyleInfo) else find_style(style or DEFAULT_STYLE, user_dir)
    text = rendered.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start > end:
        start, end = end, start
    words = quote if quote is not None else text[start:end]
    if not words.strip():
        raise UsageError("there is no text to quote")
    path = getattr(article, "path", "") or ""
    if locator is None:
        locator = Locator.for_rendered(rendered, _pages(path, rendered))
    location = locator.at(start)
    meta = metadata(article, extra)
    if not meta.title:
        meta.title = path
    plain, rich = copy_with_citation(words, meta, info, location)
    return QuotedCitation(plain, rich, info, words, location)


def quote_unplaced(article, quote: str, style: str | StyleInfo = DEFAULT_STYLE, *, extra: dict | None = None, user_dir: Path | None = None) -> QuotedCitation:
    """A quote whose place is unknown (a detached highlight): cited without a locator."""
    info = style if isinstance(style, StyleInfo) else find_style(style or DEFAULT_STYLE, user_dir)
    if not quote.strip():
        raise UsageError("there is no text to quote")
    meta = metadata(article, extra)
    if not meta.title:
        meta.title = getattr(article, "path", "") or ""
    plain, rich = copy_with_citation(quote, meta, info, None)
    return QuotedCitation(plain, rich, info, quote, None)


def quote_from_library(library, path: str, start: int, end: int, style: str | StyleInfo = DEFAULT_STYLE, *, extra: dict | None = None, user_dir: Path | None = None) -> QuotedCitation:
    """:func:`quote_span` of the article ``path`` of ``library``, loaded and rendered here
    (a passage of an article that is not open). Raises ReaderError when it cannot be read."""
    from reader.render.article import render_article

    article = library.load(path)
    rendered = render_article(article)
    return quote_span(article, rendered, start, end, style, extra=extra, user_dir=user_dir)


def quote_annotation(store, library, item, style: str | StyleInfo = DEFAULT_STYLE, *, opened=None, extra: dict | None = None, user_dir: Path | None = None) -> QuotedCitation:
    """A highlight (:class:`reader.annotations.store.Annotation`) quoted in its own words
    and cited where it is in today's text (re-attached without writing, as exports do).
    ``opened``: (article, rendered, content hash) of the article when it is open already."""
    if item.quote is None:
        raise UsageError("a note on the whole article has no quote; select a highlight")
    if opened is not None and getattr(opened[0], "path", None) == item.article:
        article, rendered, content_hash = opened
    else:
        from reader.render.article import render_article

        article, content_hash = library.load_with_hash(item.article)
        rendered = render_article(article)
    current = store.current_anchors([item], rendered.text, content_hash)[0][0] if content_hash else item
    if current.position is None or current.orphan:
        return quote_unplaced(article, item.quote.exact, style, extra=extra, user_dir=user_dir)
    return quote_span(article, rendered, current.position.start, current.position.end, style,
                      quote=item.quote.exact, extra=extra, user_dir=user_dir)
