"""The agency pages: the directory of agencies (/agencies) and each agency's tasks (/agency/<name>, JSON, CSV).

Each page renders the dict its JSON twin returns; the directory's data is ``search.agencydir``, the
clause counts come from the agency facet of the index being served.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.agencydir import Entry, directory
from search.models import Hit
from search.synonyms import expand_agency
from search.text.agencies import canonical_agency

from .errors import ApiError
from .pages import spreadsheet_safe
from .views import ROLE_LABELS, SearchArgs, collect, run_search

bp = Blueprint("agencies", __name__)

# A clause counts once, under the first of these roles it gives the agency (any name the page
# includes): 牵头 outranks 负责, which outranks 配合. A clause giving it none counts as "other".
ROLE_ORDER = ("lead", "responsible", "cooperate")
OTHER = "other"
COUNT_LABELS = {**{role: ROLE_LABELS[role] for role in ROLE_ORDER}, OTHER: "其他"}
# How a name the page includes, or an entry it points to, stands to the agency of the page.
RELATIONS = ("self", "former", "successor", "under", "manages", "family")
RELATION_LABELS = {"self": "本名", "former": "旧称（已并入本机关）", "successor": "继任机关",
                   "under": "由本机关管理，仍是独立机关", "manages": "管理本机关", "family": "同一系统的其他层级"}
CSV_COLUMNS = ("文件", "文号", "地区", "层级", "年份", "条款", "角色", "引文", "链接")
MAX_REGION_CHARS = 40
PLACE_PARAMETERS = ("region", "level")


class AgencyNotFound(ApiError):
    """No clause gives the agency a task; ``suggestions`` are the nearest directory entries that have some."""

    def __init__(self, message: str, name: str, suggestions: list[dict]):
        super().__init__(message, 404, "agency_not_found")
        self.name = name
        self.suggestions = suggestions


# -- counts -----------------------------------------------------------------------------------


def agency_counts() -> dict[str, int]:
    """Return every agency facet value of the index with its clause count."""
    return {v.value: v.count for v in run_search(SearchArgs(per_page=1)).facets["agency"]}


def page_clauses(canonical: str, counts: dict[str, int]) -> int:
    """Return how many clauses the agency page of ``canonical`` lists (its former names' included)."""
    names = expand_agency(canonical)
    if not any(counts.get(n) for n in names[1:]):
        return counts.get(canonical, 0)
    return run_search(SearchArgs(filters={"agency": (canonical,)}, per_page=1)).total


def _entry_row(entry: Entry, counts: dict[str, int]) -> dict:
    return {**entry.to_dict(), "level_label": directory().level_label(entry), "clauses": counts.get(entry.canonical, 0),
            "page_clauses": page_clauses(entry.canonical, counts)}


# -- the directory ------------------------------------------------------------------------------


def directory_data() -> dict:
    """Return the directory grouped by family, each entry with its clauses in the index."""
    book = directory()
    counts = agency_counts()
    families = []
    for family, members in book.families():
        rows = [_entry_row(entry, counts) for entry in members]
        families.append({"family": family, "clauses": sum(r["clauses"] for r in rows), "entries": rows})
    unlisted = [{"value": value, "count": n} for value, n in counts.items() if book.get(value) is None]
    return {"entries": len(book.entries()), "in_index": sum(1 for e in book.entries() if counts.get(e.canonical)),
            "families": families, "unlisted": unlisted}


# -- one agency -----------------------------------------------------------------------------------


def _place_filters(args: Mapping) -> dict[str, tuple[str, ...]]:
    """Read ``region=`` and ``level=`` (each repeatable: OR within one, AND across the two).

    :raises ApiError 400: a level that is not one of 国家、省、市、县.
    """
    args = args if isinstance(args, MultiDict) else MultiDict(args)
    levels = directory().levels
    level = tuple(dict.fromkeys(v.strip() for v in args.getlist("level") if v.strip()))
    unknown = [v for v in level if v not in levels]
    if unknown:
        raise ApiError(f"层级只能是{'、'.join(levels)}，收到的是“{unknown[0][:MAX_REGION_CHARS]}”", 400, "bad_filter")
    region = tuple(dict.fromkeys(v.strip()[:MAX_REGION_CHARS] for v in args.getlist("region") if v.strip()))
    return {k: v for k, v in (("region", region), ("level", level)) if v}


def _relation(canonical: str, other: str) -> str:
    """Return how the entry ``other`` stands to ``canonical`` (one of RELATIONS)."""
    book = directory()
    mine, theirs = book.get(canonical), book.get(other)
    if other == canonical:
        return "self"
    if theirs and mine in book.successors_of(theirs):
        return "former"
    if mine and theirs in book.successors_of(mine):
        return "successor"
    if theirs and canonical in theirs.under:
        return "under"
    if mine and other in mine.under:
        return "manages"
    return "family"


def _related(canonical: str) -> list[Entry]:
    """Return the directory entries an agency's page points to: successors, its family, who manages whom."""
    book = directory()
    entry = book.get(canonical)
    if entry is None:
        return []
    managing = [book.get(name) for name in entry.under]
    managed = [e for e in book.entries() if canonical in e.under]
    return list(dict.fromkeys([*book.lookup(canonical)[1:], *managing, *managed]))


def _counted_role(mine: list) -> str:
    return next((role for role in ROLE_ORDER if any(a.role == role for a in mine)), OTHER)


def _agency_roles(hit: Hit, included: set[str]) -> list[dict]:
    """Return each agency of a clause once, with its own roles: the page's agency (its names) first."""
    grouped: dict[str, dict] = {}
    for a in hit.agencies:
        row = grouped.setdefault(a.canonical, {"canonical": a.canonical, "names": [], "roles": [],
                                               "included": a.canonical in included})
        row["names"] += [a.name] if a.name not in row["names"] else []
        row["roles"] += [a.role] if a.role not in row["roles"] else []
    for row in grouped.values():
        row["roles"].sort(key=lambda r: ROLE_ORDER.index(r) if r in ROLE_ORDER else len(ROLE_ORDER))
    return sorted(grouped.values(), key=lambda row: not row["included"])


def _clause(hit: Hit, included: set[str]) -> dict:
    mine = [a for a in hit.agencies if a.canonical in included]
    return {**hit.to_dict(), "role": _counted_role(mine), "roles": [a.to_dict() for a in mine],
            "agency_roles": _agency_roles(hit, included)}


def _documents(hits: list[Hit], included: set[str]) -> list[dict]:
    """Group the clauses by document, newest document first, each with its clause and role counts."""
    documents: dict[str, dict] = {}
    for hit in hits:
        doc = documents.setdefault(hit.doc_id, {
            "doc_id": hit.doc_id, "title": hit.title, "version_label": hit.version_label,
            "doc_number": hit.doc_number, "issuer": list(hit.issuer), "date": hit.date, "year": hit.year,
            "level": hit.level, "region": list(hit.region), "count": 0, "roles": dict.fromkeys(COUNT_LABELS, 0),
            "clauses": []})
        clause = _clause(hit, included)
        doc["clauses"].append(clause)
        doc["count"] += 1
        doc["roles"][clause["role"]] += 1
    ordered = sorted(documents.values(), key=lambda d: d["title"])
    return sorted(ordered, key=lambda d: d["date"] or "", reverse=True)


def _options(facet: tuple, chosen: tuple[str, ...]) -> list[dict]:
    values = [{"value": v.value, "count": v.count, "selected": v.value in chosen} for v in facet]
    seen = {v["value"] for v in values}
    return values + [{"value": v, "count": 0, "selected": True} for v in chosen if v not in seen]


def _not_found(name: str, canonical: str, counts: dict[str, int]) -> AgencyNotFound:
    book = directory()
    suggestions = []
    for entry in book.lookup(name):
        clauses = page_clauses(entry.canonical, counts)
        if entry.canonical != canonical and clauses:
            suggestions.append({"canonical": entry.canonical, "levels": list(entry.levels),
                                "level_label": book.level_label(entry), "clauses": clauses})
    folded = f"（按“{canonical}”查找）" if canonical != name else ""
    message = f"没有条款给“{name}”{folded}分配任务"
    if suggestions:
        message += "；您是不是要找：" + "、".join(f"{s['canonical']}（{s['level_label']}）" for s in suggestions)
    return AgencyNotFound(message + "。", name, suggestions)


def agency_page(name: str, args: Mapping | None = None) -> dict:
    """Return every clause that gives an agency a task, by document (newest first), with its counts.

    ``args`` may hold ``region=`` and ``level=`` (the document's place and level).

    :raises ApiError 404: no name given. :raises AgencyNotFound: no clause gives the agency a task.
    :raises ApiError 400: a level that is not one of 国家、省、市、县.
    """
    name = name.strip()
    if not name:
        raise ApiError("请在网址中写上机关名称，例如 /agency/知识产权局", 404, "agency_not_found")
    filters = _place_filters(args or {})
    book = directory()
    entry = book.find(name)
    canonical = entry.canonical if entry else canonical_agency(name)
    counts = agency_counts()
    included = expand_agency(canonical)
    all_total = page_clauses(canonical, counts)
    if not all_total:
        raise _not_found(name, canonical, counts)
    query = SearchArgs(filters={"agency": (canonical,), **filters})
    first = run_search(SearchArgs(filters=query.filters, per_page=1))
    hits, total, truncated = collect(query) if first.total else ([], 0, False)
    documents = _documents(hits, set(included))
    roles = dict.fromkeys(COUNT_LABELS, 0)
    for doc in documents:
        for role, n in doc["roles"].items():
            roles[role] += n
    facet = {v.value: v.count for v in first.facets["agency"]}
    years = [{"year": int(v.value), "count": v.count} for v in first.facets["year"]]
    undated = total - sum(y["count"] for y in years)
    related = [{"canonical": e.canonical, "level_label": book.level_label(e), "relation": _relation(canonical, e.canonical),
                "clauses": page_clauses(e.canonical, counts)}
               for e in _related(canonical) if e.canonical not in included]
    return {
        "agency": name, "canonical": canonical, "entry": entry.to_dict() if entry else None,
        "includes": [{"name": n, "relation": _relation(canonical, n), "clauses": facet.get(n, 0)} for n in included],
        "filters": {k: list(v) for k, v in filters.items()},
        "options": {k: _options(first.facets[k], filters.get(k, ())) for k in ("level", "region")},
        "total": total, "all_total": all_total, "listed": len(hits), "truncated": truncated, "roles": roles,
        "by_year": years + ([{"year": None, "count": undated}] if undated > 0 else []),
        "related": related, "documents": documents,
    }


def csv_rows(page: dict) -> list[dict]:
    """Return the CSV rows of an agency page: one per clause, under the Chinese column names."""
    rows = []
    for doc in page["documents"]:
        for c in doc["clauses"]:
            rows.append({
                "文件": (doc["title"] or doc["doc_id"]) + doc["version_label"], "文号": doc["doc_number"],
                "地区": "、".join(doc["region"]), "层级": doc["level"], "年份": doc["year"] or "",
                "条款": " ".join(filter(None, [c["label"], c["text"]])), "角色": COUNT_LABELS[c["role"]],
                "引文": c["citation"],
                "链接": url_for("pages.document", doc_id=c["doc_id"], _anchor=c["clause_id"], _external=True),
            })
    return rows


# -- routes -----------------------------------------------------------------------------------------


def _page(template: str, json_url: str, status: int = 200, **context) -> Response:
    response = Response(render_template(template, json_url=json_url, **context), status=status)
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _filter_links(name: str, filters: dict[str, list[str]], options: dict[str, list[dict]]) -> dict:
    """Return the page's links that switch a level or region on or off (``clear_url``: both off)."""
    def url(changed: dict[str, list[str]]) -> str:
        return url_for("agencies.agency", name=name, **{k: v for k, v in changed.items() if v})

    links = {}
    for key, values in options.items():
        links[key] = []
        for option in values:
            chosen = [v for v in filters.get(key, []) if v != option["value"]]
            chosen += [] if option["selected"] else [option["value"]]
            links[key].append({**option, "url": url({**filters, key: chosen})})
    links["clear_url"] = url({}) if filters else ""
    return links


@bp.get("/agencies")
def directory_page():
    """List every agency of the directory by family, each with its clauses in the index."""
    return _page("agencies.html", url_for("agencies.api_directory"), page=directory_data())


@bp.get("/api/agencies")
def api_directory():
    """Return the agency directory by family, each entry with its clauses in the index."""
    return jsonify(directory_data())


@bp.get("/agency/<name>")
def agency(name: str):
    """List every clause giving an agency a task, by document; ``?region=`` and ``?level=`` narrow it."""
    json_url = url_for("agencies.api_agency", name=name,
                       **{k: request.args.getlist(k) for k in PLACE_PARAMETERS if k in request.args})
    try:
        page = agency_page(name, request.args)
    except AgencyNotFound as exc:
        return _page("agency.html", json_url, 404, not_found=exc, message=exc.message)
    links = _filter_links(page["canonical"], page["filters"], page["options"])
    csv_url = url_for("agencies.agency_csv", name=page["canonical"], **page["filters"])
    return _page("agency.html", json_url, page=page, links=links, csv_url=csv_url, COUNT_LABELS=COUNT_LABELS,
                 RELATION_LABELS=RELATION_LABELS)


@bp.get("/api/agency/<name>")
def api_agency(name: str):
    """Return every clause giving an agency a task, by document, with its counts."""
    return jsonify(agency_page(name, request.args))


@bp.get("/agency/<name>.csv")
def agency_csv(name: str):
    """Download an agency's clauses as CSV (UTF-8 with BOM, Chinese column names), one row per clause."""
    page = agency_page(name, request.args)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in csv_rows(page))
    response = Response(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (f'attachment; filename="agency.csv"; '
                                               f"filename*=UTF-8''{quote(page['canonical'])}.csv")
    response.headers["X-Total-Count"] = str(page["total"])
    response.headers["X-Export-Truncated"] = "true" if page["truncated"] else "false"
    return response
