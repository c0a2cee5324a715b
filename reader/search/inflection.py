"""A light English stemmer: inflections only (plural, third person -s, -ed, -ing, possessive),
never derivations.

It is Porter's step 1 (plurals, -ed/-ing with its e/double-consonant repairs, y -> i) and the
final-e rule of its step 5, without the derivational steps 2-4 that make ``organic`` and
``organization`` both ``organ`` (and ``policy``/``police``, ``general``/``generous`` ...):

=================  ===========  =================================
word               stem         same stem as
=================  ===========  =================================
evaluations        evaluation   evaluation (not evaluate)
evaluated          evaluat      evaluate, evaluates, evaluating
policies           polici       policy (not police: ``polic``)
organizations      organization organization (not organic, organize)
NIST's             nist         (the possessive is dropped)
=================  ===========  =================================

Guards: words of fewer than three letters, or with anything but ASCII letters, are left as
they are; a stem is never shorter than three letters (``uses``/``used``/``using`` -> ``use``,
and ``us`` stays ``us``); ``-s`` is not stripped after ``ss``/``us``/``is`` (status, analysis,
class); a short list of words whose -s or -ing is no inflection (news, economics, politics,
evening, during ...) is left alone.

Exact forms rank first because the index keeps the word itself beside its stem (``~stem``) at
the same position, and the query gives the word's own term twice the weight of the stem's:
a document with ``evaluations`` matches both terms, one with only ``evaluation`` the stem.
"""

from __future__ import annotations

import functools

_VOWELS = frozenset("aeiou")

#: Words whose final -s is not a plural or a verb ending.
NOT_PLURAL = frozenset(
    ["news", "economics", "politics", "physics", "mathematics", "electronics", "analytics", "logistics", "genetics", "robotics", "linguistics", "semantics", "always", "perhaps", "whereas", "towards", "afterwards", "sometimes", "lens", "series", "species", "chaos", "ethos", "cosmos", "kudos", "bias", "alias", "atlas", "canvas", "gas", "yes"]
)
#: Words whose -ing or -ed is part of the word.
NOT_VERB_FORM = frozenset(
    ["during", "evening", "nothing", "something", "anything", "everything", "ceiling", "sibling", "wedding", "pudding", "hundred", "sacred", "naked", "wicked", "rugged", "ragged", "kindred"]
)


def _is_consonant(word: str, i: int) -> bool:
    char = word[i]
    if char in _VOWELS:
        return False
    if char == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in [C](VC)^m[V]."""
    m = 0
    i, n = 0, len(stem)
    while i < n and _is_consonant(stem, i):
        i += 1
    while i < n:
        while i < n and not _is_consonant(stem, i):
            i += 1
        if i >= n:
            break
        while i < n and _is_consonant(stem, i):
            i += 1
        m += 1
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _double_consonant(stem: str) -> bool:
    return len(stem) >= 2 and stem[-1] == stem[-2] and _is_consonant(stem, len(stem) - 1)


def _cvc(stem: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (hop, not hoop)."""
    if len(stem) < 3:
        return False
    n = len(stem)
    return (
        _is_consonant(stem, n - 3)
        and not _is_consonant(stem, n - 2)
        and _is_consonant(stem, n - 1)
        and stem[-1] not in "wxy"
    )


def _plural(word: str) -> str:
    if word in NOT_PLURAL or not word.endswith("s"):
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies"):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


def _verb_form(word: str) -> str:
    if word in NOT_VERB_FORM:
        return word
    if word.endswith("eed"):
        return word[:-1] if _measure(word[:-3]) > 0 else word
    for ending in ("ed", "ing"):
        if word.endswith(ending) and _has_vowel(word[: -len(ending)]):
            stem = word[: -len(ending)]
            if stem.endswith(("at", "bl", "iz")):
                return stem + "e"
            if _double_consonant(stem) and stem[-1] not in "lsz":
                return stem[:-1]
            if (_measure(stem) == 1 and _cvc(stem)) or (len(stem) == 2 and _measure(stem) == 1):
                return stem + "e"  # hop(e), us(e)
            return stem
    return word


def _final_y(word: str) -> str:
    if word.endswith("y") and _has_vowel(word[:-1]):
        return word[:-1] + "i"
    return word


def _final_e(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            return stem
    return word


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The inflection stem of a lower-case word (``analysis.stem``'s replacement)."""
    for mark in ("'s", "\u2019s", "'", "\u2019"):
        if word.endswith(mark) and len(word) > len(mark):
            word = word[: -len(mark)]
            break
    if len(word) < 3 or not word.isascii() or not word.isalpha():
        return word
    result = word
    for step in (_plural, _verb_form, _final_y):
        candidate = step(result)
        if len(candidate) < 3:
            return result
        result = candidate
    candidate = _final_e(result)
    return candidate if len(candidate) >= 3 else result


def query_terms(word: str, mark: str = "~") -> list[str]:
    """The index terms a query word is looked up under, the word itself first (boost it: an
    exact form ranks first).

    The index keeps ``~stem`` beside a word only when the stem differs from the word, as
    ``analysis.positions`` does; a base form whose stem is itself (``evaluation``) is then found
    under its own term, so that term is looked up too, when the stem is one (it is, exactly
    when ``stem(stem) == stem``: a document word with that stem is then either the stem itself
    or indexed under ``~stem``)."""
    stemmed = stem(word)
    terms = [word, mark + stemmed]
    if stemmed != word and stem(stemmed) == stemmed:
        terms.append(stemmed)
    return terms
