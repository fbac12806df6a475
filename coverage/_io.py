"""Atomic writes: a failed run never leaves a half-written report, map or cache entry."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    Works for a file or a folder (whatever the block creates at the temporary path).

    Parameters
    ----------
    path
        The final destination.

    Yields
    ------
    Path
        A temporary sibling path that does not exist yet.
    """
    final = Path(path)
    parent = final.parent if str(final.parent) else Path(".")
    tmp_dir: Path | None = None
    try:  # everything inside: an interrupt at any point still removes the temporary folder
        try:
            parent.mkdir(parents=True, exist_ok=True)
            tmp_dir = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=parent))
        except OSError as exc:
            msg = (
                f"Cannot write to {str(parent)!r}: {exc.strerror or exc}. "
                "Choose an output folder you can write to (check permissions and free disk space)."
            )
            raise OutputError(msg) from exc
        tmp = tmp_dir / final.name
        try:
            yield tmp
            if final.is_dir() and not final.is_symlink():
                backup = tmp_dir / (final.name + ".old")
                os.replace(final, backup)
                os.replace(tmp, final)
            else:
                os.replace(tmp, final)
        except OSError as exc:
            msg = (
                f"Cannot write {str(final)!r}: {exc.strerror or exc}. "
                "Nothing was changed; check permissions and free disk space, then run again."
            )
            raise OutputError(msg) from exc
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)


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
