"""The open index a worker process serves, checked on every request and reopened when a build
switches generations (or when the files of a damaged one change)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from search.errors import IndexStateError
from search.searching import SearchIndex
from search.store import disk_state

# Whoosh searchers are not meant to be shared by threads: within one worker, searches take
# turns (gunicorn's sync workers serve one request at a time anyway).
_LOCK = threading.RLock()


@contextmanager
def open_index() -> Iterator[SearchIndex]:
    """Hold the worker's index for one request, reopening it if a build made a newer generation live.

    :raises IndexStateError: the index is missing or damaged (a file changed since it was opened
        included, see ``SearchIndex.check``); the app answers 503 with the message.
    """
    with _LOCK:
        index = current_app.extensions.get("search_index")
        if index is None or index.is_stale():
            # after a failure every file is hashed: damage its identity hides is then named
            fresh = _open(current_app.config["INDEX_DIR"], verify_all=index is not None and index.failed)
            if index is not None:
                index.close()
            current_app.extensions["search_index"] = index = fresh
        else:
            # Before any read: a file truncated or overwritten under the open index is damage to
            # report, not data to serve (one stat per file: 13 files, about 26 µs on the index of raw_docs/).
            index.check()
        yield index


def _open(index_dir: str, verify_all: bool = False) -> SearchIndex:
    """Open the index, or raise the error of the last try while nothing on disk has changed since.

    Opening verifies the checksum of every file not as the build left it (``verify_all``: of
    every file); a damaged or missing index would otherwise be read again on every request
    until it is rebuilt.
    """
    state = disk_state(index_dir)
    failed = current_app.extensions.get("search_index_failure")
    if failed is not None and failed[0] == state:
        raise failed[1]
    try:
        index = SearchIndex(index_dir, verify_all=verify_all)
    except IndexStateError as exc:
        current_app.extensions["search_index_failure"] = (state, exc)
        raise
    current_app.extensions["search_index_failure"] = None
    return index


def init_app(app: Flask) -> None:
    app.extensions.setdefault("search_index", None)


def close_index(app: Flask) -> None:
    """Close the index the app holds open (at shutdown, and after a test)."""
    with _LOCK:
        index = app.extensions.get("search_index")
        if index is not None:
            index.close()
            app.extensions["search_index"] = None
