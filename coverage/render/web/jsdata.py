"""Data for the page's JavaScript: JSON that is safe inside ``<script>``, columnar feature layers.

Strings from the data (facility and unit names...) travel as JSON and are shown in the browser with
``textContent`` (see ``assets.PAGE_JS``): they are never parsed as HTML. Inside the ``<script>``
block ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so a name such as ``</script>`` cannot end
the block early.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["column_values", "encode_features", "script_json"]

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(obj: Any) -> str:
    """Compact, key-sorted JSON that can be pasted into a ``<script>`` block as a JavaScript value."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    for char, esc in _SCRIPT_ESCAPES.items():
        text = text.replace(char, esc)
    return text


def column_values(col: pd.Series, *, digits: int = 4) -> list[Any]:
    """A column as a JSON-ready list: numbers rounded, booleans kept, missing values as None.

    Parameters
    ----------
    col
        Any pandas column.
    digits
        Decimals kept for floating-point numbers.
    """
    missing = col.isna().to_numpy()
    if pd.api.types.is_bool_dtype(col):
        out = col.fillna(False).astype(bool).to_numpy(dtype=object)
        out[missing] = None
        return out.tolist()
    if pd.api.types.is_integer_dtype(col) and not missing.any():
        return col.astype("int64").tolist()
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        arr = np.round(col.to_numpy(dtype=np.float64, na_value=np.nan), digits)
        obj = arr.astype(object)
        obj[~np.isfinite(arr)] = None
        ints = np.isfinite(arr) & (arr == np.round(arr)) & (np.abs(arr) < 2**53)
        obj[ints] = arr[ints].astype(np.int64).astype(object)
        return obj.tolist()
    out = col.astype(str).to_numpy(dtype=object)
    out[missing] = None
    return out.tolist()


def encode_features(gdf: gpd.GeoDataFrame, columns: Sequence[str]) -> str:
    """A layer as columnar JSON: ``{"g": [geometry, ...], "p": {column: [value, ...]}}``.

    Smaller than a GeoJSON FeatureCollection (property names are written once); the page turns it
    back into features. Geometries must already be lon/lat and rounded (``geometry.to_web``).
    """
    geoms = shapely.to_geojson(gdf.geometry.to_numpy())
    props = {c: column_values(gdf[c]) for c in columns}
    return '{"g":[' + ",".join(geoms.tolist()) + '],"p":' + script_json(props) + "}"
