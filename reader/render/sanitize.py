"""An allowlist HTML sanitizer (nh3/ammonia): only tags and attributes we know how to show.

Scripts, event handlers, iframes, objects, forms, <style> and <meta> never pass. Links keep
only http(s), mailto and relative targets; images keep only relative sources (the reading
pane later refuses anything outside the library anyway).
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "div": {"class"},
    "span": {"class"},
    "sup": {"class"},
    "li": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        lowered = value.strip().lower()
        # Only relative paths; absolute paths, schemes and protocol-relative URLs go.
        if ":" in lowered.split("/")[0] or lowered.startswith(("/", "\\")):
            return None
    if attribute == "class" and not value.replace("-", "").replace(" ", "").isalnum():
        return None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
