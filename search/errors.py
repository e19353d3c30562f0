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
    """A search query can't be parsed; the message says what is wrong and how to write it."""


class SynonymDataError(SearchError):
    """The synonym file is missing, not TOML, or inconsistent; the message names the file."""

    def __init__(self, path, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


class CitationError(SearchError, ValueError):
    """A clause can't be cited as asked (no title, a 款 it doesn't have, its article unknown)."""


class FilterError(SearchError, ValueError):
    """A search filter, sort or page can't be used; the message lists what can."""


class ClauseNotFound(SearchError, LookupError):
    """No clause with that id is in the index."""


class DocumentNotFound(SearchError, LookupError):
    """No document with that id is in the index."""


class IndexCorrupt(IndexStateError):
    """The index's files are damaged (truncated, overwritten, missing); a rebuild replaces them."""


class IndexWriteError(IndexStateError):
    """A build could not write the index (disk full, file too large, read-only folder); the live generation is untouched."""
