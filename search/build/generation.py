"""The generation a build writes: linked from the live one, written, checksummed, then switched live through CURRENT."""
from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from ..codec import writer_options
from ..errors import IndexWriteError
from ..schema import SCHEMA, SCHEMA_VERSION, data_fingerprints
from ..facets import FacetTable
from ..store import (CURRENT_NAME, DERIVED_NAMES, FACET_PARTS_NAME, FACETS_NAME, GENERATION_RE, GRAPH_NAME,
                     META_NAME, RECORDS_NAME, REFERENCES_NAME, VOCABULARY_NAME, WORD_PARTS_NAME, WRITELOCK_SUFFIX,
                     close_dropped_files, file_identity, sha256_of)
from ..suggest import Vocabulary, word_parts
from .graph import resolve
from .workers import AdoptingWriter, PartResult

__all__ = ["NewGeneration", "base_records", "remove_leftovers", "write_failed", "writing"]

# errno values that mean "no room": the way out is freeing space, not fixing permissions
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# errno values of a file system that has no hard links (or no more for this file)
LINK_UNSUPPORTED = frozenset({errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP})


def remove_leftovers(index_dir: Path, live: Path | None) -> None:
    """Remove generations newer than the live one: builds killed before their switch left them.

    No reader can have one open (CURRENT never named it) and the caller holds the build lock.
    """
    live_number = int(GENERATION_RE.fullmatch(live.name).group(1)) if live else 0
    with writing(index_dir):
        for path in index_dir.iterdir():
            m = GENERATION_RE.fullmatch(path.name)
            if m and int(m.group(1)) > live_number and path.is_dir():
                shutil.rmtree(path)


@contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Turn an OSError of writing into the index folder into IndexWriteError."""
    try:
        yield
    except OSError as exc:
        raise IndexWriteError(write_failed(index_dir, exc)) from exc


def write_failed(index_dir: Path, exc: OSError) -> str:
    if exc.errno in NO_ROOM:
        way_out = "free some disk space (or raise the file-size limit) and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        way_out = (f"make {index_dir} writable for this user, or build into another folder with "
                   f"`python -m search build --index FOLDER`")
    else:
        way_out = "fix that and build again"
    return f"could not write the index at {index_dir}: {exc}; {way_out} (the live index, if any, is unchanged)"


def file_hashes(generation: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """Return the sha256 of every data file of a generation (meta.json and locks excluded).

    ``known`` gives the checksums of files linked unchanged from the generation before.
    """
    known = known or {}
    return {p.name: known.get(p.name) or sha256_of(p)
            for p in sorted(generation.iterdir())
            if p.is_file() and p.name != META_NAME and not p.name.endswith(WRITELOCK_SUFFIX)}


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target`` (Whoosh never rewrites a file); copy where links can't be made."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in LINK_UNSUPPORTED:
            raise
        shutil.copyfile(source, target)


def base_records(base: Path | None) -> dict[str, dict]:
    """Return the records the generation ``base`` saved, by source file ({} for none)."""
    if base is None:
        return {}
    return json.loads((base / RECORDS_NAME).read_text(encoding="utf-8"))["records"]


def _write_json(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


class NewGeneration:
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
                    # meta.json and the tables derived from the index are written anew for each generation
                    if (file.is_file() and file.name not in (META_NAME, *DERIVED_NAMES)
                            and not file.name.endswith(WRITELOCK_SUFFIX)):
                        link_or_copy(file, path / file.name)
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

    def commit(self, keep: Path | None, sources: dict[str, tuple[str, str]], records: dict[str, dict]) -> str:
        """Commit, write meta.json, switch CURRENT here and remove generations but ``keep``.

        ``sources`` maps every source file now in the index to its (sha256, sidecar sha256);
        ``records`` each of them to its document's record (``records.py``).
        """
        writer = self.writer()
        writer.commit()
        self._writer = None
        self._save_derived()
        self._save_graph(records)
        # Whoosh never rewrites a file: one that came from the base generation still has the
        # checksum recorded there (which open_index verified before this build began).
        carried = {}
        if self.base is not None:
            carried = json.loads((self.base / META_NAME).read_text(encoding="utf-8")).get("files", {})
            for name in DERIVED_NAMES:
                carried.pop(name, None)
        files = file_hashes(self.path, known=carried)
        meta = {"schema_version": SCHEMA_VERSION, "data": data_fingerprints(),
                "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": files,
                # what each file is as hashed, so a server opening it can tell it is unchanged without reading it
                "identities": {name: list(file_identity(self.path / name) or ()) for name in files},
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

    def _save_derived(self) -> None:
        """Save the facet table and the vocabulary of the committed generation beside it, for
        serving processes to load instead of reading them from the index on their first search.

        The segments kept from the base generation are not read again: their parts come from
        the base's files (verified with the rest of it before this build began).
        """
        facet_parts, words = {}, {}
        if self.base is not None and (self.base / FACET_PARTS_NAME).is_file():
            facet_parts = FacetTable.load_parts(self.base / FACET_PARTS_NAME)
        if self.base is not None and (self.base / WORD_PARTS_NAME).is_file():
            words = Vocabulary.load_parts(self.base / WORD_PARTS_NAME)
        ix = whoosh_index.open_dir(str(self.path))
        try:
            with ix.reader() as reader:
                table = FacetTable(reader, facet_parts)
                table.save(self.path / FACETS_NAME)
                table.save_parts(self.path / FACET_PARTS_NAME)
                words = word_parts(reader, words)
                Vocabulary.of_parts(words).save(self.path / VOCABULARY_NAME)
                Vocabulary.save_parts(self.path / WORD_PARTS_NAME, words)
        finally:
            ix.close()

    def _save_graph(self, records: dict[str, dict]) -> None:
        """Save the records of the documents indexed and the graph resolved from them."""
        _write_json(self.path / RECORDS_NAME, {"records": records})
        graph = resolve(records.values())
        _write_json(self.path / REFERENCES_NAME, {"edges": graph.pop("edges")})
        _write_json(self.path / GRAPH_NAME, graph)

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
            close_dropped_files(self.path)  # what a failed write or merge left open
            if self.path.exists():
                shutil.rmtree(self.path)
