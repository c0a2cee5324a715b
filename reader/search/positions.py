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


def decode_many(docs: list[int], values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(document of each position, position) for the postings ``values`` of ``docs``, as two
    int64 arrays (the postings in the order given, the rare four-byte ones last): the
    values are joined and read by NumPy at once, with no Python step per posting."""
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    joined = np.frombuffer(b"".join(values), dtype=np.uint8)
    heads = np.cumsum(lengths) - lengths  # where each value's width byte is
    if (joined[heads] == 2).all():
        positions = np.delete(joined, heads).view("<u2").astype(np.int64)
        return np.repeat(np.asarray(docs, dtype=np.int64), (lengths - 1) // 2), positions
    narrow = [k for k, v in enumerate(values) if v[:1] == _NARROW]
    wide = sorted(set(range(len(values))) - set(narrow))
    a_docs, a_pos = _joined([docs[k] for k in narrow], [values[k] for k in narrow], "<u2", 2)
    b_docs, b_pos = _joined([docs[k] for k in wide], [values[k] for k in wide], "<u4", 4)
    return np.concatenate([a_docs, b_docs]), np.concatenate([a_pos, b_pos])


def frequencies(values: list[bytes]) -> np.ndarray:
    """The number of positions of each posting value (int64)."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    widths = np.frombuffer(b"".join(values), dtype=np.uint8)[np.cumsum(lengths) - lengths].astype(np.int64)
    return (lengths - 1) // widths


def _joined(docs: list[int], values: list[bytes], dtype: str, width: int) -> tuple[np.ndarray, np.ndarray]:
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    counts = np.fromiter(((len(v) - 1) // width for v in values), dtype=np.int64, count=len(values))
    buffer = b"".join([v[1:] for v in values])
    positions = np.frombuffer(buffer, dtype=dtype).astype(np.int64)
    return np.repeat(np.asarray(docs, dtype=np.int64), counts), positions
