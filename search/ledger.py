"""The task ledger (任务分工台账): each clause of a search that gives agencies work, as one row with
its agencies by role (牵头/配合/负责), its time limits and its citation.

Built on the search alone: ``ledger`` gathers a search's whole result set page by page and keeps
the clauses that name agencies (``Hit.agencies``); its facet counts count those tasks.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from . import settings
from .facetspec import FACET_BY_NAME, SEARCH_FACETS, STATUS_FACET, value_label
from .models import ROLE_LABELS, ROLES, Agency, FacetValue, Hit, PathStep
from .searching import SearchIndex, document_metadata, search
from .text.deadlines import Deadline, deadlines
from .validity import STATUSES

__all__ = ["LEDGER_FIELDS", "NATIONAL", "REGION_JOIN", "ROLE_LABELS", "Ledger", "LedgerRow", "first_sentence", "ledger",
           "write_csv"]

# The CSV's columns in order: a row's cell name → its Chinese header.
LEDGER_FIELDS: dict[str, str] = {
    "title": "文件", "doc_number": "文号", "region": "地区", "level": "层级", "year": "年份", "label": "条款",
    "task": "任务", "lead": "牵头单位", "cooperate": "配合单位", "responsible": "负责单位",
    "ip_types": "知识产权类型", "deadlines": "完成时限", "citation": "引文", "permalink": "链接",
}
PERMALINK = "/clause/{clause_id}"  # the web app's permalink of a clause (README: /clause/<clause_id>)
# A task without a heading is named by its first sentence: up to its end, or the end of its paragraph.
FIRST_SENTENCE = re.compile(r"^[^。；;！!？?\n]*[。；;！!？?]?")
NAMES_JOIN = "、"  # agencies and IP types in one cell, as the documents list them
REGION_JOIN = " › "  # province › city › county, as the search export writes a place
NATIONAL = "全国"  # the place of a document with no region
DEADLINES_JOIN = "；"


@dataclass(frozen=True)
class LedgerRow:
    """One task: the clause, its document, the agencies it names with their roles, and its time limits."""

    clause_id: str
    doc_id: str
    title: str
    doc_number: str
    issuer: tuple[str, ...]
    region: tuple[str, ...]
    level: str
    year: int | None
    date: str
    label: str
    path: tuple[PathStep, ...]
    task: str  # the clause's heading, or its first sentence
    text: str
    agencies: tuple[Agency, ...]
    ip_types: tuple[str, ...]
    deadlines: tuple[Deadline, ...]
    citation: str
    status: str  # the document's validity status on the ledger's day
    exact: bool = True  # holds every word of the query; False: found by the search's ranked reading

    @classmethod
    def of(cls, hit: Hit, exact: bool = True) -> LedgerRow:
        """Return the row of a hit that names agencies."""
        # A heading on a line of its own is not in the text; its time limit counts too (一、到2020年…).
        said = hit.text if hit.heading in hit.text else f"{hit.heading}\n{hit.text}"
        return cls(clause_id=hit.clause_id, doc_id=hit.doc_id, title=hit.title, doc_number=hit.doc_number,
                   issuer=hit.issuer, region=hit.region, level=hit.level, year=hit.year, date=hit.date,
                   label=hit.label, path=hit.path, task=hit.heading or first_sentence(hit.text), text=hit.text,
                   agencies=hit.agencies, ip_types=hit.ip_types, deadlines=deadlines(said, hit.year),
                   citation=hit.citation, status=hit.status, exact=exact)

    def names(self, role: str) -> tuple[str, ...]:
        """Return the names of the agencies the clause gives ``role``, in the clause's order, each once."""
        return tuple(dict.fromkeys(a.name for a in self.agencies if a.role == role))

    @property
    def permalink(self) -> str:
        return PERMALINK.format(clause_id=self.clause_id)

    @property
    def where(self) -> str:
        """Return the clause's place in its document as the documents cite it: 三、13.(2)."""
        return "".join(step.label for step in (*self.path, PathStep(self.label, "")) if step.label)

    def to_dict(self) -> dict:
        return {
            "clause_id": self.clause_id, "doc_id": self.doc_id, "title": self.title, "doc_number": self.doc_number,
            "issuer": list(self.issuer), "region": list(self.region), "level": self.level, "year": self.year,
            "date": self.date, "label": self.label, "where": self.where, "path": [s.to_dict() for s in self.path],
            "task": self.task, "text": self.text,
            "agencies": [{**a.to_dict(), "role_label": ROLE_LABELS[a.role]} for a in self.agencies],
            **{role: list(self.names(role)) for role in ROLES},
            "ip_types": list(self.ip_types), "deadlines": [d.to_dict() for d in self.deadlines],
            "citation": self.citation, "status": self.status, "exact": self.exact, "permalink": self.permalink,
        }

    def cells(self, base_url: str = "") -> dict[str, str]:
        """Return the row's CSV cells by ``LEDGER_FIELDS`` name; ``base_url`` makes the permalink absolute."""
        return {
            "title": self.title, "doc_number": self.doc_number, "region": REGION_JOIN.join(self.region) or NATIONAL,
            "level": self.level, "year": "" if self.year is None else str(self.year), "label": self.where,
            "task": self.task, **{role: NAMES_JOIN.join(self.names(role)) for role in ROLES},
            "ip_types": NAMES_JOIN.join(value_label("ip_type", t) for t in self.ip_types),
            "deadlines": DEADLINES_JOIN.join(d.text for d in self.deadlines),
            "citation": self.citation, "permalink": base_url.rstrip("/") + self.permalink,
        }


@dataclass(frozen=True)
class Ledger:
    """The tasks of a search's whole result set, newest document first and in reading order within one."""

    query: str
    filters: dict[str, tuple[str, ...]]
    as_of: str  # the ISO day statuses are given for
    place: tuple[str, ...]  # the place asked about, from the province down (its documents and those above it)
    ip_general: bool  # an ip_type filter took the clauses on IP as a whole (综合) too
    rows: tuple[LedgerRow, ...]
    total: int  # tasks in the whole result set (rows may stop short of it: ``truncated``)
    truncated: bool  # fewer rows than tasks: cut at the limit, or the result set is deeper than a search pages
    clauses: int  # clauses the search matched, tasks or not
    exact_total: int  # tasks that hold every word of the query: the first this many of the list
    facets: dict[str, tuple[FacetValue, ...]]  # task counts, each facet with the other facets' filters applied

    @property
    def roles(self) -> dict[str, int]:
        """Return how many agencies the listed rows give each role."""
        counts = Counter(a.role for row in self.rows for a in row.agencies)
        return {role: counts[role] for role in ROLES}

    def to_dict(self) -> dict:
        return {
            "query": self.query, "filters": {name: list(values) for name, values in self.filters.items()},
            "as_of": self.as_of, "place": list(self.place), "ip_general": self.ip_general, "total": self.total, "listed": len(self.rows), "truncated": self.truncated,
            "clauses": self.clauses, "exact_total": self.exact_total,
            "documents": len({row.doc_id for row in self.rows}), "roles": self.roles,
            "fields": [{"name": name, "label": label} for name, label in LEDGER_FIELDS.items()],
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "rows": [row.to_dict() for row in self.rows],
        }


def first_sentence(text: str) -> str:
    """Return the first sentence of a clause's text (to its 。 or ；, or the end of its first paragraph)."""
    return FIRST_SENTENCE.match(text.strip()).group().strip()


@dataclass(frozen=True)
class _Gathered:
    """The tasks of one whole result set, with whether each holds every word."""

    tasks: tuple[tuple[Hit, bool], ...]
    clauses: int
    complete: bool  # False: the result set is deeper than settings.MAX_PAGE pages
    filters: dict[str, tuple[str, ...]]
    as_of: str
    place: tuple[str, ...]


@dataclass(frozen=True)
class _Search:
    """What every page of a ledger's search shares but its filters."""

    q: str
    as_of: str | None
    place: str | None
    ip_general: bool


def _gather(index: SearchIndex, s: _Search, filters: Mapping[str, Sequence[str]]) -> _Gathered:
    """Search page by page to the end, keeping the hits that name agencies.

    Sorted by date, so a document's tasks come together in reading order; the hits that hold every
    word still come first (the search puts its ranked reading after them, however sorted).
    """
    tasks: list[tuple[Hit, bool]] = []
    page, per_page = 1, settings.MAX_PER_PAGE
    while True:
        result = search(index, s.q, filters=filters, sort="date", page=page, per_page=per_page, as_of=s.as_of,
                        place=s.place, ip_general=s.ip_general)
        exact_total = result.relaxed.exact_total if result.relaxed else result.total
        start = (page - 1) * per_page
        tasks += [(hit, start + n < exact_total) for n, hit in enumerate(result.hits) if hit.agencies]
        done = start + len(result.hits) >= result.total or len(result.hits) < per_page
        if done or page >= settings.MAX_PAGE:  # the search clamps deeper pages to its last one
            return _Gathered(tuple(tasks), result.total, done, dict(result.filters), result.as_of, result.place)
        page += 1


def ledger(index: SearchIndex, q: str = "", filters: Mapping[str, Sequence[str]] | None = None,
           as_of: str | None = None, limit: int | None = None, *, place: str | None = None,
           ip_general: bool = False) -> Ledger:
    """Return the task ledger of a search: every clause it matches that gives agencies work.

    :param q: the search's query ("" browses everything); :param filters: its filters, as ``search`` takes them.
    :param as_of: the day statuses are given for (today by default).
    :param limit: list at most this many rows; the total and the facet counts still count every task.
    :param place, ip_general: as ``search`` takes them (what applies in a place; 综合 with an IP type).
    :raises QuerySyntaxError, FilterError: as ``search`` does.
    """
    asked = _Search(q, as_of, place, ip_general)
    gathered = _gather(index, asked, filters or {})
    rows = tuple(LedgerRow.of(hit, exact) for hit, exact in gathered.tasks[:limit])
    total = len(gathered.tasks)
    return Ledger(query=q, filters=gathered.filters, as_of=gathered.as_of, place=gathered.place,
                  ip_general=ip_general, rows=rows, total=total,
                  truncated=len(rows) < total or not gathered.complete, clauses=gathered.clauses,
                  exact_total=sum(1 for _, exact in gathered.tasks if exact),
                  facets=_facets(index, asked, gathered))


# The facets a Hit carries; the others (文种, 效力级别) are read from the document's metadata.
_HIT_VALUES: dict[str, Callable[[Hit], Sequence[str]]] = {
    "issuer": lambda hit: hit.issuer,
    "level": lambda hit: (hit.level,),
    "region": lambda hit: hit.region,
    "year": lambda hit: () if hit.year is None else (str(hit.year),),
    "ip_type": lambda hit: hit.ip_types,
    "agency": lambda hit: tuple(dict.fromkeys(a.canonical for a in hit.agencies)),
    STATUS_FACET.name: lambda hit: (hit.status,),
}


def _facets(index: SearchIndex, asked: _Search, gathered: _Gathered) -> dict[str, tuple[FacetValue, ...]]:
    """Count the tasks by facet as the search counts clauses: each facet with every other facet's filters.

    A facet with a filter of its own is counted over the search without it (one more pass over
    the result set), so its other values show what ticking them would add.
    """
    metadata: dict[str, dict] = {}

    def values(hit: Hit, name: str) -> Sequence[str]:
        if name in _HIT_VALUES:
            return _HIT_VALUES[name](hit)
        if hit.doc_id not in metadata:
            metadata[hit.doc_id] = document_metadata(index, hit.doc_id)
        return (metadata[hit.doc_id].get(name) or "",)

    out = {}
    for facet in SEARCH_FACETS:
        name = facet.name
        pool = gathered.tasks
        if name in gathered.filters:
            others = {k: v for k, v in gathered.filters.items() if k != name}
            pool = _gather(index, asked, others).tasks
        counts = Counter(value for hit, _ in pool for value in values(hit, name) if value)
        out[name] = tuple(FacetValue(value, count) for value, count in _ordered(name, counts))
    return out


def _ordered(name: str, counts: Counter) -> list[tuple[str, int]]:
    """Order a facet's counts as the search lists them (statuses in their order, years newest first)."""
    if name == STATUS_FACET.name:
        return sorted(counts.items(), key=lambda kv: STATUSES.index(kv[0]) if kv[0] in STATUSES else len(STATUSES))
    if FACET_BY_NAME[name].order == "value-desc":
        return sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def write_csv(result: Ledger, out: TextIO, base_url: str = "", cell: Callable[[str], str] | None = None) -> None:
    """Write the ledger's rows as CSV under the Chinese headers of ``LEDGER_FIELDS``.

    :param base_url: put before each permalink (the server's address) so a spreadsheet can open it.
    :param cell: applied to every cell, e.g. a guard that keeps a spreadsheet from reading one as a formula.
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LEDGER_FIELDS.values())
    for row in result.rows:
        cells = row.cells(base_url)
        writer.writerow([cell(cells[name]) if cell else cells[name] for name in LEDGER_FIELDS])
