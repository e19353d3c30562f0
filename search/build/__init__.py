"""Building the clause index: source files → ``ingest`` → Documents → Whoosh, incrementally, into a new generation.

The build side of ``search.store``, which holds the on-disk layout; a build adds::

    .lock         flock'd (non-blocking) by the one build allowed at a time; holds its pid (lock.py)
    gen-000004/   the generation it writes, switched live through CURRENT at the end (generation.py)

A build never writes into the live generation. It starts a new ``gen-<n>`` as hard links to the
files of the live one (Whoosh writes new files and never rewrites one, so it costs no copying and
those files keep the checksums recorded for them) or an empty one, deletes there the clauses of
files that changed or are gone, adds the changed and new files (units.py turns a Document into
index documents; workers.py reads large builds in worker processes), commits, writes meta.json
and only then points CURRENT at it with one ``os.replace``. The generation that was live before
the switch is kept for readers that resolved CURRENT just before it; every other generation is
removed. Generations newer than the live one are leftovers of builds killed before their switch;
the next build removes them first, under the lock. A build that changes nothing writes nothing.
meta.json records the sha256 of every source file indexed, which is how the next build knows what
changed. A build that can't write (disk full, read-only folder) raises IndexWriteError after
deleting its half-written generation.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from .. import settings
from ..errors import BuildBug, IndexCorrupt, IndexWriteError, SourceMissing
from ..ingest import IngestReport
from ..ingest.budget import enforceable as budget_enforceable
from ..ingest.sources import Skipped, scan_sources
from ..store import META_NAME, check_meta, corrupt_error, live_generation, open_index
from .generation import NewGeneration, base_records, remove_leftovers, write_failed
from .records import document_record
from .lock import build_lock
from .skips import TRANSIENT_REASONS, remember_skips, remembered_skips
from .workers import FileJob, PartResult, add_file, build_procs, split, write_parts

__all__ = ["BuildReport", "Progress", "build_index", "build_lock"]

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


def build_index(source_dir: str | Path, index_dir: str | Path, progress: Progress | None = None,
                rebuild: bool = False, procs: int | None = None) -> BuildReport:
    """Bring the index at ``index_dir`` up to date with the files under ``source_dir``.

    Only files whose bytes (or sidecar) changed since the live generation are read again;
    ``rebuild`` ignores the live generation and reads everything. A file that can't be
    ingested is reported in ``report.ingest.skipped`` and the build goes on. ``procs`` worker
    processes read the files (``workers.py``); by default one per core when there are at least
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
        remove_leftovers(index_dir, live)
        report.rebuilt = rebuild or live is None
        indexed: dict[str, tuple[str, str]] = {}
        indexed_records: dict[str, dict] = {}
        if live is not None and not rebuild:
            open_index(index_dir, live).close()  # checked: schema, checksums, Whoosh can read it
            indexed = _indexed_sources(live, index_dir)
            indexed_records = _indexed_records(live, index_dir, indexed)
        # A file skipped before, with the same bytes and sidecar, is skipped again without a read:
        # one that used up the CPU budget would otherwise cost it on every build.
        remembered = {} if rebuild else remembered_skips(index_dir)
        # Every entry checked; the files there is something to compare with are read for their
        # hashes, the new ones only when they are ingested.
        scan = scan_sources(source_dir, hash_only=indexed.keys() | remembered.keys())
        report.ingest.skipped += scan.skipped
        files = {source.rel: source for source in scan.sources}
        hashes = {rel: (source.sha256, source.sidecar_sha256) for rel, source in files.items()}
        report.unchanged = sorted(rel for rel in files if indexed.get(rel) == hashes[rel])
        report.removed = sorted(set(indexed) - set(files))
        again = {rel: skip for rel, skip in remembered.items()
                 if rel in files and indexed.get(rel) != hashes[rel] and skip[:2] == hashes[rel]}
        report.ingest.skipped += [Skipped(rel, reason, message) for rel, (_, _, reason, message) in again.items()]
        report.removed += [rel for rel in again if rel in indexed]
        to_read = sorted(rel for rel in files if indexed.get(rel) != hashes[rel] and rel not in again)

        new = NewGeneration(index_dir, None if rebuild else live)
        read_hashes: dict[str, str] = {}  # file → sha256 of the bytes ingested
        workers = build_procs(len(to_read), procs)
        if workers == 1 and to_read and not budget_enforceable():
            report.warnings.append(f"the build runs outside the main thread, so the CPU budget of "
                                   f"{settings.INGEST_CPU_SECONDS:g} s per file is not enforced")
        jobs = [FileJob(rel, hashes[rel][1], files[rel].size, sha256=hashes[rel][0], identity=files[rel].identity)
                for rel in to_read]
        try:
            if progress:
                progress(0, len(jobs))
            if workers > 1:
                _read_in_parts(split(jobs, workers), source_dir, set(indexed), new, report, read_hashes, lock_fd,
                               progress)
            if rebuild or live is None:
                new.writer()  # a first build or a rebuild writes an index even if empty
            # The old clauses of files gone or changed. A delete reaches only the segments the new
            # generation started with, not the clauses added (or adopted) by this build.
            for rel in sorted(set(indexed) - set(report.unchanged)):
                new.writer().delete_by_term("source", rel)
            if workers == 1:
                _read_here(jobs, source_dir, set(indexed), new, report, read_hashes, progress)
            for names in (report.added, report.updated, report.removed, report.ingest.skipped):
                names.sort()
            if new.started:
                sources = {rel: hashes[rel] for rel in report.unchanged}
                sources |= {rel: (read_hashes[rel], hashes[rel][1]) for rel in (*report.added, *report.updated)}
                records = {rel: indexed_records[rel] for rel in report.unchanged}
                records |= {doc.metadata.source: document_record(doc) for doc in report.ingest.documents
                            if doc.metadata.source in sources}
                if set(records) != set(sources):  # would make the next build read this generation as damaged
                    raise BuildBug(f"{sorted(set(sources) ^ set(records))[0]}: indexed without a document record "
                                   f"(or recorded without being indexed); the live index is unchanged")
                report.generation = new.commit(keep=live, sources=sources, records=records)
                report.written = True
            else:
                report.generation = live.name if live else None
        except OSError as exc:
            new.discard()
            raise IndexWriteError(write_failed(index_dir, exc)) from exc
        except BaseException:
            new.discard()
            raise
        scan_skipped = {skip.rel for skip in scan.skipped}
        # A file whose bytes could not be read has no hash to remember: it is read again next time.
        remember_skips(index_dir, {skip.rel: [read_hashes.get(skip.rel) or hashes[skip.rel][0], hashes[skip.rel][1],
                                              skip.reason, skip.message]
                                   for skip in report.ingest.skipped
                                   if skip.rel not in scan_skipped and skip.reason not in TRANSIENT_REASONS
                                   and (read_hashes.get(skip.rel) or hashes[skip.rel][0])})
        report.documents_in_index = len(report.unchanged) + len(report.added) + len(report.updated)
        if report.generation:
            report.clauses_in_index = whoosh_index.open_dir(str(index_dir / report.generation)).doc_count()
    return report


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


def _indexed_records(generation: Path, index_dir: Path, indexed: dict) -> dict[str, dict]:
    """Return the records of the documents ``generation`` holds, as its build saved them (verified on open)."""
    try:
        records = base_records(generation)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise corrupt_error(generation, index_dir, f"its document records can't be read ({exc})") from exc
    if not isinstance(records, dict) or set(records) != set(indexed):
        raise corrupt_error(generation, index_dir, "its document records do not match the sources it indexed")
    return records


def _read_here(jobs: list[FileJob], source_dir: Path, indexed: set[str], new: NewGeneration,
               report: BuildReport, hashes: dict[str, str], progress: Progress | None) -> None:
    """Ingest the files in this process, adding their clauses to the new generation's writer."""
    for done, job in enumerate(jobs, start=1):
        part = PartResult()
        add_file(new.writer, source_dir, job, part)
        _record(part, indexed, report, hashes)
        if progress:
            progress(done, len(jobs))


def _read_in_parts(shares: list[list[FileJob]], source_dir: Path, indexed: set[str], new: NewGeneration,
                   report: BuildReport, hashes: dict[str, str], lock_fd: int, progress: Progress | None) -> None:
    """Ingest the shares in worker processes and adopt the segments they write into the new generation."""
    total, done = sum(len(share) for share in shares), 0
    # The workers fork before the writer opens, from a process with no Whoosh file open.
    for part in write_parts(shares, source_dir, new.create(), lock_fd):
        new.adopt(part)
        _record(part, indexed, report, hashes)
        done += len(part.written) + len(part.skipped)
        if progress:
            progress(done, total)


def _record(part: PartResult, indexed: set[str], report: BuildReport, hashes: dict[str, str]) -> None:
    """Add what became of the files of ``part`` to the build's report, and the hashes of what it read to ``hashes``."""
    hashes |= part.hashes
    report.ingest.documents += part.documents
    report.ingest.skipped += part.skipped
    report.warnings += part.warnings
    report.clauses_written += part.clauses_written
    for rel in part.written:
        (report.updated if rel in indexed else report.added).append(rel)
    # an indexed file that became unreadable: its clauses describe bytes no longer there
    report.removed += [rel for rel, _, _ in part.skipped if rel in indexed]
