"""Progress of long steps: library code says what it is doing; whoever runs it decides how that is shown.

Engine modules call :func:`tracked` (a decorator), :func:`step` (a context manager) or :func:`track`
(an iterable) with a catalogue key such as ``"step.network"``; nothing is shown unless a reporter is
installed with :func:`use_reporter`. The command line installs one that draws bars on stderr when stderr
is a terminal (:mod:`coverage_planner.render.status`); a notebook or a Dask worker installs none, so the
calls cost a function call and nothing else. This module imports no terminal library.

Examples
--------
>>> events = []
>>> class Log:
...     def start(self, key, total): events.append(("start", key, total)); return key
...     def advance(self, handle, n): events.append(("advance", handle, n))
...     def stop(self, handle): events.append(("stop", handle))
>>> with use_reporter(Log()):
...     for _ in track(range(2), "step.check"):
...         pass
>>> events
[('start', 'step.check', 2), ('advance', 'step.check', 1), ('advance', 'step.check', 1), ('stop', 'step.check')]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

__all__ = ["Reporter", "reporter", "step", "track", "tracked", "use_reporter"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class Reporter(Protocol):
    """What shows progress: told when a step starts, advances and stops."""

    def start(self, key: str, total: int | None) -> Any:
        """A step named by catalogue ``key`` starts (``total`` items, or None when unknown); returns a handle."""

    def advance(self, handle: Any, n: int) -> None:
        """``n`` more items of the step are done."""

    def stop(self, handle: Any) -> None:
        """The step is over (done or failed)."""


_current: list[Reporter] = []


def reporter() -> Reporter | None:
    """The installed reporter, or None."""
    return _current[-1] if _current else None


@contextmanager
def use_reporter(rep: Reporter | None) -> Iterator[None]:
    """Install ``rep`` for the duration of the block (None: nothing is shown)."""
    if rep is None:
        yield
        return
    _current.append(rep)
    try:
        yield
    finally:
        _current.remove(rep)


def _no_op(n: int = 1) -> None:
    """``advance`` without a reporter."""


@contextmanager
def step(key: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A long step; yields ``advance(n)`` to report items done (a no-op without a reporter)."""
    rep = reporter()
    if rep is None:
        yield _no_op
        return
    handle = rep.start(key, total)
    try:
        def advance(n: int = 1) -> None:
            rep.advance(handle, n)

        yield advance
    finally:
        rep.stop(handle)


def tracked(key: str) -> Callable[[F], F]:
    """Decorate a function whose every call is one long step named ``key``."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if reporter() is None:
                return fn(*args, **kwargs)
            with step(key):
                return fn(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap


def track(items: Iterable[T], key: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items`` reporting one item done at a time (``total`` defaults to ``len(items)``)."""
    if reporter() is None:
        yield from items
        return
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with step(key, total) as advance:
        for item in items:
            yield item
            advance(1)
