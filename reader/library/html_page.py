"""Reduce an HTML page to its article and convert it to Markdown.

readability-lxml finds the main content (it drops navigation, sidebars and adverts);
markdownify turns the remaining HTML into Markdown. Scripts and styles never survive.
"""

from __future__ import annotations

import re

from reader.library.model import Article

_META_DATE = ("article:published_time", "date", "pubdate", "dc.date", "publishdate")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _meta(tree, names: tuple[str, ...]) -> str:
    for name in names:
        for attr in ("name", "property"):
            found = tree.xpath(f'//meta[translate(@{attr}, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")="{name}"]/@content')
            if found and found[0].strip():
                return found[0].strip()
    return ""


def convert_html(text: str, path: str = "") -> Article:
    import lxml.html
    from markdownify import markdownify
    from readability import Document

    article = Article(path=path)
    if not text.strip():
        return article
    tree = lxml.html.document_fromstring(text)
    for bad in tree.xpath("//script|//style|//noscript|//template|//iframe|//object|//form"):
        bad.drop_tree()
    heading = tree.xpath("string(//h1)").strip()
    title = tree.xpath("string(//title)").strip()
    article.title = heading or title
    date = _ISO_DATE.search(_meta(tree, _META_DATE))
    if date:
        article.date = "-".join(part for part in date.groups() if part)
    author = _meta(tree, ("author", "article:author", "dc.creator"))
    if author:
        article.authors = [author]
    keywords = _meta(tree, ("keywords", "news_keywords"))
    if keywords:
        article.tags = [k.strip() for k in re.split(r"[,，、]", keywords) if k.strip()]

    for chrome in tree.xpath("//nav|//header|//footer|//aside"):
        chrome.drop_tree()
    marked = tree.xpath("//article|//main|//*[@role='main']")
    if marked:
        # The page says where its article is: trust it over readability's guess.
        content = lxml.html.tostring(marked[0], encoding="unicode")
    else:
        cleaned = lxml.html.tostring(tree, encoding="unicode")
        try:
            content = Document(cleaned).summary(html_partial=True)
        except Exception:  # readability gives up on odd pages; the whole body is then the article
            content = lxml.html.tostring(tree.body if tree.body is not None else tree, encoding="unicode")
    body = markdownify(content, heading_style="ATX", bullets="-", strip=["img", "script", "style"])
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    if article.title:
        # readability keeps the <h1>; the title lives in front matter, not twice in the body.
        body = re.sub(r"\A#\s+" + re.escape(article.title) + r"\s*\n", "", body).strip()
    article.body = body
    return article
