"""Citations rendered by citeproc-py, and "copy with citation".

A citation names the place cited with a CSL locator made from a
:class:`reader.locator.Location`: the page for a paged source (``頁 12`` in the Taiwanese
style, ``p. 12`` in APA), else the paragraph (``第 3 段``, ``para. 3``), else (an offset
inside a heading) the heading as a section.

Each result comes as plain text and as HTML (citeproc-py's HTML formatter: ``<i>`` for
journal titles in APA and Chicago; everything taken from the article is escaped).
"""

from __future__ import annotations

import functools
import html
import json
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from reader.citations.metadata import CitationMeta, metadata
from reader.citations.styles import DEFAULT_STYLE, StyleInfo, StyleProblem, find_style, parsed_style
from reader.locator import Location
from reader.search.folding import is_han

#: citeproc-py sets the output format on the shared parsed style: one rendering at a time.
_RENDERING = threading.Lock()
# Characters HTML needs escaped, carried through citeproc-py (which does not escape the
# item's values) as private-use characters, and replaced by their entities afterwards.
_HIDE = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_SHOW = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}


@dataclass(frozen=True)
class Citation:
    """One citation in one style.

    ``text``/``html``: the citation with its locator as the style cites: for a note style
    (Taiwanese law journals, Chicago notes) the whole footnote; for an in-text style (APA,
    Chicago author-date) the parenthetical citation, ``(王小明, 2024, para. 3)``.
    ``reference_text``/``reference_html``: the entry of the reference list (no locator).
    """

    style: StyleInfo
    text: str
    html: str
    reference_text: str
    reference_html: str

    @property
    def note(self) -> bool:
        return self.style.note

    @property
    def footnote_text(self) -> str:
        """What a footnote holds: the note, or for an in-text style the reference entry
        followed by the parenthetical citation (which carries the locator)."""
        return self.text if self.note else f"{self.reference_text} {self.text}".strip()

    @property
    def footnote_html(self) -> str:
        return self.html if self.note else f"{self.reference_html} {self.html}".strip()


def csl_locator(location: Location | None) -> tuple[str, str] | None:
    """The CSL locator (label, value) of a location: the page, else the paragraph, else the
    heading as a section; None when there is nothing to point at."""
    if location is None:
        return None
    if location.page is not None:
        return ("page", str(location.page))
    if location.paragraph is not None:
        return ("paragraph", str(location.paragraph))
    if location.heading:
        return ("section", location.heading)
    return None


def _as_meta(meta) -> CitationMeta:
    if isinstance(meta, CitationMeta):
        return meta
    if isinstance(meta, dict):
        return metadata(None, meta)
    return metadata(meta)


def _hidden(value):
    if isinstance(value, str):
        for char, mark in _HIDE.items():
            value = value.replace(char, mark)
        return value
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    if isinstance(value, dict):
        return {k: _hidden(v) for k, v in value.items()}
    return value


def _shown(text: str) -> str:
    for mark, entity in _SHOW.items():
        text = text.replace(mark, entity)
    return text


#: Locators are rendered as this number and the real value put in its place afterwards: the
#: same (numeric, singular) kind of value, so the style chooses the same words, and an
#: article's citations are rendered once per kind of locator instead of once per place.
_PLACEHOLDER = "987654321"


def _render(info: StyleInfo, item: dict, location: Location | None, as_html: bool) -> tuple[str, str]:
    locator = csl_locator(location)
    item_json = json.dumps(item, sort_keys=True, ensure_ascii=False)
    if locator is None:
        return _render_cached(info, item_json, None, None, as_html)
    label, value = locator
    if value.isdigit():
        cited, reference = _render_cached(info, item_json, label, _PLACEHOLDER, as_html)
        if cited.count(_PLACEHOLDER) == 1:
            return cited.replace(_PLACEHOLDER, value), reference
    return _render_cached(info, item_json, label, value, as_html)


@functools.lru_cache(maxsize=512)
def _render_cached(info: StyleInfo, item_json: str, label: str | None, value: str | None, as_html: bool) -> tuple[str, str]:
    """(the citation, the reference entry). The entry is made from a citation without a
    locator: citeproc-py lets a registered citation's locator into the bibliography."""
    cited, _ = _citeproc(info, item_json, label, value, as_html)
    if label is None:
        return cited, _
    return cited, _render_cached(info, item_json, None, None, as_html)[1]


def _citeproc(info: StyleInfo, item_json: str, label: str | None, value: str | None, as_html: bool) -> tuple[str, str]:
    style = parsed_style(info)  # StyleProblem when citeproc-py is missing or cannot read it
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography, Locator, formatter
    from citeproc.source.json import CiteProcJSON

    item = json.loads(item_json)
    source_item = _hidden(item) if as_html else item
    with _RENDERING, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about what it does not support
        try:
            source = CiteProcJSON([source_item])
            bibliography = CitationStylesBibliography(style, source, formatter.html if as_html else formatter.plain)
            if label is not None and value is not None:
                cite_item = CitationItem(item["id"], locator=Locator(label, _hidden(value) if as_html else value))
            else:
                cite_item = CitationItem(item["id"])
            citation = CslCitation([cite_item])
            bibliography.register(citation)
            cited = str(bibliography.cite(citation, lambda _item: None))
            entries = [str(entry) for entry in bibliography.bibliography()] if style.has_bibliography() else []
        except StyleProblem:
            raise
        except Exception as exc:  # a style using what citeproc-py cannot render
            raise StyleProblem(f"the style could not format this article ({type(exc).__name__}: {exc})", info.path) from None
    reference = entries[0] if entries else ""
    if as_html:
        cited, reference = _shown(cited), _shown(reference)
    return " ".join(cited.split()), " ".join(reference.split())


def citation(meta, style: str | StyleInfo = DEFAULT_STYLE, locator: Location | None = None, user_dir: Path | None = None) -> Citation:
    """``meta`` (a :class:`CitationMeta`, an Article, or the metadata dict) cited in
    ``style`` (a name, an alias, a ``.csl`` path, or a :class:`StyleInfo`) at ``locator``."""
    info = style if isinstance(style, StyleInfo) else find_style(style, user_dir)
    item = _as_meta(meta).to_csl("item")
    text, reference_text = _render(info, item, locator, False)
    marked, reference_html = _render(info, item, locator, True)
    return Citation(info, text, marked, reference_text, reference_html)


def cite(meta, style: str | StyleInfo = DEFAULT_STYLE, locator: Location | None = None, user_dir: Path | None = None) -> tuple[str, str]:
    """(plain text, HTML) of the citation with its locator (see :class:`Citation`)."""
    made = citation(meta, style, locator, user_dir)
    return made.text, made.html


def copy_with_citation(quote: str, meta, style: str | StyleInfo = DEFAULT_STYLE, locator: Location | None = None, user_dir: Path | None = None) -> tuple[str, str]:
    """What "Copy with citation" puts on the clipboard: (plain text, HTML).

    A note style: the quote in 「」 (“” when it has no Chinese), then the footnote's text on the next line. An in-text
    style: the quote in 「」 followed by the parenthetical citation, then a blank line and
    the reference entry. The HTML is the same as a quotation and paragraphs."""
    made = citation(meta, style, locator, user_dir)
    quote = " ".join(quote.split())
    shown = f"「{quote}」" if any(is_han(c) for c in quote) else f"“{quote}”"
    shown_html = html.escape(shown)
    if made.note:
        plain = f"{shown}\n{made.text}\n"
        rich = f"<blockquote><p>{shown_html}</p></blockquote>\n<p>{made.html}</p>\n"
    else:
        plain = f"{shown} {made.text}\n\n{made.reference_text}\n"
        rich = f"<blockquote><p>{shown_html} {made.html}</p></blockquote>\n<p>{made.reference_html}</p>\n"
    return plain, rich
