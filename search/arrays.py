"""The query path on arrays: a Whoosh query tree → its matching documents and their BM25F scores, as numpy arrays.

Whoosh's matchers score one match per Python step; here every node of the tree is computed
on whole posting arrays (``search.postings``), so a query's cost is a few numpy passes over
its terms' postings, whatever their length. It says what Whoosh's matcher says: the same
documents, scored by the same formulas (its quirks included, named where they are kept),
ordered by score, then document number. ``tests/test_arrays.py`` holds the two to that on
real indexes; a node kind not handled here is run by Whoosh's own matcher.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as Q
from whoosh.query.terms import MultiTerm
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from .postings import PostingArrays, TermPostings

_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Matches:
    """Matching document numbers (ascending, unique) and their scores, position by position."""

    ids: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def boosted(self, boost: float) -> Matches:
        return self if boost == 1.0 else Matches(self.ids, self.scores * boost)

    def within(self, start: int, end: int) -> Matches:
        """The matches among document numbers start … end - 1 (one segment's)."""
        lo, hi = np.searchsorted(self.ids, [start, end])
        return Matches(self.ids[lo:hi], self.scores[lo:hi])


NOTHING = Matches(_NO_IDS, _NO_SCORES)


class ArrayQueries:
    """Runs queries of one open searcher on its posting arrays."""

    def __init__(self, searcher: Searcher, postings: PostingArrays | None = None):
        self.searcher = searcher
        self.postings = postings or PostingArrays(searcher.reader())
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):
            raise TypeError(f"the array path scores with BM25F, not {type(weighting).__name__}")
        self.weighting = weighting

    def run(self, query: Q.Query) -> Matches:
        """Return every live document the query matches, with its score."""
        return self._node(query)

    def ranked(self, query: Q.Query, limit: int | None = None) -> list[tuple[float, int]]:
        """Return (score, document number) of the best ``limit`` matches (all when None): by score, then number.

        The order of Whoosh's ``Results.top_n``.
        """
        found = self.run(query)
        order = np.lexsort((found.ids, -found.scores))
        if limit is not None:
            order = order[:limit]
        return list(zip(found.scores[order].tolist(), found.ids[order].tolist()))

    def docs(self, query: Q.Query) -> np.ndarray:
        """Return the document numbers a query matches, ascending."""
        return self.run(query).ids

    def count(self, query: Q.Query) -> int:
        return len(self.run(query))

    # One method per node kind. A compound node with one subquery is that subquery, its own
    # boost dropped, and a binary node (AndMaybe, AndNot) has no boost: Whoosh's matchers do so.

    def _node(self, query: Q.Query) -> Matches:
        kind = type(query)
        if query is Q.NullQuery or kind is Q.qcore._NullQuery:
            return NOTHING
        if kind is Q.Term:
            return self._term(query.fieldname, query.text).boosted(query.boost)
        if kind is Q.Or:
            if query.minmatch or query.scale:
                return self._whoosh(query)
            return self._compound(query, _union)
        if kind is Q.And:
            return self._compound(query, _intersection)
        if kind is Q.AndMaybe:
            return _and_maybe(self._node(query.a), self._node(query.b))
        if kind is Q.AndNot:
            return _and_not(self._node(query.a), self._node(query.b).ids)
        if kind is Q.Not:
            # Whoosh's InverseMatcher: every live document the child misses, each scoring 1.0
            ids = np.setdiff1d(self.postings.live_ids(), self._node(query.query).ids, assume_unique=True)
            return Matches(ids, np.ones(len(ids)))
        if kind is Q.Phrase:
            return self._phrase(query)
        if kind is Q.Every and query.fieldname in (None, "", "*"):
            ids = self.postings.live_ids()
            return Matches(ids, np.full(len(ids), float(query.boost)))
        if kind is Q.NumericRange:
            return self._node(query._compile_query(self.searcher.reader()))
        if kind is ConstantScoreQuery:
            # Outside a matcher that needs its current match (none here), a constant: the boost
            found = self._node(query.child)
            return Matches(found.ids, np.full(len(found), float(query.score)))
        if isinstance(query, MultiTerm) and kind in (Q.Prefix, Q.TermRange):
            return self._multiterm(query)
        return self._whoosh(query)

    def _compound(self, query: Q.CompoundQuery, combine) -> Matches:
        subs = query.subqueries
        if not subs:
            return NOTHING
        if len(subs) == 1:
            return self._node(subs[0])
        return combine([self._node(sub) for sub in subs]).boosted(query.boost)

    def _term(self, fieldname: str, text) -> Matches:
        field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
        if field is None:
            return NOTHING
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return NOTHING
        postings = self.postings.term(fieldname, btext)
        if not len(postings.ids):
            return NOTHING
        return Matches(postings.ids, self._scores(fieldname, btext, postings))

    def _scores(self, fieldname: str, btext: bytes, postings: TermPostings) -> np.ndarray:
        """Score each posting as Whoosh's BM25FScorer does (WeightScorer: the weight, for a field without lengths)."""
        field = self.searcher.schema[fieldname]
        if not field.scorable:
            return postings.weights
        searcher = self.searcher
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        lengths = self.postings.lengths(fieldname)
        fl = lengths[postings.ids] if lengths is not None else np.ones(len(postings.ids))
        B = self.weighting._field_B.get(fieldname, self.weighting.B)
        K1 = self.weighting.K1
        tf = postings.weights
        # whoosh.scoring.bm25, the same operations in the same order
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def _multiterm(self, query: MultiTerm) -> Matches:
        """A prefix or a term range: Or of its terms (one term: that term, unboosted).

        Whoosh expands it segment by segment, into the terms of that segment, and chooses its Or
        matcher by the segment's size, so the same prefix may score differently in two segments.
        """
        fieldname = query.field()
        texts = [t for t in query._btexts(self.searcher.reader()) if t]
        if not texts:
            return NOTHING
        terms = {t: self._term(fieldname, t) for t in texts}
        segments = self.postings.segments
        if len(segments) <= 1:
            return _expanded(query, list(terms.values()), self.searcher.doc_count_all())
        pieces = []
        for reader, offset in segments:
            end = offset + reader.doc_count_all()
            held = [terms[t].within(offset, end) for t in query._btexts(reader) if t]
            if held:
                pieces.append(_expanded(query, held, reader.doc_count_all()))
        return Matches(np.concatenate([_NO_IDS, *(m.ids for m in pieces)]),
                       np.concatenate([_NO_SCORES, *(m.scores for m in pieces)]))

    def _phrase(self, query: Q.Phrase) -> Matches:
        """Documents holding the words at consecutive positions; scored as Whoosh's SpanNear2 does:
        the sum of the words' own scores there."""
        fieldname = query.fieldname
        schema = self.searcher.schema
        if fieldname not in schema:
            return NOTHING
        field = schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return self._whoosh(query)  # Whoosh's own error: a phrase on a field without positions
        if query.slop != 1:
            return self._whoosh(query)
        try:
            btexts = [field.to_bytes(w) for w in query.words]
        except ValueError:
            return NOTHING
        reader = self.searcher.reader()
        if not btexts or any((fieldname, b) not in reader for b in btexts):
            return NOTHING
        # each word's postings read once: one too large for the cache would otherwise be read again
        postings_of = [self.postings.term(fieldname, b) for b in btexts]
        both = _intersection([Matches(p.ids, self._scores(fieldname, b, p)) for b, p in zip(btexts, postings_of)])
        if not len(both) or len(btexts) == 1:
            return both.boosted(query.boost)
        # For each word i, the positions p it stands at in the candidates, keyed (candidate, p - i):
        # a key every word has is a place where the whole phrase starts.
        keys = None
        for i, (btext, postings) in enumerate(zip(btexts, postings_of)):
            flat, starts = self.postings.positions(fieldname, btext, postings)
            rows = np.searchsorted(postings.ids, both.ids)
            counts = starts[rows + 1] - starts[rows]
            which = np.repeat(np.arange(len(rows)), counts)
            offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            at = flat[np.repeat(starts[rows], counts) + offsets] - i
            mine = np.unique(which * (1 << 32) + at)
            keys = mine if keys is None else np.intersect1d(keys, mine, assume_unique=True)
            if not len(keys):
                return NOTHING
        found = np.unique(keys >> 32)
        return Matches(both.ids[found], both.scores[found]).boosted(query.boost)

    def _whoosh(self, query: Q.Query) -> Matches:
        """Run a node this module doesn't compute through Whoosh's own matcher."""
        matcher = query.matcher(self.searcher, self.searcher.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        return Matches(np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float64))


def _expanded(query: MultiTerm, terms: list[Matches], doc_count: int) -> Matches:
    """A multi-term query over one segment of ``doc_count`` documents, ``terms`` its terms' matches there."""
    if len(terms) == 1:
        return terms[0]
    found = _union(terms)
    if query.constantscore and _preloaded(len(terms), doc_count):
        # A constant-score Or that Whoosh preloads into an array (a small segment, or very many
        # terms) gives each match 1, its boost unused; otherwise its terms are scored after all.
        return Matches(found.ids, np.ones(len(found)))
    return found.boosted(query.boost)


def _preloaded(parts: int, doc_count: int) -> bool:
    """Tell whether Whoosh's Or of ``parts`` subqueries, not needing its current match, preloads them (Or.AUTO_MATCHER)."""
    return parts >= Q.Or.TOO_MANY_CLAUSES or (parts != 2 and doc_count <= 5000)


def _union(parts: list[Matches]) -> Matches:
    """Documents any part matches, each scoring the sum of the parts that match it."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return NOTHING
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    return Matches(unique, np.bincount(inverse, weights=scores, minlength=len(unique)))


def _intersection(parts: list[Matches]) -> Matches:
    """Documents every part matches, each scoring the sum of the parts' scores."""
    if not parts or any(not len(p) for p in parts):
        return NOTHING
    order = sorted(range(len(parts)), key=lambda i: len(parts[i]))
    ids = parts[order[0]].ids
    for i in order[1:]:
        ids = ids[np.isin(ids, parts[i].ids, assume_unique=True)]
        if not len(ids):
            return NOTHING
    total = np.zeros(len(ids))
    for part in parts:
        total += part.scores[np.searchsorted(part.ids, ids)]
    return Matches(ids, total)


def _and_maybe(required: Matches, optional: Matches) -> Matches:
    """The required part's documents; the optional part's score added where it matches too."""
    if not len(required) or not len(optional):
        return required
    rows = np.searchsorted(optional.ids, required.ids)
    rows[rows == len(optional.ids)] = 0
    hit = optional.ids[rows] == required.ids
    return Matches(required.ids, required.scores + np.where(hit, optional.scores[rows], 0.0))


def _and_not(found: Matches, excluded: np.ndarray) -> Matches:
    if not len(found) or not len(excluded):
        return found
    keep = ~np.isin(found.ids, excluded, assume_unique=True)
    return Matches(found.ids[keep], found.scores[keep])
