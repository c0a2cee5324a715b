"""What a citation needs to know about an article, as a CSL-JSON item.

An article's own metadata (:class:`reader.library.model.Article`: title, date, authors) is
completed by its ``publication`` (journal, volume, issue, pages, url: from its front matter or
the details edited in the window, :mod:`reader.library.metadata_edits`) and by a metadata
dict, which wins over both. Keys of that dict (unknown keys are ignored; an empty value
leaves the article's own):

===============  =========================================================================
``title``        the article's title
``authors``      a list of names (or one text, names separated by 、 ， ; ； or newlines)
``date``         publication date: ``2024``, ``2024-07``, ``2024-07-15`` (also ``/``)
``journal``      the journal (or ``publication``, ``container_title``)
``volume``       ``issue``  ``pages`` (``45-60``, or ``page``)
``publisher``    the publisher or, for a web page, the site (``site``)
``url``          the article's address (``URL``, ``source_url``)
``accessed``     the date the address was last visited (web sources)
``type``         a CSL type; by default ``article-journal`` with a journal, ``webpage``
                 with an address or without a journal
===============  =========================================================================

The article's ``sources`` are *not* used as its address: in the library they are the
works it draws on (資料來源), not where the article itself was published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ALIASES = {
    "title": "title",
    "authors": "authors", "author": "authors",
    "date": "date", "issued": "date",
    "journal": "journal", "publication": "journal", "container_title": "journal", "container-title": "journal",
    "volume": "volume", "issue": "issue",
    "pages": "pages", "page": "pages",
    "publisher": "publisher", "site": "publisher",
    "url": "url", "URL": "url", "source_url": "url",
    "accessed": "accessed",
    "type": "type",
}
_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*$")
_NAME_SPLIT = re.compile(r"[、，;；\n]+")  # not the ASCII comma: "Smith, John" is one name
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "book", "chapter",
    "legal_case", "legislation", "report", "thesis", "webpage", "post", "post-weblog", "document",
}


@dataclass
class CitationMeta:
    """The fields a citation is made of (strings; "" when unknown)."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    url: str = ""
    accessed: str = ""
    type: str = ""
    path: str = ""  # the article in the library (the item's id)

    @property
    def csl_type(self) -> str:
        if self.type in CSL_TYPES:
            return self.type
        if self.journal:
            return "article-journal"
        # Neither: "webpage" too. CSL's "article" is a preprint (Chicago prints "Preprint"),
        # "document" has no bibliography entry in Chicago; a library's articles without a
        # journal are nearly all pages saved from the web.
        return "webpage"

    def to_csl(self, item_id: str = "item") -> dict:
        """The CSL-JSON item (names as literals: Chinese names are not split)."""
        item: dict = {"id": item_id, "type": self.csl_type}
        if self.title:
            item["title"] = self.title
        if self.authors:
            item["author"] = [{"literal": name} for name in self.authors]
        for key, csl in (("journal", "container-title"), ("volume", "volume"), ("issue", "issue"), ("pages", "page"), ("publisher", "publisher"), ("url", "URL")):
            value = getattr(self, key)
            if value:
                item[csl] = value
        if self.csl_type == "webpage" and self.publisher and not self.journal:
            item["container-title"] = self.publisher  # the site's name
            item.pop("publisher")
        for key, csl in (("date", "issued"), ("accessed", "accessed")):
            parts = date_parts(getattr(self, key))
            if parts:
                item[csl] = {"date-parts": [parts]}
        return item


def date_parts(text: str) -> list[int]:
    """``2024-07-15`` -> [2024, 7, 15]; ``2024/7`` -> [2024, 7]; [] when it is no date."""
    match = _DATE.match(text or "")
    if not match:
        return []
    parts = [int(p) for p in match.groups() if p]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        items = _NAME_SPLIT.split(value)
    elif isinstance(value, (list, tuple)):
        items = [v for v in value if isinstance(v, str)]
    else:
        return []
    return [n for n in (" ".join(item.split()) for item in items) if n]


def metadata(article=None, extra: dict | None = None) -> CitationMeta:
    """The citation metadata of ``article`` (an :class:`~reader.library.model.Article`, or
    None), with ``extra`` (the metadata dict above) taking precedence."""
    meta = CitationMeta()
    if article is not None:
        meta.title = _text(getattr(article, "title", ""))
        meta.authors = _names(list(getattr(article, "authors", []) or []))
        meta.date = _text(getattr(article, "date", ""))
        meta.path = _text(getattr(article, "path", ""))
    # The article's own publication (its front matter, or the details edited in the window),
    # then ``extra`` over it.
    for values in (getattr(article, "publication", None), extra):
        if isinstance(values, dict):
            _apply(meta, values)
    return meta


def _apply(meta: CitationMeta, values: dict) -> None:
    for key, value in values.items():
        name = _ALIASES.get(key)
        if name is None:
            continue
        if name == "authors":
            names = _names(value)
            if names:
                meta.authors = names
        else:
            text = _text(value)
            if text:
                setattr(meta, name, text)
