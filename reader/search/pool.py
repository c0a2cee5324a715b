"""The postings of a segment being written, grouped by term as they come.

Whoosh's ``PostingPool`` keeps a tuple per posting; past its memory limit it sorts them and
pickles them one by one into a run file, and when the segment is written it merges the runs
with a heap, unpickling each posting again, and hands the field writer one posting at a
time. At about 770 postings an article that was half of indexing.

:class:`TermPool` appends each posting to its term's arrays instead. Each term's documents reach
a writer in increasing numbers (new ones, then a merged segment's, term by term), so every
term's list is sorted as it grows; only the terms are sorted, once (a term whose documents
came out of order is sorted too). Past the limit the groups are
spilled to a run file as one pickle a term, and runs are merged term by term. The field
writer of :mod:`reader.search.codec` takes a term's postings whole
(:meth:`Groups.groups`); any other consumer iterates Whoosh's posting tuples, in Whoosh's
order.
"""

from __future__ import annotations

import contextlib
import heapq
import operator
import pickle
from array import array
from collections.abc import Iterator

from whoosh.util import random_name

#: Bytes counted for a term (its key, the arrays and list holding its postings) and for
#: each posting beyond its value (a document number, a weight, a slot for the value).
TERM_BYTES = 400
POSTING_BYTES = 57


class TermPool:
    """A drop-in for Whoosh's ``PostingPool`` (``add``, ``iter_postings``, ``save``,
    ``cleanup``, ``fieldnames``, ``runs``) with postings grouped by (field, term)."""

    def __init__(self, tempstore, limit_bytes: int) -> None:
        self.tempstore = tempstore
        self.limit = limit_bytes
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        self.currentsize = 0
        self._terms: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        # Terms whose documents came out of order (never from add_document; add_reader
        # feeds a merged segment term by term, each term's documents ascending).
        self._unordered: set[tuple[str, bytes]] = set()

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, value = item
        group = self._terms.get((fieldname, btext))
        if group is None:
            group = self._terms[(fieldname, btext)] = (array("q"), array("d"), [])
            self.fieldnames.add(fieldname)
            self.currentsize += TERM_BYTES + len(btext)
        elif docnum < group[0][-1]:
            self._unordered.add((fieldname, btext))
        group[0].append(docnum)
        group[1].append(weight)
        group[2].append(value)
        self.currentsize += POSTING_BYTES + (len(value) if value else 0)
        if self.currentsize > self.limit:
            self.save()

    def _sorted_groups(self) -> Iterator[tuple[tuple[str, bytes], array, array, list]]:
        for key in sorted(self._terms):
            yield key, *self._terms[key]

    def save(self) -> None:
        """Spill the groups held to a run file (sorted by term)."""
        if not self._terms:
            return
        path = f"{random_name()}.run"
        with self.tempstore.create_file(path).raw_file() as handle:
            self.runs.append(path)
            for key, ids, weights, values in self._sorted_groups():
                pickle.dump((key, ids.tobytes(), weights.tobytes(), values), handle, 4)
        self._terms = {}
        self.currentsize = 0

    def _read_run(self, path: str) -> Iterator[tuple[tuple[str, bytes], array, array, list]]:
        with self.tempstore.open_file(path).raw_file() as handle:
            while True:
                try:
                    key, ids, weights, values = pickle.load(handle)
                except EOFError:
                    return
                yield key, array("q", ids), array("d", weights), values

    def iter_postings(self) -> Groups:
        return Groups(self)

    def groups(self) -> Iterator[tuple[str, bytes, array, array, list]]:
        """(field, term, document numbers, weights, values) by field and term; a term in
        several runs gets its postings in the order they came."""
        sources = [self._read_run(path) for path in self.runs]
        sources.append(self._sorted_groups())
        if len(sources) == 1:
            merged = sources[0]
        else:  # heapq.merge keeps equal keys in the order of the sources: runs are in time order
            merged = heapq.merge(*sources, key=operator.itemgetter(0))
        current = None
        for key, ids, weights, values in merged:
            if current is not None and current[0] == key:
                if ids[0] < current[1][-1]:  # a later run's documents before an earlier one's
                    self._unordered.add(key)
                current[1].extend(ids)
                current[2].extend(weights)
                current[3].extend(values)
                continue
            if current is not None:
                yield self._finished(current)
            current = [key, ids, weights, values]
        if current is not None:
            yield self._finished(current)

    def _finished(self, group: list) -> tuple[str, bytes, array, array, list]:
        (fieldname, btext), ids, weights, values = group
        if (fieldname, btext) in self._unordered:  # sorted by document, as Whoosh's pool is
            order = sorted(range(len(ids)), key=ids.__getitem__)
            ids = array("q", (ids[i] for i in order))
            weights = array("d", (weights[i] for i in order))
            values = [values[i] for i in order]
        return fieldname, btext, ids, weights, values

    def cleanup(self) -> None:
        for path in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(path)
        self.runs = []
        self._terms = {}
        self._unordered = set()


class Groups:
    """What :meth:`TermPool.iter_postings` returns: Whoosh's posting tuples when iterated,
    whole terms from :meth:`groups`."""

    def __init__(self, pool: TermPool) -> None:
        self.pool = pool

    def groups(self) -> Iterator[tuple[str, bytes, array, array, list]]:
        return self.pool.groups()

    def __iter__(self) -> Iterator[tuple]:
        for fieldname, btext, ids, weights, values in self.pool.groups():
            for docnum, weight, value in zip(ids, weights, values, strict=True):
                yield fieldname, btext, docnum, weight, value


def use_term_pool(writer) -> None:
    """Give a Whoosh segment writer that has not been given postings yet a
    :class:`TermPool` of the same memory limit. (For one segment per writer: an MpWriter
    without ``multisegment`` merges its helpers' pools as Whoosh's run files, which this
    pool does not write.)"""
    old = writer.pool
    if not isinstance(old, TermPool):
        writer.pool = TermPool(old.tempstore, old.limit)
