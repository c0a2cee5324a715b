"""The per-character folding classes of issue 14, composed onto the ordinary folding table.

* **Variant characters** are merged through ``variant_table.json`` (built by
  ``tools/build_variant_table.py``: OpenCC's Taiwan/Hong Kong variants, its Japanese variants
  less the ones that would join two Taiwanese characters, Unihan's z-variants, a reviewed
  list, and the CJK radical-supplement characters PDF text extraction emits): 硏究 = 研究,
  着 = 著, 衞 = 衛, 戸 = 戶, 経 = 經, 總 = 総.
* **Invisible format characters** are dropped: soft hyphen, zero-width space, zero-width
  (non-)joiner, word joiner, BOM, directional marks and isolates, variation selectors, the
  combining grapheme joiner. Texts keep them (the offsets point at the original text); only
  the folded form, which the index and queries compare, loses them.
* **Dashes** U+2010-2015, U+2212, U+FE63, U+FF0D, U+FE58, U+FE31, U+FE32, U+2E3A, U+2E3B
  fold to ``-``. The katakana prolonged sound mark ー (U+30FC) is not a dash and stays.

All three are a mapping from a character *as the ordinary folding leaves it* (NFKC, lower
case, Traditional -> Simplified) to its replacement, so :func:`compose_table` merges them into
the one ``str.translate`` table ``reader.search.folding`` already uses: no extra pass over the
text, and the characters that fold to nothing go through the same offset path as the
characters that expand.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path

from reader.search import folding

TABLE_FILE = Path(__file__).resolve().parent / "variant_table.json"

#: Format characters dropped by the folding (code point -> name, for the README table).
INVISIBLE: dict[int, str] = {
    0x00AD: "SOFT HYPHEN",
    0x034F: "COMBINING GRAPHEME JOINER",
    0x061C: "ARABIC LETTER MARK",
    0x180E: "MONGOLIAN VOWEL SEPARATOR",
    0x200B: "ZERO WIDTH SPACE",
    0x200C: "ZERO WIDTH NON-JOINER",
    0x200D: "ZERO WIDTH JOINER",
    0x200E: "LEFT-TO-RIGHT MARK",
    0x200F: "RIGHT-TO-LEFT MARK",
    0x202A: "LEFT-TO-RIGHT EMBEDDING",
    0x202B: "RIGHT-TO-LEFT EMBEDDING",
    0x202C: "POP DIRECTIONAL FORMATTING",
    0x202D: "LEFT-TO-RIGHT OVERRIDE",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
    0x2060: "WORD JOINER",
    0x2061: "FUNCTION APPLICATION",
    0x2062: "INVISIBLE TIMES",
    0x2063: "INVISIBLE SEPARATOR",
    0x2064: "INVISIBLE PLUS",
    0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE",
    0x2068: "FIRST STRONG ISOLATE",
    0x2069: "POP DIRECTIONAL ISOLATE",
    0xFEFF: "ZERO WIDTH NO-BREAK SPACE (BOM)",
    **{cp: f"VARIATION SELECTOR-{cp - 0xFE00 + 1}" for cp in range(0xFE00, 0xFE10)},
    **{cp: f"VARIATION SELECTOR-{cp - 0xE0100 + 17}" for cp in range(0xE0100, 0xE01F0)},
}

#: Dashes folded to "-" (code point -> name).
DASHES: dict[int, str] = {
    0x2010: "HYPHEN",
    0x2011: "NON-BREAKING HYPHEN",
    0x2012: "FIGURE DASH",
    0x2013: "EN DASH",
    0x2014: "EM DASH",
    0x2015: "HORIZONTAL BAR",
    0x2212: "MINUS SIGN",
    0xFE58: "SMALL EM DASH",
    0xFE31: "PRESENTATION FORM FOR VERTICAL EM DASH",
    0xFE32: "PRESENTATION FORM FOR VERTICAL EN DASH",
    0xFE63: "SMALL HYPHEN-MINUS",
    0xFF0D: "FULLWIDTH HYPHEN-MINUS",
    0x2E3A: "TWO-EM DASH",
    0x2E3B: "THREE-EM DASH",
}


@functools.lru_cache(maxsize=1)
def variant_classes() -> tuple[str, ...]:
    """The shipped classes; each string's characters are one character, the first the form
    Taiwan's laws write most."""
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return tuple(data["classes"])


def post_fold_map(base: Mapping[int, str]) -> dict[str, str]:
    """Character (as ``base`` folds it) -> its replacement, for the three classes.

    Variant classes are joined again over their folded forms (a class whose members fold
    together with another class's becomes one), so the result does not depend on how the
    ordinary table folds (Simplified or Traditional)."""
    def folded(char: str) -> str:
        return base.get(ord(char), char)

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members in variant_classes():
        forms = [f for f in (folded(c) for c in members) if len(f) == 1]
        if not forms:
            continue
        root = find(forms[0])
        for form in forms[1:]:
            other = find(form)
            if other != root:
                parent[other] = root
    post = {char: find(char) for char in parent if find(char) != char}
    for cp in INVISIBLE:
        post[chr(cp)] = ""
    for cp in DASHES:
        post[chr(cp)] = "-"
    return post


def compose_table(base: Mapping[int, str]) -> dict[int, str]:
    """``base`` (a ``str.translate`` table of single characters -> strings) followed by the
    variant, invisible and dash folding: one table, one ``translate`` call."""
    post = post_fold_map(base)
    get = post.get
    # (most values are one character: a join each was most of a search's first folding)
    table = {cp: get(value, value) if len(value) == 1 else "".join([get(c, c) for c in value]) for cp, value in base.items()}
    for char, replacement in post.items():
        table.setdefault(ord(char), replacement)
    return {cp: value for cp, value in table.items() if value != chr(cp)}


@functools.lru_cache(maxsize=1)
def full_table() -> dict[int, str]:
    """The ordinary folding table of :mod:`reader.search.folding` composed with this one."""
    return folding._tables()[0]


def char_class(code_points: list[int]) -> str:
    """A regex character class of ``code_points``, runs written as ranges: a class of single
    astral characters is searched by a slow path of the regex engine (1.2 ms for a 1,000
    character text with the 1,518 characters below, 0.03 ms as ranges)."""
    cps = sorted(set(code_points))
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        first, last = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "[" + "".join(parts) + "]"


#: Per-character folding: the ordinary one, variants, invisible characters, dashes (the
#: composed table), and with offsets (for each folded character its index in the text).
fold_chars = folding.fold_chars
fold_chars_with_offsets = folding.fold_chars_with_offsets


def fold_full(text: str) -> str:
    """The whole folding of issue 14 for an index or a text: characters, then numbering."""
    from reader.search.numbering import fold_numbering_text

    return fold_numbering_text(fold_chars(text))


def fold_full_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """:func:`fold_full` with, for each folded character, its index in ``text``."""
    from reader.search.numbering import compose_offsets, fold_numbering

    folded, outer = fold_chars_with_offsets(text)
    result, inner = fold_numbering(folded)
    return result, compose_offsets(outer, inner)
