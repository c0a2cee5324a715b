"""Whoosh's W3 codec with posting blocks NumPy reads at once.

A W3 posting block is a pickle (protocol 2) of three tuples: the document numbers as
deltas, one float per weight and, for positions, one ``bytes`` per posting, which protocol
2 writes as a call of ``_codecs.encode`` on a Latin-1 string. Reading a block back is an
unpickling that makes a Python object per posting and calls a function per value, then a
Python generator per posting to undo the deltas: most of what a cold search spent, and
about ten bytes a posting on disk before zlib.

Here a block's data is a pickle (protocol 4) of four flat buffers: the deltas as unsigned
integers of the smallest width that holds them, the weights as float32 (or one number
when they are all equal), the values joined, and their lengths. The files, the terms
index, the block headers (which skipping reads) and everything else stay W3's, and Whoosh
reads these blocks through the same matcher interface (:class:`ArrayLeafMatcher` rebuilds
its tuples from the buffers); :mod:`reader.search.postings` takes the buffers as arrays.

A segment records its codec, so an index keeps being read as it was written; the index
format (:data:`reader.search.schema.INDEX_FORMAT`) rebuilds older ones.
"""

from __future__ import annotations

import operator
import pickle
import sys
import zlib
from array import array
from itertools import islice

import numpy as np
from whoosh.codec import whoosh3
from whoosh.util.numeric import length_to_byte

_BIG_ENDIAN = sys.byteorder == "big"
_WIDTHS = (("B", np.dtype("u1"), 1 << 8), ("H", np.dtype("<u2"), 1 << 16), ("I", np.dtype("<u4"), 1 << 32))
_DTYPES = {code: dtype for code, dtype, _ in _WIDTHS}
#: Block data shorter than this (bytes) is not compressed (W3: 20).
MIN_COMPRESSED = 64
#: Postings a block holds (W3: 128). Reading a block costs about 20 µs before its postings
#: (the header, unpickling, inflating, the arrays), and most reads take a term's postings
#: whole: at 10,000 articles 512 made every query class 5-25 % quicker than 128; 1,024 made
#: phrases and multi-word queries slower again (their candidates' blocks are read, not all).
BLOCK_POSTINGS = 512


def _packed(values) -> tuple[str, bytes]:
    """(type code, little-endian bytes) of non-negative integers in the narrowest width.
    With the array module, not NumPy: most blocks hold a posting or two, where NumPy's
    fixed cost per call would be most of the time of writing them."""
    top = max(values, default=0)
    for code, _dtype, limit in _WIDTHS:
        if top < limit:
            packed = array(code, values)
            if packed.itemsize != _DTYPES[code].itemsize:  # a platform whose "I" is not 4 bytes
                packed = array("L" if code == "I" else code, values)
            if _BIG_ENDIAN:
                packed.byteswap()
            return code, packed.tobytes()
    raise OverflowError(top)


class ArrayPostingsWriter(whoosh3.W3PostingsWriter):
    """Writes blocks as flat buffers (see the module); block headers as W3 does."""

    def add_many(self, ids, weights, values) -> None:
        """A term's postings at once (document numbers ascending, weights, values), as
        ``add_posting`` one by one would buffer and write them: full blocks written, the
        last one left for ``finish_postings``; no field lengths (as ArrayCodec writes)."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if len(self._ids) >= limit:
                self._write_block()
            end = start + limit
            self._ids = ids[start:end]
            chunk = weights[start:end]
            self._weights = array("f", chunk)
            self._maxweight = max(0, max(chunk))
            self._values = [value for value in values[start:end] if value]
            self._minlength, self._maxlength = None, 0

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors: Whoosh's own blocks
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        id_code, id_bytes = _packed([ids[0], *map(operator.sub, islice(ids, 1, None), ids)])
        weights = self._weights
        if weights.count(weights[0]) == len(weights):
            packed_weights: float | bytes | None = None if weights[0] == 1.0 else float(weights[0])
        else:
            if _BIG_ENDIAN:
                weights = array("f", weights)
                weights.byteswap()
            packed_weights = weights.tobytes()
        fixed = self._format.fixed_value_size()
        values = self._values
        if fixed is None or fixed < 0:
            length_code, lengths = _packed(list(map(len, values)))
            packed_values: tuple | bytes | None = (b"".join(values), length_code, lengths)
        elif fixed == 0:
            packed_values = None
        else:
            packed_values = b"".join(values)
        data = pickle.dumps((id_code, id_bytes, packed_weights, packed_values), 4)
        # zlib makes blocks under about 60 bytes longer (two thirds of all blocks, one posting
        # or two): those are left as they are, which also spares inflating them when read.
        comp = self._compression if len(data) >= MIN_COMPRESSED else 0
        if comp:
            data = zlib.compress(data, comp)
        info = pickle.dumps((len(self._ids), self._ids[-1], self._maxweight, comp,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class ArrayLeafMatcher(whoosh3.W3LeafMatcher):
    """Reads the blocks of :class:`ArrayPostingsWriter`: Whoosh's matcher interface, and
    :meth:`block_arrays` / :meth:`block_values` that give a block's buffers as arrays."""

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        if self._compression:
            raw = zlib.decompress(raw)
        self._data = pickle.loads(raw)

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers as int64, weights as float32) of the current block."""
        if self._data is None:
            self._read_data()
        id_code, id_bytes, weights, _values = self._data
        ids = np.cumsum(np.frombuffer(id_bytes, dtype=_DTYPES[id_code]), dtype=np.int64)
        if weights is None or isinstance(weights, float):
            return ids, np.full(len(ids), 1.0 if weights is None else weights, dtype=np.float32)
        return ids, np.frombuffer(weights, dtype="<f4").astype(np.float32, copy=False)

    def block_values(self) -> tuple[bytes, np.ndarray]:
        """(the values of the current block joined, the length of each as int64) for a
        format of values of varying size."""
        if self._data is None:
            self._read_data()
        joined, length_code, lengths = self._data[3]
        return joined, np.frombuffer(lengths, dtype=_DTYPES[length_code]).astype(np.int64)

    def _read_ids(self) -> None:
        self._ids = self.block_arrays()[0].tolist()

    def _read_weights(self) -> None:
        self._weights = array("f", self.block_arrays()[1].tolist())

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        fixed = self._fixedsize
        packed = self._data[3]
        if fixed is None or fixed < 0:
            joined, lengths = self.block_values()
            ends = np.cumsum(lengths).tolist()
            starts = [0, *ends[:-1]]
            self._values = tuple(joined[s:e] for s, e in zip(starts, ends, strict=True))
        elif fixed == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(packed[i : i + fixed] for i in range(0, len(packed), fixed))


class ArrayFieldWriter(whoosh3.W3FieldWriter):
    """Takes the postings of :class:`reader.search.pool.TermPool` a term at a time."""

    def add_postings(self, schema, lengths, items) -> None:
        if lengths is not None or not hasattr(items, "groups"):
            super().add_postings(schema, lengths, items)
            return
        field = None
        for fieldname, btext, ids, weights, values in items.groups():
            if -1 in ids:  # Whoosh's mark of a spelling word, not a posting
                keep = [i for i, docnum in enumerate(ids) if docnum != -1]
                if not keep:
                    continue
                ids = array("q", (ids[i] for i in keep))
                weights = array("d", (weights[i] for i in keep))
                values = [values[i] for i in keep]
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field = fieldname
            self.start_term(btext)
            self._postwriter.add_many(ids, weights, values)  # (None values are dropped, as b"")
            self.finish_term()
        if field is not None:
            self.finish_field()


class ArrayCodec(whoosh3.W3Codec):
    """W3 with :class:`ArrayPostingsWriter` blocks. Writing keeps no per-posting field
    lengths for block statistics (a lookup per posting, a tenth of indexing): blocks say
    every length is 0, which only makes Whoosh's own block skipping more cautious."""

    length_stats = False

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = 3, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return ArrayFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                   compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


