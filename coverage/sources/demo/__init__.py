"""The generated demo city: a complete, entirely synthetic layer set placed at Zhengzhou's location.

``generate_demo_city`` writes a layer set (manifest + data) into a folder; ``demo_layer_dir`` keeps
one per (scale, seed, DEMO_VERSION) in the cache and builds it atomically on first use.

The city has ~10 million people at ``scale=1`` on ~6,900 km²: a dense core split into urban
districts, development zones and counties around it, ~170 streets/townships and ~1,150
communities/villages, a river with few bridges, two railways, hills in the south-west, a walking
network of ~430,000 OSM nodes and every facility layer the scenarios use, built so that some plan
targets pass and others fail. ``scale`` multiplies the area (and so people, units and network).

Modules: ``geography`` (layout), ``population`` (100 m grid), ``units`` (nested units),
``areas`` (built-up, key areas, new estates), ``facilities`` (one recipe per role),
``network`` + ``osm`` (streets, OSM XML), ``writer`` (files and manifest).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ..._io import atomic_path
from ...errors import OutputError
from ...model.messages import Message
from ...progress_bar import tracked
from .areas import build_areas
from .facilities import build_facilities
from .geography import build_geography
from .network import build_network
from .population_grid import build_population
from .units import build_units
from .writer import write_layer_set

__all__ = ["DEMO_VERSION", "demo_layer_dir", "generate_demo_city"]

logger = logging.getLogger(__name__)

#: Bump whenever the generated files change: it is part of the cache key.
DEMO_VERSION = 4
#: Data date recorded in the manifest's ``sources`` (fixed, so that the manifest is reproducible).
DEMO_DATE = "2026-11-29"
CACHE_ENV = "COVERAGE_CACHE_DIR"
DEFAULT_CACHE_DIR = Path("~/.cache/coverage-planner")


#: Largest demo city: scale 6 has ~590,000 walking nodes (scale 5.1: ~500,000, the metropolis benchmark).
MAX_DEMO_SCALE = 6.0


def _check_scale(scale: float) -> float:
    if not (isinstance(scale, int | float) and math.isfinite(scale) and 0.001 <= scale <= MAX_DEMO_SCALE):
        msg = (f"Demo city scale was {scale!r}; expected a number from 0.001 to {MAX_DEMO_SCALE:g} (1.0 = full-size "
               "city of ~10 million people, 0.03 = a small test city).")
        raise ValueError(msg)
    return float(scale)


@tracked("step.demo_build")
def generate_demo_city(out_dir: Path, *, scale: float = 1.0, seed: int = 2025) -> Path:
    """Write a complete layer set (``manifest.yaml`` + data files) into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to write into (created if needed; existing demo files are overwritten).
    scale
        Area factor, 0.001-4: 1.0 is the full city (~6,900 km², ~10 million people, about a
        minute to build); 0.03 a small city of ~300,000 people that builds in a few seconds.
    seed
        Random seed: the same scale and seed give the same files.

    Returns
    -------
    Path
        The manifest path.

    Examples
    --------
    >>> from pathlib import Path
    >>> import tempfile
    >>> manifest = generate_demo_city(Path(tempfile.mkdtemp()), scale=0.02)
    >>> manifest.name
    'manifest.yaml'
    """
    scale = _check_scale(scale)
    out_dir = Path(out_dir)
    t0 = time.perf_counter()
    steps: list[tuple[str, float]] = []

    def lap(name: str) -> None:
        steps.append((name, time.perf_counter() - t0 - sum(s for _, s in steps)))

    geo = build_geography(scale=scale, seed=seed)
    pop = build_population(geo, seed=seed)
    lap("population")
    units = build_units(geo, pop, seed=seed)
    lap("units")
    areas = build_areas(geo, pop, units, seed=seed)
    facilities = build_facilities(geo, pop, units, areas, seed=seed)
    lap("facilities")
    network = build_network(geo, pop, seed=seed)
    lap("network")
    try:
        manifest = write_layer_set(out_dir, pop=pop, units=units, areas=areas, facilities=facilities,
                                   network=network, scale=scale, seed=seed, version=DEMO_VERSION, date=DEMO_DATE)
    except OSError as exc:
        raise OutputError(Message("err.demo_write", path=str(out_dir), reason=str(exc.strerror or exc))) from exc
    lap("writing")
    logger.info("demo city (scale %g, seed %d) written to %s in %.1f s (%s)", scale, seed, out_dir,
                time.perf_counter() - t0, ", ".join(f"{n} {s:.1f} s" for n, s in steps))
    return manifest


def _cache_root(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else DEFAULT_CACHE_DIR.expanduser()


def demo_folder_name(*, scale: float, seed: int) -> str:
    """Cache folder name for a demo city: encodes version, scale and seed (``demo-v1-scale0.03-seed2025``)."""
    return f"demo-v{DEMO_VERSION}-scale{_check_scale(scale):g}-seed{int(seed)}"


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock (POSIX) so that concurrent callers build a city only once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the atomic rename alone keeps the cache sound
        yield
        return
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def demo_layer_dir(*, scale: float = 1.0, seed: int = 2025, cache_dir: Path | None = None) -> Path:
    """Return the cached demo layer-set folder, generating it atomically if absent.

    Parameters
    ----------
    scale
        Area factor (see :func:`generate_demo_city`).
    seed
        Random seed.
    cache_dir
        Cache root; default ``$COVERAGE_CACHE_DIR`` or ``~/.cache/coverage-planner``.

    Returns
    -------
    Path
        The folder holding ``manifest.yaml`` (named after version, scale and seed).

    Notes
    -----
    The city is generated into a temporary sibling folder and moved into place with
    ``os.replace``, so an interrupted run leaves no half-written set; a lock file makes concurrent
    callers wait for the first one instead of building the same city twice.
    """
    root = _cache_root(cache_dir)
    final = root / demo_folder_name(scale=scale, seed=seed)
    if (final / "manifest.yaml").is_file():
        return final
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = root / f".{final.name}.lock"
        with _exclusive(lock):
            if (final / "manifest.yaml").is_file():
                return final
            with atomic_path(final) as tmp:  # interrupted or killed builds leave nothing (see _io)
                tmp.mkdir()
                logger.info("building the demo city (scale %g, seed %d) in %s", scale, seed, final)
                generate_demo_city(tmp, scale=scale, seed=seed)
    except OSError as exc:
        raise OutputError(Message("err.demo_cache", path=str(root), reason=str(exc.strerror or exc),
                                  env=CACHE_ENV)) from exc
    return final
