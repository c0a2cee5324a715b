"""Character folding shared by the index, the query parser and find-in-article.

Folding is NFKC, lower case, and Traditional -> Simplified Chinese, then variant characters,
invisible format characters and dashes (:mod:`reader.search.variants`), done *character by
character*, and finally legal numbering (:mod:`reader.search.numbering`, a short sequence
at a time with an offset map), so every folded character can be traced back to the original
text (snippets and highlighting point at what the user sees). Folding to Simplified (not Traditional) is a choice
of direction only: both spellings end up equal, which is all search needs.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path


def _opencc_table(name: str) -> dict[str, str]:
    import opencc

    path = Path(opencc.__file__).resolve().parent / "dictionary" / name
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values:
            table[key] = values.split(" ")[0]
    return table


@functools.lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    return _opencc_table("TSCharacters.txt")


TABLE_FILE = Path(__file__).resolve().parent / "fold_table.json"


def compute_table() -> tuple[dict[int, str], str]:
    """The folding of every character that changes, and the Unicode version it follows."""
    t2s = traditional_to_simplified()
    table: dict[int, str] = {}
    for cp in range(0x30000):
        if 0xD800 <= cp < 0xE000:
            continue
        char = chr(cp)
        folded = unicodedata.normalize("NFKC", char).lower()
        folded = "".join(t2s.get(c, c) for c in folded)
        if folded != char:
            table[cp] = folded
    return table, unicodedata.unidata_version


@functools.lru_cache(maxsize=1)
def _base_table() -> dict[int, str]:
    """The ordinary folding (NFKC, lower case, Traditional -> Simplified), read from the
    shipped table (tools/make_fold_table.py), computed only if it is missing."""
    try:
        data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
        return {ord(k): v for k, v in data["table"].items()}
    except (OSError, ValueError, KeyError):
        return compute_table()[0]


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], re.Pattern[str] | None]:
    """(str.translate table of the per-character folding, pattern of the characters whose
    folding is not one character).

    The per-character folding is the ordinary one composed with the variant, invisible and
    dash folding of :mod:`reader.search.variants` (issue 14): one table, one ``translate``."""
    from reader.search.variants import char_class, compose_table

    table = compose_table(_base_table())
    expanding = [cp for cp, v in table.items() if len(v) != 1]
    return table, (re.compile(char_class(expanding)) if expanding else None)


def fold_base(text: str) -> str:
    """The ordinary folding only (what the variant tables are built over)."""
    return text.translate(_base_table())


#: Below this many characters ``str.translate`` is quicker than the arrays.
_SHORT = 48


@functools.lru_cache(maxsize=1)
def _arrays():
    """(code point -> folded code point, code point -> whether its folding is not one
    character) as NumPy arrays up to the table's last code point: :func:`fold_chars` by
    lookup. ``str.translate`` with a dict costs about 100 ns a character (a dict lookup and a
    new int each); an array lookup over the text's UTF-32 code units, a few."""
    import numpy as np

    table, _ = _tables()
    size = max(table) + 1
    target = np.arange(size, dtype=np.uint32)
    expands = np.zeros(size, dtype=bool)
    lengths = np.ones(size, dtype=np.uint8)  # (no folding is 255 characters long)
    for cp, value in table.items():
        if len(value) == 1:
            target[cp] = ord(value)
        else:
            expands[cp] = True
            lengths[cp] = len(value)
    return target, expands, lengths


def _codes(text: str):
    """The code points of ``text`` (lone surrogates too) as a NumPy array, or None when
    ``text`` is short or ASCII (``str.translate`` is quicker there) or reaches past the
    tables."""
    if len(text) < _SHORT or text.isascii():
        return None
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(codes.max()) >= len(_arrays()[0]):
        return None
    return codes


def fold_chars(text: str) -> str:
    """The per-character folding: no legal numbering (same length unless a character folds
    to more or fewer than one)."""
    codes = _codes(text)
    if codes is not None:
        target, expands, _ = _arrays()
        if not expands[codes].any():
            return target[codes].tobytes().decode("utf-32-le", "surrogatepass")
    table, _ = _tables()
    return text.translate(table)


def fold_chars_many(texts: list[str]) -> list[str]:
    """``[fold_chars(t) for t in texts]``, folded as one text: 100,000 titles at a window's
    start took 0.3 s one by one (the per-call cost, not the characters')."""
    if any("\n" in text for text in texts) or _folds_into_newline():
        return [fold_chars(text) for text in texts]
    folded = fold_chars("\n".join(texts)).split("\n")
    return folded if len(folded) == len(texts) else [fold_chars(text) for text in texts]


@functools.lru_cache(maxsize=1)
def _folds_into_newline() -> bool:
    """Whether any character folds to a text with a line break (then texts joined by line
    breaks could not be split again after folding)."""
    table, _ = _tables()
    return any("\n" in value for cp, value in table.items() if cp != 10)


def fold_chars_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """:func:`fold_chars` and, for each folded character, its index in ``text`` (``None``
    when every character folded one-to-one)."""
    table, expanding = _tables()
    codes = _codes(text)
    if codes is None:
        folded = text.translate(table)
        if expanding is None or not expanding.search(text):
            return folded, None
        origin: list[int] = []
        for index, char in enumerate(text):
            origin.extend([index] * len(table.get(ord(char), char)))
        origin.append(len(text))
        return folded, origin
    import numpy as np

    target, expands, lengths = _arrays()
    if not expands[codes].any():
        return target[codes].tobytes().decode("utf-32-le", "surrogatepass"), None
    origin = np.repeat(np.arange(len(codes)), lengths[codes]).tolist()
    origin.append(len(text))
    return text.translate(table), origin


def fold(text: str) -> str:
    """The folded form of ``text``: per character, then legal numbering and counted units in
    one form (第三條 = 第3條; see :mod:`reader.search.numbering`). May differ in length."""
    from reader.search.numbering import fold_numbering_text

    return fold_numbering_text(fold_chars(text))


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text`` and return, for each folded character, its index in ``text``.

    The offset list is ``None`` when folding kept every character one-to-one (the common
    case), meaning folded index == original index. Otherwise it has ``len(folded) + 1``
    entries, the last being ``len(text)``.
    """
    from reader.search.numbering import compose_offsets, fold_numbering

    folded, outer = fold_chars_with_offsets(text)
    result, inner = fold_numbering(folded)
    return result, compose_offsets(outer, inner)


def to_original(offset: int, origin: list[int] | None) -> int:
    return offset if origin is None else origin[min(offset, len(origin) - 1)]


def is_han(char: str) -> bool:
    cp = ord(char)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x323AF
        or 0xF900 <= cp <= 0xFAFF
        or 0x3040 <= cp <= 0x30FF  # kana: treated like Han (no spaces between words)
        or 0x3005 <= cp <= 0x3007  # 々 〆 〇
    )


@functools.cache
def _simplified_only() -> frozenset[str]:
    """Characters that are Simplified forms and not Traditional ones."""
    t2s = traditional_to_simplified()
    return frozenset(set(t2s.values()) - set(t2s))


_HAN_CHAR = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U000323af\uf900-\ufaff\u3040-\u30ff\u3005-\u3007]")


def guess_lang(text: str) -> str:
    """zh-Hant, zh-Hans or en, from the characters used (enough to pick fonts and fold)."""
    counts = Counter(_HAN_CHAR.findall(text, 0, 20000))
    if not counts:
        return "en"
    t2s = traditional_to_simplified()
    simplified = _simplified_only()
    trad = sum(n for char, n in counts.items() if char in t2s)
    simp = sum(n for char, n in counts.items() if char not in t2s and char in simplified)
    return "zh-Hans" if simp > trad else "zh-Hant"
