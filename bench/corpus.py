"""The benchmark corpus: the real scale laws, ingested once, grown to N clauses by reusing real clauses.

Every engine reads the same clauses. Ours builds from a source folder of real files (so the build
is the library's own ``build_index``); FTS5 and the brute-force scan read the index units that
``index_documents`` makes of the same files, pickled to the work folder.
"""
from __future__ import annotations

import os
import pickle
import random
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from search.build.units import index_documents
from search.ingest import document_id, ingest
from search.ingest.sources import scan_sources
from search.searching import FACETS, _values_of

SHUFFLE_SEED = 6  # the issue number: documents are taken in one fixed random order
COPY_DIR = "copy-{k:02d}"  # folder of the k-th reuse of the real files (k >= 1)


@dataclass
class RealCorpus:
    """The real laws, ingested: units per source file, in the benchmark's document order."""

    root: Path  # the extracted archive
    order: list[str]  # source paths (relative to root), shuffled with SHUFFLE_SEED
    units: dict[str, list[dict]]  # source → its index units (index_documents' field dicts)
    timings: dict  # ingestion and unit preparation figures


def extract(archive: Path, workdir: Path) -> Path:
    """Extract the scale archive into ``workdir`` (never into the project) and return its root."""
    target = workdir / "laws"
    if not target.is_dir():
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
    roots = [p for p in target.iterdir() if p.is_dir()]
    if len(roots) != 1:
        raise RuntimeError(f"{archive}: expected one top folder, found {[p.name for p in roots]}")
    return roots[0]


def load_real(archive: Path, workdir: Path, log) -> RealCorpus:
    """Ingest every law once (timed), or reuse the units a previous run left in ``workdir``."""
    root = extract(archive, workdir)
    cache = workdir / "units-real.pkl"
    if cache.is_file():
        with open(cache, "rb") as f:
            units, timings = pickle.load(f)
        log(f"reusing the ingested corpus in {cache}")
    else:
        units, timings = _ingest_all(root, log)
        with open(cache, "wb") as f:
            pickle.dump((units, timings), f, protocol=pickle.HIGHEST_PROTOCOL)
    order = sorted(units)
    random.Random(SHUFFLE_SEED).shuffle(order)
    return RealCorpus(root=root, order=order, units=units, timings=timings)


def _ingest_all(root: Path, log) -> tuple[dict[str, list[dict]], dict]:
    files = [source.path for source in scan_sources(root, hash_only=()).sources]
    log(f"ingesting {len(files)} real laws (search.ingest.ingest, then build.units.index_documents) …")
    ingest_s = prep_s = 0.0
    chars = 0
    units: dict[str, list[dict]] = {}
    skipped = []
    for i, path in enumerate(files, 1):
        rel = path.relative_to(root).as_posix()
        chars += len(path.read_text(encoding="utf-8", errors="replace"))
        t0 = time.perf_counter()
        try:
            doc = ingest(path, root=root)
        except Exception as exc:  # an IngestError: reported, the rest goes on as build_index does
            skipped.append((rel, repr(exc)))
            continue
        t1 = time.perf_counter()
        units[rel] = list(index_documents(doc))
        prep_s += time.perf_counter() - t1
        ingest_s += t1 - t0
        if i % 500 == 0:
            log(f"  {i}/{len(files)} files")
    n_units = sum(len(u) for u in units.values())
    timings = {
        "files": len(files), "documents": len(units), "skipped": skipped, "file_chars": chars,
        "units": n_units, "unit_chars": sum(len(u["grams"]) for us in units.values() for u in us),
        "ingest_s": ingest_s, "index_documents_s": prep_s,
        "ingest_chars_per_s": chars / ingest_s, "ingest_docs_per_s": len(units) / ingest_s,
        "index_documents_units_per_s": n_units / prep_s,
    }
    return units, timings


@dataclass
class SizedCorpus:
    """The clauses of one benchmark size: a source folder for ours, a units pickle for the rest."""

    size: int  # as asked
    clauses: int  # as built: whole documents, so up to one document more than ``size``
    documents: int
    copies: int  # how many times the real documents were reused (0: real clauses only)
    unit_chars: int  # characters of heading + text, the figure every chars/s rate divides
    source_dir: Path
    units_path: Path


def make_size(real: RealCorpus, size: int, workdir: Path) -> SizedCorpus:
    """Lay out ``size`` clauses as files and units, reusing real documents cyclically past the real count.

    A reused document keeps its text and gets a new path ``copy-NN/<path>``, hence a new doc_id
    and clause ids: the clauses are real, the documents are copies (the output says so).
    """
    source_dir = workdir / f"src-{size}"
    source_dir.mkdir()
    compact: list[dict] = []
    documents = copies = 0
    while len(compact) < size:
        k, rel = divmod(documents, len(real.order))
        rel = real.order[rel]
        new_rel = rel if k == 0 else f"{COPY_DIR.format(k=k)}/{rel}"
        copies = max(copies, k)
        target = source_dir / new_rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(real.root / rel, target)  # same bytes, no copy; an edit must replace, not write in place
        compact += [_compact(u, k, new_rel) for u in real.units[rel]]
        documents += 1
    units_path = workdir / f"units-{size}.pkl"
    with open(units_path, "wb") as f:
        pickle.dump(compact, f, protocol=pickle.HIGHEST_PROTOCOL)
    return SizedCorpus(size=size, clauses=len(compact), documents=documents, copies=copies,
                       unit_chars=sum(len(u["heading"]) + 1 + len(u["text"]) for u in compact),
                       source_dir=source_dir, units_path=units_path)


def _compact(unit: dict, copy: int, new_rel: str) -> dict:
    """Keep what FTS5 and the scan need of a unit: text, facet values, 文号, law name and article."""
    doc_id, clause_id = unit["doc_id"], unit["clause_id"]
    if copy:
        new_doc = document_id(new_rel)
        clause_id = new_doc + clause_id[len(doc_id):] if clause_id.startswith(doc_id) else f"{new_doc}:{clause_id}"
        doc_id = new_doc
    return {
        "clause_id": clause_id, "doc_id": doc_id, "title": unit["title"], "heading": unit["heading"],
        "text": unit["text"], "facets": {f.name: tuple(dict.fromkeys(_values_of(unit, f.field))) for f in FACETS},
        "doc_number_norm": unit.get("doc_number_norm", ""),
        "law_names": tuple(n for n in unit.get("law_names", "").split(",") if n),
        "article": unit.get("article"),
    }


def load_units(path: str | Path) -> list[dict]:
    with open(path, "rb") as f:
        return pickle.load(f)
