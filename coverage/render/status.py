"""Progress bars on stderr for the command line: the :class:`~coverage_planner.progress_bar.Reporter` of a terminal.

A step shows a bar (or a spinner when its length is unknown) only once it has run for ``delay_s``
seconds, so quick steps and cached results stay silent; the bars vanish when the steps end and never
reach stdout, so a report piped to a file is the same with or without them. Labels come from the
catalogue in the command's language.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from .catalogue import t

__all__ = ["TerminalReporter", "terminal_reporter"]

#: Steps shorter than this show nothing.
DELAY_S = 2.0


class TerminalReporter:
    """Bars on a terminal stream, shown for steps that last longer than ``delay_s`` seconds.

    Parameters
    ----------
    lang
        Language of the labels, or a function giving it when a step starts (a command's option parsed late).
    stream
        Where the bars go (stderr).
    delay_s
        A step appears only after running this long.
    """

    def __init__(self, *, lang: str | Callable[[], str] = "en", stream: IO[str] | None = None,
                 delay_s: float = DELAY_S) -> None:
        self.lang = lang
        self.delay_s = delay_s
        console = Console(file=stream or sys.stderr, force_terminal=True, highlight=False, markup=False)
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  TimeElapsedColumn(), console=console, transient=True)
        self._lock = threading.Lock()
        self._live = 0
        self._started = False
        self._timers: dict[TaskID, threading.Timer] = {}

    def start(self, key: str, total: int | None) -> TaskID:
        """Add a hidden task; a timer shows it after ``delay_s``."""
        with self._lock:
            lang = self.lang() if callable(self.lang) else self.lang
            task = self._progress.add_task(t(key, lang), total=total, visible=False)
            self._live += 1
            timer = threading.Timer(self.delay_s, self._show, args=(task,))
            timer.daemon = True
            self._timers[task] = timer
            timer.start()
        return task

    def _show(self, task: TaskID) -> None:
        with self._lock:
            if task not in self._timers:
                return
            if not self._started:
                self._progress.start()
                self._started = True
            self._progress.update(task, visible=True)

    def advance(self, handle: Any, n: int) -> None:
        """Advance the bar of ``handle``."""
        self._progress.advance(handle, n)

    def stop(self, handle: Any) -> None:
        """Remove the step; the display stops when no step is left."""
        with self._lock:
            timer = self._timers.pop(handle, None)
            if timer is not None:
                timer.cancel()
            self._progress.remove_task(handle)
            self._live -= 1
            if self._live == 0 and self._started:
                self._progress.stop()
                self._started = False


def terminal_reporter(*, lang: str | Callable[[], str] = "en", quiet: bool = False,
                      stream: IO[str] | None = None) -> TerminalReporter | None:
    """The reporter of a command: bars when ``stream`` (stderr) is a terminal and not ``quiet``, else None.

    ``TERM=dumb`` and ``CI`` (logs, not terminals) show nothing either.
    """
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)() or os.environ.get("TERM") == "dumb" \
            or os.environ.get("CI"):
        return None
    return TerminalReporter(lang=lang, stream=stream)
