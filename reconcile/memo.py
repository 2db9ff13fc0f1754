"""Caches that live exactly as long as one call: a comparison, a batch, a request; never longer.

The checks read each sentence many times (tokens, stems, slots), so memoising them matters for
speed, but a module-level cache would keep the texts of every comparison after it returns (serve
promises to keep nothing of a request). Instead, `memo_scope()` opens a scope around one call and
`scoped` functions memoise into it; outside a scope they simply compute. Scopes nest (an inner
one reuses the outer), and a scope belongs to its thread or task (contextvars), so concurrent
requests never share one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

_T = TypeVar("_T")
_scope: ContextVar[dict[Callable[..., Any], dict[Any, Any]] | None] = ContextVar("reconcile_memo", default=None)


@contextmanager
def memo_scope() -> Iterator[None]:
    """Memoise `scoped` functions until the block ends (reusing an enclosing scope if there is one)."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def active() -> bool:
    """Whether a memo scope is open here (tests use it to prove nothing outlives a call)."""
    return _scope.get() is not None


def scoped(fn: Callable[..., _T]) -> Callable[..., _T]:
    """Memoise fn (hashable positional arguments) inside the current memo scope; outside one, just call it."""

    @functools.wraps(fn)
    def wrapper(*args: Any) -> _T:
        table = _scope.get()
        if table is None:
            return fn(*args)
        cache = table.get(wrapper)
        if cache is None:
            cache = table[wrapper] = {}
        try:
            return cache[args]  # type: ignore[no-any-return]
        except KeyError:
            value = cache[args] = fn(*args)
            return value

    return wrapper
