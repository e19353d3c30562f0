"""The HTML pages: each renders a dict from ``views`` and links its JSON twin (``Link: rel="alternate"``)."""
from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from . import results, views
from .graphsvg import neighbours_svg

bp = Blueprint("pages", __name__)


def _page(template: str, json_url: str | None, **context) -> Response:
    response = Response(render_template(template, json_url=json_url, **context))
    if json_url:  # a POSTed passage's JSON twin is a POST too: no URL to name
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@bp.route("/", methods=["GET", "POST"])
def search():
    """Search, or browse the whole collection when the query is empty; a passage too long for a URL is POSTed."""
    context = results.search_context(views.request_arguments())
    return _page("search.html", **context)


@bp.get("/favicon.ico")
def favicon():
    """Send browsers that ask for /favicon.ico (a JSON page, a bookmark) to the icon the pages name."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    """Show a whole document; ``?q=`` marks the query's words, ``#clause`` scrolls to a clause."""
    q = request.args.get("q", "").strip()
    as_of = request.args.get("as_of", "").strip() or None
    page = views.document_page(doc_id, q, as_of)
    return _page("doc.html", url_for("api.document", doc_id=doc_id, q=q or None, as_of=as_of), doc=page,
                 query_value=q, as_of=as_of or "", graph_svg=neighbours_svg(page["relations"]))


@bp.get("/doc/<old_id>/diff/<new_id>")
def diff(old_id: str, new_id: str):
    """Show two versions of an act side by side, article by article (新旧对照)."""
    page = views.diff_page(old_id, new_id)
    return _page("diff.html", url_for("api.diff", old_id=old_id, new_id=new_id), diff=page,
                 old_meta=page["old_meta"], new_meta=page["new_meta"])


@bp.get("/clause/<clause_id>")
def clause(clause_id: str):
    """Land on a clause in its document (a permalink)."""
    hit = views.clause_page(clause_id)
    q = request.args.get("q", "").strip()
    return redirect(url_for("pages.document", doc_id=hit["doc_id"], q=q or None, _anchor=hit["clause_id"]), 302)


@bp.get("/clause/<clause_id>/similar")
def similar(clause_id: str):
    """Compare a clause side by side with the most similar clauses of other documents."""
    limit = request.args.get("limit")
    page = views.similar_page(clause_id, limit)
    return _page("similar.html", url_for("api.similar", clause_id=clause_id, limit=limit), page=page)


@bp.route("/export.csv", methods=["GET", "POST"])
def export_csv():
    """Download the whole result set of a search as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    data = views.export_rows(views.request_arguments())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(data["headers"])
    writer.writerows([spreadsheet_safe(row[name]) for name in data["fields"]] for row in data["rows"])
    response = Response(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    return _download(response, "csv", data)


# A cell starting with one of these is read as a formula by Excel and LibreOffice (=HYPERLINK(…),
# +cmd|…, @SUM…, and a tab or CR before them); OWASP's "CSV injection" advice is a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return a CSV cell that a spreadsheet shows as text: a formula-like start gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@bp.route("/export.json", methods=["GET", "POST"])
def export_json():
    """Download the whole result set of a search as JSON."""
    data = views.export_rows(views.request_arguments())
    return _download(jsonify(data), "json", data)


def _download(response: Response, suffix: str, data: dict) -> Response:
    # ASCII filename for every browser, the UTF-8 one (RFC 6266) for those that read it.
    name = f"ip-search-{data['query'] or 'all'}"[:60]  # a passage: its first characters
    response.headers["Content-Disposition"] = (f'attachment; filename="ip-search.{suffix}"; '
                                               f"filename*=UTF-8''{quote(name)}.{suffix}")
    response.headers["X-Total-Count"] = str(data["total"])
    response.headers["X-Export-Truncated"] = "true" if data["truncated"] else "false"
    return response
