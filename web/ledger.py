"""The task ledger pages: ``/ledger`` (a table of every task a search finds), its JSON twin ``/api/ledger``
and ``/ledger.csv``, all from one dict, ``search.ledger.Ledger.to_dict()``.

The page's facet links and chips are the search page's (``web.results``), pointed at ``/ledger``.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from search.facetspec import value_label
from search.ledger import NATIONAL, REGION_JOIN, ROLE_LABELS, Ledger, ledger, write_csv

from . import results
from .index import open_index
from .pages import spreadsheet_safe
from .views import SearchArgs, parse_search_args, request_arguments

bp = Blueprint("ledger", __name__)


@dataclass(frozen=True)
class LedgerArgs(SearchArgs):
    """A search's state whose links (facets, chips) lead to the ledger; sort and pages don't apply."""

    def url(self, endpoint: str = "ledger.page", **changes) -> str:
        return super().url(endpoint, **changes)


def ledger_args(args: Mapping) -> LedgerArgs:
    """Read the query, filters, place and day of a ledger request (as the search reads them)."""
    a = parse_search_args(args)
    return LedgerArgs(q=a.q, filters=a.filters, as_of=a.as_of, place=a.place, ip_general=a.ip_general)


def run_ledger(a: LedgerArgs) -> Ledger:
    """Return the ledger of a search, at most ``EXPORT_MAX_ROWS`` rows (the total counts them all)."""
    with open_index() as index:
        return ledger(index, a.q, filters=a.filters, as_of=a.as_of or None, limit=current_app.config["EXPORT_MAX_ROWS"],
                      place=a.place or None, ip_general=a.ip_general)


def ledger_page(a: LedgerArgs) -> dict:
    """Return the ledger of a search as its JSON: ``Ledger.to_dict()``."""
    return run_ledger(a).to_dict()


def document_groups(rows: list[dict]) -> list[dict]:
    """Return the rows in runs of one document each, as the table shows them under the document's title.

    Runs, not a grouping: the tasks holding every word stay before the others, so a document
    may head two runs.
    """
    groups: list[dict] = []
    for row in rows:
        if not groups or (groups[-1]["doc_id"], groups[-1]["exact"]) != (row["doc_id"], row["exact"]):
            groups.append({"doc_id": row["doc_id"], "exact": row["exact"], "title": row["title"],
                           "doc_number": row["doc_number"], "region": row["region"], "level": row["level"],
                           "year": row["year"], "status": row["status"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@bp.get("/ledger")
def page():
    """Show every task of a search as a table: agencies by role, time limit, citation; filters beside it."""
    a = ledger_args(request_arguments())
    result = ledger_page(a)
    json_url = a.url("ledger.api") if a.fits_url() else None
    response = Response(render_template(
        "ledger.html", result=result, args=a, json_url=json_url, query_value=a.q,
        groups=document_groups(result["rows"]),
        facets=results._facets(a, result), chips=results._chips(a), clear_url=a.link(filters={}),
        search_url=a.url("pages.search"), csv_url=a.url("ledger.csv"), api_url=a.url("ledger.api"),
        # the header's search box keeps the ledger's filters, as the search page's does; the ledger's own
        # form has a field for the place
        hidden=[(k, v) for k, v in a.pairs() if k != "q"],
        ledger_hidden=[(k, v) for k, v in a.pairs() if k not in ("q", "place")], roles=ROLE_LABELS,
        ip_label=lambda value: value_label("ip_type", value), region_join=REGION_JOIN, national=NATIONAL))
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/api/ledger")
def api():
    """Return the ledger of a search (the parameters of ``/`` but sort, pages, one_per_doc and legal_terms)."""
    return jsonify(ledger_page(ledger_args(request_arguments())))


@bp.get("/ledger.csv")
def csv():
    """Download the ledger as CSV (UTF-8 with BOM, so Excel reads the Chinese; Chinese headers)."""
    a = ledger_args(request_arguments())
    result = run_ledger(a)
    out = io.StringIO()
    write_csv(result, out, base_url=request.host_url, cell=spreadsheet_safe)
    response = Response(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    # ASCII filename for every browser, the UTF-8 one (RFC 6266) for those that read it.
    name = f"任务台账-{a.q or '全部'}"[:60]
    response.headers["Content-Disposition"] = (f'attachment; filename="ledger.csv"; '
                                               f"filename*=UTF-8''{quote(name)}.csv")
    response.headers["X-Total-Count"] = str(result.total)
    response.headers["X-Export-Truncated"] = "true" if result.truncated else "false"
    return response
