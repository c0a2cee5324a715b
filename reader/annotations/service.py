"""Annotations of an article as it is now: render, re-anchor if the file changed, return both."""

from __future__ import annotations

from dataclasses import dataclass, fields

from reader.annotations.store import Annotation, AnnotationStore
from reader.library.library import Library
from reader.render.article import RenderedArticle, render_article


@dataclass(slots=True)
class PagedAnnotation(Annotation):
    """A highlight on a paged source (a PDF-derived article) with the page its start is on:
    the W3C export adds a ``FragmentSelector`` (``page=N``, RFC 3778), the Markdown export
    the printed page. Computed from today's text, never stored."""

    page_index: int | None = None  # 0-based; RFC 3778's page=N is this plus one
    page_label: str = ""  # the printed label ("41"), else the 1-based index


def with_pages(items: list[Annotation], pages) -> list[Annotation]:
    """``items`` with the page of each attached highlight (``pages``: a
    :class:`reader.library.formats.PageMap`, ``RenderedArticle.pages``; None: unchanged)."""
    if pages is None:
        return items
    out: list[Annotation] = []
    names = [f.name for f in fields(Annotation)]
    for item in items:
        if item.quote is None or item.position is None or item.orphan:
            out.append(item)
            continue
        start = item.position.start
        values = {name: getattr(item, name) for name in names}
        out.append(PagedAnnotation(**values, page_index=pages.page_index_at(start), page_label=pages.page_at(start)))
    return out


def open_article(store: AnnotationStore, library: Library, rel_path: str):
    """(article, rendered, file hash, highlights re-attached to the current text)."""
    article, content_hash = library.load_with_hash(rel_path)
    rendered = render_article(article)
    items = store.update_anchors(library.key, rel_path, rendered.text, content_hash)
    return article, rendered, content_hash, items


def library_hashes(library: Library) -> dict[str, str]:
    """Article path -> content hash, from the catalog brought up to date."""
    catalog = library.catalog()
    try:
        catalog.rescan()
        return {e.article.path: e.content_hash for e in catalog.entries() if e.content_hash}
    finally:
        catalog.close()


def has_gone_libraries(store: AnnotationStore, library: Library) -> bool:
    """Whether the store keeps annotations of a library folder that no longer exists."""
    root = library.key
    from reader.library.library import folder_of_key

    return any(lib != root and not folder_of_key(lib).is_dir() for lib in store.libraries())


def attach_library(store: AnnotationStore, library: Library, present: dict[str, str]) -> list[str]:
    """Give ``library`` the annotations that are its own: those of its former folder when it
    was moved or renamed, and those of its renamed articles. Returns what to tell the user."""
    told = []
    adopted = store.adopt_moved_library(library.key, present)
    if adopted:
        told.append(adopted)
    if store.follow_renames(library.key, present):
        told.append("Annotations of renamed articles were kept.")
    return told


def current_annotations(store: AnnotationStore, library: Library, items: list[Annotation]) -> list[Annotation]:
    """``items`` re-attached to their articles as they are now, computed without writing
    (so an export can never overwrite an edit made meanwhile). An article outside the
    library, or missing, is not opened; its annotations are given as stored. Highlights on
    a paged source come back as :class:`PagedAnnotation` (with their page)."""
    by_article: dict[str, list[Annotation]] = {}
    for item in items:
        by_article.setdefault(item.article, []).append(item)
    out: list[Annotation] = []
    for path, group in by_article.items():
        highlights = [i for i in group if i.quote is not None]
        if highlights and library.contains(path) and library.file_path(path).is_file():
            article, content_hash = library.load_with_hash(path)
            if content_hash:
                rendered = render_article(article)
                highlights = with_pages(store.current_anchors(highlights, rendered.text, content_hash)[0], rendered.pages)
        out += [i for i in group if i.quote is None] + highlights
    return out


def follow_library(store: AnnotationStore, library: Library, present: dict[str, str]) -> int:
    """Keep annotations of renamed or moved articles (matched by content hash)."""
    return store.follow_renames(library.key, present)


def highlight_ranges(rendered: RenderedArticle, items: list[Annotation]) -> list[tuple[int, int, Annotation]]:
    out = []
    for item in items:
        if item.orphan or item.position is None:
            continue
        start, end = item.position.start, item.position.end
        if 0 <= start < end <= len(rendered.text):
            out.append((start, end, item))
    return out
