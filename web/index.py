"""The open index a worker process serves, reopened when a build switches generations."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from search.searching import SearchIndex

# Whoosh searchers are not meant to be shared by threads: within one worker, searches take
# turns (gunicorn's sync workers serve one request at a time anyway).
_LOCK = threading.RLock()


@contextmanager
def open_index() -> Iterator[SearchIndex]:
    """Hold the worker's index for one request, reopening it if a build made a newer generation live."""
    with _LOCK:
        index = current_app.extensions.get("search_index")
        if index is None or index.is_stale():
            fresh = SearchIndex(current_app.config["INDEX_DIR"])
            if index is not None:
                index.close()
            current_app.extensions["search_index"] = index = fresh
        yield index


def init_app(app: Flask) -> None:
    app.extensions.setdefault("search_index", None)


def close_index(app: Flask) -> None:
    """Close the index the app holds open (at shutdown, and after a test)."""
    with _LOCK:
        index = app.extensions.get("search_index")
        if index is not None:
            index.close()
            app.extensions["search_index"] = None
