"""The GB/T 7714-2015 reference entry of what a page cites, for templates (``_cite.html``): ``gbt7714(source, cite_id)``.

A hit's dict carries its Chinese citation but not this form; it is made here from the hit's (or a document's
metadata) fields, with the page's permalink as its URL.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import url_for

from search.citation import cite_document, cite_gbt7714

from .views import CLAUSE_ID, DOC_ID

__all__ = ["gbt7714"]

FIELDS = ("clause_id", "doc_id", "title", "issuer", "doc_number", "date", "year", "citation", "version_label")


def gbt7714(source, cite_id: str = "", cited: str = "") -> str:
    """Return the GB/T 7714-2015 entry of a clause (a hit, as a dict or a ``Hit``) or a document (its metadata dict).

    ``cite_id`` is the id the page cites it by (``_cite.html``'s): a metadata dict has no id of its
    own, and a source whose ids are not ``cite_id`` is not what is cited (""). The permalink is
    ``/clause/<id>`` for a clause, ``/doc/<id>`` for a document, absolute. "" when there is no title.
    """
    fields = _fields(source)
    if fields is None:
        return ""
    clause_id, doc_id = fields.get("clause_id") or "", fields.get("doc_id") or ""
    if cite_id and (clause_id or doc_id) and cite_id not in (clause_id, doc_id):
        return ""
    if not clause_id and not doc_id:  # a document's metadata, cited by its document's id
        clause_id, doc_id = ("", cite_id) if DOC_ID.match(cite_id or "") else \
            ((cite_id, "") if CLAUSE_ID.match(cite_id or "") else ("", ""))
    position = ""
    if clause_id and cite_id != doc_id:
        url = url_for("pages.clause", clause_id=clause_id, _external=True)
        position = _position(fields)
    elif doc_id:
        url = url_for("pages.document", doc_id=doc_id, _external=True)
    else:
        url = ""
    return cite_gbt7714(fields, position, url, cited)


def _fields(source) -> dict | None:
    if isinstance(source, Mapping):
        return {name: source.get(name) for name in FIELDS}
    if source is None or not hasattr(source, "title"):  # Jinja's Undefined, or something else
        return None
    return {name: getattr(source, name, None) for name in FIELDS}


def _position(fields: dict) -> str:
    """Return the clause's place in its document as its Chinese citation gives it: 第二十条第一款, 第（四）项."""
    citation = fields.get("citation") or ""
    label = fields.get("version_label") or ""
    if label:
        citation = citation.replace(label, "", 1)
    title = fields.get("title") or ""
    # 《title》（文号）for a policy document, 《title》 for a law: the hit does not say which it is
    for head in (cite_document(title, fields.get("doc_number") or ""), cite_document(title)):
        if head and citation.startswith(head):
            return citation[len(head):]
    return ""
