"""A check as GeoParquet for analysts: a folder with one file per target (its judged units).

Each ``<target>.parquet`` holds the same rows and numbers as the GeoPackage's unit layer (and the
JSON report's ``units``), with ``target_id`` on every row, geometry in the run's working CRS
(GeoParquet metadata records it). ``<target>_facilities.parquet`` and ``<target>_unserved.parquet``
hold the facilities and the people not served where the target has them. Needs ``pyarrow``
(``pip install coverage-planner[parquet]``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .._io import atomic_path
from ..errors import OutputError, message
from .gpkg import layer_names, target_layers

if TYPE_CHECKING:
    from ..studies.check import CheckRun

__all__ = ["write_parquet"]


def write_parquet(run: CheckRun, folder: str | Path, *, lang: str = "en") -> list[Path]:
    """Write one GeoParquet file per target (and its facilities / unserved people) into ``folder``.

    The folder is written beside its final place and swapped in when complete.

    Parameters
    ----------
    run
        A checked scenario.
    folder
        The output folder (replaced as a whole; it must be new, empty, or written by this function).
    lang
        ``en`` or ``zh``: the ``unit`` and ``gap_unit`` columns.

    Returns
    -------
    list of Path
        The unit files, one per target in scenario order.

    Raises
    ------
    OutputError
        pyarrow is missing, the folder holds other files, or it cannot be written.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise OutputError(message("err.parquet_pyarrow")) from exc
    folder = Path(folder)
    marker = ".coverage-parquet"
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not (folder / marker).exists())):
        raise OutputError(message("err.parquet_folder", path=str(folder)))
    names = layer_names(run.results)
    written: list[Path] = []
    with atomic_path(folder) as tmp:
        tmp.mkdir()
        (tmp / marker).write_text("GeoParquet written by coverage-planner (`coverage check --format parquet`); "
                                  "this folder is replaced as a whole on the next run.\n", encoding="utf-8")
        for r in run.results:
            for kind, gdf in target_layers(run, r, lang=lang).items():
                name = names[r.id] if kind == "units" else f"{names[r.id]}_{kind}"
                gdf.insert(0, "target_id", r.id)
                gdf.to_parquet(tmp / f"{name}.parquet", index=False)
                if kind == "units":
                    written.append(folder / f"{name}.parquet")
    return written
