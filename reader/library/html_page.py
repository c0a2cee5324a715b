"""Reduce an HTML page to its article and convert it to Markdown.

readability-lxml finds the main content (it drops navigation, sidebars and adverts);
markdownify turns the remaining HTML into Markdown. Scripts and styles never survive.

Deeply nested pages keep their text at any depth. libxml2 stops parsing at 256 levels (2048
with ``huge_tree``) and leaves an empty body; markdownify recurses once per level. So the
page is parsed with ``huge_tree``; a page deeper than even that is first made shallower by a
tokenizer (:func:`shallow_html`); and every element deeper than :data:`MAX_DEPTH` is flattened
into its text, with line breaks where block elements began and ended.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reader.library.model import Article
from reader.render.html_chunks import VOID_ELEMENTS

#: Elements deeper than this (counted from ``<html>``) are flattened into their text.
MAX_DEPTH = 100
#: What the tokenizer keeps of a page libxml2 cannot parse even with ``huge_tree``.
_TOKEN_DEPTH = 200
_VOID = VOID_ELEMENTS | {"base"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br",
}
#: Start tags that end an open element of the same name (``<p>a<p>b``, ``<li>``), as HTML does.
_SELF_ENDING = {"p", "li", "dt", "dd", "option", "tr", "td", "th"}

_META_DATE = ("article:published_time", "date", "pubdate", "dc.date", "publishdate")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _meta(tree, names: tuple[str, ...]) -> str:
    for name in names:
        for attr in ("name", "property"):
            found = tree.xpath(f'//meta[translate(@{attr}, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")="{name}"]/@content')
            if found and found[0].strip():
                return found[0].strip()
    return ""


class _Shallower(HTMLParser):
    """Re-emits a page with every element deeper than ``limit`` replaced by its content (and
    a ``<br>`` for a block element), so libxml2 can parse it. The depth is counted from the
    tags as written; it can only be more than libxml2's, which closes some elements itself."""

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit = limit
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, kept)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _VOID:
            self.out.append(self.get_starttag_text() or "")
            return
        if tag in _SELF_ENDING and self.open and self.open[-1][0] == tag:
            self._close(1)
        kept = len(self.open) < self.limit
        self.out.append((self.get_starttag_text() or "") if kept else ("<br>" if tag in _BLOCK else ""))
        self.open.append((tag, kept))

    def handle_startendtag(self, tag: str, attrs) -> None:
        kept = len(self.open) < self.limit or tag in _VOID
        self.out.append((self.get_starttag_text() or "") if kept else ("<br>" if tag in _BLOCK else ""))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                self._close(len(self.open) - i)
                return
        if len(self.open) < self.limit:
            self.out.append(f"</{tag}>")

    def _close(self, count: int) -> None:
        for _ in range(count):
            tag, kept = self.open.pop()
            self.out.append(f"</{tag}>" if kept else ("<br>" if tag in _BLOCK else ""))

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def shallow_html(text: str, limit: int = _TOKEN_DEPTH) -> str:
    """``text`` with no element nested deeper than ``limit``; every character of text is kept."""
    parser = _Shallower(limit)
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


def _parse(text: str):
    """The page's tree at any depth (see the module's docstring)."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    tree = lxml.html.document_fromstring(text, parser=parser)
    if any("depth" in error.message.lower() for error in parser.error_log):
        tree = lxml.html.document_fromstring(shallow_html(text), parser=lxml.html.HTMLParser(huge_tree=True))
    return tree


def _flatten_deep(tree, depth: int = MAX_DEPTH) -> bool:
    """Replace the content of every element at ``depth`` by its text (a ``<br>`` where a block
    element began or ended). Iterative: no recursion, whatever the depth. True if any was."""
    from lxml import etree

    deep = tree.xpath("/*" * depth + "[*]")
    for element in deep:
        pieces: list[str] = [element.text or ""]
        for event, node in etree.iterwalk(element, events=("start", "end")):
            if node is element:
                continue
            named = isinstance(node.tag, str)
            if event == "start":
                if named and node.tag.lower() in _BLOCK:
                    pieces.append("\n")
                if named and node.tag.lower() not in ("script", "style", "template"):
                    pieces.append(node.text or "")
            else:
                if named and node.tag.lower() in _BLOCK:
                    pieces.append("\n")
                pieces.append(node.tail or "")
        for child in list(element):
            element.remove(child)
        lines = re.split(r"\n(?:\s*\n)*", "".join(pieces))
        element.text = lines[0]
        for line in lines[1:]:
            etree.SubElement(element, "br").tail = line
    return bool(deep)


def convert_html(text: str, path: str = "") -> Article:
    import lxml.html
    from markdownify import markdownify
    from readability import Document

    article = Article(path=path)
    if not text.strip():
        return article
    try:
        tree = _parse(text)
    except (ValueError, lxml.etree.ParserError):  # "<?" and other pages with no document
        article.problems.append("not an HTML page: no document could be read from it")
        return article
    flattened = _flatten_deep(tree)
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
    whole = tree.body if tree.body is not None else tree
    if marked:
        # The page says where its article is: trust it over readability's guess.
        content = lxml.html.tostring(marked[0], encoding="unicode")
    elif flattened:
        # Pages this deep are not laid out like articles; readability's guess loses text.
        content = lxml.html.tostring(whole, encoding="unicode")
    else:
        cleaned = lxml.html.tostring(tree, encoding="unicode")
        try:
            content = Document(cleaned).summary(html_partial=True)
        except Exception:  # readability gives up on odd pages; the whole body is then the article
            content = lxml.html.tostring(whole, encoding="unicode")
        else:
            if _drops_tables(whole, content):
                # Its heuristic scores short pages' tables as clutter: a table of the page's
                # text is never dropped silently, so the page is kept whole.
                content = lxml.html.tostring(whole, encoding="unicode")
    body = _markdown(markdownify, content)
    if not body and whole.text_content().strip():
        # readability found nothing it liked in a page that has text: keep the whole page.
        body = _markdown(markdownify, lxml.html.tostring(whole, encoding="unicode"))
    if article.title:
        # readability keeps the <h1>; the title lives in front matter, not twice in the body.
        body = re.sub(r"\A#\s+" + re.escape(article.title) + r"\s*\n", "", body).strip()
    article.body = body
    return article


def _drops_tables(whole, content: str) -> bool:
    import lxml.html

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    tables = [squeeze(t.text_content()) for t in whole.iter("table")]
    tables = [t for t in tables if t]
    if not tables:
        return False
    try:
        kept = squeeze(lxml.html.fromstring(content).text_content()) if content.strip() else ""
    except (ValueError, lxml.etree.ParserError):
        return True
    return any(t[:40] not in kept for t in tables)


def _markdown(markdownify, content: str) -> str:
    body = markdownify(content, heading_style="ATX", bullets="-", strip=["img", "script", "style"])
    return re.sub(r"\n{3,}", "\n\n", body).strip()
