"""知识产权政策检索, the library: ingest a file, build an index, open it, search it, read a clause or a document.

The front door: every name below is imported on first use, so a process that only searches
never loads the build side (ingestion, bs4, worker processes) and one that only builds never
loads the query side::

    >>> import search
    >>> report = search.build_index("raw_docs", "index")        # doctest: +SKIP
    >>> index = search.SearchIndex("index")                     # doctest: +SKIP
    >>> search.search(index, "质押融资", {"level": ["省"]}).total  # doctest: +SKIP
"""
from __future__ import annotations

import importlib

# name → the module that defines it
_EXPORTS = {
    "ingest_file": ("search.ingest", "ingest"),  # a raw file → Document
    "build_index": ("search.build", "build_index"),
    "BuildReport": ("search.build", "BuildReport"),
    "SearchIndex": ("search.searching", "SearchIndex"),  # an open, checked index generation
    "search": ("search.searching", "search"),
    "similar": ("search.searching", "similar"),
    "get_clause": ("search.searching", "get_clause"),
    "get_document": ("search.searching", "get_document"),
    "document_metadata": ("search.searching", "document_metadata"),
    "relations": ("search.searching", "relations"),  # status on a day, versions, 依据 and 被引用
    "diff_versions": ("search.diff", "diff_versions"),  # 新旧对照
    "Document": ("search.models", "Document"),
    "Hit": ("search.models", "Hit"),
    "SearchPage": ("search.models", "SearchPage"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'search' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value
