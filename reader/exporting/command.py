"""``reader annotations export``: the filters, the format and the style, checked before any
work is done, and the file written through :mod:`reader.output` (``-o``, ``--force``).

JSON (the default) is exactly :func:`reader.annotations.exchange.export_json` of the chosen
annotations, as it always was; Markdown, Word and CSV come from :func:`export_annotations`,
each quote with its citation in the chosen style and its locator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.annotations.validation import InvalidTag, clean_tags
from reader.citations import DEFAULT_STYLE, StyleInfo, find_style, user_styles_dir
from reader.errors import ReaderError, UsageError
from reader.exporting import export_annotations, select
from reader.paths import DataPaths

MAX_FILTER_VALUES = 100


@dataclass
class ExportRequest:
    fmt: str
    style: StyleInfo | None  # None for JSON (it has no citations)
    only_tags: tuple[str, ...] | None
    colors_asked: list[str] | None
    output: Path | None
    force: bool


def request_from(args: argparse.Namespace, paths: DataPaths) -> ExportRequest:
    """Check what the command line asks before opening anything: the style (a name, or a
    ``.csl`` file that must be a readable CSL style), the tags, the output file. Raises
    :class:`UsageError` (exit 2) naming the problem."""
    fmt = args.format
    style = None
    if fmt != "json":
        style = find_style(args.style or DEFAULT_STYLE, user_styles_dir(paths.root))
        from reader.citations.styles import parsed_style

        parsed_style(style)  # a file citeproc-py cannot use is named now, not half-way through
    only_tags = None
    if args.tag:
        if len(args.tag) > MAX_FILTER_VALUES:
            raise UsageError(f"--tag: at most {MAX_FILTER_VALUES} tags")
        try:
            only_tags = clean_tags(list(args.tag))
        except InvalidTag as exc:
            raise UsageError(f"--tag: {exc.problem}") from None
        if not only_tags:
            raise UsageError("--tag: the tag is empty")
    colors_asked = None
    if args.color:
        if len(args.color) > MAX_FILTER_VALUES:
            raise UsageError(f"--color: at most {MAX_FILTER_VALUES} colours")
        colors_asked = [c.strip() for c in args.color]
    output = Path(args.output) if args.output else None
    if output is not None:
        from reader.output import check_output_path

        check_output_path(output, paths.root, args.force)
    elif fmt == "docx" and _is_terminal(sys.stdout):
        raise UsageError("a Word file is not text; write it to a file with -o FILE.docx (or redirect the output)")
    return ExportRequest(fmt, style, only_tags, colors_asked, output, args.force)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def color_keys(asked: list[str] | None, colors: dict[str, str]) -> list[str] | None:
    """The colour keys ``asked`` names (by key or by the name shown, any case); a colour
    that is not one of ``colors`` (key -> name) is a :class:`UsageError` listing them."""
    if asked is None:
        return None
    if not colors:
        from reader.settings import DEFAULTS

        colors = {c["key"]: c["name"] for c in DEFAULTS["highlight_colors"]}
    by_word = {}
    for key, name in colors.items():
        by_word[key.casefold()] = key
        by_word.setdefault(name.casefold(), key)
        for word in name.split():  # "黃 Yellow": 黃 and yellow
            by_word.setdefault(word.casefold(), key)
    keys = []
    for value in asked:
        key = by_word.get(value.casefold())
        if key is None:
            shown = value if len(value) <= 40 else value[:37] + "…"
            known = ", ".join(f"{k} ({n})" if n != k else k for k, n in colors.items())
            raise UsageError(f"--color: no colour {shown!r}; the colours are {known}")
        keys.append(key)
    return keys


def document_pages(path: str, rendered) -> Callable[[int], int | None] | None:
    """``page_at(offset)`` of a paged source (a PDF) as the page number its label gives
    ("41" -> 41); a page whose label is not a number ("iv") is located by paragraph instead.
    None for an article without pages."""
    from reader.library.documents import pages_for

    page_at = pages_for(path, rendered)
    if page_at is None:
        return None

    def at(offset: int) -> int | None:
        label = str(page_at(offset) or "").strip()
        return int(label) if label.isdecimal() and label.isascii() else None

    return at


def export_bytes(request: ExportRequest, library, items: Iterable, colors: dict[str, str], labels: dict[str, str] | None = None) -> tuple[bytes, int]:
    """(the file's bytes, how many annotations it holds) for the annotations ``items``
    (positions as today's text has them) of ``library``; ``colors``: key -> name shown;
    ``labels``: the document's own words in the window's language (``entries.LABELS``)."""
    chosen = select(items, colors, only_colors=color_keys(request.colors_asked, colors), only_tags=request.only_tags)
    if request.fmt == "json":
        from reader.annotations.exchange import export_json

        return export_json(chosen, colors).encode("utf-8"), len(chosen)
    articles = {}
    for path in sorted({item.article for item in chosen}):
        try:
            if library.contains(path) and library.file_path(path).is_file():
                articles[path] = library.load(path)
        except (ReaderError, OSError):
            continue  # exported under its path, without locators or citation
    title = (labels or {}).get("title") or "Annotations"
    data = export_annotations(chosen, articles, request.fmt, request.style, colors, pages=document_pages, title=title, labels=labels)
    return data, len(chosen)


def write(request: ExportRequest, data: bytes, count: int, data_dir: Path) -> None:
    """To ``-o FILE`` (checked and written atomically by :func:`reader.output.write_output`),
    else to standard output (text as text, a Word file as bytes)."""
    if request.output is not None:
        from reader.output import write_output

        written = write_output(request.output, data, data_dir, request.force)
        print(f"{written}: {count} annotation{'s' if count != 1 else ''} exported", file=sys.stderr)
        return
    if request.fmt == "docx":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(data.decode("utf-8"))
