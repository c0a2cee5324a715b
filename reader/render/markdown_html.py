"""Markdown to sanitized HTML, guarded against input that would hang or crash the renderer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from reader.render.html_chunks import VOID_ELEMENTS
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
    text: str | None = None  # its plain text, when known without parsing the HTML


def _slugify(value: str, separator: str) -> str:
    # Keep CJK characters in heading ids (the default slugify drops them all).
    value = re.sub(r"[^\w\s-]", "", value, flags=re.U).strip().lower()
    return re.sub(r"[\s-]+", separator, value) or "section"


def _too_hostile(text: str) -> str:
    if len(text) > MAX_MARKDOWN_CHARS:
        return "the article is too long to format"
    if any(len(line) > MAX_LINE_CHARS for line in text.split("\n")):
        return "the article has a line too long to format"
    if text.count("[") > MAX_BRACKETS and _bracket_depth(text) > MAX_NESTING:
        return "the article has too many nested brackets to format"
    depth = re.search(rf"(?m)^(?:[ \t]*(?:[>*+-]|\d+[.)])[ \t]+){{{MAX_NESTING},}}", text)
    if re.search(r"[*_~`]{200,}", text):
        return "the article has a run of markup characters too long to format"
    if _html_depth(text) > MAX_HTML_DEPTH:
        return "the article's HTML is nested too deeply to format"
    quotes = re.search(rf"(?m)^[ \t]*(?:>[ \t]*){{{MAX_NESTING},}}", text)
    indent = re.search(rf"(?m)^[ \t]{{{MAX_NESTING * 4},}}[*+-] ", text)
    if depth or quotes or indent:
        return "the article is nested too deeply to format"
    return ""


MAX_HTML_DEPTH = 100
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]{0,2000}?(/?)>")


def _html_depth(text: str) -> int:
    if "<" not in text:
        return 0
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, selfclosing = match.groups()
        if name.lower() in VOID_ELEMENTS or selfclosing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for match in re.finditer(r"\\.|[\[\]]", text):
        token = match.group(0)
        if token == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "]":
            depth = max(0, depth - 1)
    return deepest


def plain_text_html(text: str) -> str:
    """Text shown as-is, paragraph by paragraph, escaped."""
    text = _clean(text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip(_HTML_SPACE_CHARS)]
    return "".join("<p>" + _sliced(_escape_lines, p) + "</p>" for p in paragraphs)


def plain_text_of(text: str) -> str:
    """What :func:`plain_text_html` shows, as plain text (the same as parsing that HTML)."""
    paragraphs = (_collapse_space(p).strip(" ") for p in re.split(r"\n\s*\n", _clean(text)))
    return "\n".join(p for p in paragraphs if p)


def _escape_lines(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _clean(text: str) -> str:
    """Line ends as \\n, control characters (and lone surrogates) dropped."""
    return _sliced(lambda piece: _CONTROL.sub("", piece), text.replace("\r\n", "\n").replace("\r", "\n"))


def _sliced(transform, text: str) -> str:
    """``transform`` (which must work character by character) applied slice by slice: one
    call over megabytes holds the interpreter lock for tens of milliseconds, and the window's
    thread waits for it each time it needs the lock."""
    if len(text) <= _SLICE:
        return transform(text)
    return "".join(transform(text[k : k + _SLICE]) for k in range(0, len(text), _SLICE))


_HTML_SPACE_CHARS = " \t\r\n\f"  # what HTML collapses (not Python's wider \s)
_HTML_SPACE = re.compile(f"[{_HTML_SPACE_CHARS}]+")
_SLICE = 200_000


def _collapse_space(paragraph: str) -> str:
    """White space runs as one space. A long paragraph goes in slices cut at non-space
    characters (so no run is split): one regular expression over megabytes holds the
    interpreter lock for 50 ms and more."""
    if len(paragraph) <= _SLICE:
        return _HTML_SPACE.sub(" ", paragraph)
    out, start = [], 0
    while start < len(paragraph):
        end = min(len(paragraph), start + _SLICE)
        while end < len(paragraph) and paragraph[end] in _HTML_SPACE_CHARS:
            end += 1
        out.append(_HTML_SPACE.sub(" ", paragraph[start:end]))
        start = end
    return "".join(out)


def _fallback(text: str, reason: str) -> Rendered:
    # Each helper cleans and splits the text again. Doing it once kept the window 20 MB
    # larger afterwards on a 10 MB article (how the allocator reuses the big strings).
    return Rendered(plain_text_html(text), [], notice=f"Shown as plain text: {reason}.", text=plain_text_of(text))


#: Larger documents are formatted in a separate process that is stopped after the time limit.
SUBPROCESS_CHARS = 200_000
TIME_LIMIT_S = 5.0
TEXT_LIMIT_S = 60.0


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")  # and lone surrogates


def render_markdown(text: str) -> Rendered:
    """Format ``text``; hostile or huge input falls back to plain text with a notice.

    Control characters (other than tab, newline, form feed, carriage return) are dropped
    first: no renderer shows them, and HTML parsers disagree about them."""
    text = _clean(text)
    reason = _too_hostile(text)
    if reason:
        return _fallback(text, reason)
    if len(text) < SUBPROCESS_CHARS:
        return _render(text)
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        pending = pool.apply_async(_render, (text,))
        try:
            rendered = pending.get(timeout=TIME_LIMIT_S)
        except multiprocessing.TimeoutError:
            pool.terminate()
            return _fallback(text, "formatting took too long")
        if rendered.text is None and rendered.html.strip():
            # The plain text too, in the same process: parsing a large document's HTML holds
            # the interpreter lock for 150 ms at a time. Linear work, so no tight limit.
            rendered.text = pool.apply_async(_plain_text, (rendered.html,)).get(timeout=TEXT_LIMIT_S)
        return rendered


def _render(text: str) -> Rendered:
    """Markdown to sanitized HTML; a large article section by section (see ``sections``)."""
    import markdown

    from reader.render.sections import sections, unique

    parts = sections(text)
    html_parts, headings, used = [], [], set()
    for part in parts:
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"slugify": _slugify}, "footnotes": EXTENSION_CONFIGS["footnotes"]})
        try:
            raw = md.convert(part)
        except (RecursionError, MemoryError):
            return _fallback(text, "the article is nested too deeply to format")
        tokens = _flatten(md.toc_tokens)
        if len(parts) > 1:  # ids unique across the article, as one conversion would make them
            renamed = {t["id"]: unique(t["id"], used) for t in tokens}
            raw = _HEADING_ID.sub(lambda m, r=renamed: m.group(1) + r.get(m.group(2), m.group(2)) + '"', raw)
            tokens = [dict(t, id=renamed[t["id"]]) for t in tokens]
        headings += [(t["level"], html.unescape(t["name"]), t["id"]) for t in tokens]
        html_parts.append(sanitize_html(raw))
    rendered = Rendered("\n".join(html_parts), headings)
    if len(parts) > 1:  # the plain text too, a section at a time
        rendered.text = "\n".join(t for t in (_plain_text(h) for h in html_parts if h.strip()) if t)
    return rendered


_HEADING_ID = re.compile(r'(<h[1-6][^>]*?\bid=")([^"]*)"')


def _plain_text(html_text: str) -> str:
    from reader.render.plaintext import TextMap

    return TextMap.build(html_text).text


def _flatten(tokens: list[dict]) -> list[dict]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(_flatten(token.get("children", [])))
    return out
