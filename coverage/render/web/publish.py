"""``publish``: a run's map pages and index, written into a folder atomically."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..._io import atomic_path
from ...errors import MapError, message
from ...model.messages import Message
from ...progress_bar import track
from .assets import ASSET_MODES, asset_links, write_assets
from .i18n import LANGS
from .index import render_index
from .page import PageContext, render_page
from .tiles import tile_choice

if TYPE_CHECKING:
    from ...model.results import TargetResult
    from ...studies.check import CheckRun

__all__ = ["MARKER", "page_names", "preflight", "publish"]

logger = logging.getLogger(__name__)

#: Written into every map folder: only folders holding it (or empty ones) are ever replaced.
MARKER = ".coverage-maps"
#: Pages above this size are reported (layers are simplified to stay well below it).
MAX_PAGE_BYTES = 15_000_000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_names(results: Sequence[TargetResult]) -> dict[str, str]:
    """Target id -> file name of its page (safe characters only, unique, never ``index.html``)."""
    names: dict[str, str] = {}
    taken = {"index.html"}
    for r in results:
        stem = _UNSAFE.sub("_", r.id).strip("._") or "target"
        name, n = f"{stem}.html", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}.html"
        taken.add(name.lower())
        names[r.id] = name
    return names


def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise MapError(Message("err.map_out_file", path=str(out)))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise MapError(Message("err.map_out_foreign", path=str(out)))


def preflight(out_dir: str | Path, *, tiles: str = "osm", tianditu_key: str | None = None, lang: str = "en",
              assets: str | Path | None = None) -> None:
    """Check the options before the (slow) check runs: language, basemap and key, assets, output folder.

    Raises
    ------
    MapError
        The first problem found, with its fix.
    """
    if lang not in LANGS:
        msg = f"The map language was {lang!r}; choose zh or en (--lang)."
        raise MapError(msg)
    tile_choice(tiles, tianditu_key=tianditu_key, lang=lang)
    if assets is not None and not (isinstance(assets, str) and assets in ASSET_MODES) and not Path(assets).is_dir():
        raise MapError(message("err.map_assets_option", value=str(assets), modes=", ".join(ASSET_MODES)))
    _check_replaceable(Path(out_dir))


def publish(run: CheckRun, out_dir: str | Path, *, tiles: str = "osm", tianditu_key: str | None = None,
            lang: str = "en", target_ids: Sequence[str] | None = None, assets: str | Path | None = None,
            charts: Mapping[str, str] | None = None) -> list[Path]:
    """Write one map page per target and an ``index.html`` into ``out_dir``.

    The folder is rendered beside ``out_dir`` and swapped in only when every page is written, so a
    failure leaves the previous maps as they were. The same run gives byte-identical files.

    Parameters
    ----------
    run
        A checked scenario (:func:`coverage_planner.studies.check.run_check`).
    out_dir
        The folder of the maps; replaced as a whole (it must be new, empty or made by this function).
    tiles
        Basemap: ``osm`` (default), ``none`` (offline), ``tianditu`` (needs ``tianditu_key``) or ``amap``
        (GCJ-02: every overlay is shifted to match).
    tianditu_key
        Tianditu browser key, written into the pages.
    lang
        ``zh`` or ``en``: labels of the pages (names from the data are shown as they are).
    target_ids
        Only these targets (default: every result of the run).
    assets
        How the pages get Leaflet: ``folder`` (default, also None) writes the copy shipped with the package
        into ``assets/`` beside them; ``inline`` puts it into every page; ``cdn`` links jsDelivr (the pages
        then need internet access); a folder path copies Leaflet from there into ``assets/``. Every mode
        but ``cdn`` works with no network (with ``tiles="none"``, or the basemap tiles are missing).
    charts
        Target id -> inline SVG progress chart (:func:`coverage_planner.render.charts.progress_chart_svg`) shown in
        the index beside the target.

    Returns
    -------
    list of Path
        The files written: ``index.html`` first, then one page per target in scenario order.

    Raises
    ------
    MapError
        Bad options (language, basemap, key, target id, asset folder, output folder).
    OutputError
        The folder cannot be written.
    """
    preflight(out_dir, tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets)
    choice = tile_choice(tiles, tianditu_key=tianditu_key, lang=lang)
    results = list(run.results)
    if target_ids:
        known = {r.id: r for r in results}
        unknown = [i for i in target_ids if i not in known]
        if unknown:
            raise MapError(Message("err.map_unknown_targets", ids=", ".join(map(repr, unknown)),
                                   known=", ".join(known) or Message("err.none")))
        results = [known[i] for i in dict.fromkeys(target_ids)]
    out = Path(out_dir)
    names = page_names(results)
    ctx = PageContext(run=run, lang=lang, tiles=choice, assets=asset_links(assets))
    with atomic_path(out) as tmp:
        tmp.mkdir()
        write_assets(assets, tmp)
        for r in track(results, "step.maps"):
            data = render_page(r, ctx).encode("utf-8")
            (tmp / names[r.id]).write_bytes(data)
            logger.info("map %s: %.1f kB", names[r.id], len(data) / 1024)
            if len(data) > MAX_PAGE_BYTES:
                logger.warning("map %s is %.1f MB (over %.0f MB): it may load slowly", names[r.id], len(data) / 1e6,
                               MAX_PAGE_BYTES / 1e6)
        sub_run = run if not target_ids else _with_results(run, results)
        (tmp / "index.html").write_text(render_index(sub_run, names, lang=lang, charts=charts), encoding="utf-8")
        (tmp / MARKER).write_text("Maps written by coverage-planner (`coverage map`); this folder is replaced "
                                  "as a whole on the next run.\n", encoding="utf-8")
    return [out / "index.html", *(out / names[r.id] for r in results)]


def _with_results(run: CheckRun, results: list[TargetResult]) -> CheckRun:
    from dataclasses import replace

    return replace(run, results=results)
