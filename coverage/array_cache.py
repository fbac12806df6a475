"""Arrays a run computes from its inputs, kept on disk so a warm run reads them instead of computing them again.

A warm check of a 500k-node city spent seconds on answers that only change when an input file changes: the
population cells' unit codes (rasterising every unit level onto the grid), the "any facility within r"
answers of radius targets. :func:`cached_arrays` stores such answers in ``arrays/`` under the cache folder
(:func:`~coverage_planner._io.cache_root`), one uncompressed ``.npz`` per answer, named by its key:

* the key is a digest (:func:`content_key`) of everything the answer depends on: the input arrays' bytes
  (dtype and shape included), the settings, the package version and the source of the module that computes
  it (a change to the rule invalidates every entry), and :data:`ARRAY_CACHE_VERSION`;
* a file is written atomically (:func:`~coverage_planner._io.atomic_path`) and carries its key; every array in
  it is checked against its CRC-32 as it is read (the ``.npz`` is a zip file: a damaged one raises
  ``BadZipFile``), so one that cannot be read, fails its check or names another key is ignored (computed
  again and rewritten), and a cache folder that cannot be written costs speed, never the answer;
* only files named ``<kind>-<hex key>.npz`` inside that folder are ever read;
* the folder is kept within a size budget (:func:`prune`, run by the CLI at start: the files used longest
  ago go first; a hit marks its file as used), ``COVERAGE_ARRAY_CACHE_MB`` (default 2,048 MB).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from ._io import atomic_path, cache_root
from .errors import OutputError

__all__ = ["ARRAY_CACHE_VERSION", "array_cache_dir", "budget_bytes", "cached_arrays", "content_key", "prune",
           "read_npz", "source_digest", "write_npz"]

logger = logging.getLogger(__name__)

#: Bumped whenever the stored arrays change meaning.
ARRAY_CACHE_VERSION = 1
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
_KEY = re.compile(r"[0-9a-f]{40}")
#: The name of every file this cache writes (``<kind>-<key>.npz``): the only files it reads or removes.
_FILE = re.compile(rf"{_KIND.pattern}-{_KEY.pattern}\.npz")
#: Size budget of ``arrays/`` in MB unless ``COVERAGE_ARRAY_CACHE_MB`` says otherwise.
DEFAULT_BUDGET_MB = 2048


def array_cache_dir() -> Path:
    """Where cached answers live: ``arrays/`` under :func:`~coverage_planner._io.cache_root`."""
    return cache_root() / "arrays"


@cache
def source_digest(path: str) -> str:
    """Digest of a module's source file (pass ``__file__``): the rules that compute an answer are part of its key."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=12).hexdigest()


def _update(h: Any, part: object) -> None:
    if isinstance(part, np.ndarray):
        a = np.ascontiguousarray(part)
        if a.dtype.hasobject:
            raise TypeError("object arrays have no stable bytes: pass their WKB or text instead")
        h.update(f"a{a.dtype.str}{a.shape};".encode())
        h.update(a.data)
    elif isinstance(part, bytes):
        h.update(f"b{len(part)};".encode())
        h.update(part)
    elif isinstance(part, str):
        data = part.encode()
        h.update(f"s{len(data)};".encode())
        h.update(data)
    elif isinstance(part, bool | int | float) or part is None:
        h.update(f"{type(part).__name__}:{part!r};".encode())
    elif isinstance(part, tuple | list):
        h.update(f"t{len(part)};".encode())
        for p in part:
            _update(h, p)
    else:
        raise TypeError(f"no content digest for {type(part).__name__}")


def content_key(*parts: object) -> str:
    """A digest (hex) of ``parts``: arrays (dtype, shape, bytes), bytes, text, numbers, None, nested tuples/lists.

    Each part is framed by its type and length, so different sequences of parts never give the same bytes.
    The package version and :data:`ARRAY_CACHE_VERSION` are always part of it.
    """
    h = hashlib.blake2b(digest_size=20)
    _update(h, (f"v{ARRAY_CACHE_VERSION}", __version__, *parts))
    return h.hexdigest()


def read_npz(path: Path, key: str) -> dict[str, np.ndarray] | None:
    """The arrays of a cache file written for ``key`` (its ``cache_key`` entry removed); None, logged, when the
    file cannot be read, fails the CRC-32 its zip format carries for every array, or names another key.

    Reading an array to its end checks its CRC-32 (``zipfile``), so a damaged byte is caught without a second
    digest of the whole file; the caller computes the answer again and rewrites the file.
    """
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        logger.warning("The cache file %s cannot be read (%s); computing it again.", path, exc)
        return None
    if str(arrays.pop("cache_key", np.array([""]))[0]) != key:
        logger.warning("The cache file %s names another key; computing it again.", path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: prune() removes the files used longest ago first
    return arrays


def budget_bytes() -> int:
    """The size budget of ``arrays/``: ``COVERAGE_ARRAY_CACHE_MB`` (a number of MB), else 2,048 MB."""
    raw = os.environ.get("COVERAGE_ARRAY_CACHE_MB", "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_BUDGET_MB
    except ValueError:
        logger.warning("COVERAGE_ARRAY_CACHE_MB=%r is not a number of MB; using %d.", raw, DEFAULT_BUDGET_MB)
        mb = DEFAULT_BUDGET_MB
    return max(int(mb * 1024 * 1024), 0)


def prune(folder: str | os.PathLike[str], *, max_bytes: int) -> list[Path]:
    """Remove the cache files of ``folder`` used longest ago until the rest fit in ``max_bytes``.

    Only files named like this cache's own (``<kind>-<hex key>.npz``) are looked at or removed; a file another
    process removes or holds first is skipped. Returns what was removed.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for i, name in enumerate(["a-" + "0" * 40, "b-" + "1" * 40]):
    ...     _ = (d / f"{name}.npz").write_bytes(b"x" * 100)
    ...     os.utime(d / f"{name}.npz", (i, i))
    >>> [p.name[:1] for p in prune(d, max_bytes=150)]
    ['a']
    """
    entries: list[tuple[float, int, Path]] = []
    try:
        for p in Path(folder).iterdir():
            if _FILE.fullmatch(p.name):
                with contextlib.suppress(OSError):
                    st = p.stat()
                    entries.append((st.st_mtime, st.st_size, p))
    except OSError:
        return []
    total = sum(size for _, size, _ in entries)
    removed: list[Path] = []
    for _, size, p in sorted(entries, key=lambda e: (e[0], e[2].name)):  # used longest ago first
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
            total -= size
    if removed:
        logger.info("array cache: removed %d file(s) used longest ago to stay within %d MB", len(removed),
                    max_bytes // (1024 * 1024))
    return removed


def cached_arrays(kind: str, key: str, compute: Callable[[], Mapping[str, np.ndarray]], *,
                  cache_dir: str | os.PathLike[str] | None) -> dict[str, np.ndarray]:
    """``compute()``, or the arrays it returned before for the same ``key``.

    Parameters
    ----------
    kind
        What the answer is (lower-case letters, digits, ``_``): the file name's prefix.
    key
        :func:`content_key` of every input of ``compute`` (a hex digest).
    compute
        Returns the answer: named arrays (numbers or booleans; no object arrays).
    cache_dir
        Folder of the cache files (:func:`array_cache_dir`); None computes without caching.

    Returns
    -------
    dict of str to numpy.ndarray
        Equal, array for array (dtype and shape included), to what ``compute()`` returns.
    """
    if not _KIND.fullmatch(kind) or not _KEY.fullmatch(key):
        raise ValueError(f"bad cache kind or key: {kind!r}, {key!r}")
    if cache_dir is None:
        return {k: np.asarray(v) for k, v in compute().items()}
    path = Path(cache_dir) / f"{kind}-{key}.npz"
    if path.is_file() and (stored := read_npz(path, key)) is not None:
        logger.info("array cache hit: %s", path.name)
        return stored
    arrays = {k: np.asarray(v) for k, v in compute().items()}
    if "cache_key" in arrays:
        raise ValueError("'cache_key' is the cache's own name")
    write_npz(path, arrays, key)
    return arrays


def write_npz(path: Path, arrays: Mapping[str, np.ndarray], key: str) -> None:
    """Store ``arrays`` for ``key`` (read back by :func:`read_npz`), atomically: a killed run leaves no half file.

    A folder that cannot be written costs speed, never the answer: the failure is logged and the run goes on.
    """
    # Any: numpy's savez stub would read its bool option into **arrays
    stored_arrays: dict[str, Any] = dict(arrays)
    stored_arrays["cache_key"] = np.array([key])
    try:
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, **stored_arrays)
    except (OSError, OutputError) as exc:
        logger.warning("Cannot write the cache file %s (%s); continuing without it.", path, exc)
