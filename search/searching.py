"""Searching: a query and filters → one page of clause hits with the facet counts of the whole result set.

The one library entry point the CLI and the web layer call. Facet counts are disjunctive: each
facet is counted with every other facet's filters applied but not its own, so a user sees what
ticking one more value of that facet would add.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np
from whoosh import query as Q
from whoosh.searching import Searcher

from . import settings
from .arrays import ArrayQueries
from .analysis import normalize, phrase_grams, segment, subwords
from .citation import cite_document
from .errors import ClauseNotFound, DocumentNotFound, FilterError, IndexCorrupt, IndexStateError, QuerySyntaxError
from .facets import FACETS, Facet, FacetTable
from .facetspec import FACET_BY_NAME, SEARCH_FACETS, STATUS_FACET, general_ip_type
from .highlight import highlight
from .suggest import Vocabulary
from .store import (FACETS_NAME, GRAPH_NAME, META_NAME, REFERENCES_NAME, VOCABULARY_NAME, Identity, check_meta, corrupt_error, file_identity,
                    listed_files, live_generation, open_checked, probe_clause, reading_index, verify_files)
from .models import Agency, FacetValue, Hit, LittleMatched, PathStep, Relaxed, SearchPage
from .query import ParsedQuery, parse_query
from .everyday import expansions
from .questions import content_words, is_question, question_words
from .synonyms import expand, expand_agency
from .text.places import region_named
from .validity import STATUSES, Graph, parse_day

MULTI_VALUED = frozenset(f.field for f in FACETS if f.multi)  # comma-joined in the index
TEXT_FIELDS = ("title", "heading", "text")
SORTS = ("relevance", "date")
WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]{1,9}")  # a page number, a page size or a limit, as a request writes it
YEAR_FILTER = re.compile(r"^\s*(?P<start>\d{4})\s*(?:[-–~至]\s*(?P<end>\d{4}))?\s*$")
REQUIRED_STORED = ("clause_id", "doc_id")  # a stored document without them is damage, not a clause



@dataclass(frozen=True)
class _Failure:
    """Why an open index stopped answering, and its files' identities then (None: reopen it at once)."""

    error: IndexStateError
    identities: dict[str, Identity] | None


class SearchIndex:
    """An open index generation with its searcher and the facet tables computed once for it.

    A server keeps one open across requests and calls :meth:`check` before each, so a file of the
    generation changed in place since (truncated, overwritten) is reported as damage instead of
    being read; every read goes through :meth:`reading`, so what the check can't see (a file
    changed during a request, or written bad) is reported the same way.
    """

    def __init__(self, index_dir: str | Path, verify_all: bool = False):
        """Open the live generation (checked and probed by ``open_index``).

        Files the build recorded as they are now are not hashed again (``open_checked``);
        ``verify_all`` hashes every one (reopening after a failure, to name the damaged file).

        :raises IndexMissing, IndexCorrupt, SchemaMismatch: with a message saying what to run.
        """
        self.index_dir = Path(index_dir)
        self.generation = live_generation(self.index_dir)
        # Stat'ed before open_index hashes the files: a change made while it hashes then shows up
        # as a changed identity at the next check, never as an identity recorded as verified.
        listed = listed_files(self.generation)
        # the generation resolved above, not a newer one; its checksums as open_checked verified them
        self.ix, meta = open_checked(self.index_dir, self.generation, trust_identities=not verify_all)
        self._checksums: dict[str, str] = meta["files"]
        self._paths = {name: os.path.join(self.generation, name) for name in (*self._checksums, META_NAME)}
        self._verified: dict[str, Identity] = {name: listed.get(name) for name in self._paths}
        self._failure: _Failure | None = None
        with reading_index(self.generation, self.index_dir):
            self.searcher: Searcher = self.ix.searcher()
        self._facets: FacetTable | None = None
        self._vocabulary: Vocabulary | None = None
        self._arrays: ArrayQueries | None = None
        self._graph: Graph | None = None
        self._references_file: BinaryIO | None = None
        self._status_facets: dict[str, Facet] = {}  # by day

    def close(self) -> None:
        self.searcher.close()
        if self._references_file is not None:
            self._references_file.close()

    @property
    def failed(self) -> bool:
        """Tell whether reading or checking this generation has failed (a reopen then hashes every file)."""
        return self._failure is not None

    def is_stale(self) -> bool:
        """Tell whether to reopen: a newer generation is live, or this one failed and its files changed since."""
        if live_generation(self.index_dir) != self.generation:
            return True
        failure = self._failure
        return failure is not None and (failure.identities is None or self._identities() != failure.identities)

    def check(self) -> None:
        """Raise IndexCorrupt if a file of the generation was changed in place since it was verified.

        Each file's identity is compared with the one ``open_index`` verified against meta.json's
        checksums; only a file whose identity changed is hashed again. An untouched index costs
        one ``stat`` per file: 13 files, about 26 µs in all on the index of raw_docs/ (2 µs a
        stat, 2 cores, 2026-12-01), against 2–4 ms for a search there. A failed check is
        remembered: while the files stay as they are, each request gets the same error unhashed.
        """
        if self._failure is not None:
            raise self._failure.error
        now = self._identities()
        if now == self._verified:
            return
        changed = [name for name, identity in now.items() if identity != self._verified[name]]
        try:
            if META_NAME in changed:
                meta = check_meta(self.generation, self.index_dir)
                if meta.get("files") != self._checksums:
                    raise corrupt_error(self.generation, self.index_dir,
                                        f"{META_NAME} was changed after the build wrote it")
            rehash = {name: self._checksums[name] for name in changed if name != META_NAME}
            if rehash:
                verify_files(self.generation, {"files": rehash}, self.index_dir)
        except IndexStateError as exc:
            self._failure = _Failure(exc, now)
            raise
        self._verified = now  # the same bytes (a copy put back, a touch): keep serving

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Turn a failure of reading the index in the block into IndexCorrupt, and mark the index for reopening.

        Any failure of Whoosh's decoding counts, and a stored document without its ids (``_stored``).
        """
        try:
            with reading_index(self.generation, self.index_dir):
                yield
        except IndexCorrupt as exc:
            # reading_index closed the generation's files: only a fresh open can answer again.
            self._failure = _Failure(exc, None)
            raise

    def probe(self) -> int:
        """Read one clause through its stored fields, its id's term and postings; return the clause count.

        A few reads (well under a millisecond): what /healthz adds to :meth:`check`.
        """
        with self.reading():
            probe_clause(self.searcher, REQUIRED_STORED)
            return self.searcher.doc_count()

    def facets(self) -> FacetTable:
        """Return the facet arrays of this generation, read on first use."""
        if self._facets is None:
            with self.reading():
                reader = self.searcher.reader()
                saved = self.generation / FACETS_NAME
                # a generation built before the build saved its table (or for other facets): read it here
                table = FacetTable.load(saved, reader.doc_count_all()) if saved.is_file() else None
                self._facets = table or FacetTable(reader)
        return self._facets

    def arrays(self) -> ArrayQueries:
        """Return the array query path of this generation (its posting cache lives as long as it does)."""
        if self._arrays is None:
            with self.reading():
                self._arrays = ArrayQueries(self.searcher)
        return self._arrays

    def vocabulary(self) -> Vocabulary:
        """Return the words of this generation's text fields, read on first use ("did you mean")."""
        if self._vocabulary is None:
            with self.reading():
                saved = self.generation / VOCABULARY_NAME
                # a generation built before the build saved it: read it from the index here
                self._vocabulary = Vocabulary.load(saved) if saved.is_file() else Vocabulary.of(self.searcher.reader())
        return self._vocabulary

    def graph(self) -> Graph:
        """Return the versions, validity and references of this generation's documents, read on first use."""
        if self._graph is None:
            with self.reading():
                name = GRAPH_NAME
                try:  # every generation of this schema has one, checksummed with the rest
                    graph = Graph.load(self.generation / name, self._references)
                    # its references have a file of their own since 2026-12-02 (before, the graph held them)
                    if not graph.holds_edges:
                        name = REFERENCES_NAME
                        # opened now, read on first use: a build may remove this generation's folder before then
                        self._references_file = open(self.generation / name, "rb")
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise corrupt_error(self.generation, self.index_dir, f"{name} can't be read ({exc})") from exc
                self._graph = graph
        return self._graph

    def _references(self) -> list[dict]:
        """Return the references of this generation's graph (``graph`` opened their file; ``close`` closes it)."""
        with self.reading():
            try:
                # pread, not read: two threads asking first at once each read the whole file
                fd = self._references_file.fileno()
                return json.loads(os.pread(fd, os.fstat(fd).st_size, 0))["edges"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise corrupt_error(self.generation, self.index_dir, f"{REFERENCES_NAME} can't be read ({exc})") from exc

    def status_facet(self, day: str) -> Facet:
        """Return the status facet on ``day``: each clause filed under its document's status then."""
        facet = self._status_facets.get(day)
        if facet is None:
            table, statuses = self.facets(), self.graph().statuses(day)
            value_of = np.asarray([STATUSES.index(statuses.get(d, "未知")) for d in table.doc_names], dtype=np.int32)
            docs = np.flatnonzero((table.doc_of >= 0) & table.live).astype(np.int32)
            values = value_of[table.doc_of[docs]] if len(value_of) else np.zeros(0, dtype=np.int32)
            facet = Facet(names=STATUSES, pair_doc=docs, pair_value=values,
                          by_name={name: i for i, name in enumerate(STATUSES)})
            if len(self._status_facets) >= 8:  # a few days at a time: today and the ones being compared
                self._status_facets.pop(next(iter(self._status_facets)))
            self._status_facets[day] = facet
        return facet

    def _identities(self) -> dict[str, Identity]:
        return {name: file_identity(path) for name, path in self._paths.items()}


def _values_of(stored: dict, field: str) -> tuple:
    """Return the values of index field ``field`` in a stored document (split when multi-valued)."""
    value = stored.get(field)
    if value in (None, ""):
        return ()
    if field in MULTI_VALUED:
        return tuple(v for v in str(value).split(",") if v)
    return (str(value),)


@dataclass(frozen=True)
class _Plan:
    """The Whoosh queries of a search and the words to highlight."""

    query: Q.Query  # the exact reading: every word
    words: tuple[str, ...]
    phrases: tuple[str, ...]
    browse: bool
    # The ranked reading: the words that say what is asked, each optional; None when it would
    # find nothing the exact reading does not (one word, or nothing left once question words go).
    loose: Q.Query | None = None
    question: bool = False  # typed as a question or a sentence: always add the ranked reading
    loose_words: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # question and function words the ranked reading leaves out
    expanded: tuple[str, ...] = ()  # legal terms it adds for everyday words (everyday.toml)
    first: Q.Query | None = None  # what it finds goes first: the clause a pasted citation names


def search(index: SearchIndex, q: str = "", filters: Mapping[str, Sequence[str]] | None = None,
           sort: str = "relevance", page: int = 1, per_page: int = settings.DEFAULT_PER_PAGE,
           one_per_doc: bool = False, legal_terms: bool = True, as_of: str | None = None,
           place: str | None = None, ip_general: bool = False) -> SearchPage:
    """Run a search and return one page of hits with all facet counts.

    The exact reading (every word) comes first. A question, or a search whose exact reading
    finds fewer than ``settings.LOOSE_BELOW`` clauses, is followed by a ranked reading: its
    content words each optional, and with ``legal_terms`` the legal terms for its everyday
    words (everyday.toml), weighted lower; ``SearchPage.relaxed`` says what was widened and
    ``SearchPage.little`` helps when few clauses hold every word. A text longer than
    ``settings.MAX_QUERY_CHARS`` is a passage: "find clauses like this text". Every status (the
    ``status`` facet and filter, and each hit's) is the one on ``as_of`` (ISO or 2018年6月1日; today by default).
    ``place`` (三门峡, 三门峡市湖滨区) keeps what applies there: the documents of that place and of every
    level above it, national ones included. ``ip_general`` lets an ``ip_type`` filter take the clauses
    on IP as a whole too (综合, facet_values.toml).

    :raises QuerySyntaxError: the query can't be read (the message says why), or is a passage
        longer than ``settings.MAX_PASSAGE_CHARS``.
    :raises FilterError: an unknown facet, a bad year, an unknown status or day, an unknown sort, or a
        ``page`` or ``per_page`` string that is no whole number (see :func:`page_numbers`).
    """
    q = q or ""
    chosen = _clean_filters(filters or {})
    if ip_general and "ip_type" in chosen:
        chosen["ip_type"] = tuple(dict.fromkeys((*chosen["ip_type"], general_ip_type())))
    day = parse_day(as_of)
    chain = place_chain(place) if place and place.strip() else ()
    if sort not in SORTS:
        raise FilterError(f"不认识的排序方式“{sort}”：可用 {'、'.join(SORTS)}", code="bad_sort")
    page, per_page = page_numbers(page, per_page)
    searcher = index.searcher
    # Only what reads the index runs under ``reading`` (any failure there is damage); the
    # counting and the building of hits below are this package's own code, whose bugs are bugs.
    with index.reading():
        reading = _read_query(index, q, legal_terms)
        plan = reading.plan
        table = index.facets()
        ordered, exact, loose = _matches(index.arrays(), table, plan, sort)
    matching = table.mask(ordered.ids)
    with index.reading():
        columns = {**table.facets, STATUS_FACET.name: index.status_facet(day)}
        graph = index.graph()
    allowed = {name: _filter_docs(columns[name], table.size, name, values) for name, values in chosen.items()}
    if chain:  # not a facet: it narrows every facet's counts
        allowed[PLACE] = _place_docs(table, chain)
    result = np.logical_and.reduce([matching, *allowed.values()]) if allowed else matching
    matched = np.flatnonzero(matching)
    passes = {name: docs[matched] for name, docs in allowed.items()}  # each filter, at the matches
    facets = {f.name: _count(columns[f.name], f.name, matched, passes, table.size) for f in SEARCH_FACETS}
    ranked = ordered.take(result[ordered.ids]) if allowed else ordered
    if one_per_doc:
        ranked, more = _one_per_doc(table, ranked)
        total = len(ranked)
    else:
        more, total = np.zeros(len(ranked), dtype=np.int64), int(result.sum())
    # Only the page's hits become Python objects; every match before stays in arrays.
    start = (page - 1) * per_page
    shown = slice(start, start + per_page)
    page_ids, page_scores, page_more = ranked.ids[shown].tolist(), ranked.scores[shown].tolist(), more[shown].tolist()
    with index.reading():
        stored = [_stored(searcher, docnum) for docnum in page_ids]
    words = (*plan.words, *plan.loose_words) if loose else plan.words
    hits = tuple(hit_from_stored(fields, score=score, words=tuple(dict.fromkeys(words)), phrases=plan.phrases,
                                 others=others, graph=graph, day=day)
                 for fields, score, others in zip(stored, page_scores, page_more))
    relaxed = None
    exact_total = int(np.isin(ranked.ids, exact).sum())
    if loose and exact_total < len(ranked):  # the exact hits come first: the first ``exact_total`` of the list
        relaxed = Relaxed(exact_total=exact_total, words=plan.loose_words, dropped=plan.dropped,
                          expanded=plan.expanded, passage=reading.passage)
    little = None
    if not reading.passage and not plan.browse and len(exact) < settings.LOOSE_BELOW:
        with index.reading():
            little = _little(index.arrays(), index.vocabulary(), reading.parsed, reading.corrected)
    return SearchPage(query=q, total=total, page=page, per_page=per_page, hits=hits, facets=facets,
                      filters={k: tuple(v) for k, v in chosen.items()}, sort=sort, one_per_doc=one_per_doc,
                      relaxed=relaxed, little=little, as_of=day, place=chain)


@dataclass(frozen=True)
class _Reading:
    """How a search reads its query: parsed, planned, the near words of unknown ones, or as a passage."""

    parsed: ParsedQuery
    plan: _Plan
    corrected: dict[str, str]
    passage: bool


def _read_query(index: SearchIndex, q: str, legal_terms: bool) -> _Reading:
    """Parse and plan a query; a text longer than a query is a passage (up to settings.MAX_PASSAGE_CHARS).

    :raises QuerySyntaxError: the query can't be read, or is longer than a passage may be.
    """
    if len(q) > settings.MAX_PASSAGE_CHARS:
        raise QuerySyntaxError(f"查询有 {len(q)} 个字符，最多 {settings.MAX_PASSAGE_CHARS} 个：请摘取要查找的那一段",
                               code="query_too_long")
    if len(q) > settings.MAX_QUERY_CHARS:
        return _Reading(ParsedQuery(text=q), _passage_plan(index.searcher, q), {}, passage=True)
    searcher = index.searcher
    parsed = _known_law(searcher, parse_query(q))
    corrected = _corrections(index, parsed)
    # What the index holds decides how strict the ranked reading stays: a quoted phrase no clause
    # holds keeps it at nothing; one that some clause holds, or a law the index has no title for
    # (软件条例第29条), becomes a preference.
    present = {p for p in parsed.phrases if index.arrays().count(_exact(p))}
    law_known = bool(parsed.law_name) and bool(searcher.doc_frequency("law_names", parsed.law_name))
    plan = _plan(parsed, index.vocabulary(), legal_terms, corrected, present, law_known)
    return _Reading(parsed, plan, corrected, passage=False)


@dataclass(frozen=True)
class _Ranked:
    """Matches in the order shown: document numbers and their scores, aligned numpy arrays."""

    ids: np.ndarray  # int64
    scores: np.ndarray  # float64; 0 for a list sorted by date, which has no score

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, which: np.ndarray | slice) -> _Ranked:
        """Return the matches a boolean mask, index array or slice picks, in that order."""
        return _Ranked(self.ids[which], self.scores[which])

    @classmethod
    def of(cls, ids: np.ndarray, scores: np.ndarray | None = None) -> _Ranked:
        ids = np.asarray(ids, dtype=np.int64)
        return cls(ids, np.zeros(len(ids)) if scores is None else np.asarray(scores, dtype=np.float64))

    def then(self, other: _Ranked) -> _Ranked:
        return _Ranked(np.concatenate([self.ids, other.ids]), np.concatenate([self.scores, other.scores]))


def _matches(queries: ArrayQueries, table: FacetTable, plan: _Plan, sort: str) -> tuple[_Ranked, np.ndarray, bool]:
    """Return every match, ranked: the exact reading's, then (when it applies) the ranked reading's.

    The ranked reading adds its best settings.LOOSE_LIMIT clauses, by score (then by date when so
    sorted). Filters apply after, as to the exact hits, so the count a facet shows beside a value
    is what filtering on it lists. Also returns the exact reading's document numbers (sorted) and
    whether ranked-reading hits follow them.
    """
    ordered = _ranked(queries, table, plan.query, plan.browse, sort)
    if plan.first is not None:  # a pasted citation's own clause first, a bare heading or preamble too
        pinned = np.isin(ordered.ids, queries.docs(plan.first))
        ordered = ordered.take(np.concatenate([np.flatnonzero(pinned), np.flatnonzero(~pinned)]))
    exact = np.sort(ordered.ids)
    if plan.loose is None or not (plan.question or len(ordered) < settings.LOOSE_BELOW):
        return ordered, exact, False
    best = _ranked(queries, table, plan.loose, False, "relevance", limit=settings.LOOSE_LIMIT + len(exact))
    best = best.take(~np.isin(best.ids, exact)).take(slice(0, settings.LOOSE_LIMIT))
    if sort == "date":
        best = best.take(table.date_order(best.ids))
    ordered = ordered.then(best)
    return ordered, exact, len(ordered) > len(exact)  # nothing widened: say nothing


def _passage_plan(searcher: Searcher, text: str) -> _Plan:
    """Read a pasted passage as "clauses like this text": its most distinctive words, each optional."""
    # Single characters (即, 权) and question words say little about a passage: leave them out.
    asking = question_words()
    terms = [(term, weight) for term, weight in
             searcher.key_terms_from_text("text", normalize(text), numterms=3 * settings.SIMILAR_KEY_TERMS)
             if len(term) > 1 and term not in asking][:settings.SIMILAR_KEY_TERMS]
    words = tuple(term for term, _ in terms)
    loose = Q.Or([Q.Term("text", term, boost=weight) for term, weight in terms]) if terms else None
    return _Plan(query=Q.NullQuery, words=(), phrases=(), browse=False, loose=loose, question=True, loose_words=words)


def _little(queries: ArrayQueries, vocabulary: Vocabulary, parsed: ParsedQuery,
            corrected: Mapping[str, str]) -> LittleMatched:
    """Say how many clauses hold each typed word, and the near words of those no clause holds."""
    # a token typed as a sentence (no spaces) is counted word by word, question words aside
    words = [w for token in parsed.tokens
             for w in ((token,) if len(segment(token)) == 1 else content_words(tuple(segment(token))))]
    words = list(dict.fromkeys(words))[:settings.LOOSE_WORDS_MAX]
    counts = tuple((word, queries.count(_token_query(word, vocabulary))) for word in words)
    suggested = parsed.text
    for typed, meant in corrected.items():
        suggested = suggested.replace(typed, meant)
    if suggested == parsed.text:  # typed in another width or form: say it in the normalized one
        suggested = normalize(parsed.text)
        for typed, meant in corrected.items():
            suggested = suggested.replace(typed, meant)
    return LittleMatched(word_counts=counts, did_you_mean=tuple(corrected.items()),
                         suggested_query=suggested if corrected else "")


def page_numbers(page: int | str | None, per_page: int | str | None) -> tuple[int, int]:
    """Return the page and page size a search shows, from numbers or a request's strings ("" or None: the default).

    Capped, not trusted: a page past the last or a huge per_page is clamped (1–settings.MAX_PAGE,
    1–settings.MAX_PER_PAGE), not refused.

    :raises FilterError: a string that is no whole number.
    """
    return (_clamped(page, "page", 1, 1, settings.MAX_PAGE),
            _clamped(per_page, "per_page", settings.DEFAULT_PER_PAGE, 1, settings.MAX_PER_PAGE))


def _clamped(value: int | str | None, name: str, default: int, low: int, high: int) -> int:
    """Return ``value`` (a whole number, or one written in a request) clamped to [low, high].

    :raises FilterError: a string that is no whole number.
    """
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            return default
        if not WHOLE_NUMBER_RE.fullmatch(raw):
            raise FilterError(f"{name} 应为整数，收到的是“{raw[:40]}”", code="bad_number")
        value = int(raw)
    if value is None:
        return default
    return min(max(int(value), low), high)


def _clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    out = {}
    for name, values in filters.items():
        if name not in FACET_BY_NAME:
            raise FilterError(f"不认识的筛选项“{name}”：可筛选 {'、'.join(FACET_BY_NAME)}", code="bad_filter")
        if isinstance(values, str):
            values = [values]
        kept = tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
        if len(kept) > settings.MAX_FILTER_VALUES:
            raise FilterError(f"筛选项“{name}”选了 {len(kept)} 个值，最多 {settings.MAX_FILTER_VALUES} 个",
                              code="too_many_filters")
        if name == STATUS_FACET.name:
            unknown = [v for v in kept if v not in STATUSES]
            if unknown:
                raise FilterError(f"不认识的效力状态“{unknown[0]}”：可选 {'、'.join(STATUSES)}", code="bad_status")
        if kept:
            out[name] = kept
    return out


def _filter_docs(facet: Facet, size: int, name: str, values: tuple[str, ...]) -> np.ndarray:
    """Return a mask of the documents carrying any of ``values`` (OR within a facet)."""
    wanted: set[str] = set()
    for value in values:
        if name == "year":
            wanted |= _years(value)
        elif name == "agency":
            wanted |= set(expand_agency(value))
        elif name == "region":  # 河南 is 河南省
            wanted |= {value, *region_named(value)[-1:]}
        else:
            wanted.add(value)
    return facet.docs_with(wanted, size)


PLACE = "place"  # the key of the place's mask among a search's filters (no facet has this name)


def place_chain(place: str) -> tuple[str, ...]:
    """Return the place a user names from the province down: 三门峡 → (河南省, 三门峡市).

    :raises FilterError: no place of the gazetteer, or one it can't pin down.
    """
    chain = region_named(normalize(place).replace(" ", ""))
    if not chain:
        raise FilterError(f"不认识的地点“{place.strip()[:40]}”：请写一个省、市或县的名称，如 河南、三门峡市、罗山县",
                          code="bad_place")
    return chain


def _place_docs(table: FacetTable, chain: tuple[str, ...]) -> np.ndarray:
    """Return a mask of the documents that apply in the place ``chain``: its own, its province's, national.

    A document applies there when every place it names is on the chain (a national one names none).
    """
    region = table.facets["region"]
    elsewhere = set(region.names) - set(chain)
    return table.live & ~region.docs_with(elsewhere, table.size)


def _years(value: str) -> set[str]:
    m = YEAR_FILTER.match(value)
    if not m:
        raise FilterError(f"年份筛选“{value}”：请写一个年份（2014）或一个范围（2010-2016）", code="bad_year")
    start, end = int(m.group("start")), int(m.group("end") or m.group("start"))
    if end < start:
        raise FilterError(f"年份范围“{value}”的结束年份早于开始年份", code="bad_year")
    return {str(y) for y in range(start, end + 1)}


def _count(facet: Facet, name: str, matched: np.ndarray, passes: dict[str, np.ndarray],
           size: int) -> tuple[FacetValue, ...]:
    """Count a facet over the matches (document numbers, each once) that pass every other facet's filter
    (``passes``: per filter, which of the matches pass it)."""
    others = [passed for other, passed in passes.items() if other != name]
    counts = facet.count_of(matched[np.logical_and.reduce(others)] if others else matched, size)
    if name == STATUS_FACET.name:  # in force first, as the statuses are listed
        ordered = sorted(counts, key=lambda kv: STATUSES.index(kv[0]))
    elif FACET_BY_NAME[name].order == "value-desc":
        ordered = sorted(counts, key=lambda kv: kv[0], reverse=True)
    else:
        ordered = sorted(counts, key=lambda kv: (-kv[1], kv[0]))
    return tuple(FacetValue(value=v, count=c) for v, c in ordered)


def _corrections(index: SearchIndex, parsed: ParsedQuery) -> dict[str, str]:
    """Return typed token or word → the near word the index knows, for those no clause holds (驰名商表 → 驰名商标)."""
    vocabulary = index.vocabulary()
    queries = index.arrays()

    def occurs(text: str) -> int:
        return queries.count(_exact(text))

    out = vocabulary.corrections(tuple(t for t in parsed.tokens if len(segment(t)) > 1), occurs)
    words = tuple(w for w in parsed.required if not any(w in token for token in out))
    asking = set(parsed.required) - set(content_words(parsed.required))
    return out | {w: c for w, c in vocabulary.corrections(words, occurs).items() if w not in asking}


def _known_law(searcher: Searcher, parsed: ParsedQuery) -> ParsedQuery:
    """Name the law as the index files it: a name typed inside a sentence (我想问商标法) is its
    longest ending that some title is filed under (商标法); one no title has is left as typed."""
    name = parsed.law_name
    if not name or searcher.doc_frequency("law_names", name):
        return parsed
    for start in range(1, len(name) - 1):
        if searcher.doc_frequency("law_names", name[start:]):
            return replace(parsed, law_name=name[start:])
    return parsed


def _plan(parsed: ParsedQuery, vocabulary: Vocabulary, legal_terms: bool = True,
          corrected: Mapping[str, str] | None = None, present: set[str] | frozenset[str] = frozenset(),
          law_known: bool = True) -> _Plan:
    parts: list[Q.Query] = []
    words: list[str] = []
    for token in parsed.tokens:
        parts.append(_token_query(token, vocabulary))
    words += [s for w in parsed.required for s in expand(w)]
    for group in parsed.any_of:
        alternatives = []
        for alternative in group:
            alternatives.append(_token_query(alternative, vocabulary))
            words += [s for w in (segment(alternative) or [alternative]) for s in expand(w)]
        parts.append(Q.Or(alternatives))
    parts += [_exact(p) for p in parsed.phrases]
    if parsed.doc_numbers:
        parts.append(_doc_numbers(parsed.doc_numbers))
    if parsed.article is not None and parsed.law_name:
        parts.append(Q.And([_law(parsed.law_name), Q.NumericRange("article", parsed.article, parsed.article)]))
    browse = not parts
    main: Q.Query = Q.And(parts) if parts else Q.Every()
    first = None
    if parsed.citation:
        # A pasted citation finds its own clause, ranked first whatever else its words match.
        first = Q.Term("citation_keys", parsed.citation)
        main = Q.Or([first, main])
    # An excluded word is excluded wherever its characters stand, however jieba cut them there.
    negatives = [_exact(w) for w in (*parsed.excluded, *parsed.excluded_phrases)]
    place = _place(parsed.required)
    main = _shaped(main, parsed, negatives, place)
    plan = _Plan(query=main, words=tuple(dict.fromkeys(words)), phrases=tuple(parsed.phrases), browse=browse,
                 first=first)
    # from the words typed unquoted only: a quoted phrase asks for exactly its characters
    legal = expansions(" ".join(parsed.tokens), parsed.required) if legal_terms else ()
    return _with_loose_reading(plan, parsed, vocabulary, negatives, place, legal, dict(corrected or {}), present,
                               law_known)


def _shaped(query: Q.Query, parsed: ParsedQuery, negatives: list[Q.Query], place: Q.Query | None) -> Q.Query:
    """Apply to a reading what every reading of a query shares: its exclusions, and the boosts of
    the law and the place it names."""
    if negatives:
        # Not AndNot: whoosh-reloaded 2.7.5's AndNotMatcher lets through the first document of the
        # negative postings (商标 -驰名商标 kept a clause with 驰名商标); And + Not excludes it.
        query = Q.And([query, Q.Not(Q.Or(negatives))])
    if parsed.law_name and parsed.article is None:
        # A law's name ranks that law first without narrowing the hits to it.
        query = Q.AndMaybe(query, _law(parsed.law_name, boost=settings.LAW_NAME_BOOST))
    if place is not None:
        query = Q.AndMaybe(query, place)
    return query


def _with_loose_reading(plan: _Plan, parsed: ParsedQuery, vocabulary: Vocabulary, negatives: list[Q.Query],
                        place: Q.Query | None, legal: tuple[str, ...], corrected: dict[str, str],
                        present: set[str] | frozenset[str], law_known: bool) -> _Plan:
    """Add the ranked reading: the content words each optional, weighted by their rarity (BM25F),
    the ``legal`` terms for everyday words and the ``corrected`` forms of words no clause holds,
    weighted lower.

    文号 and exclusions stay as strict as in the exact reading, and so do a quoted phrase that no
    clause holds (it still finds nothing) and an article of a law the index has; a phrase some
    clause holds and an article of a law it has no title for count as words, weighted more.
    """
    content = content_words(parsed.required)
    # Whole words only; no single character (年, 算) once there are others; the rarest
    # settings.LOOSE_WORDS_MAX: each optional word costs a pass over its postings, and the
    # commonest add least (BM25F weighs them least).
    ranked = [w for w in content if len(w) > 1] or list(content)
    ranked = sorted(ranked, key=lambda w: vocabulary.frequency.get(w, 0))[:settings.LOOSE_WORDS_MAX]
    ranked = [w for w in content if w in ranked]  # in typed order
    dropped = tuple(w for w in parsed.required if w not in ranked)
    legal = legal[:settings.LOOSE_WORDS_MAX]
    optional = [_loose_word(w) for w in ranked]
    optional += [Q.Or([_loose_word(a) for a in group]) for group in parsed.any_of]
    optional += [_boosted(_loose_word(term), settings.EVERYDAY_BOOST) for term in legal]
    optional += [_boosted(_loose_word(word), settings.CORRECTION_BOOST) for word in dict.fromkeys(corrected.values())]
    if len(optional) < 2 and not dropped:
        return plan  # the exact reading already is the ranked one
    strict = [_exact(p) for p in parsed.phrases if p not in present]
    optional += [_boosted(_exact(p), settings.PHRASE_BOOST) for p in parsed.phrases if p in present]
    if parsed.doc_numbers:
        strict.append(_doc_numbers(parsed.doc_numbers))
    if parsed.article is not None and parsed.law_name:
        article = Q.And([_law(parsed.law_name), Q.NumericRange("article", parsed.article, parsed.article)])
        (strict if law_known else optional).append(article)
    if not optional and not strict:
        return plan  # only question words: nothing to rank by
    parts = [*strict, Q.Or(optional)] if optional else strict
    loose = _shaped(parts[0] if len(parts) == 1 else Q.And(parts), parsed, negatives, place)
    return replace(plan, loose=loose, question=is_question(parsed.text, parsed.required),
                   loose_words=tuple(dict.fromkeys(s for w in (*ranked, *legal, *corrected.values()) for s in expand(w))),
                   dropped=dropped,
                   expanded=legal)


def _loose_word(text: str) -> Q.Query:
    """Match a word of the ranked reading (or all the words of a term): its synonyms as words of the
    fields settings.LOOSE_FIELDS names; no phrase of pieces and nothing inside longer words, which cost most."""
    words = segment(text) or [normalize(text)]
    each = [Q.Or([Q.Term(field, form) for form in expand(w) for field in settings.LOOSE_FIELDS]) for w in words]
    return each[0] if len(each) == 1 else Q.And(each)


def _token_query(token: str, vocabulary: Vocabulary | None = None) -> Q.Query:
    """Match a typed token: all its words, or (given the index's ``vocabulary``) its characters
    inside longer words, ranked lower.

    职务发明 finds 职务……发明 and 职务发明创造 (one jieba word); 民事诉讼 finds 民事诉讼法,
    which jieba cuts 民事/诉讼法. The longer words holding it are terms of the vocabulary; its
    characters across two words are a phrase of character bigrams. Both are left out for a token
    whose words more than settings.INSIDE_MAX_CLAUSES clauses hold already: its own hits are many,
    and the phrase reads the positions of every clause holding its characters (人民政府 at 100 k
    clauses: 84 → 664 ms).
    """
    words = segment(token)
    if not words:
        return _exact(token)
    whole = _word_query(words[0]) if len(words) == 1 else Q.And([_word_query(w) for w in words])
    if vocabulary is None:
        return whole
    if min(vocabulary.frequency.get(w, 0) for w in words) > settings.INSIDE_MAX_CLAUSES:
        return whole
    folded = normalize(token)
    inside = [Q.Term(field, word) for word in vocabulary.containing(folded) for field in TEXT_FIELDS]
    phrase = _exact(folded)
    if phrase is not Q.NullQuery:
        inside.append(phrase)
    if not inside:
        return whole
    return Q.Or([whole, Q.Or(inside, boost=settings.INSIDE_WORD_BOOST)])


def _boosted(query: Q.Query, boost: float) -> Q.Query:
    query = query.copy()
    query.boost = boost
    return query


def _word_query(word: str) -> Q.Query:
    """Match a word or its synonyms as a jieba word in title, heading or text.

    jieba may cut the same characters differently in context (知识产权保护中心 → …/保护/中心),
    so a word is also matched as the phrase of its dictionary pieces (保护中心 → "保护 中心").
    """
    alternatives: list[Q.Query] = []
    for form in expand(word):
        alternatives += [Q.Term(field, form) for field in TEXT_FIELDS]
        pieces = subwords(form)
        if pieces:
            alternatives += [Q.Phrase(field, pieces) for field in TEXT_FIELDS]
    return Q.Or(alternatives)


def _exact(text: str) -> Q.Query:
    """Match the clauses whose normalized heading or text contains ``text``'s normalized form."""
    grams = phrase_grams(text)
    if not grams:
        return Q.NullQuery
    if len(grams[0]) == 1:  # one character: it begins a bigram, or ends the text alone
        return Q.Prefix("grams", grams[0])
    return Q.Term("grams", grams[0]) if len(grams) == 1 else Q.Phrase("grams", grams)


def _place(words: Sequence[str]) -> Q.Query | None:
    """Rank the documents of a place the query names (郑州 → 郑州市, then 河南省) first; None when it names none.

    The documents of the place itself weigh most, those of the places above it (whose rules
    apply there too) half as much; national documents are not held back, only not raised.
    """
    regions = [region for region in map(region_named, words) if region]
    if not regions:
        return None
    boosts: dict[str, float] = {}
    for region in regions:
        for depth, name in enumerate(region, start=1):
            weight = settings.PLACE_BOOST * (1.0 if depth == len(region) else 0.5)
            boosts[name] = max(boosts.get(name, 0.0), weight)
    return Q.Or([Q.Term("region", name, boost=boost) for name, boost in boosts.items()])


def _doc_numbers(numbers: Sequence[str]) -> Q.Query:
    """Match the documents that bear any of these 文号 (ranked first), then the clauses that cite them."""
    return Q.Or([q for n in numbers for q in (Q.Term("doc_number_norm", n, boost=settings.DOC_NUMBER_BOOST),
                                              Q.Term("cited_doc_numbers", n))])


def _law(name: str, boost: float = 1.0) -> Q.Query:
    return Q.Term("law_names", name, boost=boost)


def _ranked(queries: ArrayQueries, table: FacetTable, query: Q.Query, browse: bool, sort: str,
            limit: int | None = None) -> _Ranked:
    """Return every match (or the best ``limit``), best first (newest first by date)."""
    found = queries.run(query)
    if sort == "date" or browse:
        return _Ranked.of(table.by_date(found.ids)[:limit])  # a sorted hit has no score
    if not len(found):
        return _Ranked.of(np.zeros(0, dtype=np.int64))
    # Ties in score must break the same way on every page, or a clause can show up on two pages
    # and another on none: by score, then by document number, as Whoosh's collector orders them.
    docnums, scores = found.ids, found.scores
    if limit is not None and limit < len(docnums):
        best = np.lexsort((docnums, -scores))[:limit]
        docnums, scores = docnums[best], scores[best]
    # What BM25F can't see: the 效力级别, as a factor per clause (ranking.toml), and a bare
    # heading, which never outranks a clause that says something.
    scores = scores * table.rank_factor[docnums]
    order = np.lexsort((docnums, -scores, table.bare[docnums]))
    return _Ranked.of(docnums[order], scores[order])


def _one_per_doc(table: FacetTable, ranked: _Ranked) -> tuple[_Ranked, np.ndarray]:
    """Keep each document's best clause (the first it has in ``ranked``); count how many more of its clauses match."""
    _, first, counts = np.unique(table.doc_of[ranked.ids], return_index=True, return_counts=True)
    order = np.argsort(first)  # the documents in the order their best clause stands
    return ranked.take(first[order]), counts[order] - 1


def _stored(searcher: Searcher, docnum: int) -> dict:
    """Return a document's stored fields; LookupError (damage, under ``reading``) if they lack an id."""
    stored = searcher.stored_fields(docnum)
    missing = [name for name in REQUIRED_STORED if not stored.get(name)]
    if missing:
        raise LookupError(f"stored document {docnum} has no {' or '.join(missing)}")
    return stored


def hit_from_stored(stored: dict, score: float = 0.0, words: Sequence[str] = (), phrases: Sequence[str] = (),
                    others: int = 0, graph: Graph | None = None, day: str = "") -> Hit:
    """Build a Hit from an index document's stored fields; with ``graph``, its status on ``day`` and its version."""
    text = stored.get("text", "")
    citation = _citation(stored, words, phrases)
    status = version = ""
    if graph is not None:
        citation = graph.cite(stored["doc_id"], citation)
        status = graph.status(stored["doc_id"], day or parse_day(None)).value
        version = graph.version_label(stored["doc_id"])
    agencies = tuple(Agency(**a) for a in json.loads(stored.get("agencies_json") or "[]"))
    return Hit(
        clause_id=stored["clause_id"], doc_id=stored["doc_id"], title=stored.get("title", ""),
        issuer=_values_of(stored, "issuer"), doc_number=stored.get("doc_number", ""),
        date=stored.get("date", ""), year=stored.get("year"), level=stored.get("level", ""),
        region=_values_of(stored, "region"), label=stored.get("label", ""),
        path=tuple(PathStep(**s) for s in json.loads(stored.get("path") or "[]")),
        heading=stored.get("heading", ""), text=text,
        highlight=highlight(text, words, phrases, max_chars=settings.SNIPPET_CHARS),
        ip_types=_values_of(stored, "ip_type"), agencies=agencies, citation=citation,
        score=float(score), kind=stored.get("kind", ""), others_in_doc=others, status=status, version_label=version,
    )


def _citation(stored: dict, words: Sequence[str], phrases: Sequence[str]) -> str:
    """Cite the 款 where the query matched when an article has several (第二十条第二款)."""
    paragraphs = json.loads(stored.get("paragraph_citations") or "[]")
    wanted = [normalize(w) for w in (*phrases, *words) if w]
    for citation, text in paragraphs:
        folded = normalize(text)
        if any(w in folded for w in wanted):
            return citation
    return stored.get("citation", "")


def similar(index: SearchIndex, clause_id: str,
            limit: int | str | None = settings.SIMILAR_DEFAULT) -> tuple[Hit, tuple[Hit, ...], tuple[Hit, ...]]:
    """Return a clause, the clauses of other acts that say the most similar thing, and its other versions' closest.

    Each similar hit's score is its similarity relative to the clause itself (1.0 = as similar
    as the clause is to itself). ``limit`` is clamped to 1–``settings.SIMILAR_MAX``. Another
    version of the same act says nearly the same thing by nature, so its clauses never fill the
    list: they come apart, the closest clause of each other version.

    :raises ClauseNotFound, FilterError: no such clause; a ``limit`` that is no whole number.
    """
    limit = _clamped(limit, "limit", settings.SIMILAR_DEFAULT, 1, settings.SIMILAR_MAX)
    searcher = index.searcher
    with index.reading():
        docnum = searcher.document_number(clause_id=clause_id)
        if docnum is None:
            raise ClauseNotFound(f"索引中没有编号为“{clause_id}”的条款")
        stored = _stored(searcher, docnum)
        terms = searcher.key_terms([docnum], "text", numterms=settings.SIMILAR_KEY_TERMS)
        graph, table = index.graph(), index.facets()
        versions = [v for v in graph.versions(stored["doc_id"]) if v != stored["doc_id"]]
        found, closest = [], []
        if terms:
            q = Q.Or([Q.Term("text", term, boost=weight) for term, weight in terms])
            matches = index.arrays().run(q)
            mine = np.searchsorted(matches.ids, docnum)
            held = mine < len(matches.ids) and matches.ids[mine] == docnum
            self_score = (float(matches.scores[mine]) if held else 0.0) or 1.0
            own = np.isin(matches.ids, table.docs_of(stored["doc_id"]))
            of_version = np.isin(matches.ids, np.concatenate([table.docs_of(v) for v in versions])) if versions \
                else np.zeros(len(matches.ids), dtype=bool)
            others = ~own & ~of_version
            ids, scores = matches.ids[others], matches.scores[others]
            best = np.lexsort((ids, -scores))[:limit]
            found = [(_stored(searcher, int(ids[i])), float(scores[i])) for i in best]
            ids, scores = matches.ids[of_version], matches.scores[of_version]
            seen: set[int] = set()
            for i in np.lexsort((ids, -scores)):  # the best clause of each other version
                doc = int(table.doc_of[ids[i]])
                if doc not in seen:
                    seen.add(doc)
                    closest.append((_stored(searcher, int(ids[i])), float(scores[i])))
    day = parse_day(None)
    origin = hit_from_stored(stored, graph=graph, day=day)
    if not terms:
        return origin, (), ()
    words = tuple(term for term, _ in terms)

    def hit(fields: dict, score: float) -> Hit:
        return hit_from_stored(fields, score=min(score / self_score, 1.0), words=words, graph=graph, day=day)

    order = {v: k for k, v in enumerate(versions)}
    closest.sort(key=lambda pair: order.get(pair[0]["doc_id"], 0))  # oldest version first
    return origin, tuple(hit(f, score) for f, score in found), tuple(hit(f, score) for f, score in closest)


def get_clause(index: SearchIndex, clause_id: str, as_of: str | None = None) -> Hit:
    """Return one clause by its id, with its document's status on ``as_of`` (today by default)."""
    fields = clause_fields(index, clause_id)
    with index.reading():
        graph = index.graph()
    return hit_from_stored(fields, graph=graph, day=parse_day(as_of))


def clause_fields(index: SearchIndex, clause_id: str) -> dict:
    """Return the stored fields of one clause (the document-level ones too: published, source…)."""
    with index.reading():
        docnum = index.searcher.document_number(clause_id=clause_id)
        if docnum is None:
            raise ClauseNotFound(f"索引中没有编号为“{clause_id}”的条款")
        return _stored(index.searcher, docnum)


def get_document(index: SearchIndex, doc_id: str, as_of: str | None = None) -> tuple[Hit, ...]:
    """Return every clause of a document in reading order."""
    day = parse_day(as_of)
    with index.reading():
        docnums = index.facets().docs_of(doc_id).tolist()
        if not docnums:
            raise DocumentNotFound(f"索引中没有编号为“{doc_id}”的文件")
        stored = [_stored(index.searcher, n) for n in docnums]
        graph = index.graph()
    return tuple(hit_from_stored(s, graph=graph, day=day) for s in sorted(stored, key=lambda s: s.get("position", 0)))


def document_metadata(index: SearchIndex, doc_id: str) -> dict:
    """Return what a document says about itself, and how it is cited as a whole (《title》（文号）).

    :raises DocumentNotFound: no such document.
    """
    with index.reading():
        docnums = index.facets().docs_of(doc_id).tolist()
        if not docnums:
            raise DocumentNotFound(f"索引中没有编号为“{doc_id}”的文件")
        stored = _stored(index.searcher, docnums[0])  # every clause of a document carries its metadata
        graph = index.graph()
    entry = graph.documents.get(doc_id, {})
    return {
        "title": stored.get("title", ""), "doc_number": stored.get("doc_number", ""),
        "issuer": list(_values_of(stored, "issuer")), "level": stored.get("level", ""),
        "region": list(_values_of(stored, "region")), "date": stored.get("date", ""), "year": stored.get("year"),
        "published": stored.get("published", ""), "effective": stored.get("effective", ""),
        "doc_type": stored.get("doc_type", ""), "authority": stored.get("authority", ""),
        "source": stored.get("source", ""), "approved_by": entry.get("approved_by", []),
        "expires": entry.get("expires", ""), "version_label": graph.version_label(doc_id),
        "citation": graph.cite(doc_id, cite_document(stored.get("title", ""), stored.get("doc_number", ""),
                                                     stored.get("authority", ""))),
    }


def relations(index: SearchIndex, doc_id: str, as_of: str | None = None) -> dict:
    """Return a document's status on ``as_of``, its versions, history, and the references to and from it.

    :raises DocumentNotFound: no such document.
    :raises FilterError: a day that can't be read.
    """
    day = parse_day(as_of)
    with index.reading():
        graph = index.graph()
    if doc_id not in graph:
        raise DocumentNotFound(f"索引中没有编号为“{doc_id}”的文件")
    return graph.relations(doc_id, day)


def clause_citers(index: SearchIndex, clause_id: str) -> list[dict]:
    """Return the references from other documents that name this clause (the clauses citing a law article)."""
    with index.reading():
        graph = index.graph()
    return [graph.edge_dict(edge) for edge in graph.citing_clause(clause_id)]
