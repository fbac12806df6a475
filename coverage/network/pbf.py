"""Reading OpenStreetMap PBF files with pyosmium (libosmium's C++ PBF decoder).

The reader returns exactly what the XML reader (:func:`coverage_planner.network.load.read_osm_xml`) returns
for the same data: node ids and lon/lat of every node a kept way uses, the consecutive node pairs of
every kept way, and the nodes whose barrier blocks passage. Ways are pre-filtered in C++ (only ways
with a ``highway`` tag reach Python); node locations come from libosmium's location index, so nodes
are never decoded into Python objects one by one. ``benchmarks/osm_readers.py`` compares it with the
XML reader and with pyrosm on the same data (same nodes, edges and lengths).
"""

from __future__ import annotations

import logging
from array import array
from pathlib import Path

import numpy as np

from ..errors import LayerError
from ..model.messages import Message
from ..model.reasons import reason_words
from .barriers import blocks_passage

__all__ = ["read_osm_pbf"]

logger = logging.getLogger(__name__)


def read_osm_pbf(
    path: Path, *, mode: str = "walk"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stream an OSM PBF file; return the kept ways' nodes and node pairs, and blocking barrier nodes.

    Parameters
    ----------
    path
        An ``.osm.pbf`` file (any size that fits the node-location index in memory).
    mode
        ``"walk"`` or ``"bike"``: the tag filter of :func:`coverage_planner.network.load.keep_way`.

    Returns
    -------
    node_id, lon, lat, edges, blocked, pair_off_ground
        ``node_id``/``lon``/``lat`` of the nodes used by kept ways (unique; nodes a clipped extract lacks
        are absent), ``edges`` an (k, 2) array of OSM node id pairs (consecutive nodes of every kept way,
        as the XML reader gives them), ``blocked`` the ids of barrier nodes that block ``mode``,
        ``pair_off_ground`` whether each pair's way is off the ground (the XML reader's rule).

    Raises
    ------
    LayerError
        The file is not a readable PBF file.
    """
    import osmium

    from .load import keep_way, off_ground

    ids = array("q")
    lons = array("d")
    lats = array("d")
    pair_a = array("q")
    pair_b = array("q")
    blocked = array("q")
    pair_og = array("b")
    counts = {"ways": 0, "kept": 0}
    try:
        fp = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway", "barrier"))
        )
        for obj in fp:
            if isinstance(obj, osmium.osm.Node):  # what is_node() tests, in a form type checkers follow
                if blocks_passage(obj.tags, mode):
                    blocked.append(obj.id)
                continue
            assert isinstance(obj, osmium.osm.Way)  # the processor reads nodes and ways only
            counts["ways"] += 1
            tags = {t.k: t.v for t in obj.tags}
            if not keep_way(tags, mode):
                continue
            refs = []
            for n in obj.nodes:
                refs.append(n.ref)
                loc = n.location
                if loc.valid():  # not in a clipped extract: its segments are dropped with the XML reader's rule
                    ids.append(n.ref)
                    lons.append(loc.lon)
                    lats.append(loc.lat)
            if len(refs) < 2:
                continue
            counts["kept"] += 1
            pair_a.extend(refs[:-1])
            pair_b.extend(refs[1:])
            pair_og.extend([int(off_ground(tags))] * (len(refs) - 1))
    except RuntimeError as exc:
        raise LayerError(Message("err.osm_pbf_unreadable", path=str(path), reason=reason_words(exc))) from exc
    logger.info("%s: %d highway ways, %d kept for %s", path.name, counts["ways"], counts["kept"], mode)
    node_id = np.frombuffer(ids, dtype=np.int64)
    uniq, first = np.unique(node_id, return_index=True)
    return (
        uniq,
        np.frombuffer(lons, dtype=np.float64)[first].copy(),
        np.frombuffer(lats, dtype=np.float64)[first].copy(),
        np.column_stack([np.frombuffer(pair_a, dtype=np.int64), np.frombuffer(pair_b, dtype=np.int64)]),
        np.unique(np.frombuffer(blocked, dtype=np.int64)),
        np.frombuffer(pair_og, dtype=np.int8).astype(bool),
    )
