"""A standalone HTML page of an article with its highlights marked and notes as footnotes."""

from __future__ import annotations

import html

from reader.render.article import RenderedArticle, header_html, sources_html
from reader.render.plaintext import TextMap
from reader.render.themes import stylesheet


def body_with_highlights(rendered: RenderedArticle, ranges: list[tuple[int, int, str, str]]) -> tuple[str, list[str]]:
    """(HTML, footnotes). ``ranges`` are (start, end, css colour, note)."""
    if not ranges:
        return rendered.body_html, []
    tmap = TextMap.build(rendered.body_html)
    notes: list[str] = []
    marks = []
    for start, end, color, note in sorted(ranges):
        attrs = {"style": f"background-color: {color}"}
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


def article_page(article, rendered: RenderedArticle, ranges: list[tuple[int, int, str, str]], theme: str = "light") -> str:
    body, notes = body_with_highlights(rendered, ranges)
    footnotes = ""
    if notes:
        items = "".join(f'<li id="note-{i}">{html.escape(n)} <a href="#ref-{i}">↩</a></li>' for i, n in enumerate(notes, 1))
        footnotes = f'<hr><div class="footnotes"><ol>{items}</ol></div>'
    notice = f'<p class="notice">{html.escape(rendered.notice)}</p>' if rendered.notice else ""
    lang = html.escape(article.lang or "zh-Hant", quote=True)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(article.title)}</title>'
        f"<style>{stylesheet(theme)} body {{ max-width: 42em; margin: 2em auto; padding: 0 1em; }}</style></head><body>"
        f"{header_html(article)}{notice}{body}{footnotes}{sources_html(article)}</body></html>\n"
    )
