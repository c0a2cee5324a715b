"""Markdown to sanitized HTML, guarded against input that would hang or crash the renderer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from reader.render.sanitize import sanitize_html

EXTENSIONS = ["tables", "footnotes", "sane_lists", "toc", "fenced_code"]
EXTENSION_CONFIGS = {"toc": {"slugify": None}, "footnotes": {"UNIQUE_IDS": False}}

#: Beyond these, python-markdown becomes slow (bracket storms) or recursive (deep lists):
#: such articles are shown as plain text with a notice rather than risk a hang or a crash.
MAX_MARKDOWN_CHARS = 2_000_000
MAX_LINE_CHARS = 200_000
MAX_NESTING = 40
MAX_BRACKETS = 2_000


@dataclass
class Rendered:
    html: str
    headings: list[tuple[int, str, str]]  # (level, text, anchor id)
    notice: str = ""  # set when the article was shown as plain text instead


def _slugify(value: str, separator: str) -> str:
    # Keep CJK characters in heading ids (the default slugify drops them all).
    value = re.sub(r"[^\w\s-]", "", value, flags=re.U).strip().lower()
    return re.sub(r"[\s-]+", separator, value) or "section"


def _too_hostile(text: str) -> str:
    if len(text) > MAX_MARKDOWN_CHARS:
        return "the article is too long to format"
    if any(len(line) > MAX_LINE_CHARS for line in text.split("\n")):
        return "the article has a line too long to format"
    if text.count("[") > MAX_BRACKETS and text.count("[") > len(text) // 50:
        return "the article has too many brackets to format"
    depth = re.search(rf"(?m)^(?:[ \t]*(?:[>*+-]|\d+[.)])[ \t]+){{{MAX_NESTING},}}", text)
    indent = re.search(rf"(?m)^[ \t]{{{MAX_NESTING * 4},}}[*+-] ", text)
    if depth or indent:
        return "the article is nested too deeply to format"
    return ""


def plain_text_html(text: str) -> str:
    """Text shown as-is, paragraph by paragraph, escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def render_markdown(text: str) -> Rendered:
    import markdown

    reason = _too_hostile(text)
    if not reason:
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"slugify": _slugify}, "footnotes": EXTENSION_CONFIGS["footnotes"]})
        try:
            raw = md.convert(text)
        except (RecursionError, MemoryError):
            reason = "the article is nested too deeply to format"
        else:
            headings = [(t["level"], html.unescape(t["name"]), t["id"]) for t in _flatten(md.toc_tokens)]
            return Rendered(sanitize_html(raw), headings)
    return Rendered(plain_text_html(text), [], notice=f"Shown as plain text: {reason}.")


def _flatten(tokens: list[dict]) -> list[dict]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(_flatten(token.get("children", [])))
    return out
