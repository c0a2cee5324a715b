"""Markdown: grouped by article; each quote, its note, and its citation with the locator.

Every text taken from an article or a note is written so that Markdown shows it as it is
(quotes as block quotations, one ``>`` per line; characters Markdown would read as markup
are escaped), so pasting the file into a paper or another Markdown tool keeps it intact.
"""

from __future__ import annotations

import re

from reader.exporting.entries import ARTICLE_NOTE, PASSAGE, Built, Entry, summary

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+=]|\d+[.)])(?=\s|$)")


def escape(text: str) -> str:
    """``text`` as Markdown shows it literally."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _quote_block(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()] or [""]
    return ["> " + escape(line) if line else ">" for line in lines]


def _passage_block(entry: Entry) -> list[str]:
    """A passage as a quotation with its match in bold."""
    at = entry.match_at or 0
    end = at + len(entry.match)
    return ["> " + escape(entry.quote[:at]) + "**" + escape(entry.quote[at:end]) + "**" + escape(entry.quote[end:])]


def _details(entry: Entry, built: Built) -> str:
    parts = []
    if entry.color:
        parts.append(f"*{escape(entry.color)}*")
    if entry.tags:
        parts.append(" ".join("#" + escape(t) for t in entry.tags))
    if entry.locator_text:
        parts.append(escape(entry.locator_text))
    if entry.state and entry.state not in ("exact", "moved"):
        parts.append(built.label("detached") if entry.detached else built.label("reattached", state=entry.state))
    return " · ".join(parts)


def write(built: Built) -> bytes:
    out: list[str] = [f"# {escape(built.title)}", ""]
    if built.kind == "passages":
        out += [summary(built), ""]
    out += [escape(built.label("citation_style", style=built.style.title)), ""]
    for group in built.groups:
        out += [f"## {escape(group.title)}", ""]
        where = [f"`{group.path}`"] + ([group.date] if group.date else []) + ([f"<{group.url}>"] if group.url else [])
        out += [" · ".join(where), ""]
        if group.reference is not None and group.reference.reference_text:
            out += [escape(group.reference.reference_text), ""]
        for entry in group.entries:
            if entry.kind == ARTICLE_NOTE:
                if entry.note:
                    out += [f"**{escape(built.label('article_note'))}**", ""] + [escape(line) for line in entry.note.splitlines()] + [""]
                continue
            out += (_passage_block(entry) if entry.kind == PASSAGE and entry.match else _quote_block(entry.quote)) + [""]
            details = _details(entry, built)
            note_lines = entry.note.splitlines() if entry.note else []
            if details and len(note_lines) == 1:  # a one-line note follows its details: — *黃* · 頁 3: note
                out += [f"— {details}: {escape(note_lines[0])}", ""]
            else:
                if details:
                    out += [f"— {details}", ""]
                if note_lines:
                    out += [escape(line) for line in note_lines] + [""]
            if entry.citation is not None:
                out += [escape(entry.citation.text), ""]
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
