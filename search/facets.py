"""Facet tables: each facet's values per index document as numpy arrays, read once per index generation.

Counting a facet over a result set is then one ``bincount`` over (document, value) pairs instead of
a Python loop over stored fields (STYLE.md: 925 ms from stored fields vs 175 ms from columns at
100 k clauses, and less again with arrays). The facets are the entries of the facet spec
(``search.facetspec``, re-exported here as ``FACETS``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from .facetspec import FACETS
from .postings import PostingArrays
from .ranking import ranking

# Numeric fields (the numeric facets, and each clause's position) are read from their full-precision
# terms, like the others from their terms: a column would give a document without a value the
# column's default (2147483647 for a year), and a segment where no document has one no column at
# all, so the arrays would come up short.
NUMERIC_FACETS = frozenset({f.field for f in FACETS if f.numeric} | {"position"})
# The index fields a table is made of: each facet's, and the sort keys.
PART_FIELDS = (*(f.field for f in FACETS), "doc_id", "date", "position")


@dataclass(frozen=True)
class Facet:
    """One facet: its value names and every (document, value) pair, value ids index ``names``."""

    names: tuple[str, ...]
    pair_doc: np.ndarray  # int32 document numbers
    pair_value: np.ndarray  # int32 value ids, aligned with pair_doc
    by_name: dict[str, int]

    def docs_with(self, values: set[str], size: int) -> np.ndarray:
        """Return a boolean mask of the documents carrying any of ``values``."""
        ids = [self.by_name[v] for v in values if v in self.by_name]
        mask = np.zeros(size, dtype=bool)
        if ids:
            mask[self.pair_doc[np.isin(self.pair_value, ids)]] = True
        return mask

    def count(self, docs: np.ndarray) -> list[tuple[str, int]]:
        """Return (value, count) over the documents of the boolean mask ``docs``, zeros left out."""
        return self._named(np.bincount(self.pair_value[docs[self.pair_doc]], minlength=len(self.names)))

    def count_of(self, ids: np.ndarray, size: int) -> list[tuple[str, int]]:
        """Return (value, count) over the documents ``ids`` (each once) of an index of ``size``, zeros left out.

        Reads the values of those documents only, so that a search of a few hundred matches
        costs as little at a million clauses as at ten thousand. For a facet of several values
        per document, past about a sixth of its pairs, reading every pair through a mask
        (:meth:`count`) is the cheaper way.
        """
        single, by_doc = self._by_doc
        if single is not None:
            values = single[ids[ids < len(single)]]
            return self._named(np.bincount(values[values >= 0], minlength=len(self.names)))
        starts, values_by_doc = by_doc
        ids = ids[ids < len(starts) - 1]
        lo = starts[ids]
        widths = starts[ids + 1] - lo
        if 6 * int(widths.sum()) > len(self.pair_doc):
            mask = np.zeros(size, dtype=bool)
            mask[ids] = True
            return self.count(mask)
        # every pair of every id: lo[i], lo[i] + 1, …, lo[i] + widths[i] - 1, flattened
        at = np.repeat(lo - np.cumsum(widths) + widths, widths) + np.arange(int(widths.sum()))
        return self._named(np.bincount(values_by_doc[at], minlength=len(self.names)))

    @cached_property
    def _by_doc(self) -> tuple[np.ndarray | None, tuple[np.ndarray, np.ndarray] | None]:
        """The pairs by document, made on first use: a value per document (-1: none) when no
        document has two, else where each document's values start and those values in document order."""
        end = int(self.pair_doc.max()) + 1 if len(self.pair_doc) else 0
        per_doc = np.bincount(self.pair_doc, minlength=end)
        if not len(per_doc) or per_doc.max() <= 1:
            single = np.full(end, -1, dtype=np.int16 if len(self.names) < 2**15 else np.int32)
            single[self.pair_doc] = self.pair_value
            return single, None
        starts = np.zeros(end + 1, dtype=np.int32 if len(self.pair_doc) < 2**31 else np.int64)
        np.cumsum(per_doc, out=starts[1:])
        # pairs are by value then document: a stable sort by document keeps each one's values in order
        return None, (starts, self.pair_value[np.argsort(self.pair_doc, kind="stable")])

    def _named(self, counts: np.ndarray) -> list[tuple[str, int]]:
        return [(self.names[i], int(counts[i])) for i in np.flatnonzero(counts)]


@dataclass(frozen=True)
class SegmentPart:
    """What one segment says of its clauses: per field of PART_FIELDS, the value names and pairs.

    Document numbers are the segment's own and deleted clauses are in: a segment never changes
    once written (its deletions are kept apart), so a build reuses the parts of the segments it
    keeps and reads only the new ones; deletions apply when parts are combined.
    """

    segment: str
    size: int
    fields: dict[str, Facet]

    @classmethod
    def read(cls, segment_reader: IndexReader) -> SegmentPart:
        postings = PostingArrays(segment_reader, budget_mb=0, with_deleted=True)
        return cls(segment_reader.segment().segment_id(), segment_reader.doc_count_all(),
                   {name: _read_field(segment_reader, postings, name) for name in PART_FIELDS})


class FacetTable:
    """Every facet of one reader, plus each document's doc_id, as arrays.

    A build saves the table beside the generation it writes (:meth:`save`, ``facets.npz``), so a
    serving process loads it (:meth:`load`) instead of reading every facet term's postings on
    its first search (0.7 s at 100 k clauses, 6.8 s at 1 M).
    """

    # the arrays save() writes besides each facet's pairs; rank_factor is not saved, as
    # ranking.toml is read at query time (editing it needs no rebuild)
    SAVED = ("live", "doc_of", "date_rank", "bare", "position")

    def __init__(self, reader: IndexReader, known: dict[str, SegmentPart] | None = None):
        """Read the table of ``reader``; the segments of ``known`` (by segment id) are not read again."""
        self.size = reader.doc_count_all()
        postings = PostingArrays(reader, budget_mb=0)  # the live documents and the text lengths
        self.live = postings.live
        known = known or {}
        self.parts: list[SegmentPart] = []
        offsets = []
        for segment_reader, offset in reader.leaf_readers():
            if not segment_reader.doc_count_all():
                continue  # an index of no clause: Whoosh's EmptyReader
            part = known.get(segment_reader.segment().segment_id())
            if part is None or part.size != segment_reader.doc_count_all():
                part = SegmentPart.read(segment_reader)
            self.parts.append(part)
            offsets.append(offset)
        fields = {name: _combined(name, [(part.fields[name], offset) for part, offset in zip(self.parts, offsets)],
                                  self.live) for name in PART_FIELDS}
        self.facets = {f.name: fields[f.field] for f in FACETS}  # by facet name
        doc_ids = fields["doc_id"]
        self.doc_names = doc_ids.names
        self.doc_index = doc_ids.by_name
        self.doc_of = np.full(self.size, -1, dtype=np.int32)  # document number → doc_id index
        self.doc_of[doc_ids.pair_doc] = doc_ids.pair_value
        # Sort keys, from postings like the facets: doc_id indexes are in doc_id order already.
        dates = fields["date"]
        self.date_rank = np.full(self.size, -1, dtype=np.int32)  # index among the dates in order; -1: none
        self.date_rank[dates.pair_doc] = dates.pair_value
        self.rank_factor = self._rank_factors()
        self.bare = self._bare(postings)
        positions = fields["position"]
        self.position = np.zeros(self.size, dtype=np.int64)
        self.position[positions.pair_doc] = np.asarray([int(n) for n in positions.names], dtype=np.int64)[
            positions.pair_value]

    def save(self, path: Path) -> None:
        """Write the table to ``path`` (see _write_npz)."""
        arrays = {name: getattr(self, name) for name in self.SAVED}
        names = {"doc_id": list(self.doc_names)}
        for name, facet in self.facets.items():
            arrays[f"{name}.doc"], arrays[f"{name}.value"] = facet.pair_doc, facet.pair_value
            names[name] = list(facet.names)
        _write_npz(path, arrays, names)

    @classmethod
    def load(cls, path: Path, size: int) -> FacetTable | None:
        """Read a table :meth:`save` wrote for an index of ``size`` documents; None when it was
        saved for other facets (the facet spec changed since the build) and must be read anew.

        :raises ValueError: the file is not such a table, or is one of another size.
        """
        with np.load(path, allow_pickle=False) as data:
            names = json.loads(bytes(data["names"]).decode("utf-8"))
            if set(names) != {"doc_id", *(f.name for f in FACETS)}:
                return None
            table = cls.__new__(cls)
            table.size = size
            for name in cls.SAVED:
                setattr(table, name, data[name])
            if any(len(getattr(table, name)) != size for name in cls.SAVED):
                raise ValueError(f"{path.name} holds {len(table.live)} documents, the index {size}")
            table.facets = {f.name: _facet_of(names[f.name], data[f"{f.name}.doc"], data[f"{f.name}.value"])
                            for f in FACETS}
        table.doc_names = tuple(names["doc_id"])
        table.doc_index = {n: i for i, n in enumerate(table.doc_names)}
        table.rank_factor = table._rank_factors()
        return table

    def _rank_factors(self) -> np.ndarray:
        """Return each clause's score factor (ranking.toml): the higher its 效力级别, the higher."""
        weights = ranking()
        factor = np.ones(self.size, dtype=np.float64)
        authority = self.facets["authority"]
        by_value = np.asarray([weights.authority_factor(name) for name in authority.names] or [1.0])
        factor[authority.pair_doc] = by_value[authority.pair_value]
        return factor

    def _bare(self, postings: PostingArrays) -> np.ndarray:
        """Return a mask of the bare headings: units with no text of their own (第六章 职务发明创造的奖励和报酬)."""
        lengths = postings.lengths("text")
        if lengths is None:  # no clause has text
            return self.live.copy()
        return self.live & (lengths == 0)

    def save_parts(self, path: Path) -> None:
        """Write the table's segment parts to ``path``, for the next build to reuse (see SegmentPart)."""
        arrays, names = {}, {}
        for part in self.parts:
            names[part.segment] = {"size": part.size, "names": {f: list(facet.names) for f, facet in part.fields.items()}}
            for name, facet in part.fields.items():
                arrays[f"{part.segment}.{name}.doc"] = facet.pair_doc
                arrays[f"{part.segment}.{name}.value"] = facet.pair_value
        _write_npz(path, arrays, names)

    @staticmethod
    def load_parts(path: Path) -> dict[str, SegmentPart]:
        """Read the segment parts :meth:`save_parts` wrote, by segment id (those of other fields left out).

        :raises ValueError: the file is not such a table.
        """
        with np.load(path, allow_pickle=False) as data:
            names = json.loads(bytes(data["names"]).decode("utf-8"))
            return {segment: SegmentPart(segment, int(entry["size"]),
                                         {name: _facet_of(entry["names"][name], data[f"{segment}.{name}.doc"],
                                                          data[f"{segment}.{name}.value"]) for name in PART_FIELDS})
                    for segment, entry in names.items() if set(entry["names"]) == set(PART_FIELDS)}

    def mask(self, docnums) -> np.ndarray:
        """Return a boolean mask of ``docnums`` (an array or any iterable of document numbers)."""
        mask = np.zeros(self.size, dtype=bool)
        # fromiter walks an array element by element in Python: 20 ms for 200,000 matches
        ids = (docnums.astype(np.int64, copy=False) if isinstance(docnums, np.ndarray)
               else np.fromiter(docnums, dtype=np.int64, count=-1))
        if len(ids):
            mask[ids] = True
        return mask & self.live

    def by_date(self, docnums: np.ndarray) -> np.ndarray:
        """Return ``docnums`` newest first (undated last), then by document and reading order.

        Whoosh's own sort reads columns, which a segment where no clause has a date lacks
        (its ReversedColumnCategorizer then fails on the missing value), so the keys come from postings.
        """
        docnums = np.asarray(docnums, dtype=np.int64)
        return docnums[self.date_order(docnums)]

    def date_order(self, docnums: np.ndarray) -> np.ndarray:
        """Return the positions of ``docnums`` in by_date's order (to carry aligned arrays along)."""
        docnums = np.asarray(docnums, dtype=np.int64)
        return np.lexsort((self.position[docnums], self.doc_of[docnums], -self.date_rank[docnums]))

    def docs_of(self, doc_id: str) -> np.ndarray:
        """Return the document numbers of every clause of ``doc_id``."""
        index = self.doc_index.get(doc_id)
        if index is None:
            return np.zeros(0, dtype=np.int32)
        return np.flatnonzero(self.doc_of == index).astype(np.int32)


def _write_npz(path: Path, arrays: dict[str, np.ndarray], names: dict) -> None:
    """Write ``arrays`` and the JSON of ``names`` to ``path``.

    Written straight into the generation a build writes: it goes live only once CURRENT names
    it, and derived files are never linked from the generation before (so never shared).
    """
    arrays = {**arrays, "names": np.frombuffer(json.dumps(names, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)}
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _read_field(reader: IndexReader, postings: PostingArrays, name: str) -> Facet:
    """Return the facet of index field ``name``: each value's documents from its term's postings."""
    if name not in reader.indexed_field_names():  # no document of this segment has a value
        return _facet([], [])
    field = reader.schema[name]
    if name in NUMERIC_FACETS:
        terms = ((str(field.from_bytes(t)), t) for t in field.sortable_terms(reader, name))
    else:
        terms = ((t.decode("utf-8"), t) for t in reader.lexicon(name))
    names: list[str] = []
    docs: list[np.ndarray] = []
    for value, term in terms:
        ids = postings.term(name, term).ids.astype(np.int32)
        if len(ids):
            names.append(value)
            docs.append(ids)
    return _facet(names, docs)


def _combined(name: str, pieces: list[tuple[Facet, int]], live: np.ndarray) -> Facet:
    """Join the segments' facets of field ``name`` (each with its document offset), live documents only.

    Value names in term order (numbers by value), pairs by value then document, a value no live
    document holds left out: what one reader of the whole index gives.
    """
    names = sorted(set().union(*(facet.names for facet, _ in pieces)),
                   key=(lambda n: int(n)) if name in NUMERIC_FACETS else None)
    index = {n: i for i, n in enumerate(names)}
    docs, values = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for facet, offset in pieces:
        remap = np.asarray([index[n] for n in facet.names], dtype=np.int64)
        docs.append(facet.pair_doc.astype(np.int64) + offset)
        values.append(remap[facet.pair_value] if len(remap) else np.zeros(0, dtype=np.int64))
    doc, value = np.concatenate(docs), np.concatenate(values)
    keep = live[doc]
    doc, value = doc[keep], value[keep]
    used = np.bincount(value, minlength=len(names)) > 0
    renumber = np.cumsum(used) - 1
    order = np.lexsort((doc, value))
    return _facet_of([n for n, u in zip(names, used) if u], doc[order].astype(np.int32),
                     renumber[value[order]].astype(np.int32))


def _facet_of(names: list[str], pair_doc: np.ndarray, pair_value: np.ndarray) -> Facet:
    return Facet(names=tuple(names), pair_doc=pair_doc, pair_value=pair_value,
                 by_name={n: i for i, n in enumerate(names)})


def _facet(names: list[str], docs: list[np.ndarray]) -> Facet:
    pair_doc = np.concatenate(docs).astype(np.int32) if docs else np.zeros(0, dtype=np.int32)
    pair_value = (np.concatenate([np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs)])
                  if docs else np.zeros(0, dtype=np.int32))
    return Facet(names=tuple(names), pair_doc=pair_doc, pair_value=pair_value,
                 by_name={n: i for i, n in enumerate(names)})
