"""Annotations of an article as it is now: render, re-anchor if the file changed, return both."""

from __future__ import annotations

from reader.annotations.store import Annotation, AnnotationStore
from reader.library.library import Library
from reader.render.article import RenderedArticle, render_article


def open_article(store: AnnotationStore, library: Library, rel_path: str):
    """(article, rendered, file hash, highlights re-attached to the current text)."""
    article, content_hash = library.load_with_hash(rel_path)
    rendered = render_article(article)
    items = store.update_anchors(str(library.root), rel_path, rendered.text, content_hash)
    return article, rendered, content_hash, items


def follow_library(store: AnnotationStore, library: Library, present: dict[str, str]) -> int:
    """Keep annotations of renamed or moved articles (matched by content hash)."""
    return store.follow_renames(str(library.root), present)


def highlight_ranges(rendered: RenderedArticle, items: list[Annotation]) -> list[tuple[int, int, Annotation]]:
    out = []
    for item in items:
        if item.orphan or item.position is None:
            continue
        start, end = item.position.start, item.position.end
        if 0 <= start < end <= len(rendered.text):
            out.append((start, end, item))
    return out
