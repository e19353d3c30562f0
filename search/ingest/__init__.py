"""Ingestion: a raw file in raw_docs/ → a clean Document with metadata and a tagged clause tree.

``ingest(path)`` runs the stages in order:

1. read     bytes → text lines (encoding detected; HTML body and <meta> taken apart)
2. clean    drop furniture, attachments and scrape repeats; rejoin broken lines
3. metadata title, 文号, issuer, level, region, dates, type, authority; header lines leave the body
   lifecycle its history, effective and expiry dates, what it repeals and amends
4. clauses  the numbered clause tree, with stable ids, labels, headings and paths
5. tags     IP types, responsible agencies and the documents each clause cites

It never imports Whoosh: ``search.build`` consumes the Documents it returns.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import NoStructure, OutsideSource
from ..models import Document
from ..text.references import find_references
from . import tags
from .clauses import build_clauses
from .clean import clean
from .lifecycle import read_lifecycle
from .metadata import read_metadata
from .read import read_source
from .sources import Skipped

__all__ = ["ingest", "IngestReport", "document_id"]


def document_id(relpath: str) -> str:
    """Return the stable id of the document stored at ``relpath`` (same path, same id)."""
    return hashlib.sha1(relpath.encode("utf-8")).hexdigest()[:10]


def ingest(path: str | Path, root: str | Path | None = None, *, data: bytes | None = None) -> Document:
    """Read one source file into a Document; raise an IngestError subclass when it can't be.

    ``root`` is the source folder: the document's id and ``source`` are its path there, as
    listed (a link is known by its own name, never by the file it leads to). ``data``: the
    file's bytes, when the caller has read them (the build, which hashes them first).
    """
    path = Path(path)
    relpath = _relpath(path, Path(root)) if root else path.name
    source = read_source(path, data)  # 1
    cleaned = clean(source.lines)  # 2
    header = read_metadata(source, cleaned, relpath)  # 3
    meta = header.metadata
    life = read_lifecycle(meta.title, header.extra.get("history", ()), header.body, meta.date, meta.published)
    # What the header or a sidecar said stands; the text's own statements fill what they left open.
    header.metadata = replace(meta, effective=meta.effective or life.effective, expires=meta.expires or life.expires,
                              approved_by=meta.approved_by or life.approved_by)
    doc_id = document_id(relpath)
    clauses = build_clauses(header.body, doc_id)  # 4
    numbered = [c for c in clauses if c.kind != "preamble"]
    if not clauses:
        raise NoStructure(path, "nothing follows the header: the file holds a title or history but no text")
    if not numbered and not header.metadata.title:
        raise NoStructure(path, "no title and no numbered clause (一、 （一） 1. 第X条 …) found; "
                                "add a .meta.json sidecar with a title if this is a real document")
    # Bare agency names in a list take the document's level: 省 for a province's 知识产权局.
    prefix = header.metadata.level if header.metadata.level in ("省", "市", "县") else ""
    clauses = [_tag(c, prefix) for c in clauses]  # 5
    warnings = list(header.warnings) + _cleaning_warnings(cleaned)
    if not numbered:
        warnings.append("no numbered clauses: the whole body is one preamble clause")
    return Document(id=doc_id, metadata=header.metadata, body=tuple(header.body), clauses=tuple(clauses),
                    warnings=tuple(warnings), extra=header.extra, lifecycle=life)


def _relpath(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` as written, without following links."""
    try:
        return Path(os.path.normpath(path.absolute())).relative_to(os.path.normpath(root.absolute())).as_posix()
    except ValueError:  # lexically outside: normpath has taken the ".." out
        raise OutsideSource(path, f"it is not inside the source folder {root}") from None


def _tag(clause, level_prefix: str):
    text = "\n".join(filter(None, [clause.heading, clause.text]))
    # its own words only: a label glued to them would read as part of a name (第八条 + 专利法第二十条)
    own = "\n".join(filter(None, [clause.heading if clause.heading_line else "", clause.text]))
    return replace(clause, ip_types=tags.ip_types(text), agencies=tags.agencies(text, level_prefix),
                   references=find_references(own))


def _cleaning_warnings(cleaned) -> list[str]:
    out = []
    repeated = sum(1 for reason, _ in cleaned.dropped if reason == "repeated")
    if repeated:
        out.append(f"dropped {repeated} repeated sentence(s) or paragraph(s) of a scrape")
    for reason, text in cleaned.dropped:
        if reason != "repeated":
            out.append(f"dropped {reason} line: {text[:60]}")
    if cleaned.joined:
        out.append(f"rejoined {cleaned.joined} line(s) broken mid-sentence")
    return out


@dataclass
class IngestReport:
    """What a run over a folder read, and what it skipped and why."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # (path, reason, message)

    def summary(self) -> str:
        clauses = sum(len(d.clauses) for d in self.documents)
        lines = [f"read {len(self.documents)} document(s), {clauses} clause(s); skipped {len(self.skipped)}"]
        lines += [f"  skipped {path}: [{reason}] {message}" for path, reason, message in self.skipped]
        return "\n".join(lines)
