"""Atomic writes: a failed, interrupted or killed run never leaves a half-written report, map or cache entry.

Every temporary is a folder named ``.<final name>.<pid>.<token>.tmp`` beside its destination, created while
SIGINT and SIGTERM are held back (their handlers only record them) and locked (``flock``) by its process for as long as it lives. So:

- an interrupt (Ctrl-C, SIGTERM) arrives either before the folder exists or once its removal is armed;
- the replacement of a previous output is never cut in half by a signal;
- a temporary left by a process killed outright (``kill -9``, power loss) is recognised by the next run that
  writes to the same place (or by any command, for the cache): it is older than that run, no process holds
  its lock and the process named in it is gone. It is then removed (and a previous output it was replacing
  is put back).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OutputError

if TYPE_CHECKING:
    from .model.messages import Message


def _message(key: str, /, **params: object) -> Message:
    """A catalogue sentence (imported when used: the model imports this module)."""
    from .model.messages import Message

    return Message(key, **params)

__all__ = ["Terminated", "atomic_path", "cache_root", "sweep_stale_temps", "tidy_cache", "write_bytes_atomic",
           "write_text_atomic"]

logger = logging.getLogger(__name__)

#: When this module was imported: temporaries older than this run and unlocked belong to dead processes.
PROCESS_START = time.time()

#: Test hook (see tests/test_trust_faults.py): a pipe descriptor to announce a held point on.
HOLD_FD_ENV = "COVERAGE_TEST_HOLD_FD"
#: Which point to hold at: ``temp`` (the temporary exists) or ``commit`` (written, not yet moved into place).
HOLD_AT_ENV = "COVERAGE_TEST_HOLD_AT"
#: Hold only for this destination name (e.g. ``maps``); default any.
HOLD_NAME_ENV = "COVERAGE_TEST_HOLD_NAME"

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.(?P<token>[0-9a-f]{8,})\.tmp$")
#: Temporaries of earlier versions (``tempfile.mkdtemp``: no process id in the name).
_LEGACY_RE = re.compile(r"^\.(?P<name>.+)\.(?P<token>[A-Za-z0-9_]{8})\.tmp$")


class Terminated(KeyboardInterrupt):
    """SIGTERM turned into an exception, so atomic writes clean up their temporaries as for Ctrl-C."""


def raise_terminated(signum: int, frame: object) -> None:
    """Signal handler: SIGTERM becomes :class:`Terminated`."""
    raise Terminated


#: Where caches live unless $COVERAGE_CACHE_DIR says otherwise.
CACHE_ENV = "COVERAGE_CACHE_DIR"


def cache_root() -> Path:
    """The cache folder ($COVERAGE_CACHE_DIR or ~/.cache/coverage-planner): demo cities, ``networks/``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "coverage-planner").expanduser()


def network_cache_dir() -> Path:
    """Where built networks and their snaps are cached: ``networks/`` under :func:`cache_root`."""
    return cache_root() / "networks"


def tidy_cache() -> None:
    """Remove temporaries killed runs left in the cache (demo cities, ``networks/``, ``arrays/``) and keep the
    cached answers within their size budget (:func:`~coverage_planner.array_cache.prune`). The CLI runs it at
    start; a program using the library may call it when it likes."""
    from .array_cache import array_cache_dir, budget_bytes, prune  # array_cache builds on this module

    root = cache_root()
    for folder in (root, network_cache_dir(), array_cache_dir()):
        sweep_stale_temps(folder)
    prune(array_cache_dir(), max_bytes=budget_bytes())


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


_held_depth = 0
_deferred: list[int] = []


def _defer(signum: int, frame: object) -> None:
    _deferred.append(signum)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back for the block; one that arrived meanwhile is acted on when it ends.

    Done at the Python level (the handlers are swapped for one that only records the signal), not with
    ``pthread_sigmask``: a signal delivered to another thread (BLAS, GDAL) would slip past a thread mask,
    but Python handlers always run in the main thread, between bytecodes.
    """
    global _held_depth
    if not _main_thread():
        yield
        return
    saved: dict[int, Any] = {}
    if _held_depth == 0:
        for s in _SIGNALS:
            saved[s] = signal.getsignal(s)
            signal.signal(s, _defer)
    _held_depth += 1
    try:
        yield
    finally:
        _held_depth -= 1
        if _held_depth == 0:
            for signum_saved, h in saved.items():
                signal.signal(signum_saved, h if h is not None else signal.SIG_DFL)
            if _deferred:
                signum = _deferred[0]
                _deferred.clear()
                handler = saved.get(signum)
                if callable(handler):
                    handler(signum, None)  # raises KeyboardInterrupt / Terminated here, outside the section
                elif handler == signal.SIG_DFL:
                    signal.raise_signal(signum)


@contextlib.contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """Make SIGTERM an exception for the block when nobody handles it (library use; the CLI always does)."""
    installed = False
    if _main_thread():
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
                signal.signal(signal.SIGTERM, raise_terminated)
                installed = True
    try:
        yield
    finally:
        if installed:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _lock(fd: int, *, blocking: bool) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; the process id decides
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _make_temp_dir(parent: Path, name: str) -> tuple[Path, int]:
    """Create and lock ``.<name>.<pid>.<token>.tmp`` in ``parent`` (call with signals held)."""
    while True:
        tmp = parent / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            tmp.mkdir(mode=0o755)
        except FileExistsError:
            continue
        break
    try:
        fd = os.open(tmp, os.O_RDONLY)
        _lock(fd, blocking=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp, fd


def _process_started_after(pid: int, t: float) -> bool:
    """True when process ``pid`` started after time ``t`` (so it reused the id of a dead one); Linux only."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(float(x.split()[1]) for x in Path("/proc/stat").read_text().splitlines() if x.startswith("btime"))
        started = boot + int(stat[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return False
    return started > t + 1.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _stale(entry: Path, pid: int | None) -> bool:
    try:
        mtime = entry.lstat().st_mtime
    except OSError:
        return False
    if mtime >= PROCESS_START:  # made during this run: possibly a concurrent run's, never ours to judge
        return False
    if pid is not None and pid != os.getpid() and _alive(pid) and not _process_started_after(pid, mtime):
        return False
    if pid == os.getpid():
        return False
    try:
        fd = os.open(entry, os.O_RDONLY)
    except OSError:
        return False
    try:
        return _lock(fd, blocking=False)  # a living writer holds its lock; the lock dies with its process
    finally:
        os.close(fd)


def sweep_stale_temps(parent: str | os.PathLike[str], *, name: str | None = None) -> list[Path]:
    """Remove temporaries left in ``parent`` by dead processes; return what was removed.

    A temporary is removed when it is older than this run, no process holds its lock and the process that
    made it is gone. When it held a previous output being replaced (``<name>.old``) and that output is
    missing, the previous output is put back first.

    Parameters
    ----------
    parent
        The folder to clean (an output's parent, or the cache).
    name
        Only temporaries for this destination name (an output folder the user chose may hold other
        programs' files); ``None`` for all of ours (the cache).
    """
    folder = Path(parent)
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        pid: int | None = int(m["pid"]) if m else None
        if m is None:
            m = _LEGACY_RE.match(entry.name)
        if m is None or (name is not None and m["name"] != name) or not _stale(entry, pid):
            continue
        final = folder / m["name"]
        old = entry / (m["name"] + ".old")
        with contextlib.suppress(OSError):
            if old.exists() and not final.exists() and not final.is_symlink():
                os.replace(old, final)  # killed between moving the previous output aside and the new one in
                logger.warning("restored %s, left aside by a run killed while replacing it", final)
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
        if not entry.exists():
            removed.append(entry)
            logger.info("removed %s, left by a run that was killed", entry)
    return removed


def _test_hold(point: str, final: Path, tmp: Path) -> None:
    """Test hook: announce ``point`` on the pipe named by $COVERAGE_TEST_HOLD_FD, then wait for a signal.

    Lets the interrupted-run tests signal the process exactly when a temporary exists, without timing.
    """
    fd = os.environ.get(HOLD_FD_ENV)
    if not fd or os.environ.get(HOLD_AT_ENV, "temp") != point:
        return
    if os.environ.get(HOLD_NAME_ENV, final.name) != final.name:
        return
    os.environ.pop(HOLD_FD_ENV)  # once per process
    with os.fdopen(int(fd), "w") as pipe:
        pipe.write(f"{point} {tmp}\n")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # the signal's handler raises out of this sleep
        time.sleep(1)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    Works for a file or a folder (whatever the block creates at the temporary path). Stale temporaries
    for the same destination, left by killed runs, are removed first.

    Parameters
    ----------
    path
        The final destination.

    Yields
    ------
    Path
        A temporary path (inside a private temporary folder beside ``path``) that does not exist yet.
    """
    final = Path(path)
    parent = final.parent if str(final.parent) else Path(".")
    tmp_dir: Path | None = None
    lock_fd: int | None = None
    with _terminate_as_exception():
        try:
            with _signals_held():  # the temporary exists only once its removal below is armed
                try:
                    parent.mkdir(parents=True, exist_ok=True)
                    sweep_stale_temps(parent, name=final.name)
                    tmp_dir, lock_fd = _make_temp_dir(parent, final.name)
                except OSError as exc:
                    raise OutputError(_message("err.out_folder", path=str(parent), reason=str(exc.strerror or exc))) from exc
            tmp = tmp_dir / final.name
            _test_hold("temp", final, tmp)
            yield tmp
            _test_hold("commit", final, tmp)
            with _signals_held():  # never half-replaced: both moves, or neither
                _commit(tmp, final, tmp_dir)
        finally:
            with _signals_held():
                if tmp_dir is not None:
                    shutil.rmtree(tmp_dir, ignore_errors=True)
                if lock_fd is not None:
                    os.close(lock_fd)


def _commit(tmp: Path, final: Path, tmp_dir: Path) -> None:
    try:
        if final.is_dir() and not final.is_symlink():
            backup = tmp_dir / (final.name + ".old")
            os.replace(final, backup)
            try:
                os.replace(tmp, final)
            except OSError:
                os.replace(backup, final)
                raise
        else:
            os.replace(tmp, final)
    except OSError as exc:
        raise OutputError(_message("err.out_file", path=str(final), reason=str(exc.strerror or exc))) from exc


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
