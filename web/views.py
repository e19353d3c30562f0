"""Page data: request arguments → the dicts both blueprints serve.

One function per page. ``api.py`` returns its dict as JSON (``/api/search`` exactly
``SearchPage.to_dict()``); ``pages.py`` renders the same dict, adding only presentation
(facet links, chips, the year chart, pagination) that ``results.search_context`` builds from it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from flask import current_app, request, url_for
from werkzeug.datastructures import MultiDict

from search import settings
from search.analysis import segment
from search.highlight import highlight
from search.models import ROLE_LABELS, Hit, SearchPage
from search.query import parse_query
from search.comparing import wording_similarity
from search.diff import diff_versions
from search.facetspec import SEARCH_FACETS, value_label
from search.searching import (clause_citers, document_metadata, get_clause, get_document, page_numbers, relations,
                              search, similar)
from search.validity import parse_day
from search.synonyms import expand

from .errors import ApiError
from .index import open_index
from .security import URL_QUERY_BUDGET

DOC_ID = re.compile(r"^[0-9a-f]{10}$")
# 2797ba83d9-p2.s8, 34324e05e4-c10.a94, 9618b79569-0, a duplicate label's ~2 suffix
CLAUSE_ID = re.compile(r"^[0-9a-f]{10}-[0-9a-z]{1,12}(?:\.[0-9a-z]{1,12}){0,6}(?:~[0-9]{1,4})?$")

FACET_LABELS = {f.name: f.label for f in SEARCH_FACETS}  # from the facet spec, in its order
FLAG_TRUE = ("1", "true", "on", "yes")
FLAG_FALSE = ("0", "false", "off", "no")
# Links that change the results land on their heading, which app.js focuses: a keyboard user who
# applied a filter starts again at the new results, not at the top of the page.
RESULTS_ANCHOR = "#results-heading"


@dataclass(frozen=True)
class SearchArgs:
    """The state of a search page, all of it in the URL."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = settings.DEFAULT_PER_PAGE
    one_per_doc: bool = False
    legal_terms: bool = True  # search the legal terms of everyday words too (盗版 → 侵犯著作权)
    as_of: str = ""  # the ISO day statuses are given for; "" is today
    place: str = ""  # what applies in this place: its documents and those of every level above it
    ip_general: bool = False  # an ip_type filter takes the clauses on IP as a whole (综合) too

    def pairs(self) -> list[tuple[str, str]]:
        """Return the query-string pairs of this state, defaults left out, in a fixed order."""
        out = [("q", self.q)] if self.q else []
        out += [(f.name, value) for f in SEARCH_FACETS for value in self.filters.get(f.name, ())]
        if self.place:
            out.append(("place", self.place))
        if self.ip_general:
            out.append(("ip_general", "1"))
        if self.as_of:
            out.append(("as_of", self.as_of))
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.one_per_doc:
            out.append(("one_per_doc", "1"))
        if not self.legal_terms:
            out.append(("legal_terms", "0"))
        if self.per_page != settings.DEFAULT_PER_PAGE:
            out.append(("per_page", str(self.per_page)))
        if self.page != 1:
            out.append(("page", str(self.page)))
        return out

    def url(self, endpoint: str = "pages.search", **changes) -> str:
        """Return the URL of ``endpoint`` with this state, changed by ``changes``."""
        state = replace(self, **changes) if changes else self
        query = urlencode(state.pairs())
        return url_for(endpoint) + (f"?{query}" if query else "")

    def link(self, **changes) -> str:
        """Return the search page's URL with this state changed, landing on the results' heading."""
        return self.url(**changes) + RESULTS_ANCHOR

    def fits_url(self) -> bool:
        """Whether this state fits in a URL (a long passage does not: it is POSTed)."""
        return len(urlencode(self.pairs())) <= URL_QUERY_BUDGET

    def toggled(self, name: str, value: str) -> SearchArgs:
        """Return this state with ``value`` of facet ``name`` switched on or off, on page 1."""
        values = self.filters.get(name, ())
        values = tuple(v for v in values if v != value) if value in values else (*values, value)
        filters = {k: v for k, v in {**self.filters, name: values}.items() if v}
        return replace(self, filters=filters, page=1)

    def without(self, name: str) -> SearchArgs:
        return replace(self, filters={k: v for k, v in self.filters.items() if k != name}, page=1)


def parse_search_args(args: Mapping) -> SearchArgs:
    """Read a search's state from request arguments; what the search can't use is refused.

    :raises FilterError: a page or per_page that is no whole number (search's own rule).
    :raises ApiError 400: a bad one_per_doc.
    """
    args = args if isinstance(args, MultiDict) else MultiDict(args)
    filters = {}
    for f in SEARCH_FACETS:
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(f.name) if v.strip()))
        if values:
            filters[f.name] = values
    sort = args.get("sort", "").strip() or "relevance"  # checked by the search, as its filters are
    page, per_page = page_numbers(args.get("page"), args.get("per_page"))
    as_of = args.get("as_of", "").strip()
    return SearchArgs(q=args.get("q", "").strip(), filters=filters, sort=sort, page=page, per_page=per_page,
                      one_per_doc=_flag(args, "one_per_doc", False), legal_terms=_flag(args, "legal_terms", True),
                      as_of=parse_day(as_of) if as_of else "", place=args.get("place", "").strip()[:40],
                      ip_general=_flag(args, "ip_general", False))


def _flag(args: MultiDict, name: str, default: bool) -> bool:
    raw = args.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in FLAG_TRUE:
        return True
    if raw in FLAG_FALSE:
        return False
    raise ApiError(f"{name} 只能是 1 或 0，收到的是“{raw[:40]}”", 400, "bad_flag")


def request_arguments() -> MultiDict:
    """Return a search request's arguments: its form when POSTed, else its query string (never both)."""
    return request.form if request.method == "POST" else request.args


def run_search(a: SearchArgs) -> SearchPage:
    with open_index() as index:
        return search(index, a.q, filters=a.filters, sort=a.sort, page=a.page, per_page=a.per_page,
                      one_per_doc=a.one_per_doc, legal_terms=a.legal_terms, as_of=a.as_of or None,
                      place=a.place or None, ip_general=a.ip_general)


def search_page(args: Mapping) -> dict:
    """Return the JSON of a search: exactly ``SearchPage.to_dict()``."""
    return run_search(parse_search_args(args)).to_dict()


# -- documents, clauses, similar clauses, agencies -----------------------------------------


def check_doc_id(doc_id: str) -> str:
    if not DOC_ID.match(doc_id):
        raise ApiError(f"没有编号为“{doc_id[:80]}”的文件：文件编号是 10 位十六进制字符（0-9、a-f）", 404,
                       "document_not_found")
    return doc_id


def check_clause_id(clause_id: str) -> str:
    if not CLAUSE_ID.match(clause_id):
        raise ApiError(f"没有编号为“{clause_id[:80]}”的条款：条款编号形如 2797ba83d9-p2.s8", 404, "clause_not_found")
    return clause_id


def query_terms(q: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the words (with synonyms) and phrases of a query, to highlight in a document.

    :raises QuerySyntaxError: the query can't be read.
    """
    if len(q) > settings.MAX_QUERY_CHARS:  # a passage: mark its words (the search reads its key words)
        return tuple(dict.fromkeys(w for w in segment(q) if len(w) > 1)), ()
    parsed = parse_query(q)
    typed = list(parsed.required)
    typed += [w for group in parsed.any_of for alternative in group for w in (segment(alternative) or [alternative])]
    words = tuple(dict.fromkeys(form for word in typed for form in expand(word)))
    return words, tuple(parsed.phrases)


def document_page(doc_id: str, q: str = "", as_of: str | None = None) -> dict:
    """Return a document: its metadata, status, versions and relations, a table of contents and every clause,
    the query's words marked, and for each law article the clauses of other documents that cite it.

    :raises ApiError 404: not a document id. :raises DocumentNotFound: no such document.
    :raises FilterError: an ``as_of`` day that can't be read.
    """
    check_doc_id(doc_id)
    words, phrases = query_terms(q) if q.strip() else ((), ())
    with open_index() as index:
        units = get_document(index, doc_id, as_of=as_of)
        metadata = document_metadata(index, doc_id)
        links = relations(index, doc_id, as_of=as_of)
        cited = {u.clause_id: clause_citers(index, u.clause_id) for u in units}
    clauses = [{**replace(u, highlight=highlight(u.text, words, phrases, max_chars=max(len(u.text), 1))).to_dict(),
                "cited_by": cited[u.clause_id]} for u in units]
    return {"doc_id": doc_id, "query": q, "metadata": metadata, "relations": links, "toc": _toc(units),
            "clauses": clauses}


def relations_page(doc_id: str, as_of: str | None = None) -> dict:
    """Return a document's status on ``as_of``, its versions and history, what it rests on and what cites it."""
    check_doc_id(doc_id)
    with open_index() as index:
        return relations(index, doc_id, as_of=as_of)


def diff_page(old_id: str, new_id: str) -> dict:
    """Return two versions of an act compared article by article."""
    check_doc_id(old_id)
    check_doc_id(new_id)
    with open_index() as index:
        result = diff_versions(index, old_id, new_id)
        metadata = {"old_meta": document_metadata(index, old_id), "new_meta": document_metadata(index, new_id)}
    return {**result.to_dict(), **metadata}


def _toc(units: tuple[Hit, ...]) -> list[dict]:
    """Return the table of contents: the clauses that contain others (编, 章, 一、…), or every labelled one."""
    parents = {tuple((s.label, s.heading) for s in u.path[:depth]) for u in units for depth in range(1, len(u.path) + 1)}
    containers = {u.clause_id for u in units if (*((s.label, s.heading) for s in u.path), (u.label, u.heading)) in parents}
    # Every clause that holds others, and every labelled clause at the top level (一、规划背景 has
    # no children but is a part of its own); a flat list of articles lists them all.
    chosen = [u for u in units if u.clause_id in containers or (u.label and not u.path)]
    return [{"clause_id": u.clause_id, "label": u.label, "heading": u.heading, "depth": len(u.path)} for u in chosen]


def clause_page(clause_id: str) -> dict:
    """Return one clause."""
    check_clause_id(clause_id)
    with open_index() as index:
        return {**get_clause(index, clause_id).to_dict(), "cited_by": clause_citers(index, clause_id)}


def similar_page(clause_id: str, limit: str | None = None) -> dict:
    """Return a clause, the most similar clauses of other acts, and the closest clause of each other version of its act."""
    check_clause_id(clause_id)
    with open_index() as index:
        origin, hits, versions = similar(index, clause_id, limit=limit or "")
        # the share of wording both hold, the same whichever clause one starts from (score is BM25's view)
        wording = {h.clause_id: round(wording_similarity(index, origin.text, h.text), 4) for h in (*hits, *versions)}
    return {"clause": origin.to_dict(),
            "similar": [{**h.to_dict(), "wording": wording[h.clause_id]} for h in hits],
            "other_versions": [{**h.to_dict(), "wording": wording[h.clause_id]} for h in versions]}


# -- whole result sets --------------------------------------------------------------------


def collect(a: SearchArgs, limit: int | None = None) -> tuple[list[Hit], int, bool]:
    """Return up to ``limit`` hits of a whole result set (page by page), its total and whether it was cut.

    ``limit`` defaults to the app's ``EXPORT_MAX_ROWS``.
    """
    limit = limit or current_app.config["EXPORT_MAX_ROWS"]
    hits: list[Hit] = []
    total, page = 0, 1
    while len(hits) < limit and page <= settings.MAX_PAGE:
        result = run_search(replace(a, page=page, per_page=settings.MAX_PER_PAGE))
        total = result.total
        hits += result.hits
        if len(result.hits) < settings.MAX_PER_PAGE:
            break
        page += 1
    hits = hits[:limit]
    return hits, total, total > len(hits)


# An export row's fields, and the header a spreadsheet shows for each (the CSV speaks Chinese).
EXPORT_HEADERS = {
    "citation": "引文", "title": "文件", "doc_number": "文号", "issuer": "发文机关", "date": "日期", "region": "地区",
    "level": "层级", "status": "效力状态", "label": "条款", "ip_types": "知识产权类型", "agencies": "责任部门及角色",
    "text": "条文", "permalink": "链接", "clause_id": "条款编号",
}
EXPORT_FIELDS = tuple(EXPORT_HEADERS)


def export_rows(args: Mapping) -> dict:
    """Return the whole result set of a search as export rows, with its total and whether it was cut."""
    a = parse_search_args(args)
    hits, total, truncated = collect(replace(a, page=1))
    rows = [{"citation": h.citation, "title": h.title, "doc_number": h.doc_number, "issuer": "、".join(h.issuer),
             "date": h.date, "region": " › ".join(h.region) or "全国", "level": h.level, "status": h.status,
             "label": h.label, "ip_types": "、".join(value_label("ip_type", t) for t in h.ip_types),
             "agencies": agency_roles(h.agencies), "text": h.text,
             "permalink": url_for("pages.clause", clause_id=h.clause_id, _external=True), "clause_id": h.clause_id}
            for h in hits]
    return {"query": a.q, "filters": {k: list(v) for k, v in a.filters.items()}, "total": total,
            "exported": len(rows), "truncated": truncated, "fields": list(EXPORT_FIELDS),
            "headers": [EXPORT_HEADERS[f] for f in EXPORT_FIELDS], "rows": rows}


def agency_roles(agencies) -> str:
    """Write each agency with its own role: 知识产权局（牵头）、财政局（配合）."""
    return "、".join(f"{a.name}（{ROLE_LABELS.get(a.role, a.role)}）" for a in agencies)
