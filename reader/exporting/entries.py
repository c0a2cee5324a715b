"""What every export writes: entries (a highlight, a note, a passage) grouped by article,
each located (:mod:`reader.locator`) and cited (:mod:`reader.citations`).

Built once from annotations or from passages; the Markdown, Word and CSV writers only lay
them out, so the three say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.annotations.validation import tag_key
from reader.citations import DEFAULT_STYLE, Citation, StyleInfo, citation, find_style, metadata
from reader.locator import Location, Locator, PageAt

HIGHLIGHT = "highlight"
ARTICLE_NOTE = "article_note"
PASSAGE = "passage"
#: Rendered articles by path, or None to render them here (exports render each article once).
RenderedFor = Callable[[str], object]
PagesFor = Callable[[str, object], "PageAt | None"]


@dataclass
class Entry:
    kind: str  # highlight | article_note | passage
    quote: str  # the highlighted text, or the passage with its context ("" for a note)
    note: str = ""
    color: str = ""  # the colour's name as the user sees it
    color_key: str = ""
    tags: list[str] = field(default_factory=list)
    location: Location | None = None
    citation: Citation | None = None  # with the locator
    created: str = ""
    modified: str = ""
    state: str = ""  # exact | moved | fuzzy | orphan (annotations)
    id: str = ""
    start: int | None = None
    end: int | None = None
    match: str = ""  # passages: the match itself
    match_at: int | None = None  # passages: where the match begins in ``quote``

    @property
    def locator_text(self) -> str:
        return self.location.describe() if self.location is not None else ""

    @property
    def detached(self) -> bool:
        return self.state == "orphan"


@dataclass
class Group:
    """One article and its entries, in the order of the text."""

    path: str
    title: str
    date: str = ""
    url: str = ""
    reference: Citation | None = None  # the article cited without a locator
    entries: list[Entry] = field(default_factory=list)


#: The words an export writes around the entries (the window gives them in its language).
LABELS = {
    "title": "Annotations",
    "citation_style": "Citation style: {style}",
    "article_note": "Note on the article:",
    "detached": "detached: the quote is no longer in the article",
    "reattached": "re-attached ({state})",
}


@dataclass
class Built:
    title: str
    style: StyleInfo
    groups: list[Group]
    kind: str  # "annotations" | "passages"
    query: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # over LABELS

    def label(self, key: str, **values: str) -> str:
        text = self.labels.get(key) or LABELS[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    @property
    def count(self) -> int:
        return sum(len(g.entries) for g in self.groups)


def _style(style: str | StyleInfo, user_styles: Path | None) -> StyleInfo:
    return style if isinstance(style, StyleInfo) else find_style(style or DEFAULT_STYLE, user_styles)


def _rendered(article, rendered_for: RenderedFor | None, path: str):
    if rendered_for is not None:
        made = rendered_for(path)
        if made is not None:
            return made
    from reader.render.article import render_article

    return render_article(article)


def tags_of(item, tags: dict[str, list[str]] | None = None) -> list[str]:
    """An annotation's tags: its ``tags`` attribute, else ``tags[its id]``."""
    own = getattr(item, "tags", None)
    if own:
        return [str(t) for t in own]
    return list((tags or {}).get(item.id, []))


def select(items: Iterable, colors: dict[str, str] | None = None, *, only_colors: Iterable[str] | None = None, only_tags: Iterable[str] | None = None, tags: dict[str, list[str]] | None = None) -> list:
    """The annotations an export keeps: of one of ``only_colors`` (colour keys or the names
    shown; a note on the article has no colour, so a colour filter leaves notes out), with
    at least one of ``only_tags`` (compared as :func:`~reader.annotations.validation.tag_key`
    does: AI = ai). None means no filter."""
    colors = colors or {}
    wanted_colors = None if only_colors is None else set(only_colors)
    wanted_tags = None if only_tags is None else {tag_key(t.strip()) for t in only_tags}
    out = []
    for item in items:
        if wanted_colors is not None and (item.kind != HIGHLIGHT or (item.color not in wanted_colors and colors.get(item.color, item.color) not in wanted_colors)):
            continue
        if wanted_tags is not None and not wanted_tags.intersection(tag_key(t) for t in tags_of(item, tags)):
            continue
        out.append(item)
    return out


def build_annotations(
    items: Iterable,
    articles: dict,
    style: str | StyleInfo = DEFAULT_STYLE,
    colors: dict[str, str] | None = None,
    *,
    only_colors: Iterable[str] | None = None,
    only_tags: Iterable[str] | None = None,
    tags: dict[str, list[str]] | None = None,
    extra_metadata: dict[str, dict] | None = None,
    rendered_for: RenderedFor | None = None,
    pages: PagesFor | None = None,
    user_styles: Path | None = None,
    title: str = "Annotations",
    labels: dict[str, str] | None = None,
) -> Built:
    """Entries of annotations (:class:`reader.annotations.store.Annotation`), filtered.

    ``articles`` maps article paths to :class:`~reader.library.model.Article` (an article
    missing from it is exported under its path, without locators or citation); ``colors``
    maps colour keys to the names shown; ``only_colors`` keeps annotations of those colours
    (keys or names), ``only_tags`` those with at least one of the tags (an annotation's tags
    are its ``tags`` attribute, or ``tags[annotation id]``); ``extra_metadata[path]`` is the
    citation metadata dict of an article (journal, volume, pages, url…)."""
    info = _style(style, user_styles)
    colors = colors or {}
    by_article: dict[str, list] = {}
    for item in select(items, colors, only_colors=only_colors, only_tags=only_tags, tags=tags):
        by_article.setdefault(item.article, []).append((item, tags_of(item, tags)))
    groups = []
    for path, pairs in by_article.items():
        article = articles.get(path)
        meta = metadata(article, (extra_metadata or {}).get(path))
        if not meta.title:
            meta.title = path
        group = Group(path, meta.title, meta.date, meta.url, citation(meta, info, None))
        locator = None
        if article is not None and any(item.position is not None and not item.orphan for item, _ in pairs):
            rendered = _rendered(article, rendered_for, path)
            locator = Locator.for_rendered(rendered, pages(path, rendered) if pages is not None else None)
        pairs.sort(key=lambda pair: (pair[0].kind != ARTICLE_NOTE, pair[0].orphan, pair[0].position.start if pair[0].position else 0, pair[0].created))
        for item, item_tags in pairs:
            location = None
            if locator is not None and item.position is not None and not item.orphan and 0 <= item.position.start <= len(locator.text):
                location = locator.at(item.position.start)
            group.entries.append(Entry(
                kind=item.kind,
                quote=item.quote.exact if item.quote is not None else "",
                note=item.note or "",
                color=colors.get(item.color, item.color) if item.kind == HIGHLIGHT else "",
                color_key=item.color if item.kind == HIGHLIGHT else "",
                tags=item_tags,
                location=location,
                citation=citation(meta, info, location),
                created=item.created,
                modified=item.modified,
                state=item.state,
                id=item.id,
                start=item.position.start if item.position is not None else None,
                end=item.position.end if item.position is not None else None,
            ))
        groups.append(group)
    groups.sort(key=lambda g: (g.title, g.path))
    return Built(title, info, groups, "annotations", labels=dict(labels or {}))


def build_passages(
    articles: Iterable,
    loaded: dict,
    style: str | StyleInfo = DEFAULT_STYLE,
    *,
    query: str = "",
    extra_metadata: dict[str, dict] | None = None,
    user_styles: Path | None = None,
    title: str = "",
) -> Built:
    """Entries of passages: ``articles`` are :class:`reader.search.passages.ArticlePassages`
    (resolved), in the order to export; ``loaded`` maps paths to their Article (for the
    citation; a missing one is cited by its title from the search)."""
    info = _style(style, user_styles)
    groups = []
    for found in articles:
        if not found.passages:
            continue
        meta = metadata(loaded.get(found.path), (extra_metadata or {}).get(found.path))
        if not meta.title:
            meta.title = found.title or found.path
        group = Group(found.path, meta.title, meta.date, meta.url, citation(meta, info, None))
        for passage in found.passages:
            before = passage.before.replace("\n", " ").lstrip()
            quote = before + (passage.match + passage.after).replace("\n", " ").rstrip()
            location = passage.location
            group.entries.append(Entry(
                kind=PASSAGE,
                quote=quote,
                location=location,
                citation=citation(meta, info, location),
                start=passage.start,
                end=passage.end,
                match=passage.match,
                match_at=len(before),
            ))
        groups.append(group)
    return Built(title or (f"「{query}」" if query else "Passages"), info, groups, "passages", query)


def summary(built: Built) -> str:
    """The header line of a passages export: 1,234 處，87 篇文章."""
    return f"{built.count:,} 處，{len(built.groups):,} 篇文章"
