"""The build lock: one build at a time per index folder, and the holder's pid for the one refused."""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexLocked
from .generation import writing

__all__ = ["LOCK_NAME", "build_lock"]

LOCK_NAME = ".lock"
LOCK_PID_WAIT_S = 0.5  # a refused build waits this long for the holder's pid to reach .lock


@contextmanager
def build_lock(index_dir: str | Path) -> Iterator[int]:
    """Hold the build lock of ``index_dir`` for the block (yields the lock file's descriptor).

    :raises IndexLocked: when a build has it.
    """
    index_dir = Path(index_dir)
    with writing(index_dir):
        index_dir.mkdir(parents=True, exist_ok=True)
        f = open(index_dir / LOCK_NAME, "a+", encoding="utf-8")
    # A killed build leaves .lock behind, but the kernel drops its flock with the process.
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(f)
            raise IndexLocked(f"another build is running (pid {holder}) on {index_dir}; wait for it "
                              f"to finish or stop that process, then build again") from None
        try:
            with writing(index_dir):
                f.seek(0)
                f.truncate()
                f.write(str(os.getpid()))
                f.flush()
            yield f.fileno()
        finally:
            f.seek(0)
            f.truncate()
            fcntl.flock(f, fcntl.LOCK_UN)


def _lock_holder(f) -> str:
    """Return the pid the lock's holder wrote, waiting a moment: it writes it just after locking."""
    deadline = time.monotonic() + LOCK_PID_WAIT_S
    while True:
        f.seek(0)
        holder = f.read().strip()
        if holder or time.monotonic() >= deadline:
            return holder or "unknown"
        time.sleep(0.01)
