"""How our index is written: Whoosh's default codec with one fix, and the options of every writer.

Every segment pickles the codec that wrote it, so the import path ``search.codec`` and the
class names below are part of the on-disk format (as ``search.analysis`` is): never move or
rename them without a schema version bump and a rebuild.
"""
from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader
from whoosh.columns import NumericColumn

from . import settings

__all__ = ["Codec", "writer_options"]


def writer_options() -> dict:
    """Return the keyword arguments of every Whoosh writer that writes our index."""
    # compound=False: one file per part of a segment, not one compound file. Whoosh maps a
    # compound file, then copies each postings and terms part of it into memory to read it
    # (BufferFile wraps the mapped bytes in a BytesIO): 250 MB per process at 100 k clauses.
    return {"limitmb": settings.WRITER_LIMIT_MB, "codec": Codec(), "compound": False}


class PerDocReader(W3PerDocReader):
    """W3PerDocReader that remembers a field has no length column, and holds lengths in memory.

    Whoosh looks a field's length up for every posting it writes and every match it scores.
    For a field without lengths (ID, KEYWORD facets) its reader asks the file system again
    each time, one ``stat`` per posting: remembering the answer took a 9,397-clause build
    from 19.7 to 17.1 s (Whoosh's writer alone, the same clauses). A length column is one
    byte per document; read whole, a lookup is an index into bytes instead of a seek and a
    read of the column file.
    """

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = super()._cached_reader(fieldname, column)
            if reader is not None and column is LENGTHS_COLUMN:
                reader = _length_bytes(reader)  # indexes, min() and max() as the column reader does
            self._readers[fieldname] = reader  # None too: that is the first fix
            return reader


class Codec(W3Codec):
    """Whoosh's W3Codec, reading per-document values through :class:`PerDocReader`."""

    def per_document_reader(self, storage, segment):
        return PerDocReader(storage, segment)


def _length_bytes(reader) -> bytes:
    """Return a lengths column whole: one byte per document, 0 for those past the last one written.

    The column is one byte per document up to the last non-zero one (Whoosh's NumericColumn "B"),
    so it is read in one piece; iterating the reader instead costs a seek and a read per
    document: 2 s for the three text fields at 1 M clauses, paid by a serving process's first query.
    """
    if isinstance(reader, NumericColumn.Reader) and reader._fixedlen == 1:
        count = min(reader._count, reader._doccount)
        written = reader._dbfile.get(reader._basepos, count) if count else b""
        return written + bytes(reader._doccount - count)
    return bytes(reader)  # another reader (none of Whoosh 2.7's for lengths): the same bytes, one by one
