"""Full-width query syntax, as a Chinese input method types it, mapped to the query language.

:func:`normalize_syntax` is for the *raw* query, before ``reader.search.query`` lexes it. It
maps one character to one character (offsets into the query stay valid):

=========================================  =======
typed                                      read as
=========================================  =======
（ ）                                      ( )
“ ” ＂ 「 」 『 』 〝 〞 „ ‟ (phrase quotes)  "
－ −  (NOT before a word, a dash inside)    -
：  (after a field name: title：)           :
ＯＲ ＡＮＤ ＮＯＴ, full-width letters       OR AND NOT, letters
ideographic space U+3000                   space
=========================================  =======

Every full-width ASCII form (U+FF01-U+FF5E) becomes its ASCII character, which is what the
folding makes of it anyway, so nothing a query matches changes: only the operators now work.
:func:`prepare_query` also drops the white space inside legal numbering (``第 3 條``), which
the lexer would otherwise split into three words.
"""

from __future__ import annotations

from reader.search.numbering import join_numbering_spaces

_QUOTES = "“”＂「」『』〝〞„‟"
_MAP = {ord(q): '"' for q in _QUOTES}
_MAP.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if cp != 0xFF02})
_MAP.update({0x3000: " ", 0x2212: "-"})


def normalize_syntax(query: str) -> str:
    """The raw query with full-width operators, quotes and letters in ASCII (same length)."""
    return query.translate(_MAP)


def prepare_query(query: str) -> str:
    """What the query parser should lex: :func:`normalize_syntax`, then no white space inside
    legal numbering (``第 3 條 之 1`` -> ``第3條之1``)."""
    return join_numbering_spaces(normalize_syntax(query))
