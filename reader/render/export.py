"""A standalone HTML page of an article with its highlights marked and notes as footnotes.

The page is self-contained: opened in a browser, it loads nothing. Images the article may
show (the rule of :mod:`reader.render.resources`, the reading pane's) are embedded as
``data:`` URIs; any other image is left out and says so in its place; no other element or
attribute that makes a browser fetch something (``srcset``, ``style`` with ``url()``,
``<link>``, ``<object>``, ...) is kept, whatever got past the sanitizer.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from reader.render.article import RenderedArticle, header_html, sources_html
from reader.render.plaintext import TextMap
from reader.render.resources import MAX_IMAGE_BYTES, image_data_uri, library_image
from reader.render.themes import stylesheet

#: Images embedded in one page, in all (each at most MAX_IMAGE_BYTES): beyond, they are left out.
MAX_PAGE_IMAGE_BYTES = 8 * MAX_IMAGE_BYTES
DEFAULT_MARK = "#ffe066"
_CSS_COLOR = re.compile(r"^(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30})$")
_MARK_STYLE = re.compile(r"^background-color: (?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30})$")
#: Elements that load something or run something: removed with their content.
_DROP = {
    "script", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed",
    "applet", "param", "video", "audio", "source", "track", "svg", "math", "canvas", "form",
    "input", "button", "select", "textarea", "noscript", "template", "portal", "image", "use",
}
#: Attributes that make a browser fetch something (besides src, href and style, handled apart).
_FETCHING = {
    "srcset", "imagesrcset", "poster", "background", "lowsrc", "dynsrc", "data", "codebase",
    "archive", "longdesc", "formaction", "action", "ping", "manifest", "xlink:href", "usemap",
    "profile", "icon", "itemtype", "cite",
}
_LINK_SCHEMES = ("http://", "https://", "mailto:")


def body_with_highlights(rendered: RenderedArticle, ranges: list[tuple[int, int, str, str]]) -> tuple[str, list[str]]:
    """(HTML, footnotes). ``ranges`` are (start, end, css colour, note)."""
    if not ranges:
        return rendered.body_html, []
    tmap = TextMap.build(rendered.body_html)
    notes: list[str] = []
    marks = []
    for start, end, color, note in sorted(ranges):
        # A colour is a store value (an import may have set it): only a plain CSS colour is
        # written into the style, never anything that could name a resource.
        attrs = {"style": f"background-color: {color if _CSS_COLOR.match(color or '') else DEFAULT_MARK}"}
        if note:
            notes.append(note)
            attrs["data-note"] = str(len(notes))
        marks.append((start, end, attrs))
    marked = tmap.mark(marks)
    if notes:
        import lxml.html

        root = lxml.html.fragment_fromstring(marked, create_parent="div")
        last: dict[str, object] = {}
        for element in root.iter("mark"):
            if element.get("data-note"):
                last[element.get("data-note")] = element
        for number, element in last.items():
            sup = lxml.html.fromstring(f'<sup><a href="#note-{number}" id="ref-{number}">{number}</a></sup>')
            sup.tail = element.tail
            element.tail = None
            element.addnext(sup)
        marked = (root.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in root)
    return marked, notes


def article_page(
    article,
    rendered: RenderedArticle,
    ranges: list[tuple[int, int, str, str]],
    theme: str = "light",
    library: Path | None = None,
    base: Path | None = None,
) -> str:
    """The page. Images are embedded when they are files of ``library`` the article (in the
    folder ``base``) may show; without a library, none are."""
    return export_page(article, rendered, ranges, theme, library, base)[0]


def export_page(
    article,
    rendered: RenderedArticle,
    ranges: list[tuple[int, int, str, str]],
    theme: str = "light",
    library: Path | None = None,
    base: Path | None = None,
) -> tuple[str, list[str]]:
    """(the page, the image references left out of it)."""
    body, notes = body_with_highlights(rendered, ranges)
    footnotes = ""
    if notes:
        items = "".join(f'<li id="note-{i}">{html.escape(n)} <a href="#ref-{i}">↩</a></li>' for i, n in enumerate(notes, 1))
        footnotes = f'<hr><div class="footnotes"><ol>{items}</ol></div>'
    notice = f'<p class="notice">{html.escape(rendered.notice)}</p>' if rendered.notice else ""
    lang = html.escape(article.lang or "zh-Hant", quote=True)
    content, left_out = self_contained(f"{header_html(article)}{notice}{body}{footnotes}{sources_html(article)}", library, base)
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(article.title)}</title>'
        f"<style>{stylesheet(theme)} body {{ max-width: 42em; margin: 2em auto; padding: 0 1em; }}"
        f" .image-missing {{ font-size: 0.85em; }}</style></head><body>"
        f"{content}</body></html>\n"
    )
    return page, left_out


def self_contained(fragment: str, library: Path | None, base: Path | None) -> tuple[str, list[str]]:
    """``fragment`` (HTML) with its library images embedded and everything else that would
    load a resource removed; also the image references that were left out."""
    if "<" not in fragment:
        return fragment, []
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=parser)
    left_out: list[str] = []
    embedded: dict[Path, str] = {}
    budget = MAX_PAGE_IMAGE_BYTES
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # a comment or processing instruction
            element.drop_tree()
            continue
        tag = element.tag.lower()
        if tag in _DROP:
            element.drop_tree()
            continue
        for name in list(element.attrib):
            if _unwanted(tag, name.lower(), element.attrib[name]):
                del element.attrib[name]
        if tag != "img":
            continue
        reference = element.get("src", "")
        uri = None
        target = library_image(library, base, reference) if reference else None
        if target is not None:
            uri = embedded.get(target) or image_data_uri(library, base, reference)
            if uri is not None and len(uri) > budget:
                uri = None
        if uri is None:
            left_out.append(reference)
            _replace_with_notice(element)
            continue
        embedded[target] = uri
        budget -= len(uri)
        element.set("src", uri)
    out = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return out, left_out


def _unwanted(tag: str, name: str, value: str) -> bool:
    """Whether the attribute could make a browser fetch or run something."""
    if name.startswith("on") or name in _FETCHING or ":" in name:
        return True
    if name == "style":
        return not (tag == "mark" and _MARK_STYLE.match(value))
    if name == "href":
        return not (tag == "a" and _safe_link(value))
    return name == "src" and tag != "img"


def _safe_link(value: str) -> bool:
    """A link a reader may click: web, mail, a place in the page, or a relative path (links
    are followed only on a click, never loaded)."""
    lowered = value.strip().lower()
    if lowered.startswith(_LINK_SCHEMES) or lowered.startswith("#"):
        return True
    return not lowered.startswith(("/", "\\")) and ":" not in lowered.split("/")[0]


def _replace_with_notice(image) -> None:
    """An image that is not embedded: said in its place, with its description."""
    import lxml.html

    alt = (image.get("alt") or "").strip()
    notice = lxml.html.Element("span", {"class": "image-missing"})
    notice.text = "〔圖片未顯示 image not shown" + (f": {alt}" if alt else "") + "〕"
    notice.tail = image.tail
    image.getparent().replace(image, notice)
