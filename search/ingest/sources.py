"""Source entries: which entries of a source folder a build may read, checked before anything reads them.

The one place that decides it. An entry is read only when it is a regular file inside the
folder (a link may lead to one, but never out of the folder, to a folder or to a file that
is read under its own name), readable, and within the size budget; every other entry is
named with its reason. The sha256 of each file the build had indexed (and its sidecar's) is taken
here, which is how a build knows what changed; a new file is read once, by ingestion. The build
checks that what it then ingests is the file listed here: the same inode, and the bytes hashed.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Container
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .. import settings
from ..errors import (BadName, BadSidecar, BrokenLink, ChangedWhileRead, DuplicateLink, FileTooLarge, HiddenEntry,
                      IngestError, LinkedFolder, NotAFile, OrphanSidecar, OutsideSource, UnreadableFile)

__all__ = ["Skipped", "Source", "SourceScan", "probe_checked", "read_checked", "read_sidecar_bytes", "scan_sources",
           "sidecar_of"]


class Skipped(NamedTuple):
    """An entry that is not indexed: its path relative to the source folder, why, and how to fix it."""

    rel: str
    reason: str
    message: str


@dataclass(frozen=True)
class Source:
    """A source file that passed the checks, with the sha256 of its bytes and of its sidecar."""

    rel: str  # relative to the source folder, POSIX; a link keeps its own name
    path: Path  # the folder joined with ``rel``
    size: int
    sha256: str  # "" when the scan was not asked to hash it
    sidecar_sha256: str = ""  # "" when it has no sidecar
    identity: tuple[int, int] | None = None  # (device, inode) of the file as the scan saw it


@dataclass
class SourceScan:
    """Every entry of a source folder: the files to index and the entries skipped, both in path order."""

    sources: list[Source] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def sidecar_of(path: str | Path) -> Path:
    """Return where the sidecar of ``path`` would be: ``NAME.meta.json`` beside ``NAME.txt``."""
    path = Path(path)
    return path.with_name(path.stem + settings.SIDECAR_SUFFIX)


def read_checked(path: str | Path, limit: int | None = None, identity: tuple[int, int] | None = None) -> bytes:
    """Return the bytes of ``path`` if it is a readable regular file of at most ``limit`` bytes.

    Opened without blocking, so a FIFO or a device put where a file was listed is refused
    instead of hanging the build; at most ``limit`` + 1 bytes are read, so a file that grows
    meanwhile can't exhaust memory. ``identity`` is the (device, inode) the build's scan saw:
    a file replaced since (renamed over, or swapped for a link) is refused.

    :raises NotAFile, FileTooLarge, UnreadableFile, ChangedWhileRead: with the reason in the message.
    """
    limit = settings.MAX_FILE_BYTES if limit is None else limit
    with _opened(path, limit) as (fd, info):
        if identity is not None and (info.st_dev, info.st_ino) != identity:
            raise ChangedWhileRead(path, "the file was replaced after the build listed it; build again")
        try:
            with os.fdopen(fd, "rb", closefd=False) as f:
                data = f.read(limit + 1)
        except OSError as exc:  # EIO from the device, and the like
            raise UnreadableFile(path, f"the file can't be read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise FileTooLarge(path, f"it grew past the limit of {limit:,} bytes while it was read")
    return data


def probe_checked(path: str | Path, limit: int | None = None) -> os.stat_result:
    """Check ``path`` as read_checked does without reading it; return its status.

    :raises NotAFile, FileTooLarge, UnreadableFile: with the reason in the message.
    """
    with _opened(path, settings.MAX_FILE_BYTES if limit is None else limit) as (_, info):
        return info


@contextmanager
def _opened(path: str | Path, limit: int):
    """Open ``path`` for reading, without blocking, if it is a regular file within ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise UnreadableFile(path, f"the file can't be read: {exc.strerror or exc}") from exc
    try:
        try:
            info = os.fstat(fd)
        except OSError as exc:
            raise UnreadableFile(path, f"the file can't be read: {exc.strerror or exc}") from exc
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(path, f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(path, f"{info.st_size:,} bytes is over the limit of {limit:,} bytes")
        yield fd, info
    finally:
        os.close(fd)


def scan_sources(source_dir: str | Path, hash_only: Container[str] | None = None) -> SourceScan:
    """Check every entry under ``source_dir``; hash the files that pass, and their sidecars.

    ``hash_only``: the files (relative paths) whose bytes are hashed, those a build compares
    with the index; the others are checked without being read, and ingestion hashes what it
    reads. None hashes every file.
    """
    root = Path(source_dir)
    real_root = Path(os.path.realpath(root))
    files: list[tuple[str, Path | None]] = []  # (rel, the file a link leads to; None for a plain file)
    sidecars: list[str] = []
    skipped: list[Skipped] = []
    for rel, problem, target in _walk(root, real_root):
        if problem is not None:
            skipped.append(Skipped(rel, problem.reason, problem.message))
        elif rel.endswith(settings.SIDECAR_SUFFIX):
            sidecars.append(rel)
        else:
            files.append((rel, target))
    plain = {rel for rel, target in files if target is None}
    read_as: dict[Path, str] = {}  # a linked file → the one name it is read under
    scan = SourceScan(skipped=skipped)
    for rel, target in files:
        if target is not None:
            own = target.relative_to(real_root).as_posix()
            first = own if own in plain else read_as.setdefault(target, rel)
            if first != rel:
                scan.skipped.append(Skipped(rel, DuplicateLink.reason,
                                            f"a link to {first}, which the build reads under its own name"))
                continue
        try:
            scan.sources.append(_read(root, real_root, rel, hash_only is None or rel in hash_only))
        except IngestError as exc:
            scan.skipped.append(Skipped(rel, exc.reason, exc.message))
    stems = {str(Path(rel).with_suffix("")) for rel, _ in files} | {
        str(Path(s.rel).with_suffix("")) for s in scan.skipped if not s.rel.endswith(settings.SIDECAR_SUFFIX)}
    for rel in sidecars:
        if rel[: -len(settings.SIDECAR_SUFFIX)] not in stems:
            scan.skipped.append(Skipped(rel, OrphanSidecar.reason,
                                        "a sidecar with no document beside it: name it NAME.meta.json "
                                        "for the file NAME.txt (or .md, .html) it describes"))
    scan.skipped.sort()
    return scan


def _walk(root: Path, real_root: Path):
    """Yield (rel, problem or None, link target or None) for every entry under ``root``, in path order.

    Folders are walked with a stack, not recursion: a chain of a thousand nested folders is a
    folder like any other.
    """
    stack = [_folder(root, real_root, "")]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, str):  # a sub-folder: its entries come before the next sibling's
            stack.append(_folder(root, real_root, item))
        else:
            yield item


def _folder(root: Path, real_root: Path, prefix: str):
    """Yield the entries of one folder as :func:`_walk` does, and a sub-folder as its prefix ("a/b/")."""
    folder = root / prefix if prefix else root
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield (prefix.rstrip("/") or ".", UnreadableFile(folder, f"the folder can't be read: {exc.strerror or exc}"),
               None)
        return
    for entry in entries:
        rel = prefix + entry.name
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are no UTF-8, kept by Python as surrogates
            shown = os.fsencode(rel).decode("utf-8", errors="replace")
            yield shown, BadName(shown, "its name is not valid UTF-8; rename it"), None
            continue
        if entry.name.startswith("."):
            yield rel, HiddenEntry(entry.path, "its name starts with a dot; hidden entries are not read"), None
            continue
        try:
            if entry.name.endswith(settings.SIDECAR_SUFFIX) and not entry.is_dir(follow_symlinks=False):
                yield rel, None, None  # checked when its document is read (read_sidecar_bytes)
            elif entry.is_symlink():
                problem, target = _check_link(Path(entry.path), real_root)
                yield rel, problem, target
            elif entry.is_dir(follow_symlinks=False):
                yield rel + "/"
            elif entry.is_file(follow_symlinks=False):
                yield rel, None, None
            else:
                kind = _kind(entry.stat(follow_symlinks=False).st_mode)
                yield rel, NotAFile(entry.path, f"it is {kind}, not a regular file"), None
        except OSError as exc:  # gone since the folder was listed
            yield rel, UnreadableFile(entry.path, f"the entry can't be read: {exc.strerror or exc}"), None


def _check_link(link: Path, real_root: Path) -> tuple[IngestError | None, Path | None]:
    """Return why a symlink can't be read (or None) and the file it leads to."""
    try:
        target = Path(os.path.realpath(link, strict=True))
        mode = os.stat(link).st_mode
    except FileNotFoundError:
        return BrokenLink(link, f"a link to {os.readlink(link)}, which does not exist"), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return BrokenLink(link, "a loop of links that leads to no file"), None
        return UnreadableFile(link, f"the link can't be followed: {exc.strerror or exc}"), None
    if not target.is_relative_to(real_root):
        return OutsideSource(link, "a link that leads outside the source folder; copy the file in instead"), None
    if stat.S_ISDIR(mode):
        return LinkedFolder(link, "a link to a folder; links to folders are not followed "
                                  "(their files would be read twice)"), None
    if not stat.S_ISREG(mode):
        return NotAFile(link, f"a link to {_kind(mode)}, not to a regular file"), None
    return None, target


def _read(root: Path, real_root: Path, rel: str, hashed: bool) -> Source:
    """Check a listed file (read it when ``hashed``) and read its sidecar; raise the IngestError that keeps it out."""
    path = root / rel
    if hashed:
        data = read_checked(path)
        size, sha = len(data), hashlib.sha256(data).hexdigest()
    info = probe_checked(path)  # after the read: the identity of the bytes hashed, or of the file unread
    if not hashed:
        size, sha = info.st_size, ""
    sidecar = sidecar_of(path)
    sidecar_sha = ""
    if os.path.lexists(sidecar):
        sidecar_sha = hashlib.sha256(read_sidecar_bytes(sidecar, real_root)).hexdigest()
    return Source(rel=rel, path=path, size=size, sha256=sha, sidecar_sha256=sidecar_sha,
                  identity=(info.st_dev, info.st_ino))


def read_sidecar_bytes(sidecar: Path, real_root: Path | None = None) -> bytes:
    """Return a sidecar's bytes, checked like a source file (and inside ``real_root`` when given).

    :raises BadSidecar: naming the sidecar and why it can't be read.
    """
    if real_root is not None and not Path(os.path.realpath(sidecar)).is_relative_to(real_root):
        raise BadSidecar(sidecar, f"its sidecar {sidecar.name} is a link that leads outside the source folder; "
                                  f"copy the file in instead")
    try:
        return read_checked(sidecar, settings.MAX_SIDECAR_BYTES)
    except IngestError as exc:
        raise BadSidecar(sidecar, f"its sidecar {sidecar.name} can't be read: [{exc.reason}] {exc.message}") from exc


def _kind(mode: int) -> str:
    """Name the kind of a file system entry that is not a regular file."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "an entry of an unknown kind"
