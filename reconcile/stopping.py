"""Stopping a comparison part-way: its long loops check a flag between steps.

A thread cannot be killed from outside, so the one that runs a comparison stops itself: whoever started it
(``reconcile serve``, at its time limit) sets the flag, and the next ``checkpoint()`` raises StoppedError,
so the comparison ends with nothing half-done and its caches are dropped as after any error. Outside
``stoppable`` a checkpoint does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import StoppedError

_FLAG: ContextVar[threading.Event | None] = ContextVar("reconcile_stop", default=None)


@contextmanager
def stoppable(flag: threading.Event) -> Iterator[None]:
    """Within the block (in this thread), ``checkpoint()`` raises StoppedError once ``flag`` is set."""
    token = _FLAG.set(flag)
    try:
        yield
    finally:
        _FLAG.reset(token)


def checkpoint() -> None:
    """Raise StoppedError if the comparison running here has been asked to stop."""
    flag = _FLAG.get()
    if flag is not None and flag.is_set():
        raise StoppedError("the comparison was stopped before it finished")
