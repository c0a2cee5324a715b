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
        if type(value[0]) is dict and len(value) > 1 and _write_records(value, indent, parts):
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


def _write_records(value: list, indent: str, parts: list[str]) -> bool:
    """A list of dicts that all have the same text keys in the same order (``reader list``'s
    100,000 articles): each key encoded once, not once per dict. False (nothing written)
    for any other list."""
    keys = list(value[0])
    # (the checks in C: a generator step per dict was a sixth of the time)
    if not keys or not all(type(key) is str for key in keys) or set(map(type, value)) != {dict} or not all(map(keys.__eq__, map(list, value))):
        return False
    inner = indent + INDENT
    deeper = inner + INDENT
    deepest = deeper + INDENT
    heads = ["{\n" + deeper + encode_basestring(keys[0]) + ": "] + [",\n" + deeper + encode_basestring(key) + ": " for key in keys[1:]]
    fields = list(zip(keys, heads, strict=True))
    in_list, end_list, end_item = ",\n" + deepest, "\n" + deeper + "]", "\n" + inner + "}"
    parts.append("[\n" + inner)
    between = ""
    for item in value:
        if between:
            parts.append(between)
        between = ",\n" + inner
        for key, head in fields:
            entry = item[key]
            kind = type(entry)
            if kind is str:
                parts.append(head + encode_basestring(entry))
            elif kind is list and not entry:
                parts.append(head + "[]")
            else:
                try:  # a list of texts (encode_basestring refuses anything else)
                    if kind is not list:
                        raise TypeError
                    parts.append(head + "[\n" + deepest + in_list.join(map(encode_basestring, entry)) + end_list)
                except TypeError:
                    parts.append(head)
                    _write(entry, deeper, parts)
        parts.append(end_item)
    parts.append("\n" + indent + "]")
    return True


def dumps(data: object) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, the same text."""
    parts: list[str] = []
    try:
        with building_many():  # (it makes no cycles; the caller's objects are many)
            _write(data, "", parts)
    except (_Other, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(parts)
