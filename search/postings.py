"""A term's postings as numpy arrays: live document numbers, weights and (for phrases) positions, read block by block.

What the array query path (``search.arrays``) reads per query. Whoosh's own matchers step
through a posting list one Python call per document; here a term's blocks are unpickled once
and kept, within ``settings.POSTINGS_CACHE_MB``, as arrays over the whole index's document
numbers (a segment's numbers plus its offset), deleted documents left out.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pickle import loads
from zlib import decompress

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import ListMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.util.numeric import byte_to_length

from . import settings

# Whoosh stores a field's length per document as one byte; this is what each byte stands for.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


@dataclass
class TermPostings:
    """One term's live postings over the whole index, in document order."""

    ids: np.ndarray  # int64 document numbers
    weights: np.ndarray  # float64 (Whoosh stores float32: the same values)
    values: list | None = None  # each posting's encoded value (positions), for fields that have them
    _positions: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @property
    def nbytes(self) -> int:
        held = self.ids.nbytes + self.weights.nbytes
        if self.values is not None:
            held += sum(len(v) for v in self.values) + 56 * len(self.values)  # bytes objects' own size
        if self._positions is not None:
            held += self._positions[0].nbytes + self._positions[1].nbytes
        return held


EMPTY = TermPostings(_EMPTY_IDS, np.zeros(0, dtype=np.float64))


class PostingArrays:
    """The postings, field lengths and live documents of one open reader, as arrays.

    Built for one reader (one generation) and dropped with it: nothing here notices writes.
    ``budget_mb=0`` caches nothing (a reader read once, as a build's facet table is), and
    ``with_deleted`` keeps deleted documents in (a segment's part of the facet table, which
    outlives its deletions: see ``search.facets``).
    """

    def __init__(self, reader: IndexReader, budget_mb: int = settings.POSTINGS_CACHE_MB, with_deleted: bool = False):
        self.reader = reader
        self.schema = reader.schema
        # an index with no clauses has one EmptyReader, which holds no files to read
        self.segments = [(r, offset) for r, offset in reader.leaf_readers() if r.doc_count_all()]
        self.size = self.reader.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        for reader, offset in ([] if with_deleted else self.segments):
            deleted = reader.deleted_docs_set if reader.has_deletions() else ()
            if deleted:
                self.live[np.fromiter(deleted, dtype=np.int64, count=len(deleted)) + offset] = False
        self._live_ids = np.flatnonzero(self.live).astype(np.int64)
        self._lengths: dict[str, np.ndarray | None] = {}
        self._budget = budget_mb * 1024 * 1024
        self._held = 0
        # term → its postings and the bytes they were counted at
        self._cache: OrderedDict[tuple[str, bytes], tuple[TermPostings, int]] = OrderedDict()
        self._lock = threading.Lock()  # the cache, under a threaded server; reads run outside it

    def live_ids(self) -> np.ndarray:
        """Return the live document numbers, ascending (every Not and Every query reads them)."""
        return self._live_ids

    def lengths(self, fieldname: str) -> np.ndarray | None:
        """Return each document's length of ``fieldname`` as Whoosh scores it (None: no segment keeps any).

        A segment where no document has the field keeps no lengths of it: its documents count
        as 0 there (none of them is ever scored on the field, as none holds a term of it).
        """
        if fieldname not in self._lengths:
            parts, kept = [], False
            for reader, _ in self.segments:
                column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                count = reader.doc_count_all()
                if column is None:
                    parts.append(np.zeros(count))
                    continue
                kept = True
                raw = np.frombuffer(bytes(column[i] for i in range(count)) if not isinstance(column, bytes)
                                    else column[:count], dtype=np.uint8)
                parts.append(_LENGTH_OF_BYTE[raw])
            self._lengths[fieldname] = np.concatenate(parts) if kept else None
        return self._lengths[fieldname]

    def term(self, fieldname: str, btext: bytes) -> TermPostings:
        """Return a term's live postings (EMPTY when no live document holds it)."""
        key = (fieldname, btext)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached[0]
        postings = self._read(fieldname, btext)
        with self._lock:
            self._keep(key, postings)
        return postings

    def positions(self, fieldname: str, btext: bytes, postings: TermPostings) -> tuple[np.ndarray, np.ndarray]:
        """Return the positions of ``postings`` (the term's, as :meth:`term` gave them): a flat int64
        array and each posting's start in it (len(ids) + 1). Decoded once, then kept with them."""
        values = postings.values
        if postings._positions is None:
            if values is None:
                raise ValueError(f"field {fieldname!r} keeps no positions")
            decode = self.schema[fieldname].format.decode_positions
            lists = [decode(v) for v in values]
            starts = np.zeros(len(lists) + 1, dtype=np.int64)
            np.cumsum([len(p) for p in lists], out=starts[1:])
            flat = np.fromiter((p for ps in lists for p in ps), dtype=np.int64, count=int(starts[-1]))
            key = (fieldname, btext)
            with self._lock:
                postings._positions = (flat, starts)
                postings.values = None  # decoded: the encoded form is no longer needed
                if key in self._cache:  # count it at its new size
                    self._held -= self._cache.pop(key)[1]
                    self._keep(key, postings)
        return postings._positions

    def _keep(self, key: tuple[str, bytes], postings: TermPostings) -> None:
        size = postings.nbytes
        if size > self._budget // 4:
            return  # one term must not push every other out
        self._cache[key] = (postings, size)
        self._held += size
        while self._held > self._budget and self._cache:
            _, (_, dropped) = self._cache.popitem(last=False)
            self._held -= dropped

    def _read(self, fieldname: str, btext: bytes) -> TermPostings:
        positional = self.schema[fieldname].format.supports("positions")
        ids, weights, values = [], [], []
        for reader, offset in self.segments:
            try:  # one look-up of the term, not a test and then a read
                matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
            except TermNotFound:
                continue
            for block_ids, block_weights, block_values in _blocks(matcher):
                ids.append(block_ids + offset)
                weights.append(block_weights)
                if positional:
                    values.extend(block_values)
        if not ids:
            return EMPTY
        all_ids = np.concatenate(ids)
        all_weights = np.concatenate(weights)
        keep = self.live[all_ids]
        if not keep.all():
            all_ids, all_weights = all_ids[keep], all_weights[keep]
            if positional:
                values = [v for v, k in zip(values, keep.tolist()) if k]
        return TermPostings(all_ids, all_weights, values if positional else None)


def _blocks(matcher):
    """Yield (ids, weights, values) of each block of a term's postings in one segment."""
    if isinstance(matcher, ListMatcher):  # postings inlined in the term info
        ids = np.asarray(matcher._ids, dtype=np.int64)
        weights = (np.asarray(matcher._weights, dtype=np.float64) if matcher._weights is not None
                   else np.full(len(ids), float(matcher._all_weights or 1.0)))
        yield ids, weights, list(matcher._values) if matcher._values is not None else [None] * len(ids)
        return
    if not isinstance(matcher, W3LeafMatcher):
        raise TypeError(f"postings of an unknown kind: {type(matcher).__name__}")
    while True:
        data_length = matcher._nextoffset - matcher._dataoffset
        raw = matcher._postfile.get(matcher._dataoffset, data_length)
        data = loads(decompress(raw) if matcher._compression else raw)
        count = matcher._blocklength
        ids = np.asarray(data[0], dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)
        weights = data[1]
        if weights is None:
            weights = np.ones(count)
        elif isinstance(weights, float):
            weights = np.full(count, weights)
        else:
            weights = np.asarray(weights, dtype=np.float64)
        yield ids, weights, data[2]
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)
