"""References in the reading pane: found with the article, drawn as links, explained on hover.

The article's references (:func:`reader.legal.references.find_references`) and the texts of
the provisions they cite (``laws.sqlite3``, :func:`reader.legal.lawdb.provision_texts`) are
looked up on the loader thread with the article (:func:`article_references`), so hovering
never waits for a database. The links are character formats merged over the built document
(:func:`apply_reference_links`): an anchor ``ref:N`` (N: the reference's number in the
article) with a dotted underline in the theme's link colour. The document's text is not
changed, so the plain-text offsets highlights and matches use, and the text mapping, stay
as they are.
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

from reader.render.themes import THEMES
from reader.ui.i18n import tr

REF_SCHEME = "ref"
#: The longest provision text a tooltip shows (the References panel shows it all).
TOOLTIP_CHARS = 700
#: Texts longer than this are not searched for references (a 10 MB log is no legal article,
#: and recognition runs at a few MB a second).
MAX_TEXT_CHARS = 3_000_000


@dataclass
class ArticleReferences:
    """An article's references and what the law library says of them (plain values, made on
    the loader thread). ``provisions``: (pcode, article key or None) -> (name, English name,
    text or None); ``laws_imported``: whether ``laws.sqlite3`` exists; ``problem``: one line
    when the references or the law library could not be read."""

    refs: list = field(default_factory=list)
    provisions: dict = field(default_factory=dict)
    laws_imported: bool = False
    problem: str = ""


def article_references(text: str, data_dir: Path | None) -> ArticleReferences:
    """Find the references of ``text`` and look up the provisions they cite; never raises."""
    from reader.legal.lawdb import database_path, provision_texts
    from reader.legal.references import find_references
    from reader.ui.workers import error_line

    out = ArticleReferences()
    if len(text) > MAX_TEXT_CHARS:
        return out
    try:
        out.refs = find_references(text)
    except Exception as exc:  # noqa: BLE001 — recognition must never stop an article opening
        out.problem = tr("References not recognised: ") + error_line(exc)
        return out
    wanted = [(r.pcode, r.article) for r in out.refs if r.kind == "statute" and r.pcode]
    wanted += [(pcode, None) for pcode, _ in list(wanted)]
    if data_dir is None or not wanted:
        out.laws_imported = data_dir is not None and database_path(Path(data_dir)).exists()
        return out
    try:
        found = provision_texts(data_dir, wanted)
    except Exception as exc:  # noqa: BLE001 — a damaged laws.sqlite3 is said, the links stay
        out.problem = error_line(exc)
        return out
    out.laws_imported = found is not None
    out.provisions = found or {}
    return out


def ref_href(number: int) -> str:
    return f"{REF_SCHEME}:{number}"


def ref_number(href: str) -> int | None:
    """The reference number of a ``ref:N`` link, or None for any other link."""
    scheme, _, rest = href.partition(":")
    return int(rest) if scheme == REF_SCHEME and rest.isdigit() else None


def _escape(text: str) -> str:
    return _html.escape(text, quote=False)


def link_color(theme: str) -> QColor:
    return QColor(THEMES.get(theme, THEMES["light"])["link"])


def link_references(built, info) -> None:
    """Draw ``info``'s references (an ArticleReferences, or None) as links over ``built``
    while it is being built (the loader thread; see build_document's ``decorate``)."""
    if isinstance(info, ArticleReferences) and info.refs and not getattr(built, "reference_links_done", False):
        apply_reference_links(built, info.refs, built.style.theme)
        built.reference_links_done = True


def apply_reference_links(built, refs: list, theme: str) -> list[tuple[int, int, int]]:
    """Merge a link format over each reference the document ``built`` (an ArticleDocument,
    or the part of the article it shows) holds; returns (number, Qt start, Qt end) of the
    links made. A reference inside one of the article's own links is left to that link.
    Safe on the thread that owns the document before it is shown (the loader)."""
    mapping = built.mapping
    document = built.document
    if not refs or mapping is None:
        return []
    color = link_color(theme)
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    made = []
    last = document.characterCount() - 1
    for number, ref in enumerate(refs):
        if not mapping.covers(ref.start, ref.end):
            continue
        start, end = mapping.plain_range_to_qt(ref.start, ref.end)
        if not 0 <= start < end <= last:
            continue
        cursor.setPosition(start + 1)
        if cursor.charFormat().isAnchor():
            continue  # the article's own link
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(ref_href(number))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(color)
        cursor.mergeCharFormat(fmt)
        made.append((number, start, end))
    cursor.endEditBlock()
    return made


# --- what a reference says --------------------------------------------------------------------

def law_names(ref, info: ArticleReferences) -> tuple[str, str]:
    """(name, English name) of a statute's law: the imported law's, else the shipped list's."""
    found = info.provisions.get((ref.pcode, None))
    if found is not None:
        return found[0], found[1]
    from reader.legal.names import laws

    law = laws().get(ref.pcode or "")
    return (law.name, law.english_name or "") if law is not None else (ref.law or "", "")


def provision_text(ref, info: ArticleReferences) -> str | None:
    found = info.provisions.get((ref.pcode, ref.article)) if ref.article else None
    return found[2] if found is not None else None


def kind_name(kind: str) -> str:
    return {
        "statute": tr("Statute"),
        "interpretation": tr("Constitutional interpretation"),
        "judgment": tr("Constitutional Court judgment"),
        "decision": tr("Court decision"),
        "instrument": tr("EU or international instrument"),
    }.get(kind, kind)


def import_hint() -> str:
    return tr("The provision's text is shown after `reader laws import`.")


def describe(ref, info: ArticleReferences, limit: int | None = TOOLTIP_CHARS) -> str:
    """Rich text for a reference: a statute's law, English name and provision text (or the
    hint to import the laws); the identification of anything else."""
    lines = []
    if ref.kind == "statute":
        name, english = law_names(ref, info)
        lines.append(f"<b>{_escape(ref.label)}</b>")
        if name and name not in ref.label:
            lines.append(_escape(name))
        if english:
            lines.append(f"<i>{_escape(english)}</i>")
        text = provision_text(ref, info)
        if text:
            shown = text if limit is None or len(text) <= limit else text[:limit].rstrip() + "…"
            lines.append("<br>" + _escape(shown).replace("\n", "<br>"))
        elif not ref.article:
            pass
        elif info.laws_imported:
            lines.append(_escape(tr("This law library has no such provision.")))
        else:
            lines.append(_escape(import_hint()))
        return "<br>".join(lines)
    lines.append(f"<b>{_escape(ref.label)}</b>")
    lines.append(_escape(kind_name(ref.kind)))
    if ref.kind == "instrument" and ref.law and ref.law not in ref.label:
        lines.append(_escape(ref.law))
    return "<br>".join(lines)
