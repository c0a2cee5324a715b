"""CSV: one row per annotation (or passage), UTF-8 with a byte-order mark so that Excel opens
Chinese text correctly; the ``csv`` module reads it back (``encoding="utf-8-sig"``).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'``: spreadsheets would otherwise run it as a formula (CSV injection). Spreadsheets show
the ``'`` as "text"; a program reading the file drops it with :func:`unguard`.
"""

from __future__ import annotations

import csv
import io

from reader.exporting.entries import PASSAGE, Built

ANNOTATION_COLUMNS = ["article", "title", "quote", "note", "colour", "tags", "locator", "citation", "created", "modified"]
PASSAGE_COLUMNS = ["article", "title", "passage", "match", "start", "end", "paragraph", "heading", "page", "locator", "citation"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def guard(value: object) -> str:
    text = "" if value is None else str(value).replace("\x00", "")
    return "'" + text if text.startswith(_FORMULA) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text


def write(built: Built) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    passages = built.kind == "passages"
    writer.writerow(PASSAGE_COLUMNS if passages else ANNOTATION_COLUMNS)
    for group in built.groups:
        for entry in group.entries:
            cited = entry.citation.text if entry.citation is not None else ""
            if passages or entry.kind == PASSAGE:
                location = entry.location
                row = [
                    group.path, group.title, entry.quote, entry.match, entry.start, entry.end,
                    "" if location is None or location.paragraph is None else location.paragraph,
                    "" if location is None else location.heading,
                    "" if location is None or location.page is None else location.page,
                    entry.locator_text, cited,
                ]
            else:
                row = [
                    group.path, group.title, entry.quote, entry.note, entry.color, "; ".join(entry.tags),
                    entry.locator_text, cited, entry.created, entry.modified,
                ]
            writer.writerow([guard(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
