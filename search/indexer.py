"""Build and open the clause index: source files → ``ingest`` → Documents → Whoosh, incrementally.

On disk, under the index folder::

    .lock         flock'd (non-blocking) by the one build allowed at a time; holds its pid
    CURRENT       the name of the live generation, e.g. ``gen-000003``
    gen-000003/   a complete Whoosh index plus meta.json (schema version, data file fingerprints, and the
                  sha256 of every index file, checked on open so a damaged file is reported)

A build never writes into the live generation. It copies it to a new ``gen-<n>`` (or starts
an empty one), deletes there the clauses of files that changed or are gone, adds the changed
and new files, commits, writes meta.json and only then points CURRENT at it with one
``os.replace``. Readers resolve CURRENT when they open (:func:`open_index`), so they see the
old index or the new one, never a half-written one. The generation that was live before the
switch is kept for readers that resolved CURRENT just before it; every other generation
(older ones) is removed. Generations newer than the live one are leftovers of builds that
were killed before their switch; the next build removes them first, under the lock. A build
that changes nothing writes nothing. A new generation starts as hard links to the files of
the live one (Whoosh writes new files and never rewrites one), so it costs no copying, and
those files keep the checksums recorded for them. meta.json also records the sha256 of every
source file indexed, which is how the next build knows what changed.

A build that can't write (disk full, read-only folder) raises IndexWriteError after deleting
its half-written generation; a generation whose files fail their checksum, or that Whoosh
can't read, raises IndexCorrupt. Both messages say what to run.
"""
from __future__ import annotations

import errno
import fcntl
import gc
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.query import Every
from whoosh.filedb.structfile import StructFile

from . import settings
from .codec import writer_options
from .errors import (IndexCorrupt, IndexLocked, IndexMissing, IndexWriteError, SchemaMismatch, SearchError,
                     SourceMissing)
from .ingest import IngestReport
from .ingest.budget import enforceable as budget_enforceable
from .ingest.sources import scan_sources
from .parts import AdoptingWriter, FileJob, PartResult, add_file, build_procs, split, write_parts
from .schema import SCHEMA, SCHEMA_VERSION, data_fingerprints
from .units import index_documents, index_units


__all__ = ["BuildReport", "build_index", "build_lock", "check_meta", "corrupt_error", "index_documents", "index_units",
           "live_generation", "open_index", "reading_index", "verify_files"]

LOCK_NAME = ".lock"
CURRENT_NAME = "CURRENT"
META_NAME = "meta.json"
LOCK_PID_WAIT_S = 0.5  # a refused build waits this long for the holder's pid to reach .lock
GENERATION_RE = re.compile(r"gen-(\d{6})")
WRITELOCK_SUFFIX = "_WRITELOCK"  # Whoosh's lock file: empty, flock'd, not part of the data
# errno values that mean "no room": the way out is freeing space, not fixing permissions
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# errno values of a file system that has no hard links (or no more for this file)
LINK_UNSUPPORTED = frozenset({errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP})

Progress = Callable[[int, int], None]  # (files done, files to read)


@dataclass
class BuildReport:
    """What a build changed, per source file (relative paths), and what the index now holds."""

    index_dir: Path
    generation: str | None = None  # the live generation after the build
    written: bool = False  # False: nothing changed and the live generation was left alone
    rebuilt: bool = False  # written from scratch: asked for, or there was no index yet
    ingest: IngestReport = field(default_factory=IngestReport)  # files read this run, and skipped
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # gone, or changed into an unreadable file
    unchanged: list[str] = field(default_factory=list)
    clauses_written: int = 0
    documents_in_index: int = 0
    clauses_in_index: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return the readable index summary the CLI prints."""
        if self.written:
            state = f"{self.generation}, {'built from scratch' if self.rebuilt else 'updated'}"
        else:
            state = f"{self.generation or 'none'}, unchanged: nothing written"
        lines = [
            f"index {self.index_dir} ({state})",
            f"  documents: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged",
            f"  clauses: {self.clauses_written} written (a law article holds its 项); "
            f"{self.clauses_in_index} in index from {self.documents_in_index} document(s)",
        ]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


# -- reading the index --------------------------------------------------------------------


def open_index(index_dir: str | Path, generation: Path | None = None) -> Index:
    """Open the live generation (or ``generation``) of the index at ``index_dir``, checked.

    Checks its schema and that its files are the ones its build wrote.

    :raises IndexMissing: when there is no built index there.
    :raises IndexCorrupt: when CURRENT or an index file is damaged or missing.
    :raises SchemaMismatch: when it was built with another schema version or other data files.
    """
    index_dir = Path(index_dir)
    live = generation or live_generation(index_dir)
    if live is None:
        raise IndexMissing(f"no index at {index_dir}; run `{_build_command(index_dir)}`")
    meta = check_meta(live, index_dir)
    verify_files(live, meta, index_dir)
    with reading_index(live, index_dir):
        ix = whoosh_index.open_dir(str(live))
        # Whoosh reads some files lazily: touch the postings and stored fields now, so damage the
        # checksums could not see (a file written bad) fails here too.
        with ix.searcher() as searcher:
            for hit in searcher.search(Every(), limit=1):
                hit.fields()
        return ix


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
    except SearchError:
        raise
    except Exception as exc:
        _close_dropped_files(generation)
        raise corrupt_error(generation, index_dir, f"{type(exc).__name__}: {exc}") from exc


def _close_dropped_files(folder: Path) -> None:
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
                        f"rebuild it with `{_build_command(index_dir, rebuild=True)}`")


def _file_hashes(generation: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """Return the sha256 of every data file of a generation (meta.json and locks excluded).

    ``known`` gives the checksums of files linked unchanged from the generation before.
    """
    known = known or {}
    return {p.name: known.get(p.name) or _sha256(p)
            for p in sorted(generation.iterdir())
            if p.is_file() and p.name != META_NAME and not p.name.endswith(WRITELOCK_SUFFIX)}


def _sha256(path: Path) -> str:
    """Return a file's sha256, read in chunks (an index file can be hundreds of MB)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target`` (Whoosh never rewrites a file); copy where links can't be made."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in LINK_UNSUPPORTED:
            raise
        shutil.copyfile(source, target)


def verify_files(generation: Path, meta: dict, index_dir: Path) -> None:
    """Raise IndexCorrupt unless every file meta.json lists is there with its recorded sha256."""
    files = meta.get("files")
    if not isinstance(files, dict) or not files:
        raise corrupt_error(generation, index_dir, f"{META_NAME} has no table of its files' checksums")
    for name, digest in files.items():
        path = generation / name
        try:
            actual = _sha256(path)
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
                             f"rebuild with `{_build_command(index_dir, rebuild=True)}`")
    built, now = meta.get("data"), data_fingerprints()
    if built != now:
        built = built if isinstance(built, dict) else {}
        changed = [name for name in now if built.get(name) != now[name]]
        raise SchemaMismatch(f"index built with other data files than search/data/ holds now ({', '.join(changed)} "
                             f"changed): the tags, facets and words of every document may differ; "
                             f"rebuild with `{_build_command(index_dir, rebuild=True)}`")
    return meta


def _build_command(index_dir: Path, rebuild: bool = False) -> str:
    command = "python -m search build" + (" --rebuild" if rebuild else "")
    if Path(index_dir).resolve() != settings.DEFAULT_INDEX_DIR.resolve():
        command += f" --index {index_dir}"
    return command


def _indexed_sources(generation: Path, index_dir: Path) -> dict[str, tuple[str, str]]:
    """Map each source file indexed in ``generation`` to its (sha256, sidecar sha256), from meta.json.

    The build that wrote the generation recorded them, so planning the next build reads one
    small file instead of one stored clause per source (~1.5 s at 100 k clauses).
    """
    sources = check_meta(generation, index_dir).get("sources")
    if not isinstance(sources, dict) or not all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(h, str) for h in v) for v in sources.values()):
        raise corrupt_error(generation, index_dir, f"{META_NAME} has no valid table of indexed sources")
    return {rel: (sha, sidecar) for rel, (sha, sidecar) in sources.items()}


# -- building -----------------------------------------------------------------------------


@contextmanager
def build_lock(index_dir: str | Path) -> Iterator[int]:
    """Hold the build lock of ``index_dir`` for the block (yields the lock file's descriptor).

    :raises IndexLocked: when a build has it.
    """
    index_dir = Path(index_dir)
    with _writing(index_dir):
        index_dir.mkdir(parents=True, exist_ok=True)
        f = open(index_dir / LOCK_NAME, "a+", encoding="utf-8")
    # A killed build leaves .lock behind, but the kernel drops its flock with the process.
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(f)
            raise IndexLocked(f"another build is running (pid {holder}) on {index_dir}; wait for it "
                              f"to finish or stop that process, then build again") from None
        try:
            with _writing(index_dir):
                f.seek(0)
                f.truncate()
                f.write(str(os.getpid()))
                f.flush()
            yield f.fileno()
        finally:
            f.seek(0)
            f.truncate()
            fcntl.flock(f, fcntl.LOCK_UN)


def _lock_holder(f) -> str:
    """Return the pid the lock's holder wrote, waiting a moment: it writes it just after locking."""
    deadline = time.monotonic() + LOCK_PID_WAIT_S
    while True:
        f.seek(0)
        holder = f.read().strip()
        if holder or time.monotonic() >= deadline:
            return holder or "unknown"
        time.sleep(0.01)


def build_index(source_dir: str | Path, index_dir: str | Path, progress: Progress | None = None,
                rebuild: bool = False, procs: int | None = None) -> BuildReport:
    """Bring the index at ``index_dir`` up to date with the files under ``source_dir``.

    Only files whose bytes (or sidecar) changed since the live generation are read again;
    ``rebuild`` ignores the live generation and reads everything. A file that can't be
    ingested is reported in ``report.ingest.skipped`` and the build goes on. ``procs`` worker
    processes read the files (``parts.py``); by default one per core when there are at least
    ``settings.PARALLEL_BUILD_MIN_FILES`` files to read, else the build reads them itself.

    :raises SourceMissing: when ``source_dir`` is not a folder (building would empty the index).
    :raises IndexLocked: when another build is running on ``index_dir``.
    :raises SchemaMismatch: when the live generation is incompatible and ``rebuild`` is off.
    :raises IndexCorrupt: when the live generation is damaged and ``rebuild`` is off.
    :raises IndexWriteError: when the index folder can't be written (full, read-only); the
        live generation is left as it was and the half-written one removed.
    """
    source_dir, index_dir = Path(source_dir), Path(index_dir)
    if not source_dir.is_dir():
        raise SourceMissing(f"source folder {source_dir} does not exist")
    report = BuildReport(index_dir=index_dir)
    with build_lock(index_dir) as lock_fd:
        try:
            live = live_generation(index_dir)
        except IndexCorrupt:
            if not rebuild:
                raise
            live = None  # CURRENT is broken, and a rebuild is what its message asks for
        _remove_leftovers(index_dir, live)
        report.rebuilt = rebuild or live is None
        indexed: dict[str, tuple[str, str]] = {}
        if live is not None and not rebuild:
            open_index(index_dir, live).close()  # checked: schema, checksums, Whoosh can read it
            indexed = _indexed_sources(live, index_dir)
        scan = scan_sources(source_dir)  # every entry checked, and the files read once for their hashes
        report.ingest.skipped += scan.skipped
        files = {source.rel: source for source in scan.sources}
        hashes = {rel: (source.sha256, source.sidecar_sha256) for rel, source in files.items()}
        report.unchanged = sorted(rel for rel in files if indexed.get(rel) == hashes[rel])
        report.removed = sorted(set(indexed) - set(files))
        to_read = sorted(rel for rel in files if indexed.get(rel) != hashes[rel])

        new = _NewGeneration(index_dir, None if rebuild else live)
        workers = build_procs(len(to_read), procs)
        if workers == 1 and to_read and not budget_enforceable():
            report.warnings.append(f"the build runs outside the main thread, so the CPU budget of "
                                   f"{settings.INGEST_CPU_SECONDS:g} s per file is not enforced")
        jobs = [FileJob(rel, hashes[rel][1], files[rel].size) for rel in to_read]
        try:
            if progress:
                progress(0, len(jobs))
            if workers > 1:
                _read_in_parts(split(jobs, workers), source_dir, set(indexed), new, report, lock_fd, progress)
            if rebuild or live is None:
                new.writer()  # a first build or a rebuild writes an index even if empty
            # The old clauses of files gone or changed. A delete reaches only the segments the new
            # generation started with, not the clauses added (or adopted) by this build.
            for rel in sorted(set(indexed) - set(report.unchanged)):
                new.writer().delete_by_term("source", rel)
            if workers == 1:
                _read_here(jobs, source_dir, set(indexed), new, report, progress)
            for names in (report.added, report.updated, report.removed, report.ingest.skipped):
                names.sort()
            if new.started:
                sources = {rel: hashes[rel] for rel in (*report.unchanged, *report.added, *report.updated)}
                report.generation = new.commit(keep=live, sources=sources)
                report.written = True
            else:
                report.generation = live.name if live else None
        except OSError as exc:
            new.discard()
            raise IndexWriteError(_write_failed(index_dir, exc)) from exc
        except BaseException:
            new.discard()
            raise
        report.documents_in_index = len(report.unchanged) + len(report.added) + len(report.updated)
        if report.generation:
            report.clauses_in_index = whoosh_index.open_dir(str(index_dir / report.generation)).doc_count()
    return report


def _remove_leftovers(index_dir: Path, live: Path | None) -> None:
    """Remove generations newer than the live one: builds killed before their switch left them.

    No reader can have one open (CURRENT never named it) and the caller holds the build lock.
    """
    live_number = int(GENERATION_RE.fullmatch(live.name).group(1)) if live else 0
    with _writing(index_dir):
        for path in index_dir.iterdir():
            m = GENERATION_RE.fullmatch(path.name)
            if m and int(m.group(1)) > live_number and path.is_dir():
                shutil.rmtree(path)


@contextmanager
def _writing(index_dir: Path) -> Iterator[None]:
    """Turn an OSError of writing into the index folder into IndexWriteError."""
    try:
        yield
    except OSError as exc:
        raise IndexWriteError(_write_failed(index_dir, exc)) from exc


def _write_failed(index_dir: Path, exc: OSError) -> str:
    if exc.errno in NO_ROOM:
        way_out = "free some disk space (or raise the file-size limit) and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        way_out = (f"make {index_dir} writable for this user, or build into another folder with "
                   f"`python -m search build --index FOLDER`")
    else:
        way_out = "fix that and build again"
    return f"could not write the index at {index_dir}: {exc}; {way_out} (the live index, if any, is unchanged)"


def _read_here(jobs: list[FileJob], source_dir: Path, indexed: set[str], new: _NewGeneration,
               report: BuildReport, progress: Progress | None) -> None:
    """Ingest the files in this process, adding their clauses to the new generation's writer."""
    for done, job in enumerate(jobs, start=1):
        part = PartResult()
        add_file(new.writer, source_dir, job, part)
        _record(part, indexed, report)
        if progress:
            progress(done, len(jobs))


def _read_in_parts(shares: list[list[FileJob]], source_dir: Path, indexed: set[str], new: _NewGeneration,
                   report: BuildReport, lock_fd: int, progress: Progress | None) -> None:
    """Ingest the shares in worker processes and adopt the segments they write into the new generation."""
    total, done = sum(len(share) for share in shares), 0
    # The workers fork before the writer opens, from a process with no Whoosh file open.
    for part in write_parts(shares, source_dir, new.create(), lock_fd):
        new.adopt(part)
        _record(part, indexed, report)
        done += len(part.written) + len(part.skipped)
        if progress:
            progress(done, total)


def _record(part: PartResult, indexed: set[str], report: BuildReport) -> None:
    """Add what became of the files of ``part`` to the build's report."""
    report.ingest.documents += part.documents
    report.ingest.skipped += part.skipped
    report.warnings += part.warnings
    report.clauses_written += part.clauses_written
    for rel in part.written:
        (report.updated if rel in indexed else report.added).append(rel)
    # an indexed file that became unreadable: its clauses describe bytes no longer there
    report.removed += [rel for rel, _, _ in part.skipped if rel in indexed]


class _NewGeneration:
    """The generation a build writes: created on first use, made live by ``commit``."""

    def __init__(self, index_dir: Path, base: Path | None):
        self.index_dir = index_dir
        self.base = base  # the generation to start from; None starts empty
        self.path: Path | None = None
        self._writer: AdoptingWriter | None = None
        self.switched = False  # CURRENT points here

    @property
    def started(self) -> bool:
        return self.path is not None

    def create(self) -> Path:
        """Create the generation's folder, holding the base generation's index (or an empty one)."""
        if self.path is None:
            numbers = [int(m.group(1)) for p in self.index_dir.iterdir() if (m := GENERATION_RE.fullmatch(p.name))]
            path = self.index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
            path.mkdir()
            self.path = path
            if self.base is not None:
                for file in self.base.iterdir():
                    if file.is_file() and file.name != META_NAME and not file.name.endswith(WRITELOCK_SUFFIX):
                        _link_or_copy(file, path / file.name)
            else:
                whoosh_index.create_in(str(path), SCHEMA)
        return self.path

    def writer(self) -> AdoptingWriter:
        """Return the writer of the new generation, creating the generation on first call."""
        if self._writer is None:
            ix = whoosh_index.open_dir(str(self.create()))
            self._writer = AdoptingWriter(ix, **writer_options())
        return self._writer

    def adopt(self, part: PartResult) -> None:
        """Move a worker's segment files into the generation; the commit lists its segments."""
        folder = Path(part.folder)
        prefixes = tuple(segment.make_filename("") for segment in part.segments)
        for file in folder.iterdir():
            if file.name.startswith(prefixes):
                os.replace(file, self.create() / file.name)
        self.writer().adopted += part.segments
        shutil.rmtree(folder)

    def commit(self, keep: Path | None, sources: dict[str, tuple[str, str]]) -> str:
        """Commit, write meta.json, switch CURRENT here and remove generations but ``keep``.

        ``sources`` maps every source file now in the index to its (sha256, sidecar sha256).
        """
        writer = self.writer()
        writer.commit()
        self._writer = None
        # Whoosh never rewrites a file: one that came from the base generation still has the
        # checksum recorded there (which open_index verified before this build began).
        carried = {}
        if self.base is not None:
            carried = json.loads((self.base / META_NAME).read_text(encoding="utf-8")).get("files", {})
        meta = {"schema_version": SCHEMA_VERSION, "data": data_fingerprints(),
                "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": _file_hashes(self.path, known=carried),
                "sources": {rel: list(pair) for rel, pair in sorted(sources.items())}}
        (self.path / META_NAME).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        pointer = self.index_dir / CURRENT_NAME
        tmp = pointer.with_name(CURRENT_NAME + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(self.path.name + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, pointer)  # the switch: atomic on POSIX
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        self.switched = True
        for old in self.index_dir.iterdir():
            if GENERATION_RE.fullmatch(old.name) and old not in (self.path, keep):
                shutil.rmtree(old)
        return self.path.name

    def discard(self) -> None:
        """Drop the generation unless it went live (the live one is never touched)."""
        if self.switched:
            return
        if self._writer is not None:
            # The folder goes next; a writer that can't even cancel (its disk is full) must not
            # stop that or hide the error that got us here.
            with suppress(Exception):
                self._writer.cancel()
            self._writer = None
        if self.path is not None:
            _close_dropped_files(self.path)  # what a failed write or merge left open
            if self.path.exists():
                shutil.rmtree(self.path)
