"""The JSON API: the same page dicts the HTML pages render (``/api/search`` is ``SearchPage.to_dict()``)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from . import openapi, views
from .index import open_index

bp = Blueprint("api", __name__)


@bp.after_app_request
def _link_description(response: Response) -> Response:
    """Point every JSON response at the API's description (RFC 8631 ``service-desc``)."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        link = f'<{url_for("api.openapi_document")}>; rel="service-desc"; type="application/openapi+json"'
        response.headers["Link"] = ", ".join(filter(None, [response.headers.get("Link"), link]))
    return response


@bp.get("/api/openapi.json")
def openapi_document():
    """Return the OpenAPI 3.0 document of this API."""
    return jsonify(openapi.document())


@bp.route("/api/search", methods=["GET", "POST"])
def search():
    """Search clauses; the parameters of ``/``, in the query string or (for a long passage) a POSTed form."""
    return jsonify(views.search_page(views.request_arguments()))


@bp.get("/api/doc/<doc_id>")
def document(doc_id: str):
    """Return a document with its metadata, relations, table of contents and clauses (``?q=`` marks its words)."""
    return jsonify(views.document_page(doc_id, request.args.get("q", ""), request.args.get("as_of")))


@bp.get("/api/doc/<doc_id>/relations")
def relations(doc_id: str):
    """Return a document's status (``?as_of=`` a day), versions, history, what it rests on and what cites it."""
    return jsonify(views.relations_page(doc_id, request.args.get("as_of")))


@bp.get("/api/doc/<old_id>/diff/<new_id>")
def diff(old_id: str, new_id: str):
    """Return two versions of an act compared article by article."""
    return jsonify(views.diff_page(old_id, new_id))


@bp.get("/api/clause/<clause_id>")
def clause(clause_id: str):
    """Return one clause."""
    return jsonify(views.clause_page(clause_id))


@bp.get("/api/clause/<clause_id>/similar")
def similar(clause_id: str):
    """Return a clause and the most similar clauses of other documents."""
    return jsonify(views.similar_page(clause_id, request.args.get("limit")))


@bp.get("/healthz")
def healthz():
    """Tell whether the index opens and reads, and which generation is served (503 with the message if not)."""
    with open_index() as index:  # checks that no file of the generation changed since it was opened
        clauses = index.probe()  # and reads one clause through terms, postings and stored fields
        return jsonify({"status": "ok", "generation": index.generation.name if index.generation else None,
                        "clauses": clauses})
