"""Parallel builds: worker processes ingest shares of the source files into Whoosh segments of their own.

``search.build.build_index`` uses this for large builds. Each worker writes a complete small index
in a folder inside the new generation; the build then moves the workers' segment files into
the generation and commits them as they are (:class:`AdoptingWriter`), so nothing is written
twice. Whoosh's own MpWriter was not used: it drops a worker's segment when the worker fails
and leaves its workers running when the build is cancelled or killed.
"""
from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.writing import SegmentWriter

from .. import settings
from ..codec import writer_options
from ..errors import BadMetadata, ChangedWhileRead, FacetValueError, IngestBug, IngestError
from ..ingest import ingest
from ..ingest.budget import cpu_budget
from ..ingest.sources import Skipped, read_checked
from ..models import Document
from ..schema import SCHEMA
from .units import index_documents

__all__ = ["AdoptingWriter", "FileJob", "PartResult", "ReadFile", "add_file", "build_procs", "read_file", "split",
           "write_parts"]

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class FileJob:
    """One source file to read: its path relative to the source folder, and the sha256 of it and its sidecar."""

    rel: str
    sidecar_sha: str
    size: int = 0  # bytes, for sharing the work out evenly
    sha256: str = ""  # as the build's scan hashed it; "" checks nothing
    identity: tuple[int, int] | None = None  # (device, inode) as the scan saw it; None checks nothing


@dataclass
class PartResult:
    """What became of a share of the files: per file, and the segments a worker wrote (in ``folder``)."""

    folder: str = ""  # where a worker wrote its index ("" for files read in the build's own process)
    segments: list[Segment] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files whose clauses are in the segments
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    clauses_written: int = 0
    hashes: dict[str, str] = field(default_factory=dict)  # file → sha256 of the bytes read (written or skipped)


class AdoptingWriter(SegmentWriter):
    """A SegmentWriter whose commit also lists ``adopted`` segments, already on disk, in the index."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.adopted: list[Segment] = []

    def _merge_segments(self, mergetype, optimize, merge):
        return super()._merge_segments(mergetype, optimize, merge) + self.adopted


def build_procs(files: int, procs: int | None) -> int:
    """Return how many worker processes a build of ``files`` files uses (1: none, write in-process)."""
    if procs is None:
        if files < settings.PARALLEL_BUILD_MIN_FILES:
            return 1
        procs = settings.BUILD_PROCS or _cores()
    if procs < 1:
        raise ValueError(f"procs must be at least 1, got {procs}")
    return max(1, min(procs, files))


def _cores() -> int:
    """Return the number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def split(jobs: list[FileJob], parts: int) -> list[list[FileJob]]:
    """Share ``jobs`` out into ``parts`` lists of about equal bytes, each in path order."""
    shares: list[list[FileJob]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for job in sorted(jobs, key=lambda j: (-j.size, j.rel)):  # largest first onto the lightest share
        k = loads.index(min(loads))
        shares[k].append(job)
        loads[k] += job.size
    return [sorted(share, key=lambda j: j.rel) for share in shares if share]


def write_parts(shares: list[list[FileJob]], source_dir: Path, generation: Path, lock_fd: int) -> Iterator[PartResult]:
    """Write each share in a worker process into ``generation/part-<k>``; yield results as they finish.

    A worker's error is raised here, after the other workers have been killed.
    """
    # fork: the workers start at once, with the modules (and jieba's dictionary, when the build
    # has loaded it) already in memory
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(len(shares), mp_context=context, initializer=_worker_start,
                               initargs=(lock_fd, os.getpid()))
    try:
        pending = {pool.submit(write_part, str(generation / f"part-{k}"), str(source_dir), share)
                   for k, share in enumerate(shares)}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                yield future.result()  # raises the worker's error
    except BaseException:
        _kill(pool)
        raise
    pool.shutdown()


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose build failed or was interrupted, killing the workers still running."""
    processes = list((pool._processes or {}).values())  # the executor has no call to kill them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
        process.join()


def _worker_start(lock_fd: int, parent: int) -> None:
    """Set a worker up: without the build lock, and dying with the build that started it."""
    # A forked worker shares the build's flock; were it to outlive a killed build, it would
    # hold the lock and refuse every later build.
    with suppress(OSError):
        os.close(lock_fd)
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)  # Linux only
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


@dataclass
class ReadFile:
    """A source file read as a build reads it: its Document, its index documents, and what was noticed."""

    document: Document
    units: list[dict]
    warnings: list[str]


def read_file(source_dir: str | Path, job: FileJob) -> tuple[ReadFile | Skipped, str]:
    """Ingest one file and make its index documents, within the CPU budget; a Skipped says why it can't be indexed.

    Returns it with the sha256 of the bytes read ("" when none could be). The one way a build
    reads a file, in a worker or in the build's own process: once, for its hash and its text.
    """
    warnings: list[str] = []
    path = Path(source_dir) / job.rel
    sha = ""
    try:
        data = read_checked(path, identity=job.identity)
        sha = hashlib.sha256(data).hexdigest()
        if job.sha256 and sha != job.sha256:
            # edited since the scan hashed it
            raise ChangedWhileRead(path, "the file changed while the build read it; build again")
        with cpu_budget(path, settings.INGEST_CPU_SECONDS):
            doc = ingest(path, root=source_dir, data=data)
            # All of a document's units before the first is added: one that can't be indexed keeps the whole document out.
            units = list(index_documents(doc, job.sidecar_sha, warnings))
    except FacetValueError as exc:
        return Skipped(job.rel, BadMetadata.reason, str(exc)), sha
    except IngestError as exc:
        return Skipped(job.rel, exc.reason, exc.message), sha
    except MemoryError:
        raise
    except Exception as exc:  # a bug in a stage: this file is reported with it, the build goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        bug = IngestBug(path, f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno}); "
                              f"this is a bug in ingestion, please report it with the file")
        return Skipped(job.rel, bug.reason, bug.message), sha
    return ReadFile(doc, units, warnings), sha


def add_file(writer: Callable[[], SegmentWriter], source_dir: str | Path, job: FileJob, result: PartResult) -> None:
    """Read one file and add its clauses through ``writer()``; record in ``result`` what became of it.

    ``writer`` is called only when there are clauses to add, so a build whose one file to
    read can't be read starts no new generation.
    """
    read, sha = read_file(source_dir, job)
    if sha:
        result.hashes[job.rel] = sha
    if isinstance(read, Skipped):
        result.skipped.append(read)
        return
    result.warnings += read.warnings
    for fields in read.units:
        writer().add_document(**fields)
        result.clauses_written += 1
    result.documents.append(read.document)
    result.written.append(job.rel)


def write_part(folder: str, source_dir: str, jobs: list[FileJob]) -> PartResult:
    """Ingest ``jobs`` into a new Whoosh index in ``folder`` (a worker's task)."""
    result = PartResult(folder=folder)
    os.mkdir(folder)
    ix = whoosh_index.create_in(folder, SCHEMA)
    writer = ix.writer(**writer_options())
    try:
        for job in jobs:
            add_file(lambda: writer, source_dir, job, result)
        writer.commit(merge=False)
    except BaseException:
        with suppress(Exception):
            writer.cancel()
        raise
    result.segments = list(whoosh_index.open_dir(folder)._segments())
    return result
