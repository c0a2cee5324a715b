"""A term's postings decoded once into arrays, kept in a bounded cache per searcher.

Whoosh hands postings out one at a time through Python matchers (a method call per posting,
blocks unpickled and inflated as the matcher goes). Exact sets and ranking read whole
posting lists, so here a list is decoded block by block into two NumPy arrays (document
numbers, weights) and kept for the searcher's life: the keystrokes of one typing burst
(人 → 人工 → 人工智) and the parts of one query read each list once. The cache has a byte
budget and drops the least recently used lists first.

The files on disk are Whoosh's; only the reading changes. The cache belongs to a searcher
(a generation of the index): a commit gives a new searcher, hence a new cache.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections import OrderedDict

import numpy as np

from reader.search import positions as positions_format
from reader.search.schema import ArrayPositions

#: Bytes the decoded postings of one searcher may hold (document numbers and weights), by
#: default; the ``search_cache_mb`` setting changes it (:func:`set_budget`).
DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
_budget = [DEFAULT_BUDGET_BYTES]


def set_budget(megabytes: int) -> None:
    """The byte budget of the caches made from now on (0: keep nothing decoded)."""
    _budget[0] = max(0, int(megabytes)) * 1024 * 1024

#: Document frequencies a cache keeps (about 150 bytes each).
FREQUENCIES_KEPT = 100_000

_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _leaf_arrays(matcher) -> tuple[list, list]:
    """Document numbers and weights of one segment's posting list, block by block. Whoosh's
    W3 matcher decodes a block at a time; any other matcher is read posting by posting."""
    ids: list = []
    weights: list = []
    if hasattr(matcher, "block_arrays"):  # reader.search.codec: a block's buffers as arrays
        while matcher.is_active():
            block_ids, block_weights = matcher.block_arrays()
            ids.append(block_ids.astype(np.int32))
            weights.append(block_weights)
            matcher._next_block()
        return ids, weights
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block", "_blocklength")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
        return ids, weights
    doc_ids, doc_weights = [], []
    while matcher.is_active():
        doc_ids.append(matcher.id())
        doc_weights.append(matcher.weight())
        matcher.next()
    return [np.asarray(doc_ids, dtype=np.int32)], [np.asarray(doc_weights, dtype=np.float32)]


class PostingCache:
    """``postings(field, term) -> (doc numbers, weights)`` over the whole index of one
    searcher: sorted int32 document numbers (the searcher's, segments offset) and their
    float32 weights (Whoosh's term weight: occurrences times the field's boost).
    ``lengths(field)`` is every document's field length as BM25 sees it. Thread-safe."""

    def __init__(self, searcher, budget_bytes: int | None = None) -> None:
        self.searcher = searcher
        self.budget_bytes = _budget[0] if budget_bytes is None else budget_bytes
        self.held_bytes = 0
        # (field, term): doc numbers and weights; (field, term, "positions"): all_positions()
        self._lists: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        # (field, term): (documents or None when not counted yet, the numbers of the
        # segments holding it)
        self._frequencies: dict[tuple[str, str], tuple[int | None, tuple[int, ...]]] = {}
        self._leaves: list[tuple[object, int]] | None = None  # (segment reader, offset)
        self._alive_masks: dict[int, np.ndarray] = {}  # segment offset -> not deleted
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        # Read positions with the postings and keep both: worth it when the next query is
        # likely the same text and one more character (the window's search-as-you-type);
        # a single search (reader search) would decode positions it never uses.
        self.keep_positions = False

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        if self.keep_positions and self.budget_bytes and isinstance(self.searcher.schema[field].format, ArrayPositions):
            return self._cached((field, term), lambda: self._read_with_positions(field, term))
        return self._cached((field, term), lambda: self._read(field, term))

    def all_positions(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of every occurrence of ``term`` (int32 arrays, by document),
        kept like the posting lists: the keystrokes of a burst (主管機 → 主管機關) compare the
        same terms' positions again."""
        def read() -> tuple[np.ndarray, np.ndarray]:
            if not isinstance(self.searcher.schema[field].format, ArrayPositions):
                docs, positions = self.positions(field, term, None)
                return docs.astype(np.int32), positions.astype(np.int32)
            # The same blocks hold the term's documents and weights, which ranking reads next:
            # kept too, instead of a second pass over every segment's postings of the term.
            postings, positions = self._postings_and_positions(field, term)
            with self._lock:
                known = (field, term) in self._lists
            if not known:
                self._store((field, term), postings)
            return positions

        return self._cached((field, term, "positions"), read)

    def _read_with_positions(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A positional field's postings, its positions kept too (for the phrase a next
        keystroke makes of it: 主管 → 主管機)."""
        postings, positions = self._postings_and_positions(field, term)
        self._store((field, term, "positions"), positions)
        return postings

    def _postings_and_positions(self, field: str, term: str) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """((documents, weights), (document, position) of each occurrence) of a positional
        field's term, from one read of its blocks, as int32 / float32 arrays. A posting's
        weight is its number of positions times the field's boost, as the field writes it."""
        found, joined, lengths = self._values(field, term, None)
        docs, positions = positions_format.decode_many(found, joined, lengths)
        counts = positions_format.frequencies(joined, lengths).astype(np.float32)
        weights = counts * np.float32(self.searcher.schema[field].format.field_boost)
        return (found.astype(np.int32), weights), (docs.astype(np.int32), positions.astype(np.int32))

    def _cached(self, key: tuple, read) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
                self.hits += 1
                return found
        arrays = read()
        self._store(key, arrays)
        return arrays

    def _store(self, key: tuple, arrays: tuple[np.ndarray, np.ndarray]) -> None:
        size = arrays[0].nbytes + arrays[1].nbytes
        with self._lock:
            self.misses += 1
            if key not in self._lists and size <= self.budget_bytes:
                self._lists[key] = arrays
                self.held_bytes += size
                while self.held_bytes > self.budget_bytes and self._lists:
                    _key, (first, second) = self._lists.popitem(last=False)
                    self.held_bytes -= first.nbytes + second.nbytes

    def doc_frequency(self, field: str, term: str) -> int:
        """How many documents have ``term`` (Whoosh's count, which includes deleted ones),
        kept: a query asks for the same terms' counts a dozen times, each a lookup in every
        segment's terms file. Which segments hold the term is kept with it: reading its
        postings then looks only there (most of a query's terms are in no segment of most
        fields: a title or tag field lacks nearly every bigram of the body)."""
        return self._counted(field, term)[0]

    def _counted(self, field: str, term: str) -> tuple[int, tuple[int, ...]]:
        key = (field, term)
        found = self._frequencies.get(key)
        if found is None or found[0] is None:
            known = None if found is None else set(found[1])
            total, holding = 0, []
            for number, (reader, _offset) in enumerate(self._segments(field)):
                if reader is None or (known is not None and number not in known):
                    continue
                count = reader.doc_frequency(field, term)
                if count:
                    total += count
                    holding.append(number)
            found = (total, tuple(holding))
            self._remember(key, found)
        return found

    def _remember(self, key: tuple[str, str], found: tuple[int | None, tuple[int, ...]]) -> None:
        if len(self._frequencies) >= FREQUENCIES_KEPT:
            self._frequencies.clear()
        self._frequencies[key] = found

    def _segments(self, field: str) -> list[tuple[object, int]]:
        """(segment reader, offset) of every segment, the reader None where ``field`` is
        empty in the segment (it holds no term of it: the field's length, kept in memory,
        counts every occurrence of a scorable field)."""
        if self._leaves is None:
            self._leaves = [(sub.reader(), offset) for sub, offset in self.searcher.leaf_searchers()]
        schema = self.searcher.schema
        if field not in schema or not schema[field].scorable:
            return self._leaves
        return [(reader if reader.field_length(field) else None, offset) for reader, offset in self._leaves]

    def _matchers(self, field: str, term: str, wanted: np.ndarray | None = None):
        """(reader, offset, postings matcher, segment document numbers of ``wanted`` or None)
        of each segment holding ``term`` and (when ``wanted`` is given, sorted) one of those
        documents. Where the term is found is learnt on the way when every segment is asked."""
        known = self._frequencies.get((field, term))
        holding = None if known is None else set(known[1])
        found, asked_all = [], wanted is None and known is None
        for number, (reader, offset) in enumerate(self._segments(field)):
            if reader is None or (holding is not None and number not in holding):
                continue
            local = None
            if wanted is not None:
                count = reader.doc_count_all()
                local = wanted[(wanted >= offset) & (wanted < offset + count)] - offset
                if not len(local):
                    continue
            matcher = _postings_of(reader, field, term)
            if matcher is None:
                continue
            found.append(number)
            yield reader, offset, matcher, local
        if asked_all:
            self._remember((field, term), (None, tuple(found)))

    def peek(self, field: str, term: str) -> np.ndarray | None:
        """The document numbers of ``term`` if they are decoded already, else None (nothing
        is read)."""
        with self._lock:
            found = self._lists.get((field, term))
        return None if found is None else found[0]

    def clear(self) -> None:
        """Drop the decoded posting lists (the field lengths stay: they change only with
        the index, which gives a new searcher and cache)."""
        with self._lock:
            self._lists.clear()
            self.held_bytes = 0

    def doc_ids(self, field: str, term: str) -> np.ndarray:
        return self.postings(field, term)[0]

    def _read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list = []
        weights: list = []
        for reader, offset, matcher, _local in self._matchers(field, term):
            matcher, alive = self._unwrapped(offset, reader, matcher)
            block_ids, block_weights = _leaf_arrays(matcher)
            if alive is not None and block_ids:
                segment_ids, segment_weights = np.concatenate(block_ids), np.concatenate(block_weights)
                keep = alive[segment_ids]
                block_ids, block_weights = [segment_ids[keep]], [segment_weights[keep]]
            ids += [b + offset if offset else b for b in block_ids]
            weights += block_weights
        if not ids:
            return _EMPTY_IDS, _EMPTY_WEIGHTS
        return np.concatenate(ids), np.concatenate(weights)

    def values(self, field: str, term: str, docs: set[int]) -> dict[int, bytes]:
        """The encoded posting values (positions) of ``term`` in those of ``docs`` that have
        it (blocks holding none of ``docs`` skipped). Not cached."""
        found, joined, lengths = self._values(field, term, docs)
        ends = np.cumsum(lengths).tolist()
        raw = joined.tobytes()
        return {doc: raw[end - length:end] for doc, end, length in zip(found.tolist(), ends, lengths.tolist(), strict=True)}

    def positions(self, field: str, term: str, docs=None) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of every occurrence of ``term`` in ``docs`` (a set or a
        sorted array of document numbers; None: every document), as two int64 arrays,
        decoded at once when the field's format is
        :class:`reader.search.schema.ArrayPositions`. Not cached."""
        found, joined, lengths = self._values(field, term, docs)
        format_ = self.searcher.schema[field].format
        if isinstance(format_, ArrayPositions):
            return positions_format.decode_many(found, joined, lengths)
        raw, ends = joined.tobytes(), np.cumsum(lengths).tolist()
        pairs = [(doc, p) for doc, end, length in zip(found.tolist(), ends, lengths.tolist(), strict=True)
                 for p in format_.decode_positions(raw[end - length:end])]
        return (np.fromiter((d for d, _ in pairs), dtype=np.int64, count=len(pairs)),
                np.fromiter((p for _, p in pairs), dtype=np.int64, count=len(pairs)))

    def _values(self, field: str, term: str, docs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(documents, their posting values joined as a uint8 array, each value's length) of
        ``term`` among ``docs`` (None: all), by document. A block whose range of documents
        holds none of ``docs`` is passed over from its header, without being read."""
        wanted: np.ndarray | None = None
        if isinstance(docs, np.ndarray):
            wanted = docs.astype(np.int64, copy=False)
        elif docs is not None:
            wanted = np.fromiter(docs, dtype=np.int64, count=len(docs))
            wanted.sort()
        found: list[np.ndarray] = []
        joined: list[np.ndarray] = []
        lengths: list[np.ndarray] = []
        for reader, offset, matcher, local in self._matchers(field, term, wanted):
            matcher, alive = self._unwrapped(offset, reader, matcher)
            if local is not None:
                alive = None  # deleted documents are never among those asked for
            for ids, raw, sizes in _blocks(matcher, local, alive):
                found.append(ids + offset)
                joined.append(raw)
                lengths.append(sizes)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=np.int64)
        return np.concatenate(found), np.concatenate(joined), np.concatenate(lengths)

    def _unwrapped(self, offset: int, reader, matcher):
        """(the postings matcher, which documents are alive or None when all are). A segment
        with deleted documents would wrap its postings in a filter that tests every posting
        (and reads a block to find its first one): here the postings are decoded unwrapped
        (:func:`_postings_of`) and the deleted ones dropped at once."""
        deleted = getattr(reader, "deleted_docs_set", None)
        if not deleted:
            return matcher, None
        return matcher, self._alive(offset, reader, deleted)

    def _alive(self, offset: int, reader, deleted) -> np.ndarray:
        """Which documents of the segment at ``offset`` are not deleted (a boolean array by
        segment document number), from its deleted set; made once per segment: it was a
        sort of the whole segment for every term read."""
        with self._lock:
            found = self._alive_masks.get(offset)
        if found is None:
            found = np.ones(reader.doc_count_all(), dtype=bool)
            gone = np.fromiter(deleted, dtype=np.int64, count=len(deleted))
            found[gone[gone < len(found)]] = False
            with self._lock:
                self._alive_masks[offset] = found
        return found

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length of ``field`` (float64, by document number), as Whoosh's
        scorers read it (its one-byte approximation; 0 where the field is empty)."""
        with self._lock:
            found = self._lengths.get(field)
        if found is not None:
            return found
        parts = []
        for sub, _offset in self.searcher.leaf_searchers():
            parts.append(_segment_lengths(sub.reader(), field))
        lengths = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)
        with self._lock:
            self._lengths[field] = lengths
        return lengths


def _postings_of(reader, field: str, term: str):
    """The matcher of ``term`` in one segment, None when the segment lacks it (one lookup of
    its terms file, not two). Deleted documents are not filtered out (see
    ``PostingCache._unwrapped``)."""
    from whoosh.reading import ReaderClosed, TermNotFound

    terms = getattr(reader, "_terms", None)
    try:
        if terms is None or not hasattr(terms, "matcher") or not hasattr(reader, "deleted_docs_set"):
            return reader.postings(field, term)  # not the segment reader we know: its own filter
        if reader.is_closed:
            raise ReaderClosed
        if field not in reader.schema:
            return None
        return terms.matcher(field, reader._text_to_bytes(field, term), reader.schema[field].format)
    except TermNotFound:
        return None


def _blocks(matcher, local: np.ndarray | None, alive: np.ndarray | None = None):
    """(documents, values joined as uint8, value lengths) of one segment's postings, block by
    block, only for the sorted document numbers ``local`` when given: a block whose range
    holds none of them is skipped from its header. ``alive`` (a boolean array by document):
    only the documents it marks."""
    fast = hasattr(matcher, "block_values")  # reader.search.codec
    if not fast and not all(hasattr(matcher, n) for n in ("_read_ids", "_read_values", "_next_block", "block_max_id")):
        asked = None if local is None else set(local.tolist())
        docs, values = [], []
        while matcher.is_active():
            if (asked is None or matcher.id() in asked) and (alive is None or alive[matcher.id()]):
                docs.append(matcher.id())
                values.append(matcher.value())
            matcher.next()
        if docs:
            yield (np.asarray(docs, dtype=np.int64), np.frombuffer(b"".join(values), dtype=np.uint8),
                   np.fromiter(map(len, values), dtype=np.int64, count=len(values)))
        return
    below = -1  # every document of the blocks passed is at most this
    while matcher.is_active():
        top = matcher.block_max_id()
        if local is not None:
            first = np.searchsorted(local, below, side="right")
            if first >= len(local):
                return  # no document asked for is further on
            if local[first] > top:
                below = top
                matcher._next_block()
                continue
        if fast:
            ids = matcher.block_arrays()[0]
            values, sizes = matcher.block_values()
            raw = np.frombuffer(values, dtype=np.uint8)
        else:
            matcher._read_ids()
            matcher._read_values()
            ids = np.asarray(matcher._ids, dtype=np.int64)
            raw = np.frombuffer(b"".join(matcher._values), dtype=np.uint8)
            sizes = np.fromiter(map(len, matcher._values), dtype=np.int64, count=len(matcher._values))
        hit = None
        if local is not None:
            at = np.searchsorted(local, ids)
            inside = at < len(local)
            hit = inside & (local[np.where(inside, at, 0)] == ids)
        elif alive is not None:
            hit = alive[ids]
        if hit is not None:
            if not hit.any():
                below = top
                matcher._next_block()
                continue
            if not hit.all():
                raw = raw[np.repeat(hit, sizes)]
                ids, sizes = ids[hit], sizes[hit]
        yield ids, raw, sizes
        below = top
        matcher._next_block()


@functools.cache
def _length_table() -> np.ndarray:
    """Whoosh's one-byte field lengths, decoded (byte 0: no length)."""
    from whoosh.util.numeric import byte_to_length

    return np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)], dtype=np.float64)



def _segment_lengths(reader, field: str) -> np.ndarray:
    """One segment's field lengths: its length column (one byte a document) read at once,
    or, for a reader of another kind, document by document."""
    count = reader.doc_count_all()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(count, dtype=np.float64)
        raw = np.frombuffer(bytes(column._dbfile.get(column._basepos, column._count)), dtype=np.uint8)
        if len(raw) < count:  # documents after the last one with the field: length 0
            raw = np.concatenate([raw, np.zeros(count - len(raw), dtype=np.uint8)])
        return _length_table()[raw[:count]]
    except (AttributeError, TypeError):
        return np.fromiter((reader.doc_field_length(d, field, 0) or 0 for d in range(count)), dtype=np.float64, count=count)


def kept_on(searcher, name: str, make):
    """What ``searcher`` keeps under ``name`` (``make()`` at first use): state that lives and
    dies with one generation of the index. A searcher that takes no attributes gets a new
    one at each call."""
    found = getattr(searcher, f"reader_{name}", None)
    if found is None:
        found = make()
        with contextlib.suppress(AttributeError):
            setattr(searcher, f"reader_{name}", found)
    return found


def posting_cache(searcher) -> PostingCache:
    """The cache of ``searcher`` (made at first use; it lives and dies with the searcher)."""
    return kept_on(searcher, "posting_cache", lambda: PostingCache(searcher))
