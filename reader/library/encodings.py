"""Turn the bytes of a file into text without ever silently replacing characters.

Order: a BOM decides; strict UTF-8 next (most files); otherwise charset-normalizer chooses
among the encodings our users really meet. Big5 is decoded as cp950 (Microsoft's Big5, which
has the characters Taiwanese files actually use) and GB2312/GBK as GB18030 (a superset).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path

from reader.search.folding import is_han

#: The candidates charset-normalizer may pick from, and the codec we then use for each.
CANDIDATES = ("utf_8", "cp950", "big5", "big5hkscs", "gb18030", "gbk", "gb2312", "utf_16", "cp1252", "latin_1")
_CODEC_FOR = {"big5": "cp950", "big5hkscs": "cp950", "gbk": "gb18030", "gb2312": "gb18030"}
_DISPLAY = {"utf_8": "utf-8", "utf_8_sig": "utf-8-sig", "utf_16": "utf-16", "cp950": "cp950", "gb18030": "gb18030"}


class DecodeError(ValueError):
    pass


@dataclass
class Decoded:
    text: str
    encoding: str
    uncertain: bool = False


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (UTF-16 is checked before this)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode file bytes. Raises DecodeError (with a reason) when the bytes are not text."""
    if encoding:
        codec = _CODEC_FOR.get(codecs.lookup(encoding).name.replace("-", "_"), encoding)
        try:
            return Decoded(data.decode(codec), codecs.lookup(codec).name)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"not valid {encoding} at byte {exc.start}") from exc
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf_8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf_16", "utf-16")
    try:
        return Decoded(data.decode("utf_8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    return _detect(data)


def _strict(data: bytes, codec: str, name: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), name)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not valid {name} at byte {exc.start}") from exc


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    readings: dict[str, str] = {}
    for codec in ("cp950", "gb18030"):
        with contextlib.suppress(UnicodeDecodeError):
            readings[codec] = data.decode(codec)
    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    guess = _CODEC_FOR.get(best.encoding, best.encoding) if best is not None else None
    if guess is not None and guess not in readings:
        try:
            readings[guess] = data.decode(guess)
        except UnicodeDecodeError:
            guess = None
    if not readings:
        raise DecodeError("unknown text encoding (not UTF-8, UTF-16, Big5 or GB18030); re-import with --encoding NAME")
    # Big5 and GB18030 byte ranges overlap, so both often decode: the reading made of common
    # Chinese characters wins. charset-normalizer's guess breaks ties.
    scored = sorted(readings.items(), key=lambda kv: (_chinese_score(kv[1]), kv[0] == guess), reverse=True)
    codec, text = scored[0]
    score = _chinese_score(text)
    han = sum(1 for ch in text if is_han(ch))
    if han == 0 and guess is not None:
        codec, text = guess, readings[guess]
    runner_up = _chinese_score(scored[1][1]) if len(scored) > 1 else -1.0
    uncertain = han < 12 or score < 0.85 or score - runner_up < 0.15
    if han == 0:
        uncertain = best is None or best.chaos > 0.1
    return Decoded(text, _DISPLAY.get(codec, codec), uncertain)


@functools.lru_cache(maxsize=1)
def _common_chinese() -> frozenset[str]:
    """Characters that occur in OpenCC's phrase tables: a usable list of common Han characters."""
    import opencc

    folder = Path(opencc.__file__).resolve().parent / "dictionary"
    chars: set[str] = set()
    for name in ("STPhrases.txt", "TSPhrases.txt", "TWPhrases.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            chars.update(line)
    return frozenset(ch for ch in chars if is_han(ch))


def _chinese_score(text: str) -> float:
    """Share of Han characters that are common, less a penalty for stray symbols and kana."""
    common = _common_chinese()
    han = hits = odd = 0
    for ch in text:
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF or 0x0400 <= cp <= 0x04FF or 0x2500 <= cp <= 0x257F or 0xE000 <= cp <= 0xF8FF:
            odd += 1
        elif is_han(ch):
            han += 1
            hits += ch in common
    if han == 0:
        return 0.0
    return hits / han - odd / (han + odd)
