"""A document's record for the collection's graph: what it says of its own life and every reference its clauses make.

Made from each Document a build ingests (plain JSON, so a worker's Documents and the records
the last generation saved mix freely); ``graph.py`` resolves the records of the whole collection.
"""
from __future__ import annotations

from ..models import Document
from ..text.docnumber import DocNumberError, normalize_doc_number
from ..text.lawnames import act_key
from .units import index_units

__all__ = ["document_record"]


def document_record(doc: Document) -> dict:
    """Return the record of ``doc``: identity, dates, history, what it repeals and amends, and its references.

    A reference names the index unit it stands in (an article, for a 项 inside one), which is
    what a relation links to.
    """
    meta, life = doc.metadata, doc.lifecycle
    unit_of, articles = {}, {}
    for unit, members, _ in index_units(doc.clauses):
        for member in members:
            unit_of[member.id] = unit
        if unit.kind == "article" and unit.number is not None:
            articles.setdefault(str(unit.number), unit.id)  # the first 第X条 of that number
    references = []
    for clause in doc.clauses:
        for ref in clause.references:
            unit = unit_of.get(clause.id, clause)
            references.append({"clause": unit.id, "label": unit.label, **ref.to_dict(),
                               "doc_number_norm": _norm(ref.doc_number)})
    return {
        "doc_id": doc.id, "source": meta.source, "title": meta.title, "act": act_key(meta.title) if meta.title else "",
        "doc_number": meta.doc_number, "doc_number_norm": _norm(meta.doc_number),
        "date": meta.date, "published": meta.published,
        # the day of this version's text: a header may stop short of the latest revision its file is named by
        "version_date": max(meta.date, doc.extra.get("file_date", "")),
        # the sentence is shown only beside the day it gave (a sidecar may have set another)
        "effective": meta.effective,
        "effective_text": life.effective_text if life and life.effective == meta.effective else "",
        "expires": meta.expires, "expires_text": life.expires_text if life and life.expires == meta.expires else "",
        "authority": meta.authority, "doc_type": meta.doc_type, "level": meta.level,
        "region": list(meta.region), "issuer": list(meta.issuer), "approved_by": list(meta.approved_by),
        "events": life.to_dict()["events"] if life else [],
        "repeals": [{**r.to_dict(), "doc_number_norm": _norm(r.doc_number)} for r in life.repeals] if life else [],
        "amends": [{**r.to_dict(), "doc_number_norm": _norm(r.doc_number)} for r in life.amends] if life else [],
        "references": references,
        "articles": articles,
    }


def _norm(doc_number: str) -> str:
    if not doc_number:
        return ""
    try:
        return normalize_doc_number(doc_number)
    except DocNumberError:  # as written is all a reader has to go on
        return doc_number
