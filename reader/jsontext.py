"""JSON as the CLI prints it (``json.dumps(data, ensure_ascii=False, indent=2)``), faster.

With an indent, the standard library encodes in Python, one generator step per value:
``reader list --json`` at 100,000 articles spent 2.2 s there. :func:`dumps` writes the same
text, byte for byte, with the C string encoder and one join per list of texts; anything it
does not know (keys that are not texts, other types, cycles) goes to ``json.dumps``.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C encoder, when there is one

from reader.memory import building_many

INDENT = "  "


class _Other(Exception):
    """A value only ``json.dumps`` knows how to write (or refuse)."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _write(value: object, indent: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = indent + INDENT
        between = ",\n" + inner
        if all(type(item) is str for item in value):
            parts.append("[\n" + inner + between.join(map(encode_basestring, value)) + "\n" + indent + "]")
            return
        parts.append("[\n" + inner)
        for number, item in enumerate(value):
            if number:
                parts.append(between)
            _write(item, inner, parts)
        parts.append("\n" + indent + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = indent + INDENT
        opening = "{\n" + inner
        between = ",\n" + inner
        deeper = inner + INDENT
        in_list = ",\n" + deeper
        for key, item in value.items():
            if type(key) is not str:
                raise _Other
            parts.append(opening + encode_basestring(key) + ": ")
            opening = between
            # The common values inline (a call per value was most of the time).
            kind = type(item)
            if kind is str:
                parts.append(encode_basestring(item))
            elif kind is list and not item:
                parts.append("[]")
            elif kind is list and all(type(entry) is str for entry in item):
                parts.append("[\n" + deeper + in_list.join(map(encode_basestring, item)) + "\n" + inner + "]")
            else:
                _write(item, inner, parts)
        parts.append("\n" + indent + "}")
    else:
        raise _Other


def dumps(data: object) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, the same text."""
    parts: list[str] = []
    try:
        with building_many():  # (it makes no cycles; the caller's objects are many)
            _write(data, "", parts)
    except (_Other, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(parts)
