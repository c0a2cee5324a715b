"""Tokenizing folded text for a CJK + English index.

* Han runs become overlapping bigrams (as Lucene's CJK analyzer does) plus the run's first
  and last characters as unigrams, each at its own position: a phrase of bigrams at
  consecutive positions is then a substring of one run, so Han phrase queries are exact, and
  a query ending in one character after a word or a number (第1項, 3人, AI安) is decided by
  positions too (the character begins a run there) instead of reading every candidate's text.
* Latin/digit runs become lowercase words, plus their inflection stem marked with ``~`` at
  the same position (``evaluations`` also finds ``evaluation``, ``organic`` never finds
  ``organization``; exact words still score higher).
* What separates two tokens is kept in the positions: none (``AI安全``) advances by 0,
  white space by 1, anything else by 2; white space's position holds a term naming what it
  separates (:func:`space_term`: ``risk management`` -> `` risk management``, ``AI 安全`` ->
  `` ai 安``), where a Han character between would take the same position. A phrase
  checked at exact offsets then tells ``AI安全`` from ``AI 安全`` and ``AI全安全`` without
  reading the text (``AI-安全``, punctuation, is verified in the text), and a phrase of
  words is decided by the rare terms of its white space alone.
* A separate unigram stream (every Han character once) answers 1-character queries with one
  term lookup instead of a scan over all bigrams starting with that character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reader.search.inflection import stem as _inflection_stem

_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af\u3005-\u3007"
TOKEN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>[^\W_{_HAN}]+)")
HAN_RUN = re.compile(rf"[{_HAN}]+")
STEM_MARK = "~"


def stem(word: str) -> str:
    """The inflection stem of a folded word (:func:`reader.search.inflection.stem`: plurals,
    -ed, -ing, possessives; never derivations, so ``organic`` stays apart from
    ``organization``)."""
    return _inflection_stem(word)


@dataclass(frozen=True)
class QueryToken:
    kind: str  # "han" | "word"
    text: str
    start: int  # in the folded query chunk
    end: int
    pos: int = 0  # index position relative to the first token, as ``positions`` counts
    spaced: bool = False  # white space before it: a :func:`space_term` at ``pos - 1``


def gap(separator: str) -> int:
    """Extra positions between two tokens for what separates them."""
    if not separator:
        return 0
    return 1 if separator.isspace() else 2


def _placed_tokens(folded: str) -> Iterator[tuple[re.Match[str], int, bool]]:
    """Each token with its first position and whether white space comes before it (its
    :func:`space_term` is at the position before); the one place that counts positions, so
    the index and the queries agree (a Han run takes one position a character, a word one)."""
    pos = 0
    last_end = None
    for match in TOKEN.finditer(folded):
        spaced = False
        if last_end is not None and match.start() != last_end:
            step = gap(folded[last_end : match.start()])
            spaced = step == 1
            pos += step
        last_end = match.end()
        yield match, pos, spaced
        pos += len(match.group(0)) if match.group("han") else 1


def space_term(before: str, after: str) -> str:
    """The term at the position of white space between two tokens, naming the edges it
    separates: a word whole, a Han run by its character next to the space (a phrase may
    begin or end inside a run). A quoted phrase with a space (``"NIST GDPR"``, ``"AI 安全"``)
    requires it, so a text with one Han character there instead (NIST與GDPR, AI全安全), which
    takes the same one position, does not match; and the term holds its neighbours, which a
    phrase then need not read. It begins with a space, which no other term holds, so it
    never extends a character's or a word's prefix."""
    return f" {before} {after}"


def positions(folded: str) -> dict[str, list[int]]:
    """Term -> positions for an already folded text (the index's view of a field)."""
    postings: dict[str, list[int]] = {}
    before = ""
    for match, pos, spaced in _placed_tokens(folded):
        run = match.group("han")
        if spaced:
            postings.setdefault(space_term(before, run[0] if run else match.group(0)), []).append(pos - 1)
        if run:
            n = len(run)
            if n > 1:
                postings.setdefault(run[0], []).append(pos)
            for i in range(n - 1):
                postings.setdefault(run[i : i + 2], []).append(pos + i)
            postings.setdefault(run[-1], []).append(pos + n - 1)
            before = run[-1]
        else:
            word = match.group("word")
            postings.setdefault(word, []).append(pos)
            stemmed = stem(word)
            if stemmed != word:
                postings.setdefault(STEM_MARK + stemmed, []).append(pos)
            before = word
    return postings


def query_space_term(before: QueryToken, after: QueryToken) -> str:
    """The :func:`space_term` between two query tokens (as :func:`positions` names them)."""
    left = before.text[-1] if before.kind == "han" else before.text
    right = after.text[0] if after.kind == "han" else after.text
    return space_term(left, right)


def unigram_counts(folded: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for run in HAN_RUN.findall(folded):
        for char in run:
            counts[char] = counts.get(char, 0) + 1
    return counts


def query_tokens(chunk: str) -> list[QueryToken]:
    """Tokens of one folded query chunk (no whitespace inside), in order."""
    return [
        QueryToken("han" if match.group("han") else "word", match.group(0), match.start(), match.end(), pos, spaced)
        for match, pos, spaced in _placed_tokens(chunk)
    ]


def has_punctuation(chunk: str) -> bool:
    """True when the chunk has characters that are neither tokens nor white space."""
    return bool(TOKEN.sub("", chunk).strip())


def han_terms(run: str) -> list[str]:
    """The bigrams a Han run of two or more characters is indexed under, in order."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


WORDCHAR = rf"[^\W_{_HAN}]"


def exact_pattern(folded: str) -> re.Pattern[str]:
    """A folded query text as it must appear in folded text: white space as any white space,
    Latin and digit ends at word boundaries. Verification and snippets both use it."""
    body = r"\s+".join(re.escape(part) for part in folded.split())
    if re.match(WORDCHAR, folded):
        body = rf"(?<!{WORDCHAR})" + body
    if re.search(WORDCHAR + r"\Z", folded):
        body += rf"(?!{WORDCHAR})"
    return re.compile(body)
