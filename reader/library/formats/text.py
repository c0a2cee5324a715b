"""Text as a reader sees it: line joining rules, white space, and the ideograph normalisation.

PDF fonts (CID fonts above all) often map glyphs to Kangxi radicals (U+2F00…) or CJK
compatibility ideographs (U+F900…) instead of the unified ideographs they look like: "⽅法"
for "方法". They are normalised with NFKC *for those ranges only* (NFKC elsewhere would turn
full-width ＮＩＳＴ into NIST in the text shown, which search folding already treats as equal).
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ASCII_SPACE = re.compile(r"[ \t\r\n\f\v]+")
#: Kangxi radicals, CJK radicals supplement, CJK compatibility ideographs (and supplement).
_IDEOGRAPH_VARIANTS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def normalise_ideographs(text: str) -> str:
    """Kangxi radicals and compatibility ideographs as the unified ideographs they stand for."""
    if not _IDEOGRAPH_VARIANTS.search(text):
        return text
    return _IDEOGRAPH_VARIANTS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def clean(text: str) -> str:
    """Control characters dropped, ideograph variants normalised, ASCII white space as one space
    (what HTML shows; a full-width space U+3000 inside Chinese text is kept)."""
    text = _CONTROL.sub("", text)
    return normalise_ideographs(_ASCII_SPACE.sub(" ", text)).strip(" ")


def collapse(text: str) -> str:
    """Runs of ASCII white space as one space, trimmed: how the renderer shows a block."""
    return _ASCII_SPACE.sub(" ", text).strip(" ")


def is_cjk(char: str) -> bool:
    """Characters written without spaces between words: Han, kana, Hangul syllables, CJK and
    full-width punctuation, bopomofo."""
    cp = ord(char)
    return (
        0x2E80 <= cp <= 0x2FDF  # radicals
        or 0x3000 <= cp <= 0x303F  # CJK symbols and punctuation
        or 0x3040 <= cp <= 0x31FF  # kana, bopomofo
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x20000 <= cp <= 0x3FFFF
    )


_HYPHENS = "-\u00ad\u2010\x02"  # hyphen-minus, soft hyphen, hyphen, pdfium's hyphen marker


def join_lines(first: str, second: str) -> str:
    """Two lines of one paragraph as one: Han text joins with no space, English with one, and
    a word hyphenated at the line end ("evalu-" + "ation") is rejoined."""
    first = first.rstrip(" ")
    second = second.lstrip(" ")
    if not first:
        return second
    if not second:
        return first
    last, nxt = first[-1], second[0]
    if last in _HYPHENS and len(first) >= 2 and first[-2].isalpha() and nxt.isalpha() and nxt.islower():
        return first[:-1] + second
    if last == "\u00ad" or last == "\x02":
        return first[:-1] + second
    if is_cjk(last) or is_cjk(nxt):
        return first + second
    return first + " " + second


def join_words(words: list[str]) -> str:
    """OCR words of one line: a space between words unless either side is CJK."""
    out = ""
    for word in words:
        word = word.strip()
        if not word:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(word[0])):
            out += " "
        out += word
    return out


def split_authors(value: str) -> list[str]:
    """"陳怡君; 林志明", "陳怡君、林志明", "A. Smith; B. Jones" as lists (commas split only
    Chinese names: "Smith, John" is one author)."""
    value = value.strip()
    if not value:
        return []
    parts = re.split(r"\s*[;；、]\s*|\s*，\s*", value)
    if len(parts) == 1 and any(is_cjk(c) for c in value):
        parts = re.split(r"\s*,\s*", value)
    parts = re.split(r"\s+and\s+|\s*&\s*", parts[0]) + parts[1:] if len(parts) == 1 else parts
    return [p.strip() for p in parts if p.strip()]


_DATE = re.compile(r"(\d{4})(?:[-/.年]?(\d{1,2}))?(?:[-/.月]?(\d{1,2}))?")


def iso_date(value: str) -> str:
    """YYYY-MM-DD (or YYYY-MM, YYYY) from a PDF date (D:20240615…), ISO 8601, 2024/6/15,
    2024年6月15日. Empty when there is none or it is implausible."""
    value = value.strip().removeprefix("D:")
    match = _DATE.search(value)
    if not match:
        return ""
    year, month, day = match.groups()
    if not 1000 <= int(year) <= 2999:
        return ""
    out = year
    if month and 1 <= int(month) <= 12:
        out += f"-{int(month):02d}"
        if day and 1 <= int(day) <= 31:
            out += f"-{int(day):02d}"
    return out


class InlineBuilder:
    """A block's text built piece by piece, white space collapsed as it goes, with the style
    ranges and footnote references in the final text's offsets."""

    def __init__(self, verbatim: bool = False) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int, str]] = []
        self.notes: list[tuple[int, str]] = []
        self.verbatim = verbatim  # code: keep white space and line breaks

    def _ends_with_space(self) -> bool:
        return bool(self.parts) and self.parts[-1].endswith(" ")

    def add(self, text: str, styles: tuple[str, ...] | frozenset[str] = ()) -> None:
        if not text:
            return
        text = _CONTROL.sub("", text.replace("\t", " ") if not self.verbatim else text)
        if not self.verbatim:
            text = normalise_ideographs(_ASCII_SPACE.sub(" ", text))
            if (not self.parts or self._ends_with_space()) and text.startswith(" "):
                text = text.lstrip(" ")
        if not text:
            return
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        for style in styles:
            a, b = start, self.length
            core = text.strip(" ")
            if not core:
                continue
            a += len(text) - len(text.lstrip(" "))
            b -= len(text) - len(text.rstrip(" "))
            if self.spans and self.spans[-1][2] == style and self.spans[-1][1] >= a - (1 if self._gap(a) else 0):
                self.spans[-1] = (self.spans[-1][0], b, style)
            else:
                self.spans.append((a, b, style))

    def _gap(self, a: int) -> bool:
        text = "".join(self.parts)
        return a > 0 and text[a - 1] == " "

    def note(self, note_id: str) -> None:
        self.notes.append((self.length, note_id))

    def result(self) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, str]]]:
        text = "".join(self.parts)
        if self.verbatim:
            return text.strip("\n"), [], []
        stripped = text.rstrip(" ")
        end = len(stripped)
        spans = [(a, min(b, end), s) for a, b, s in self.spans if a < end]
        notes = [(min(o, end), n) for o, n in self.notes]
        return stripped, spans, notes
