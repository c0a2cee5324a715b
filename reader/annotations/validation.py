"""Validation of W3C Web Annotation input, one item at a time, before anything is written.

An annotation file is somebody else's data: it may be malformed, from another tool, or
hostile. :func:`parse_file` reads the collection; :func:`validate_item` turns one item into an
:class:`~reader.annotations.store.Annotation` or raises :class:`InvalidItem` with the reason.
Nothing here touches the database or opens an article: a ``target.source`` is confined to the
library (:func:`reader.library.library.confine`) as text and by resolving symlinks, so a file
outside the library is never opened.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reader.annotations.anchoring import EXACT, FUZZY, MOVED, ORPHAN
from reader.annotations.selectors import TextPosition, TextQuote
from reader.errors import OutsideLibrary, ReaderError, UsageError

HIGHLIGHT, ARTICLE_NOTE = "highlight", "article_note"
STATES = (EXACT, MOVED, FUZZY, ORPHAN)
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
READER_NS = "reader:state"

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ID_CHARS = 1000
MAX_QUOTE_CHARS = 200_000
MAX_CONTEXT_CHARS = 2_000
MAX_NOTE_CHARS = 1_000_000
MAX_OFFSET = 10**9
MAX_BODIES = 100
MAX_TAG_CHARS = 200
MAX_TAGS = 100
MAX_SELECTORS = 20
FUTURE_SLACK = dt.timedelta(days=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

_HEX = re.compile(r"^[0-9a-fA-F]{0,128}$")
_XSD_DATETIME = re.compile(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_COLOR_KEY = re.compile(r"^[\w-]{1,64}$")


class InvalidFile(ReaderError):
    """The file as a whole is not an annotation export we can read."""


class InvalidItem(ValueError):
    """One item is rejected; the message is the reason, in a user's words."""


class InvalidTag(UsageError):
    """A tag Reader does not keep (not a text, too long, control characters): exit code 2."""


# Tags ------------------------------------------------------------------------------------------
def tag_problem(value: object) -> str:
    """Why ``value`` cannot be a tag ("" when it can). A tag is a text of at most
    :data:`MAX_TAG_CHARS` characters without control characters (line breaks, tabs, NUL,
    U+2028/U+2029) or lone surrogates; white space around it is dropped."""
    if not isinstance(value, str):
        return f"a tag is {_kind(value)}, not a text"
    if len(value) > MAX_TAG_CHARS:
        return f"a tag is longer than {MAX_TAG_CHARS} characters ({len(value):,})"
    bad = next((ch for ch in value if unicodedata.category(ch) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        return f"a tag has a control character (U+{ord(bad):04X})"
    if _has_surrogate(value):
        return "a tag contains lone surrogates (not valid Unicode text)"
    return ""


def tag_key(tag: str) -> str:
    """What two tags are compared by: 定義 = 定義 in another Unicode form, AI = ai."""
    return unicodedata.normalize("NFC", tag).casefold()


def clean_tags(values: object) -> tuple[str, ...]:
    """``values`` (texts) as tags to keep: NFC, without white space around, empty ones and
    repeats (compared by :func:`tag_key`) left out, in their order. Raises
    :class:`InvalidTag` naming the first problem."""
    if isinstance(values, str) or not isinstance(values, (list, tuple, set, frozenset)):
        raise InvalidTag(f"tags must be a list of texts, not {_kind(values)}")
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        problem = tag_problem(value)
        if problem:
            shown = json.dumps(value, ensure_ascii=not isinstance(value, str) or _has_surrogate(value)) if isinstance(value, str) else ""  # escaped: printable
            raise InvalidTag(f"{problem}: {shown if len(shown) <= 60 else shown[:57] + '…'}" if shown else problem)
        tag = unicodedata.normalize("NFC", value).strip()
        if tag and tag_key(tag) not in seen:
            seen.add(tag_key(tag))
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise InvalidTag(f"more than {MAX_TAGS} tags on one annotation ({len(out)})")
    return tuple(out)


@dataclass
class Checked:
    """A valid item: the annotation to merge, its instant of modification, and what the user
    should hear about it even though it was accepted (a future time taken as now)."""

    annotation: object  # store.Annotation (imported lazily: the store imports this module)
    modified_at: dt.datetime | None  # None: the item said nothing; it never overwrites
    notices: list[str] = field(default_factory=list)


# Time ------------------------------------------------------------------------------------------
def parse_instant(value: object) -> dt.datetime:
    """An ISO 8601 date-time as an aware UTC instant; a time without a zone is taken as UTC.
    Raises :class:`InvalidItem` for anything else."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise InvalidItem(f"not an ISO 8601 date-time: {_short(value)}")
    text = value.strip()
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    extra = dt.timedelta(0)
    clock = re.match(r"^(\d{4}-\d{2}-\d{2}[Tt ])(24:00(?::00(?:\.0+)?)?|(\d{2}:\d{2}):60(\.\d+)?)(.*)$", text)
    if clock:  # 24:00 is the next day's midnight; a leap second is the last instant of its minute
        if clock.group(2).startswith("24"):
            text, extra = f"{clock.group(1)}00:00:00{clock.group(5)}", dt.timedelta(days=1)
        else:
            text = f"{clock.group(1)}{clock.group(3)}:59.999999{clock.group(5)}"
    try:
        stamp = dt.datetime.fromisoformat(text) + extra
    except (ValueError, OverflowError):
        raise InvalidItem(f"not an ISO 8601 date-time: {_short(value)}") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    try:
        return stamp.astimezone(dt.timezone.utc)
    except (OverflowError, ValueError):  # year 1 with a positive offset, year 9999 with a negative one
        raise InvalidItem(f"not a representable date-time: {_short(value)}") from None


def instant_or_epoch(value: object, now: dt.datetime | None = None) -> dt.datetime:
    """For comparing what is already stored: unreadable times count as the oldest, and times
    in the future as now (so a year-9999 stamp already in the database shadows nothing)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        stamp = parse_instant(value)
    except InvalidItem:
        return EPOCH
    return min(stamp, now)


def format_instant(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# The file --------------------------------------------------------------------------------------
def parse_file(text: str) -> list[object]:
    """The items of an AnnotationCollection, a list of annotations, or one annotation."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise InvalidFile("the JSON is nested too deeply") from None
    except ValueError as exc:
        where = f" at line {exc.lineno}" if hasattr(exc, "lineno") else ""
        raise InvalidFile(f"not JSON ({getattr(exc, 'msg', exc)}{where})") from None
    if isinstance(data, dict) and _has_type(data, "AnnotationCollection"):
        items = data.get("items")
        if items is None and isinstance(data.get("first"), dict):
            items = data["first"].get("items")  # a paged collection's first page
        if items is None:
            return []
    else:
        items = data
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise InvalidFile("expected an AnnotationCollection, a list of Annotations or one Annotation")
    return items


# One item --------------------------------------------------------------------------------------
def validate_item(
    data: object,
    library: str,
    root: Path,
    color_keys: dict[str, str],
    known_colors: set[str],
    now: dt.datetime | None = None,
) -> Checked:
    """Check every field of one item (types, ranges, lengths, the target's path)."""
    from reader.annotations.store import Annotation

    now = now or dt.datetime.now(dt.timezone.utc)
    if not isinstance(data, dict):
        raise InvalidItem(f"not a JSON object but {_kind(data)}")
    if not _has_type(data, "Annotation"):
        raise InvalidItem('"type" is not "Annotation"')
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise InvalidItem('no "id" (a non-empty text)')
    if len(ident) > MAX_ID_CHARS or any(ord(ch) < 32 for ch in ident) or _has_surrogate(ident):
        raise InvalidItem(f'"id" is longer than {MAX_ID_CHARS} characters or has control characters')

    source, selectors = _target(data.get("target"))
    try:
        from reader.library.library import confine

        article = confine(root, source)
    except OutsideLibrary as exc:
        raise InvalidItem(f"target.source {exc}") from None
    quote, position = _selectors(selectors)

    state = data.get(READER_NS, {})
    if not isinstance(state, dict):
        raise InvalidItem(f'"{READER_NS}" is not an object')
    kind = state.get("kind", HIGHLIGHT if quote is not None else ARTICLE_NOTE)
    if kind not in (HIGHLIGHT, ARTICLE_NOTE):
        raise InvalidItem(f'unknown kind {_short(kind)} (expected "highlight" or "article_note")')
    if kind == HIGHLIGHT and quote is None:
        raise InvalidItem("a highlight needs a TextQuoteSelector with the quoted text")
    if kind == ARTICLE_NOTE:
        quote = position = None
    anchor_state = state.get("state", EXACT)
    if anchor_state not in STATES:
        raise InvalidItem(f"unknown anchoring state {_short(anchor_state)}")
    score = state.get("score", 100.0)
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score) or not 0 <= score <= 100:
        raise InvalidItem('"score" is not a number from 0 to 100')
    article_hash = state.get("articleHash", "")
    if not isinstance(article_hash, str) or not _HEX.match(article_hash):
        raise InvalidItem('"articleHash" is not a hexadecimal digest')

    note, tagging = _bodies(data.get("body", []))
    color = state.get("color", "")
    if color is None:
        color = ""
    if not isinstance(color, str) or (color and not _COLOR_KEY.match(color)):
        raise InvalidItem('"color" is not a colour key')
    color, tags = _color_and_tags(kind, color, tagging, color_keys, known_colors)

    notices: list[str] = []
    created, created_at = _time(data, "created", now, notices)
    modified, modified_at = _time(data, "modified", now, notices)
    stamp_now = format_instant(now)
    annotation = Annotation(
        id=ident, library=library, article=article, kind=kind, color=color, quote=quote,
        position=position, note=note, state=anchor_state, score=float(score),
        created=created or stamp_now, modified=modified or created or stamp_now,
        article_hash=article_hash.lower(), tags=tags,
    )
    return Checked(annotation, modified_at or created_at, notices)


def _time(data: dict, key: str, now: dt.datetime, notices: list[str]) -> tuple[str | None, dt.datetime | None]:
    """(text to store, instant) of ``data[key]``: the item's own text when it is a valid time,
    now when it lies more than a day ahead (and the user is told), (None, None) when absent."""
    if data.get(key) is None:
        return None, None
    try:
        stamp = parse_instant(data[key])
    except InvalidItem as exc:
        raise InvalidItem(f'"{key}" is {exc}') from None
    if stamp > now + FUTURE_SLACK:
        notices.append(f'"{key}" {data[key]} is in the future; taken as now')
        return format_instant(now), now
    given = data[key].strip()
    # Kept as written when it is a proper xsd:dateTime (exports round-trip exactly); any
    # other ISO 8601 form is stored as the same instant in that form.
    return (given if _XSD_DATETIME.match(given) else format_instant(stamp)), stamp


def _target(target: object) -> tuple[object, list]:
    if isinstance(target, list):
        if len(target) != 1:
            raise InvalidItem("exactly one target is supported" if target else "the target list is empty")
        target = target[0]
    if isinstance(target, str):
        return target, []
    if not isinstance(target, dict):
        raise InvalidItem("no target (an object with a source)")
    if "source" not in target:
        raise InvalidItem("the target has no source")
    selectors = target.get("selector", [])
    if selectors is None:
        selectors = []
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list) or len(selectors) > MAX_SELECTORS:
        raise InvalidItem(f"target.selector is not a list of at most {MAX_SELECTORS} selectors")
    return target["source"], selectors


def _selectors(selectors: list) -> tuple[TextQuote | None, TextPosition | None]:
    quote = position = None
    for selector in selectors:
        if not isinstance(selector, dict):
            raise InvalidItem(f"a selector is {_kind(selector)}, not an object")
        kind = selector.get("type")
        if isinstance(kind, list) and len(kind) == 1:
            kind = kind[0]  # JSON-LD allows a list of one type
        if kind == "TextQuoteSelector":
            exact = selector.get("exact")
            if not isinstance(exact, str) or not exact:
                raise InvalidItem("TextQuoteSelector.exact is not a non-empty text")
            if len(exact) > MAX_QUOTE_CHARS:
                raise InvalidItem(f"the quote is longer than {MAX_QUOTE_CHARS:,} characters")
            prefix, suffix = selector.get("prefix", ""), selector.get("suffix", "")
            for name, value in (("prefix", prefix), ("suffix", suffix)):
                if value is not None and (not isinstance(value, str) or len(value) > MAX_CONTEXT_CHARS):
                    raise InvalidItem(f"TextQuoteSelector.{name} is not a text of at most {MAX_CONTEXT_CHARS} characters")
            if _has_surrogate(exact + (prefix or "") + (suffix or "")):
                raise InvalidItem("the quote contains lone surrogates (not valid Unicode text)")
            quote = TextQuote(exact, prefix or "", suffix or "")
        elif kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise InvalidItem("TextPositionSelector start and end are not whole numbers")
            if not 0 <= start < end <= MAX_OFFSET:
                raise InvalidItem(f"TextPositionSelector {start}..{end} is not a range 0 <= start < end")
            position = TextPosition(start, end)
        # Other selectors (FragmentSelector, CssSelector, ...) say nothing we anchor by.
    if quote is not None and position is not None and position.end - position.start != len(quote.exact):
        position = None  # the two disagree: trust the quote, re-anchor by it
    return quote, position


def _bodies(bodies: object) -> tuple[str, list[str]]:
    """(the note: the textual bodies joined, the values of the ``tagging`` bodies in order)."""
    if isinstance(bodies, dict):
        bodies = [bodies]
    if bodies is None:
        bodies = []
    if not isinstance(bodies, list) or len(bodies) > MAX_BODIES:
        raise InvalidItem(f'"body" is not a list of at most {MAX_BODIES} bodies')
    notes: list[str] = []
    tagging: list[str] = []
    for number, body in enumerate(bodies, 1):
        if isinstance(body, str):
            continue  # an IRI body: nothing we can show
        if not isinstance(body, dict):
            raise InvalidItem(f"a body is {_kind(body)}, not an object")
        value = body.get("value", "")
        if body.get("purpose") == "tagging":
            problem = tag_problem(value)
            if problem:
                raise InvalidItem(f"body {number} (tagging): {problem}")
            tagging.append(value)
            continue
        if not isinstance(value, str):
            raise InvalidItem("a body's value is not a text")
        if _has_surrogate(value):
            raise InvalidItem("a body's value contains lone surrogates (not valid Unicode text)")
        body_type = body.get("type")
        if isinstance(body_type, list):
            body_type = "TextualBody" if "TextualBody" in body_type else (body_type[0] if body_type else None)
        if body_type in (None, "TextualBody"):  # a body with a value and no type is textual
            notes.append(value)
    note = "\n\n".join(n for n in notes if n)
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidItem(f"the note is longer than {MAX_NOTE_CHARS:,} characters")
    return note, tagging


def _color_and_tags(kind: str, state_color: str, tagging: list[str], color_keys: dict[str, str], known_colors: set[str]) -> tuple[str, tuple[str, ...]]:
    """The colour key and the tags of an item, from its ``tagging`` bodies.

    Reader writes a highlight's colour as its first tagging body (the colour's name), then
    one tagging body per tag. So when ``reader:state`` names the colour, the first tagging
    body of a highlight is that colour and the others are tags (a tag may have a colour's
    name). Without it (another tool's file), a first tagging body that names one of our
    colours (by name or key) gives the colour; every other tagging body is a tag."""
    color = state_color
    tags = list(tagging)
    if kind == HIGHLIGHT and tags:
        if color:
            tags = tags[1:]
        else:
            first = tags[0].strip()
            found = color_keys.get(first, first if first in known_colors else "")
            if found:
                color, tags = found, tags[1:]
    try:
        cleaned = clean_tags(tags)
    except InvalidTag as exc:
        raise InvalidItem(exc.problem) from None
    return ((color or "yellow") if kind == HIGHLIGHT else ""), cleaned


def _has_type(data: dict, name: str) -> bool:
    kind = data.get("type")
    return kind == name or (isinstance(kind, list) and name in kind)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _kind(value: object) -> str:
    return {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true/false", type(None): "null"}.get(type(value), "a value")


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"
