"""The CPU budget of one file: a build gives up on a file that costs more than any real one, and goes on.

Every stage is meant to be linear in its input; this is the net under that promise for input
shapes nobody has met yet (a library that goes quadratic on some malformed markup, say). The
budget counts the process's CPU time (``ITIMER_PROF``), not the clock, so a loaded machine does
not turn a slow file into a skipped one.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import TooSlow

__all__ = ["cpu_budget", "enforceable"]


class _Expired(BaseException):
    """Raised into the code running when the budget runs out; a BaseException, so no ``except Exception`` keeps it."""


def enforceable() -> bool:
    """Tell whether this thread can hold a budget (Python runs signal handlers in the main thread only)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def cpu_budget(path: str | Path, seconds: float) -> Iterator[None]:
    """Run the block within ``seconds`` of CPU time, or raise TooSlow naming ``path``.

    Outside the main thread the block runs without a budget: see :func:`enforceable`.
    """
    if not enforceable():
        yield
        return
    armed = True

    def expire(signum, frame):
        if armed:
            raise _Expired

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        try:
            yield
        finally:
            # The timer may fire here too, before it is disarmed: the outer handler catches that.
            armed = False
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _Expired:
        raise TooSlow(path, f"reading it used more than {seconds:g} s of CPU time, far more than any real "
                            f"document needs; if it is one, split it") from None
    finally:
        signal.signal(signal.SIGPROF, previous)
