"""W3C Web Annotation selectors over an article's plain text (code point offsets)."""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True, slots=True)
class TextQuote:
    exact: str
    prefix: str = ""
    suffix: str = ""

    def to_json(self) -> dict:
        return {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}


@dataclass(frozen=True, slots=True)
class TextPosition:
    start: int
    end: int

    def to_json(self) -> dict:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}


def describe(text: str, start: int, end: int) -> tuple[TextQuote, TextPosition]:
    """Selectors for ``text[start:end]`` with 32 characters of context on each side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"selection {start}..{end} is outside the text (length {len(text)})")
    quote = TextQuote(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )
    return quote, TextPosition(start, end)


def from_json(selectors: list[dict]) -> tuple[TextQuote | None, TextPosition | None]:
    quote = position = None
    for item in selectors:
        if item.get("type") == "TextQuoteSelector":
            quote = TextQuote(item.get("exact", ""), item.get("prefix", ""), item.get("suffix", ""))
        elif item.get("type") == "TextPositionSelector":
            position = TextPosition(int(item["start"]), int(item["end"]))
    return quote, position
