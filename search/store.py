"""The index as read: generations, CURRENT, meta.json and checksums; opening and probing one.

On disk, under the index folder::

    CURRENT       the name of the live generation, e.g. ``gen-000003``
    gen-000003/   a complete Whoosh index plus meta.json (schema version, data file fingerprints, the
                  sha256 of every index file, checked on open so a damaged file is reported, and the
                  sha256 of every source file indexed)

Readers resolve CURRENT when they open (:func:`open_index`), so they see the old index or the
new one, never a half-written one (``search.build`` writes them). A generation whose files fail
their checksum, or that Whoosh can't read, raises IndexCorrupt; one of another schema or built
from other data files raises SchemaMismatch. Both messages say what to run. The query side
imports this module, never the build side.
"""
from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.structfile import StructFile
from whoosh.index import Index

from . import settings
from .errors import IndexCorrupt, IndexMissing, SchemaMismatch, SearchError
from .schema import SCHEMA_VERSION, data_fingerprints

__all__ = ["CURRENT_NAME", "GENERATION_RE", "META_NAME", "WRITELOCK_SUFFIX", "Identity", "build_command", "check_meta",
           "close_dropped_files", "corrupt_error", "disk_state", "file_identity", "listed_files", "live_generation",
           "open_checked", "open_index", "probe_clause", "reading_index", "record_identities", "sha256_of", "verify_files"]

CURRENT_NAME = "CURRENT"
META_NAME = "meta.json"
FACETS_NAME = "facets.npz"  # the facet table a build saves beside its generation (search.facets)
VOCABULARY_NAME = "vocabulary.json"  # and its words with their clause counts (search.suggest)
# the same per segment, which the next build reuses for the segments it keeps
FACET_PARTS_NAME = "facet_segments.npz"
WORD_PARTS_NAME = "word_segments.json"
# the collection's graph: versions, validity, references resolved (search.validity reads it) …
GRAPH_NAME = "graph.json"
# … its references, apart: a search needs only the statuses, a document page these too (half of the graph at 1 M clauses) …
REFERENCES_NAME = "references.json"
# … and the per-document records it was resolved from, which the next build reuses for the files it keeps
RECORDS_NAME = "records.json"
# what a build writes anew for each generation from the index it wrote (never linked from the last)
DERIVED_NAMES = (FACETS_NAME, VOCABULARY_NAME, FACET_PARTS_NAME, WORD_PARTS_NAME, GRAPH_NAME, REFERENCES_NAME,
                 RECORDS_NAME)
GENERATION_RE = re.compile(r"gen-(\d{6})")
WRITELOCK_SUFFIX = "_WRITELOCK"  # Whoosh's lock file: empty, flock'd, not part of the data
RESOURCE_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOMEM})
# What identifies a file's content without reading it: (st_size, st_mtime_ns, st_ino); None when
# it can't be stat'ed. Whoosh never rewrites a file of a generation, so any change is damage.
Identity = tuple[int, int, int] | None


def open_index(index_dir: str | Path, generation: Path | None = None) -> Index:
    """Open the live generation (or ``generation``) of the index at ``index_dir``, checked.

    Checks its schema and that its files are the ones its build wrote.

    :raises IndexMissing: when there is no built index there.
    :raises IndexCorrupt: when CURRENT or an index file is damaged or missing.
    :raises SchemaMismatch: when it was built with another schema version or other data files.
    """
    return open_checked(index_dir, generation)[0]


def open_checked(index_dir: str | Path, generation: Path | None = None,
                 trust_identities: bool = False) -> tuple[Index, dict]:
    """Open an index as ``open_index`` does; return it with the meta.json it was checked against.

    With ``trust_identities``, a file whose size, mtime and inode are those the build recorded
    right after hashing it (meta.json ``identities``) is not read again: at a million clauses
    hashing every file took seconds before the first answer. A file copied, touched or rewritten
    has another identity and is hashed; a server reopening an index that failed hashes them all.
    """
    index_dir = Path(index_dir)
    live = generation or live_generation(index_dir)
    if live is None:
        raise IndexMissing(f"no index at {index_dir}; run `{build_command(index_dir)}`")
    meta = check_meta(live, index_dir)
    files = meta.get("files")
    recorded = meta.get("identities") if trust_identities else None
    if isinstance(files, dict) and files and isinstance(recorded, dict):
        changed = {name: digest for name, digest in files.items()
                   if list(file_identity(live / name) or ()) != recorded.get(name)}
        if changed:
            verify_files(live, {"files": changed}, index_dir)
    else:
        verify_files(live, meta, index_dir)
    with reading_index(live, index_dir):
        ix = whoosh_index.open_dir(str(live))
        # Whoosh reads some files lazily: touch the stored fields, terms and postings now, so damage
        # the checksums could not see (a file written bad) fails here too. One clause, not a search
        # of every clause: with deletions, that visits each of them in Python (3.3 s at 1 M).
        with ix.searcher() as searcher:
            probe_clause(searcher)
        return ix, meta


def probe_clause(searcher, required: tuple[str, ...] = ()) -> None:
    """Read the first live clause through its stored fields, its id's term and its postings.

    :raises LookupError: its stored fields lack one of ``required``, or its id leads to another clause
        (under ``reading_index``, damage).
    """
    first = next(iter(searcher.reader().all_doc_ids()), None)
    if first is None:
        return
    stored = searcher.stored_fields(first)
    missing = [name for name in required if not stored.get(name)]
    if missing:
        raise LookupError(f"stored document {first} has no {' or '.join(missing)}")
    clause_id = stored.get("clause_id")
    if clause_id is None:
        return
    found = searcher.document_number(clause_id=clause_id)
    if found != first:
        raise LookupError(f"clause {clause_id!r} of document {first} is indexed as document {found}")


def record_identities(generation: Path, index_dir: Path) -> None:
    """Hash every file of a copied generation against its checksums, then record the copy's identities.

    A copy (a replica's, a restore) has files of other inodes and mtimes than the build recorded,
    so every process opening it would hash them all; checked once here, they need not be.

    :raises IndexCorrupt: a file differs from its checksum (the copy is left without new identities).
    """
    meta = check_meta(generation, index_dir)
    verify_files(generation, meta, index_dir)
    meta["identities"] = {name: list(file_identity(generation / name) or ()) for name in meta["files"]}
    tmp = generation / (META_NAME + ".tmp")
    tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, generation / META_NAME)


def live_generation(index_dir: str | Path) -> Path | None:
    """Return the folder CURRENT points to, or None when no build has finished there.

    :raises IndexCorrupt: when CURRENT names no generation folder.
    """
    index_dir = Path(index_dir)
    pointer = index_dir / CURRENT_NAME
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_bytes().decode("utf-8", errors="replace").strip()
    except OSError as exc:
        raise corrupt_error(index_dir, index_dir, f"{pointer} can't be read: {exc}") from exc
    if not GENERATION_RE.fullmatch(name) or not (index_dir / name).is_dir():
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise corrupt_error(index_dir, index_dir, f"{pointer} names {shown!r}, which is not a generation folder there")
    return index_dir / name


@contextmanager
def reading_index(generation: Path, index_dir: Path) -> Iterator[None]:
    """Turn any failure of Whoosh reading ``generation`` in the block into IndexCorrupt.

    Whoosh has no error of its own for bad data: a truncated or overwritten file surfaces as
    EOFError, struct.error, UnpicklingError, TypeError, OSError… whatever the parser hit.
    """
    try:
        yield
    except (SearchError, MemoryError):
        raise
    except OSError as exc:
        if exc.errno in RESOURCE_ERRNOS:  # this process is short of descriptors or memory: not damage
            raise
        close_dropped_files(generation)
        raise corrupt_error(generation, index_dir, f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        close_dropped_files(generation)
        raise corrupt_error(generation, index_dir, f"{type(exc).__name__}: {exc}") from exc


def close_dropped_files(folder: Path) -> None:
    """Close the Whoosh files under ``folder`` that a failed call left open, without flushing them.

    Whoosh drops files open when it fails: CompoundStorage.__init__ raises after opening its
    segment file, a writer's flush leaves its length reader open, cancel stops at the first
    file it can't flush (a full disk), a merge leaves its segment readers open. They belong to
    a generation being given up (as damaged, or half-written and about to be deleted), so
    nothing else uses them; nothing is left holding them but the garbage collector.
    """
    prefix = str(folder) + os.sep
    for obj in gc.get_objects():
        if isinstance(obj, StructFile) and not obj.is_closed:
            name = getattr(getattr(obj, "file", None), "name", None)
            if isinstance(name, str) and name.startswith(prefix):
                with suppress(OSError, ValueError):  # its buffer can't flush; the raw file closes anyway
                    obj.file.close()


def corrupt_error(where: Path, index_dir: Path, detail: str) -> IndexCorrupt:
    """Return the IndexCorrupt that says what is damaged at ``where`` and the command that rebuilds it."""
    return IndexCorrupt(f"the index at {where} is damaged ({detail}); "
                        f"rebuild it with `{build_command(index_dir, rebuild=True)}`")


def sha256_of(path: Path) -> str:
    """Return a file's sha256, read in chunks (an index file can be hundreds of MB)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def verify_files(generation: Path, meta: dict, index_dir: Path) -> None:
    """Raise IndexCorrupt unless every file meta.json lists is there with its recorded sha256."""
    files = meta.get("files")
    if not isinstance(files, dict) or not files:
        raise corrupt_error(generation, index_dir, f"{META_NAME} has no table of its files' checksums")
    for name, digest in files.items():
        path = generation / name
        try:
            actual = sha256_of(path)
        except FileNotFoundError as exc:
            raise corrupt_error(generation, index_dir, f"{name} is missing") from exc
        except OSError as exc:
            raise corrupt_error(generation, index_dir, f"{name} can't be read: {exc}") from exc
        if actual != digest:
            raise corrupt_error(generation, index_dir, f"{name} was changed or truncated after the build wrote it")


def check_meta(generation: Path, index_dir: Path) -> dict:
    """Return meta.json of ``generation``; raise SchemaMismatch unless it has this schema and these data files.

    :raises IndexCorrupt: when meta.json is missing or not JSON.
    """
    # Every build writes meta.json before it switches CURRENT: one that can't be read is damage.
    try:
        meta = json.loads((generation / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise corrupt_error(generation, index_dir, f"{META_NAME} can't be read: {exc}") from exc
    if not isinstance(meta, dict):
        raise corrupt_error(generation, index_dir, f"{META_NAME} is not a JSON object")
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise SchemaMismatch(f"index built with schema v{version}; this code uses schema v{SCHEMA_VERSION}; "
                             f"rebuild with `{build_command(index_dir, rebuild=True)}`")
    built, now = meta.get("data"), data_fingerprints()
    if built != now:
        built = built if isinstance(built, dict) else {}
        changed = [name for name in now if built.get(name) != now[name]]
        raise SchemaMismatch(f"index built with other data files than search/data/ holds now ({', '.join(changed)} "
                             f"changed): the tags, facets and words of every document may differ; "
                             f"rebuild with `{build_command(index_dir, rebuild=True)}`")
    return meta


def build_command(index_dir: Path, rebuild: bool = False) -> str:
    command = "python -m search build" + (" --rebuild" if rebuild else "")
    if Path(index_dir).resolve() != settings.DEFAULT_INDEX_DIR.resolve():
        command += f" --index {index_dir}"
    return command


def file_identity(path: str | Path) -> Identity:
    """Return what identifies a file's content without reading it, or None when it can't be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:  # gone or unreadable: the checksum check says which
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def listed_files(generation: Path | None) -> dict[str, Identity]:
    """Return the identity of every file in ``generation`` (none when there is no such folder)."""
    if generation is None:  # no index: open_index says so
        return {}
    try:
        with os.scandir(generation) as entries:
            return {e.name: file_identity(e.path) for e in entries if e.is_file()}
    except OSError:  # open_index says what is missing
        return {}


def disk_state(index_dir: str | Path) -> tuple:
    """Return what CURRENT says and the identity of every file of the generation it names.

    Cheap (a read and a stat per file): a server that failed to open an index compares it with
    the state of that failure, so it opens (and hashes) again only once something changed.
    """
    index_dir = Path(index_dir)
    try:
        current = (index_dir / CURRENT_NAME).read_bytes()
    except OSError as exc:
        return (exc.errno,)
    name = current.decode("utf-8", errors="replace").strip()
    files = listed_files(index_dir / name) if GENERATION_RE.fullmatch(name) else {}
    return current, tuple(sorted(files.items()))
