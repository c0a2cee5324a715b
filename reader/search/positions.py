"""How a posting's positions are written in the index, and read back many at once.

Whoosh writes a posting's positions as a pickled list of deltas: reading them back is a
``pickle.loads`` and a Python loop per posting, which was most of the time of a phrase or
a Han run of three characters or more (65,000 decodes for three queries at 10,000
articles). Here a posting's value is one width byte (2 or 4) and its positions as
little-endian unsigned integers of that width, absolute (not deltas): the values of
thousands of postings join into one buffer that NumPy reads in one call. Positions below
65,536, nearly all, take two bytes, fewer than the pickle took.
"""

from __future__ import annotations

import sys
from array import array

import numpy as np

_BIG_ENDIAN = sys.byteorder == "big"
_NARROW, _WIDE = b"\x02", b"\x04"


def encode(positions: list[int]) -> bytes:
    """The value of a posting with ``positions`` (ascending)."""
    if not positions or positions[-1] < 65536:
        packed, width = array("H", positions), _NARROW
    else:
        packed, width = array("I", positions), _WIDE
        if packed.itemsize != 4:  # a platform whose "I" is not 32 bits
            packed = array("L", positions)
    if _BIG_ENDIAN:
        packed.byteswap()
    return width + packed.tobytes()


def frequency(value: bytes) -> int:
    return (len(value) - 1) // value[0] if value else 0


def decode(value: bytes) -> list[int]:
    """The positions of one posting."""
    if not value:
        return []
    dtype = "<u2" if value[0] == 2 else "<u4"
    return np.frombuffer(value, dtype=dtype, offset=1).tolist()


def decode_many(docs, joined, lengths) -> tuple[np.ndarray, np.ndarray]:
    """(document of each position, position) for postings of ``docs`` whose values are
    ``joined`` (bytes or a uint8 array) with ``lengths`` (int64), as two int64 arrays (the
    postings in the order given, the rare four-byte ones last): read by NumPy at once, with
    no Python step per posting."""
    docs = np.asarray(docs, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    if not len(lengths):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(joined, dtype=np.uint8) if isinstance(joined, (bytes, bytearray, memoryview)) else joined
    heads = np.cumsum(lengths) - lengths  # where each value's width byte is
    widths = raw[heads]
    narrow = widths == 2
    if narrow.all():
        positions = np.delete(raw, heads).view("<u2").astype(np.int64)
        return np.repeat(docs, (lengths - 1) // 2), positions
    # Some postings hold a position past 65,535 (four bytes each): each width on its own.
    owner = np.repeat(np.arange(len(lengths)), lengths)
    body = np.ones(len(raw), dtype=bool)
    body[heads] = False
    parts_docs, parts_positions = [], []
    for keep, dtype, width in ((narrow, "<u2", 2), (~narrow, "<u4", 4)):
        if keep.any():
            chosen = raw[body & keep[owner]]
            parts_positions.append(chosen.view(dtype).astype(np.int64))
            parts_docs.append(np.repeat(docs[keep], (lengths[keep] - 1) // width))
    return np.concatenate(parts_docs), np.concatenate(parts_positions)


def frequencies(joined, lengths) -> np.ndarray:
    """The number of positions of each posting (int64), from the values ``joined`` (bytes
    or a uint8 array) and their ``lengths``."""
    lengths = np.asarray(lengths, dtype=np.int64)
    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(joined, dtype=np.uint8) if isinstance(joined, (bytes, bytearray, memoryview)) else joined
    widths = raw[np.cumsum(lengths) - lengths].astype(np.int64)
    return (lengths - 1) // widths
