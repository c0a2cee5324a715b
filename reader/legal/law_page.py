"""A law's page: its provisions in order, each with the library's articles that cite it.

The provisions and their text come from the imported law data (``reader laws import``,
:mod:`reader.legal.lawdb`); which articles cite a provision comes from the search index's
``ref`` field (the terms :func:`reader.legal.references.reference_terms` writes:
``PCODE:ARTICLE`` for every citation of that article, at any depth), so a page is a few term
lookups, never a scan of the library. Without the import the page still lists the cited
provisions, without their text. Qt-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reader.legal.lawdb import law_provisions

#: ``PCODE:6`` or ``PCODE:6-1`` (an article, not a paragraph or item below it).
_ARTICLE_TERM = re.compile(r"[^:]+:([^:]+)")


@dataclass
class CitingArticle:
    path: str
    title: str


@dataclass
class ProvisionEntry:
    key: str | None  # the article key ("6", "6-1"); None for a heading
    no: str  # as the law writes it ("第 6 條"), or the heading's text
    text: str  # the provision's text ("" when the laws are not imported)
    heading: bool = False
    citing: list[CitingArticle] = field(default_factory=list)


@dataclass
class LawPage:
    pcode: str
    name: str
    english_name: str
    entries: list[ProvisionEntry]
    imported: bool  # the law's text is in the data folder
    citing_law: list[CitingArticle] = field(default_factory=list)  # every article citing the law

    @property
    def cited_provisions(self) -> int:
        return sum(1 for e in self.entries if e.citing)


def article_label(key: str) -> str:
    """``6`` -> 第 6 條, ``6-1`` -> 第 6 條之 1 (how a provision is named in the page)."""
    main, _, sub = key.partition("-")
    return f"第 {main} 條" + (f"之 {sub}" if sub else "")


def _sort_key(key: str) -> tuple:
    parts = re.findall(r"\d+", key)
    return tuple(int(p) for p in parts) or (10**9,)


def _citing(searcher, term: str) -> list[CitingArticle]:
    from reader.search.postings import posting_cache

    if ("ref", term) not in searcher.reader():
        return []
    out = []
    for docnum in posting_cache(searcher).doc_ids("ref", term).tolist():
        out.append(_citing_article(searcher, docnum))
    out.sort(key=lambda a: (a.title, a.path))
    return out


def _citing_article(searcher, docnum: int) -> CitingArticle:
    """Its path and title (the path when it has none) from the index's heading column."""
    from reader.search.documents import document_heading

    try:
        path, title, _date = document_heading(searcher, docnum)
    except (KeyError, ValueError, TypeError):
        path = searcher.stored_fields(docnum).get("path", "")
        return CitingArticle(path, path)
    return CitingArticle(path, title or path)


def law_page(search_index, data_dir: Path | None, pcode: str, name: str = "") -> LawPage:
    """The page of the law ``pcode`` (``name``: what to call it when it is not imported)."""
    searcher = search_index.searcher()
    cited: dict[str, list[CitingArticle]] = {}
    prefix = f"{pcode}:"
    for raw in searcher.reader().expand_prefix("ref", prefix):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        match = _ARTICLE_TERM.fullmatch(term)
        if match is not None:
            cited[match.group(1)] = _citing(searcher, term)
    provisions = law_provisions(data_dir, pcode) if data_dir is not None else None
    entries: list[ProvisionEntry] = []
    if provisions is not None:
        law_name, english_name, rows = provisions
        for row in rows:
            if row.key is None:
                entries.append(ProvisionEntry(None, row.heading or "", "", heading=True))
            else:
                entries.append(ProvisionEntry(row.key, row.no or article_label(row.key), row.text or "", citing=cited.pop(row.key, [])))
        # Cited provisions the imported text lacks (a wrong number, a repealed article).
        entries += [ProvisionEntry(key, article_label(key), "", citing=arts) for key, arts in sorted(cited.items(), key=lambda kv: _sort_key(kv[0]))]
    else:
        law_name, english_name = name or pcode, ""
        entries = [ProvisionEntry(key, article_label(key), "", citing=arts) for key, arts in sorted(cited.items(), key=lambda kv: _sort_key(kv[0]))]
    return LawPage(pcode, law_name, english_name, entries, provisions is not None, _citing(searcher, pcode))
