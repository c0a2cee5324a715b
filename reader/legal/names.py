"""The shipped names: Taiwan's laws and regulations (``data/laws.tsv.gz``, built from the
national laws database by ``tools/build_law_names.py``), the reviewed short names
(``data/aliases.tsv``) and the reviewed EU and international instruments
(``data/instruments.tsv``).

Names are compared *folded* (:func:`reader.search.variants.fold_chars`: NFKC, lower case,
Traditional -> Simplified, variant characters), so 臺/台, 个资法 and 個資法, ＧＤＰＲ and gdpr are
one name.
"""

from __future__ import annotations

import functools
import gzip
import re
from dataclasses import dataclass
from importlib import resources

from reader.search.variants import fold_chars

#: A version note at the end of an official name: （舊 36.03.31 制定）, （99.10.08訂定）.
_VERSION_NOTE = re.compile(r"（[^（）]*[0-9０-９][^（）]*）$")


@dataclass(frozen=True)
class Law:
    pcode: str
    name: str
    english_name: str
    abolished: bool

    @property
    def short_name(self) -> str:
        """The name without a version note (總統副總統選舉罷免法（新 84.08.09 制定） -> ...法)."""
        return _VERSION_NOTE.sub("", self.name).strip()


@dataclass(frozen=True)
class Instrument:
    id: str
    display: str
    names: tuple[str, ...]


def _data(name: str) -> bytes:
    return resources.files("reader.legal").joinpath("data", name).read_bytes()


@functools.lru_cache(maxsize=1)
def laws() -> dict[str, Law]:
    """pcode -> law, for every law and regulation of the shipped list."""
    out: dict[str, Law] = {}
    for line in gzip.decompress(_data("laws.tsv.gz")).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        pcode, name, english, abolished = line.split("\t")
        out[pcode] = Law(pcode, name, english, abolished == "1")
    return out


@functools.lru_cache(maxsize=1)
def law_list_digest() -> str:
    """A digest of the shipped law list (a glossary made with another list is not used)."""
    import hashlib

    return hashlib.blake2b(_data("laws.tsv.gz"), digest_size=8).hexdigest()


def _rank(law: Law) -> tuple:
    """Which law a shared name means: the one in force, the newer version (新 over 舊)."""
    return (law.abolished, "舊" in law.name, "新" not in law.name, law.pcode)


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Reviewed short name -> pcode."""
    out: dict[str, str] = {}
    for line in _data("aliases.tsv").decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        alias, pcode = line.split("\t")[:2]
        out[alias] = pcode
    return out


@functools.lru_cache(maxsize=1)
def instruments() -> dict[str, Instrument]:
    """id -> instrument, for the reviewed list."""
    out: dict[str, Instrument] = {}
    for line in _data("instruments.tsv").decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        ident, display, names = line.split("\t")[:3]
        out[ident] = Instrument(ident, display, tuple(n for n in names.split("|") if n))
    return out


Target = tuple[str, str]  # ("statute", pcode) | ("instrument", id)


@functools.lru_cache(maxsize=1)
def name_index() -> dict[str, Target]:
    """Folded name -> what it names: official names (with and without a version note), the
    reviewed aliases and the instruments' names. A name shared by several laws names the one
    in force (the newest version)."""
    index: dict[str, Target] = {}
    for ident, instrument in instruments().items():
        for name in instrument.names:
            index[fold_chars(name)] = ("instrument", ident)
    by_name: dict[str, list[Law]] = {}
    for law in laws().values():
        for name in {law.name, law.short_name}:
            by_name.setdefault(fold_chars(name), []).append(law)
    for folded, candidates in by_name.items():
        index[folded] = ("statute", min(candidates, key=_rank).pcode)
    for alias, pcode in aliases().items():
        index[fold_chars(alias)] = ("statute", pcode)
    return index


def resolve(name: str) -> Target | None:
    """What a name, a short name, a pcode or an instrument's name or id names."""
    text = name.strip()
    if text in laws():
        return ("statute", text)
    if text.upper() in instruments():
        return ("instrument", text.upper())
    return name_index().get(fold_chars(text))


def resolve_law(name: str) -> Law | None:
    """The law a name, short name or pcode names (``個資法`` -> 個人資料保護法), or None."""
    target = resolve(name)
    return laws().get(target[1]) if target and target[0] == "statute" else None


def display_name(target: Target) -> str:
    kind, ident = target
    if kind == "statute":
        law = laws().get(ident)
        return law.short_name if law else ident
    instrument = instruments().get(ident)
    return instrument.display if instrument else ident
