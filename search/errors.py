"""Named exceptions of the library; the CLI and the web layer turn them into messages."""


class SearchError(Exception):
    """Base class of every error this package raises on purpose."""


class IngestError(SearchError):
    """A source file could not be read as a document; the message names the file and why."""

    reason = "unreadable"

    def __init__(self, path, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


class EmptyFile(IngestError):
    reason = "empty"


class BinaryFile(IngestError):
    reason = "binary"


class UndecodableFile(IngestError):
    reason = "undecodable"


class FileTooLarge(IngestError):
    reason = "too-large"


class UnsupportedFormat(IngestError):
    reason = "unsupported-format"


class UnreadableFile(IngestError):
    reason = "unreadable"


class NoStructure(IngestError):
    reason = "no-structure"


class BadSidecar(IngestError):
    reason = "bad-sidecar"


class BadMarkup(IngestError):
    """An HTML page the parser refuses outright."""

    reason = "bad-markup"


class TooSlow(IngestError):
    """A file whose reading used up the CPU budget of one file (settings.INGEST_CPU_SECONDS)."""

    reason = "too-slow"


class BadMetadata(IngestError):
    """The metadata read from the text can't be indexed as it is (a facet value holding the separator)."""

    reason = "bad-metadata"


# Entries of a source folder that are not read at all (ingest/sources.py says why).


class NotAFile(IngestError):
    """A FIFO, socket, device or folder where a file was expected."""

    reason = "not-a-file"


class HiddenEntry(IngestError):
    """An entry whose name starts with a dot (.git, .DS_Store, an editor's swap file)."""

    reason = "hidden"


class BadName(IngestError):
    """An entry whose name is not valid UTF-8."""

    reason = "bad-name"


class ChangedWhileRead(IngestError):
    """A file whose bytes changed between the build's scan and its reading (or was swapped for a link)."""

    reason = "changed"


class IngestBug(IngestError):
    """Ingesting a file raised an error no stage expects: a bug, reported against the file instead of ending the build."""

    reason = "ingest-bug"


class BrokenLink(IngestError):
    """A symlink that leads nowhere, or to itself."""

    reason = "broken-link"


class OutsideSource(IngestError):
    """A symlink that leads out of the source folder."""

    reason = "outside-source"


class LinkedFolder(IngestError):
    """A symlink to a folder (never followed: its files would be read twice, or from outside)."""

    reason = "linked-folder"


class DuplicateLink(IngestError):
    """A symlink to a file that is indexed under another name already."""

    reason = "duplicate"


class OrphanSidecar(IngestError):
    """A NAME.meta.json with no NAME.txt (or .md, .html) beside it."""

    reason = "orphan-sidecar"


class IndexStateError(SearchError):
    """The index can't be opened or built as asked; the message says what to run instead."""


class SourceMissing(IndexStateError):
    """The source folder of a build does not exist (building from it would empty the index)."""


class IndexMissing(IndexStateError):
    """There is no index (or no complete one) at the given folder."""


class SchemaMismatch(IndexStateError):
    """The index was built with another schema version or dictionary than this code uses."""


class IndexLocked(IndexStateError):
    """Another build holds the index's lock."""


class FacetValueError(SearchError):
    """A facet value can't be indexed as one value (it holds the separator)."""


class QuerySyntaxError(SearchError, ValueError):
    """A search query can't be parsed; the message (Chinese, as the interface) says what is wrong and how
    to write it, ``code`` names the kind of mistake in stable English for programs."""

    def __init__(self, message: str, code: str = "bad_query"):
        super().__init__(message)
        self.code = code


class DataFileError(SearchError):
    """A data file of search/data/ is missing, not TOML, or inconsistent; the message names the file."""

    def __init__(self, path, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


class SynonymDataError(DataFileError):
    """The synonym file is missing, not TOML, or inconsistent; the message names the file."""


class CitationError(SearchError, ValueError):
    """A clause can't be cited as asked (no title, a 款 it doesn't have, its article unknown)."""


class FilterError(SearchError, ValueError):
    """A search filter, sort or page can't be used; the message (Chinese) lists what can, ``code`` names it."""

    def __init__(self, message: str, code: str = "bad_filter"):
        super().__init__(message)
        self.code = code


class ClauseNotFound(SearchError, LookupError):
    """No clause with that id is in the index."""


class DocumentNotFound(SearchError, LookupError):
    """No document with that id is in the index."""


class NotVersions(SearchError, ValueError):
    """Two documents compared as versions (新旧对照) are not versions of one act, or too long to compare."""


class IndexCorrupt(IndexStateError):
    """The index's files are damaged (truncated, overwritten, missing); a rebuild replaces them."""


class IndexWriteError(IndexStateError):
    """A build could not write the index (disk full, file too large, read-only folder); the live generation is untouched."""


class BuildBug(SearchError, RuntimeError):
    """A build found its own output inconsistent before switching to it: a bug; the live generation is untouched."""
