"""A check as one GeoPackage that opens styled in QGIS: a layer per target, plus its facilities and unserved people.

``write_gpkg(run, path)`` writes, for every target:

``<target>``
    The judged units (polygons): ``unit_id, name, level, class, parent_id, status, value, threshold,
    gap, population, supply`` with the JSON report's numbers, plus ``unit`` and ``gap_unit``.
``<target>_facilities``
    The facilities of the target's layer in the scenario year, ``counted`` saying which it counted.
``<target>_unserved``
    Population cells outside every service area (``people``), for the access kinds.

Each layer gets a QGIS style (QML) in the GeoPackage's ``layer_styles`` table, the table QGIS itself
writes ("Save as default" style in the database), so the units open coloured pass / fail with their
names and values as labels. Geometry is in the run's working CRS (projected metres).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from .._io import atomic_path
from ..errors import CoverageError, OutputError, message
from ..model.reasons import reason_words
from ..model.results import FAIL, NO_DATA, PASS, TargetResult
from .geo_tables import COUNT_VALUED_KINDS, facilities_of, unit_table, unserved_table

if TYPE_CHECKING:
    from ..studies.check import CheckRun

__all__ = ["STATUS_STYLE", "layer_names", "qml_categories", "qml_single", "target_layers", "write_gpkg"]

#: Status -> (fill colour RGBA for QGIS, English label, Chinese label).
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    PASS: ("26,150,65,150", "PASS", "达标"),
    FAIL: ("215,25,28,150", "FAIL", "未达标"),
    "info": ("44,123,182,150", "for information", "仅供参考"),
    NO_DATA: ("150,150,150,150", "NO DATA", "无数据"),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")
_WORDS = {
    "en": {"counted": "counted by the target", "other": "not counted (outside its filter)",
           "unserved": "people not served (per population cell)", "facilities": "facilities", "unserved_t": "unserved"},
    "zh": {"counted": "计入指标", "other": "未计入(不满足筛选条件)", "unserved": "未覆盖人口(每格人数)",
           "facilities": "设施", "unserved_t": "未覆盖人口"},
}


def layer_names(results: Sequence[TargetResult]) -> dict[str, str]:
    """Target id -> a GeoPackage table name (letters, digits, ``_``; unique; never ``layer_styles``)."""
    names: dict[str, str] = {}
    taken = {"layer_styles"}
    for r in results:
        stem = _UNSAFE.sub("_", r.id).strip("_").lower() or "target"
        if stem[0].isdigit():
            stem = f"t_{stem}"
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}_{n}"
        taken.add(name)
        names[r.id] = name
    return names


def target_layers(run: CheckRun, result: TargetResult, *, lang: str = "en") -> dict[str, gpd.GeoDataFrame]:
    """The tables of one target: ``units``, and ``facilities`` and ``unserved`` where the target has them."""
    zh = lang == "zh"
    units = unit_table(run, result)
    counts = result.kind in COUNT_VALUED_KINDS  # per-unit values are numbers of facilities
    units["unit"] = ("个设施" if zh else "facilities") if counts else (result.unit_zh if zh and result.unit_zh else result.unit_en)
    units["gap_unit"] = (result.gap.unit_zh if zh else result.gap.unit_en) if result.gap else ""
    out = {"units": units}
    fac, qualifies, _role = facilities_of(run, result)
    if fac is not None and len(fac):
        keep = [c for c in ("facility_id", "name", "kind", "status", "open_year", "capacity") if c in fac.columns]
        try:
            spec = run.scenario.target(result.id)
            cap = spec.param("capacity") or spec.param("numerator")
        except CoverageError:  # a result without its spec in the scenario: no capacity column to add
            cap = None
        if cap and cap in fac.columns and cap not in keep:
            keep.append(cap)
        table = pd.DataFrame({c: fac[c].to_numpy() for c in keep})
        counted = np.ones(len(fac), dtype=bool) if qualifies is None else np.asarray(qualifies, dtype=bool)
        table["counted"] = counted.astype(np.int32)  # 1 counted, 0 not (an integer: QGIS matches categories as text)
        out["facilities"] = gpd.GeoDataFrame(table, geometry=fac.geometry.to_numpy(), crs=fac.crs)
    unserved = unserved_table(result)
    if unserved is not None and len(unserved):
        out["unserved"] = unserved
    return out


# ---------------------------------------------------------------- QGIS styles (QML)


def _fill_symbol(name: str, colour: str, outline: str = "68,68,68,255", width: str = "0.3") -> str:
    return (f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
            f'<prop k="color" v="{colour}"/><prop k="outline_color" v="{outline}"/>'
            f'<prop k="outline_style" v="solid"/><prop k="outline_width" v="{width}"/>'
            '<prop k="outline_width_unit" v="MM"/><prop k="style" v="solid"/></layer></symbol>')


def _marker_symbol(name: str, colour: str, size: str = "2.4") -> str:
    return (f'<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleMarker" enabled="1" locked="0" pass="0">'
            f'<prop k="color" v="{colour}"/><prop k="name" v="circle"/><prop k="outline_color" v="255,255,255,255"/>'
            f'<prop k="outline_width" v="0.3"/><prop k="size" v="{size}"/><prop k="size_unit" v="MM"/></layer></symbol>')


def qml_categories(field: str, categories: Sequence[tuple[str, str, str]], geometry: str, *,
                   label_expression: str | None = None) -> str:
    """A QGIS style: a categorised renderer on ``field`` (value, label, RGBA colour), optionally with labels.

    Parameters
    ----------
    field
        The attribute the categories match.
    categories
        (value, legend label, "r,g,b,a") per category.
    geometry
        ``polygon`` or ``point``.
    label_expression
        A QGIS expression for the labels (None: no labels).
    """
    symbol = _fill_symbol if geometry == "polygon" else _marker_symbol
    cats = "".join(f'<category symbol="{i}" value="{escape(v)}" label="{escape(lab)}" render="true"/>'
                   for i, (v, lab, _c) in enumerate(categories))
    symbols = "".join(symbol(str(i), c) for i, (_v, _lab, c) in enumerate(categories))
    labeling = ""
    if label_expression:
        labeling = (
            '<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName="{escape(label_expression)}" isExpression="1" fontSize="8" fontSizeUnit="Point" '
            'textColor="30,30,30,255" fontWeight="50" multilineAlignment="3">'
            '<text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,220"/>'
            '</text-style><text-format wrapChar="" multilineAlign="3"/>'
            '<placement placement="1" dist="0" priority="5" centroidWhole="0" centroidInside="1" fitInPolygonOnly="0"/>'
            '<rendering scaleVisibility="0" obstacle="1" drawLabels="1" displayAll="0" upsidedownLabels="0"/>'
            '</settings></labeling>')
    geom_type = {"point": 0, "polygon": 2}[geometry]
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            '<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="'
            f'{1 if label_expression else 0}">'
            f'<renderer-v2 type="categorizedSymbol" attr="{escape(field)}" symbollevels="0" enableorderby="0" '
            f'forceraster="0"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>'
            f"{labeling}<layerGeometryType>{geom_type}</layerGeometryType></qgis>\n")


def qml_single(geometry: str, colour: str) -> str:
    """A QGIS style with one symbol (``point`` or ``polygon``); the legend shows the layer's name."""
    symbol = _fill_symbol("0", colour) if geometry == "polygon" else _marker_symbol("0", colour, size="1.6")
    geom_type = {"point": 0, "polygon": 2}[geometry]
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            '<qgis version="3.22.0" styleCategories="Symbology" labelsEnabled="0">'
            f'<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
            f"<symbols>{symbol}</symbols></renderer-v2>"
            f"<layerGeometryType>{geom_type}</layerGeometryType></qgis>\n")


def _unit_label(result: TargetResult) -> str:
    """QGIS expression: the unit's name and its value with the unit (shares as %)."""
    if result.kind in COUNT_VALUED_KINDS:
        value = "format_number(\"value\", 0) || ' ' || \"unit\""
    elif result.unit_en == "%":
        value = "format_number(\"value\" * 100, 1) || ' %'"
    else:
        value = "format_number(\"value\", 2) || ' ' || \"unit\""
    return f"\"name\" || '\\n' || coalesce({value}, '—')"


def _styles(result: TargetResult, layers: dict[str, gpd.GeoDataFrame], lang: str) -> dict[str, str]:
    words = _WORDS.get(lang, _WORDS["en"])
    zh = lang == "zh"
    present = list(dict.fromkeys(layers["units"]["status"].astype(str)))
    cats = [(s, STATUS_STYLE.get(s, STATUS_STYLE[NO_DATA])[2 if zh else 1], STATUS_STYLE.get(s, STATUS_STYLE[NO_DATA])[0])
            for s in (PASS, FAIL, "info", NO_DATA) if s in present]
    cats += [(s, s, STATUS_STYLE[NO_DATA][0]) for s in present if s not in STATUS_STYLE]
    out = {"units": qml_categories("status", cats, "polygon", label_expression=_unit_label(result))}
    if "facilities" in layers:
        out["facilities"] = qml_categories("counted", [("1", words["counted"], "106,61,154,255"),
                                                       ("0", words["other"], "158,158,158,255")], "point")
    if "unserved" in layers:
        out["unserved"] = qml_single("point", "240,59,32,200")
    return out


_LAYER_STYLES_SQL = """CREATE TABLE IF NOT EXISTS layer_styles (
id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT CURRENT_TIMESTAMP)"""


def _write_styles(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """Add (table, style name, QML) rows to ``layer_styles``, registered in ``gpkg_contents`` as QGIS does."""
    con = sqlite3.connect(path)
    try:
        geom_col = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
        con.execute(_LAYER_STYLES_SQL)
        con.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                    "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles', "
                    "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
        con.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
            "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            [(table, geom_col.get(table, "geom"), name, qml, f"{name} (coverage-planner)") for table, name, qml in rows])
        con.commit()
    finally:
        con.close()


def write_gpkg(run: CheckRun, path: str | Path, *, lang: str = "en") -> Path:
    """Write the run's results as one styled GeoPackage (see the module docstring); the file is replaced atomically.

    Parameters
    ----------
    run
        A checked scenario (:func:`coverage_planner.studies.check.run_check`).
    path
        The ``.gpkg`` file to write.
    lang
        ``en`` or ``zh``: the legend labels of the styles and the ``unit`` columns.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        The file cannot be written.
    """
    import pyogrio

    path = Path(path)
    names = layer_names(run.results)
    styles: list[tuple[str, str, str]] = []
    try:
        with atomic_path(path) as tmp:
            for r in run.results:
                layers = target_layers(run, r, lang=lang)
                qml = _styles(r, layers, lang)
                title = r.title_zh if lang == "zh" else r.title_en
                for kind, gdf in layers.items():
                    table = names[r.id] if kind == "units" else f"{names[r.id]}_{kind}"
                    words = _WORDS.get(lang, _WORDS["en"])
                    ident = title if kind == "units" else f"{title} — {words['unserved_t' if kind == 'unserved' else kind]}"
                    pyogrio.write_dataframe(
                        gdf, tmp, layer=table, driver="GPKG", promote_to_multi=kind == "units", append=tmp.exists(),
                        # GeoPackage 1.2: read by the GDAL of older QGIS releases too (3.22 warns about 1.4)
                        dataset_options=None if tmp.exists() else {"VERSION": "1.2"},
                        layer_options={"IDENTIFIER": ident, "DESCRIPTION": f"{r.id}: {r.quote}".strip(": ")})
                    styles.append((table, f"{table} {kind}", qml[kind]))
            if not tmp.exists():  # no targets: an empty but valid GeoPackage
                pyogrio.write_dataframe(gpd.GeoDataFrame({"id": []}, geometry=[], crs=run.region.crs), tmp,
                                        layer="empty", driver="GPKG")
            _write_styles(tmp, styles)
    except (OSError, sqlite3.Error) as exc:
        raise OutputError(message("err.gpkg_write", path=str(path), reason=reason_words(exc))) from exc
    return path
