"""Clauses → index documents: the Whoosh field values of each unit a Document is searched by.

Sits between ingestion (Documents) and the build's writer (``generation.py`` and ``workers.py``); plain
dicts, no Whoosh objects, so a worker process can make them too.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from .. import settings
from ..analysis import normalize
from ..citation import citation_key, cite_all, cite_paragraphs
from ..errors import CitationError, FacetValueError
from ..facetspec import FACETS, FacetSpec
from ..ingest.clauses import reading_order
from ..text.docnumber import DocNumberError, doc_numbers_in, normalize_doc_number
from ..models import Clause, Document
from ..text.lawnames import law_name

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
        "title": meta.title, "date": meta.date, "published": meta.published, "effective": meta.effective,
        "doc_number": meta.doc_number, "doc_number_norm": doc_number_norm,
        **_facet_fields(_DOCUMENT_FACETS, doc, []),
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
        agencies = list(dict.fromkeys(a for c in members for a in c.agencies))
        fields = dict(shared)
        fields.update({
            "clause_id": unit.id, "position": unit.position, "heading": unit.heading, "text": text,
            "grams": unit.heading + "\n" + text, "label": unit.label, "kind": unit.kind,
            "path": json.dumps([s.to_dict() for s in unit.path], ensure_ascii=False),
            "paragraphs": json.dumps(lines, ensure_ascii=False),
            "agencies_json": json.dumps([a.to_dict() for a in agencies], ensure_ascii=False),
            "law_names": law_names, "citation": citations.get(unit.id, ""),
            "citation_keys": ",".join(dict.fromkeys(citation_key(c) for c in (
                citations.get(unit.id, ""), *paragraph_citations.get(unit.id, ())) if c)),
            "cited_doc_numbers": ",".join(doc_numbers_in(unit.heading + "\n" + text)),
            **_facet_fields(_CLAUSE_FACETS, doc, members),
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


_OPTIONAL = frozenset({"sidecar_sha256", "date", "published", "effective", "doc_number", "doc_number_norm",
                       "law_names", "citation", "citation_keys", "cited_doc_numbers", *(f.field for f in FACETS)})
# Facets of the whole document are the same for each of its units; the others are gathered per unit.
_DOCUMENT_FACETS = tuple(f for f in FACETS if f.source.startswith("metadata."))
_CLAUSE_FACETS = tuple(f for f in FACETS if f.source.startswith("clauses."))


def _facet_fields(facets: tuple[FacetSpec, ...], doc: Document, members: list[Clause]) -> dict:
    """Return the index field value of each of ``facets`` for a unit of ``doc`` made of ``members``.

    A facet's ``source`` names a ``Metadata`` attribute (``metadata.issuer``) or a ``Clause`` attribute
    gathered over the unit's clauses, first occurrences in order (``clauses.ip_types``), optionally
    an attribute of each item (``clauses.agencies.canonical``).
    """
    out = {}
    for facet in facets:
        kind, attribute, *item = facet.source.split(".")
        if kind == "metadata":
            value = getattr(doc.metadata, attribute)
        else:
            value = (v for c in members for v in getattr(c, attribute))
            if item:
                value = (getattr(v, item[0]) for v in value)
            value = dict.fromkeys(value)
        out[facet.field] = _facet_value(value, doc.metadata.source) if facet.multi else value
    return out


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
