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


class NoStructure(IngestError):
    reason = "no-structure"


class BadSidecar(IngestError):
    reason = "bad-sidecar"
