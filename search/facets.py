"""Facet tables: each facet's values per index document as numpy arrays, read once per index generation.

Counting a facet over a result set is then one ``bincount`` over (document, value) pairs instead of
a Python loop over stored fields (STYLE.md: 925 ms from stored fields vs 175 ms from columns at
100 k clauses, and less again with arrays). The facets are the entries of the facet spec
(``search.facetspec``, re-exported here as ``FACETS``).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
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
        counts = np.bincount(self.pair_value[docs[self.pair_doc]], minlength=len(self.names))
        return [(self.names[i], int(counts[i])) for i in np.flatnonzero(counts)]


class FacetTable:
    """Every facet of one reader, plus each document's doc_id, as arrays.

    A build saves the table beside the generation it writes (:meth:`save`, ``facets.npz``), so a
    serving process loads it (:meth:`load`) instead of reading every facet term's postings on
    its first search (0.7 s at 100 k clauses, 6.8 s at 1 M).
    """

    # the arrays save() writes besides each facet's pairs; rank_factor is not saved, as
    # ranking.toml is read at query time (editing it needs no rebuild)
    SAVED = ("live", "doc_of", "date_rank", "bare", "position")

    def __init__(self, reader: IndexReader):
        self.size = reader.doc_count_all()
        postings = PostingArrays(reader, budget_mb=0)  # each term's document numbers as one array
        self.live = postings.live
        self.facets = {f.name: self._read(reader, postings, f.field) for f in FACETS}  # by facet name
        doc_ids = self._read(reader, postings, "doc_id")
        self.doc_names = doc_ids.names
        self.doc_index = doc_ids.by_name
        self.doc_of = np.full(self.size, -1, dtype=np.int32)  # document number → doc_id index
        self.doc_of[doc_ids.pair_doc] = doc_ids.pair_value
        # Sort keys, from postings like the facets: doc_id indexes are in doc_id order already.
        dates = self._read(reader, postings, "date")
        self.date_rank = np.full(self.size, -1, dtype=np.int32)  # index among the dates in order; -1: none
        self.date_rank[dates.pair_doc] = dates.pair_value
        self.rank_factor = self._rank_factors()
        self.bare = self._bare(postings)
        positions = self._read(reader, postings, "position")
        self.position = np.zeros(self.size, dtype=np.int64)
        self.position[positions.pair_doc] = np.asarray([int(n) for n in positions.names], dtype=np.int64)[
            positions.pair_value]

    def save(self, path: Path) -> None:
        """Write the table to ``path`` (a new file, put in place whole)."""
        arrays = {name: getattr(self, name) for name in self.SAVED}
        names = {"doc_id": list(self.doc_names)}
        for name, facet in self.facets.items():
            arrays[f"{name}.doc"], arrays[f"{name}.value"] = facet.pair_doc, facet.pair_value
            names[name] = list(facet.names)
        arrays["names"] = np.frombuffer(json.dumps(names, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)

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

    def _read(self, reader: IndexReader, postings: PostingArrays, name: str) -> Facet:
        """Return the facet of index field ``name``."""
        if name not in reader.indexed_field_names():  # no document of this index has a value
            return _facet([], [])
        field = reader.schema[name]
        if name in NUMERIC_FACETS:
            terms = ((str(field.from_bytes(t)), t) for t in field.sortable_terms(reader, name))
        else:
            terms = ((t.decode("utf-8"), t) for t in reader.lexicon(name))
        return self._from_terms(postings, name, terms)

    def _from_terms(self, postings: PostingArrays, name: str, terms) -> Facet:
        """Return the facet of (value name, term bytes) pairs from each term's postings (live documents only)."""
        names: list[str] = []
        docs: list[np.ndarray] = []
        for value, term in terms:
            ids = postings.term(name, term).ids.astype(np.int32)
            if len(ids):
                names.append(value)
                docs.append(ids)
        return _facet(names, docs)

    def mask(self, docnums) -> np.ndarray:
        """Return a boolean mask of ``docnums`` (any iterable of document numbers)."""
        mask = np.zeros(self.size, dtype=bool)
        ids = np.fromiter(docnums, dtype=np.int64, count=-1)
        if len(ids):
            mask[ids] = True
        return mask & self.live

    def by_date(self, docnums: np.ndarray) -> np.ndarray:
        """Return ``docnums`` newest first (undated last), then by document and reading order.

        Whoosh's own sort reads columns, which a segment where no clause has a date lacks
        (its ReversedColumnCategorizer then fails on the missing value), so the keys come from postings.
        """
        docnums = np.asarray(docnums, dtype=np.int64)
        return docnums[np.lexsort((self.position[docnums], self.doc_of[docnums], -self.date_rank[docnums]))]

    def docs_of(self, doc_id: str) -> np.ndarray:
        """Return the document numbers of every clause of ``doc_id``."""
        index = self.doc_index.get(doc_id)
        if index is None:
            return np.zeros(0, dtype=np.int32)
        return np.flatnonzero(self.doc_of == index).astype(np.int32)


def _facet_of(names: list[str], pair_doc: np.ndarray, pair_value: np.ndarray) -> Facet:
    return Facet(names=tuple(names), pair_doc=pair_doc, pair_value=pair_value,
                 by_name={n: i for i, n in enumerate(names)})


def _facet(names: list[str], docs: list[np.ndarray]) -> Facet:
    pair_doc = np.concatenate(docs).astype(np.int32) if docs else np.zeros(0, dtype=np.int32)
    pair_value = (np.concatenate([np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs)])
                  if docs else np.zeros(0, dtype=np.int32))
    return Facet(names=tuple(names), pair_doc=pair_doc, pair_value=pair_value,
                 by_name={n: i for i, n in enumerate(names)})
