"""An article rendered for reading and exporting: body HTML, its plain text, the header."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.library.model import Article
from reader.render.markdown_html import render_markdown
from reader.render.plaintext import TextMap

if TYPE_CHECKING:
    from reader.library.formats import PageMap


@dataclass
class RenderedArticle:
    body_html: str  # sanitized
    text: str  # the plain text annotations index into
    headings: list[tuple[int, str, str]]
    notice: str = ""
    #: For an article from a paged source (a PDF): which page each offset of ``text`` is on
    #: (:class:`reader.library.formats.PageMap`: ``page_at(offset)`` the printed label,
    #: ``page_index_at(offset)`` 0-based, ``boundaries()`` for margin labels); else None.
    pages: PageMap | None = None

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def render_article(article: Article) -> RenderedArticle:
    rendered = render_markdown(article.body)
    if rendered.text is not None:
        text = rendered.text
    else:
        text = TextMap.build(rendered.html).text if rendered.html.strip() else ""
    pages = None
    if article.paged:
        from reader.library.formats import page_map

        pages = page_map(article.extracted.document, text, article.extracted.markdown)
    return RenderedArticle(rendered.html, text, rendered.headings, rendered.notice, pages)


def header_html(article: Article) -> str:
    """Title, date, authors, tags and sources, escaped."""
    esc = html.escape
    parts = [f"<h1>{esc(article.title)}</h1>"]
    meta = " · ".join(p for p in [article.date, "、".join(article.authors)] if p)
    if meta:
        parts.append(f'<p class="meta">{esc(meta)}</p>')
    if article.tags:
        parts.append('<p class="tags">' + " ".join(f"#{esc(t)}" for t in article.tags) + "</p>")
    return "".join(parts)


def sources_html(article: Article) -> str:
    if not article.sources:
        return ""
    items = []
    for source in article.sources:
        title = html.escape(source.title)
        if source.url.startswith(("http://", "https://")):
            items.append(f'<li><a href="{html.escape(source.url, quote=True)}">{title}</a></li>')
        else:
            items.append(f"<li>{title}</li>")
    return '<hr><div class="sources"><p>資料來源 Sources</p><ol>' + "".join(items) + "</ol></div>"
