"""Clauses → index documents: the Whoosh field values of each unit a Document is searched by.

Sits between ingestion (Documents) and ``indexer.py`` (which writes these dicts); plain
dicts, no Whoosh objects, so a worker process can make them too.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from . import settings
from .analysis import normalize
from .citation import cite_all, cite_paragraphs
from .errors import CitationError, FacetValueError
from .ingest.clauses import reading_order
from .ingest.docnumber import DocNumberError, normalize_doc_number
from .models import Clause, Document
from .query import law_name

__all__ = ["index_documents", "index_units"]


def index_units(clauses: tuple[Clause, ...] | list[Clause]) -> list[tuple[Clause, list[Clause], list[str]]]:
    """Group clauses into what the index holds: (unit, its member clauses, its text lines).

    Every clause is its own unit, except that a clause inside a law article (项, 目) is
    read as part of the article, the unit users search; its text joins the article's lines
    in reading order, label first ("（一）…").
    """
    by_id = {c.id: c for c in clauses}
    unit_of: dict[str, Clause] = {}
    for clause in clauses:
        unit, node = clause, clause
        while node is not None:
            if node.kind == "article":
                unit = node
            node = by_id.get(node.parent_id) if node.parent_id else None
        unit_of[clause.id] = unit
    members: dict[str, list[Clause]] = {}
    lines: dict[str, list[str]] = {}
    for clause in sorted(clauses, key=lambda c: c.position):
        members.setdefault(unit_of[clause.id].id, []).append(clause)
        lines.setdefault(unit_of[clause.id].id, [])
    seen: set[str] = set()
    pending: tuple[Clause, str] | None = None  # a member's label waiting for its first line
    for clause, piece in reading_order(clauses):
        unit = unit_of[clause.id]
        if pending and pending[0] is not clause:  # a label with no text stands alone
            lines[unit_of[pending[0].id].id].append(pending[1])
            pending = None
        head = clause.label + (clause.heading if clause.heading_line else "")
        is_head = bool(head) and clause.id not in seen and piece == head
        seen.add(clause.id)
        if is_head and clause is unit:
            continue  # the unit's label and heading have fields of their own
        if is_head and not clause.heading_line:
            pending = (clause, piece)
            continue
        if pending:
            piece, pending = pending[1] + piece, None
        lines[unit.id].append(piece)
    if pending:
        lines[unit_of[pending[0].id].id].append(pending[1])
    units = sorted({u.id: u for u in unit_of.values()}.values(), key=lambda c: c.position)
    return [(u, members[u.id], lines[u.id]) for u in units]


def index_documents(doc: Document, sidecar_sha: str = "", warnings: list[str] | None = None) -> Iterator[dict]:
    """Yield the Whoosh fields of every index unit of ``doc``; empty values are left out."""
    meta = doc.metadata
    doc_number_norm = ""
    if meta.doc_number:
        try:
            doc_number_norm = normalize_doc_number(meta.doc_number)
        except DocNumberError as exc:
            if warnings is not None:
                warnings.append(f"{meta.source}: {exc}; only the 文号 as written is searchable")
    shared = {
        "doc_id": doc.id, "source": meta.source, "sha256": meta.sha256, "sidecar_sha256": sidecar_sha,
        "title": meta.title, "issuer": _facet_value(meta.issuer, meta.source),
        "region": _facet_value(meta.region, meta.source), "level": meta.level, "doc_type": meta.doc_type,
        "authority": meta.authority, "year": meta.year, "date": meta.date,
        "published": meta.published, "effective": meta.effective,
        "doc_number": meta.doc_number, "doc_number_norm": doc_number_norm,
    }
    try:
        citations = cite_all(doc)
        paragraph_citations = cite_paragraphs(doc)
    except CitationError as exc:
        # A document without a title (or with a clause tree citation can't read) is still worth
        # finding; it goes in uncited, and the build report says so.
        citations, paragraph_citations = {}, {}
        if warnings is not None:
            warnings.append(f"{meta.source}: {exc}; its clauses are indexed without citations "
                            f"(a {settings.SIDECAR_SUFFIX} sidecar can give it a title)")
    law_names = _law_names(meta.title)
    for unit, members, lines in index_units(doc.clauses):
        text = "\n".join(lines)
        ip_types = list(dict.fromkeys(t for c in members for t in c.ip_types))
        agencies = list(dict.fromkeys(a for c in members for a in c.agencies))
        fields = dict(shared)
        fields.update({
            "clause_id": unit.id, "position": unit.position, "heading": unit.heading, "text": text,
            "grams": unit.heading + "\n" + text, "label": unit.label, "kind": unit.kind,
            "path": json.dumps([s.to_dict() for s in unit.path], ensure_ascii=False),
            "paragraphs": json.dumps(lines, ensure_ascii=False),
            "agencies_json": json.dumps([a.to_dict() for a in agencies], ensure_ascii=False),
            "ip_type": _facet_value(ip_types, meta.source),
            "agency": _facet_value(dict.fromkeys(a.canonical for a in agencies), meta.source),
            "law_names": law_names, "citation": citations.get(unit.id, ""),
        })
        if unit.kind == "article" and unit.number is not None:
            if unit.number <= settings.MAX_ARTICLE_NUMBER:
                fields["article"] = unit.number
            elif warnings is not None:  # a query can't name it either (query._number)
                warnings.append(f"{meta.source}: article {unit.label} is numbered past "
                                f"{settings.MAX_ARTICLE_NUMBER}; it is found by its words, not as 第X条")
            if unit.id in paragraph_citations:
                fields["paragraph_citations"] = json.dumps(
                    [[citation, _paragraph_text(unit, k, members)]
                     for k, citation in enumerate(paragraph_citations[unit.id], start=1)], ensure_ascii=False)
        # Filters and facets are left out when empty, so no clause matches an empty value.
        yield {k: v for k, v in fields.items() if k not in _OPTIONAL or v not in ("", None)}


_OPTIONAL = frozenset({"sidecar_sha256", "issuer", "region", "ip_type", "agency", "level", "doc_type",
                       "authority", "year", "date", "published", "effective", "doc_number", "doc_number_norm",
                       "law_names", "citation"})


def _paragraph_text(article: Clause, number: int, members: list[Clause]) -> str:
    """Return the text of an article's 款 ``number`` with the 项 that belong to it."""
    items = [c.label + c.text for c in members if c is not article and c.paragraph == number]
    return "\n".join([article.paragraphs[number - 1], *items])


def _law_names(title: str) -> str:
    """Return the names a query may call a document by: its title, and without 中华人民共和国."""
    full = normalize(title).replace(",", "").replace(" ", "")
    names = dict.fromkeys(n for n in (full, law_name(full)) if n)
    return ",".join(names)


def _facet_value(values, source: str) -> str:
    """Join facet values with commas, the KEYWORD field's separator."""
    values = list(values)
    for value in values:
        if "," in value:  # it would split into two facet values
            raise FacetValueError(f"{source}: facet value {value!r} holds a comma, the separator")
    return ",".join(values)
