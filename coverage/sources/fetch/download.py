"""One downloader for every fetch step: short timeouts, retries with backoff, resume, checks, atomic.

* Progress goes to stderr (a planner sees what is happening); everything else is logged.
* Every attempt has a connect/read timeout (``timeout_s``, default 15 s); after ``retries`` failed
  attempts (waiting ``backoff_s``, 2×, 4× … between them) a :class:`DownloadError` names the URL,
  what went wrong and how to get the file by hand. Nothing hangs.
* An interrupted download is kept as ``<dest>.part`` and resumed with an HTTP ``Range`` request.
* Before a file is used its size, SHA-256 and format (a ``check`` callable) are verified; a file that
  fails is deleted (nothing is left behind) and refused.
* The final file appears only when complete and verified (``os.replace`` of the ``.part`` file).

The HTTP layer is :func:`open_url` (``urllib``); tests replace it with hand-made responses.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ...errors import CoverageError
from ...model.messages import Message
from ...model.reasons import library_text, reason_words

__all__ = ["DownloadError", "DownloadResult", "download", "open_url", "sha256_of"]

logger = logging.getLogger(__name__)

USER_AGENT = "coverage-planner (+https://github.com/; city plan checks)"
CHUNK_BYTES = 1 << 16


class DownloadError(CoverageError, OSError):
    """A download failed, timed out or gave a file that failed its checks."""


@dataclass(frozen=True)
class DownloadResult:
    """A verified file on disk and where it came from."""

    path: Path
    url: str
    size_bytes: int
    sha256: str
    resumed: bool
    from_cache: bool


def open_url(request: urllib.request.Request, timeout_s: float) -> Any:
    """Open ``request`` (the one place that touches the network; tests monkeypatch it).

    Returns a response with ``status``, ``headers`` and ``read(n)``, usable as a context manager.
    """
    return urllib.request.urlopen(request, timeout=timeout_s)  # noqa: S310 - http(s) URLs built by this package


def sha256_of(path: Path) -> str:
    """SHA-256 (hex) of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _progress(label: str, done: int, total: int | None, stream: IO[str] | None) -> None:
    if stream is None:
        return
    if total:
        stream.write(f"\r  {label}: {done / 1e6:,.1f} / {total / 1e6:,.1f} MB ({done / total:.0%})")
    else:
        stream.write(f"\r  {label}: {done / 1e6:,.1f} MB")
    stream.flush()


def _verify(path: Path, *, url: str, size_bytes: int | None, sha256: str | None,
            check: Callable[[Path], None] | None, manual: str) -> str:
    """Check a complete file; delete it and raise DownloadError if it fails. Returns its SHA-256."""
    problem: Message | None = None
    actual = path.stat().st_size
    digest = ""
    if size_bytes is not None and actual != size_bytes:
        problem = Message("err.download_size", actual=f"{actual:,}", expected=f"{size_bytes:,}")
    else:
        digest = sha256_of(path)
        if sha256 and digest.lower() != sha256.lower():
            problem = Message("err.download_sha", digest=digest, expected=sha256)
        elif check is not None:
            try:
                check(path)
            except Exception as exc:  # noqa: BLE001 - any format failure refuses the file
                problem = Message("err.download_format", reason=reason_words(exc))
    if problem is not None:
        path.unlink(missing_ok=True)
        raise DownloadError(Message("err.download_refused", url=url, problem=problem, manual=manual))
    return digest


# PLR0913: the download options a fetcher sets one by one (checksum, retries, reuse)
def download(url: str, dest: str | os.PathLike[str], *, params: Mapping[str, str] | None = None,  # noqa: PLR0913
             size_bytes: int | None = None, sha256: str | None = None,
             check: Callable[[Path], None] | None = None, timeout_s: float = 15.0, retries: int = 3,
             backoff_s: float = 1.0, progress: IO[str] | None = sys.stderr, label: str = "",
             manual: str = "", reuse: bool = True) -> DownloadResult:
    """Download ``url`` to ``dest`` (verified, atomic, resumable).

    Parameters
    ----------
    url
        http(s) URL.
    dest
        Final file path; its folder is created.
    params
        Query parameters appended to the URL (e.g. an Overpass ``data=`` query).
    size_bytes, sha256
        Expected size and hash, when known: a mismatch refuses (and deletes) the file.
    check
        Format check ``check(path)`` raising on a bad file (e.g. "is a GeoTIFF", "is JSON").
    timeout_s
        Connect/read timeout per attempt, seconds.
    retries
        Attempts before giving up.
    backoff_s
        Wait before the 2nd attempt; doubled before each later one.
    progress
        Stream for progress (stderr by default; ``None`` for silence).
    label
        Short name of what is downloaded, for progress and messages.
    manual
        One sentence telling the planner how to get the file by hand (added to every error).
    reuse
        Use an existing ``dest`` if it passes the checks (a cache).

    Returns
    -------
    DownloadResult

    Raises
    ------
    DownloadError
        After ``retries`` failed attempts, or when the file fails its checks.
    """
    dest = Path(dest)
    label = label or dest.name
    full_url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params) if params else url
    if reuse and dest.is_file():
        try:
            digest = _verify(dest, url=url, size_bytes=size_bytes, sha256=sha256, check=check, manual=manual)
        except DownloadError:
            logger.warning("cached %s failed its checks; downloading again", dest)
        else:
            logger.info("using cached %s", dest)
            return DownloadResult(dest, url, dest.stat().st_size, digest, False, True)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = Message("err.download_folder", path=str(dest.parent), label=label, reason=reason_words(exc))
        raise DownloadError(msg) from exc
    part = dest.with_name(dest.name + ".part")
    errors: list[Message] = []
    resumed = False
    ok = False
    for attempt in range(1, max(1, retries) + 1):
        try:
            resumed = _attempt(full_url, part, timeout_s=timeout_s, label=label, progress=progress) or resumed
            ok = True
            break
        except urllib.error.HTTPError as exc:
            errors.append(Message("err.download_http", code=f"{exc.code} {exc.reason}"))
            if exc.code in {400, 401, 403, 404, 410}:  # retrying will not help
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            inner = getattr(exc, "reason", exc)
            errors.append(reason_words(inner) if isinstance(inner, BaseException) else library_text(inner))
        logger.info("download of %s failed (%s)", url, errors[-1])
        if attempt < retries:
            time.sleep(backoff_s * 2 ** (attempt - 1))
    if not ok:
        size = part.stat().st_size if part.exists() else 0
        if part.exists() and not size:
            part.unlink()
        kept = Message("err.download_kept", path=str(part), size=f"{size:,}") if size else ""
        raise DownloadError(Message("err.download_failed", label=label, url=url, n=len(errors), last=errors[-1],
                                    kept=kept, manual=manual))
    digest = _verify(part, url=url, size_bytes=size_bytes, sha256=sha256, check=check, manual=manual)
    os.replace(part, dest)
    logger.info("downloaded %s (%d bytes)", dest, dest.stat().st_size)
    return DownloadResult(dest, url, dest.stat().st_size, digest, resumed, False)


def _attempt(full_url: str, part: Path, *, timeout_s: float, label: str, progress: IO[str] | None) -> bool:
    """One HTTP attempt into ``part`` (resumed with Range when it exists). Returns True if it resumed."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    req = urllib.request.Request(full_url, headers=headers)
    with open_url(req, timeout_s) as resp:
        status = int(getattr(resp, "status", 200) or 200)
        if status == 416 and have:  # the .part file is already complete
            return True
        if status >= 400:
            raise urllib.error.HTTPError(full_url, status, f"HTTP {status}", resp.headers, None)
        append = have > 0 and status == 206
        length = resp.headers.get("Content-Length") if resp.headers is not None else None
        total = (int(length) + (have if append else 0)) if length and str(length).isdigit() else None
        done = have if append else 0
        with open(part, "ab" if append else "wb") as out:
            while True:
                chunk = resp.read(CHUNK_BYTES)
                if not chunk:
                    break
                out.write(chunk)
                done += len(chunk)
                _progress(label, done, total, progress)
        if progress is not None:
            progress.write("\n")
        if total is not None and done < total:
            raise ConnectionError(Message("err.download_short", done=f"{done:,}", total=f"{total:,}"))
        return append
