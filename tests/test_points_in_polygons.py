"""Points matched to polygons through the tree's boxes and prepared polygons, against a brute-force reference."""

from __future__ import annotations

import numpy as np
import shapely

from coverage_planner.model import region as region_mod


def _brute(x: np.ndarray, y: np.ndarray, polys: np.ndarray) -> np.ndarray:
    out = np.full(x.size, -1, dtype=np.int64)
    for i, (px, py) in enumerate(zip(x, y, strict=True)):
        for j, poly in enumerate(polys):
            if shapely.intersects(poly, shapely.Point(px, py)):
                out[i] = j
                break
    return out


def test_points_in_polygons_matches_brute_force_on_edges_holes_and_overlaps(monkeypatch) -> None:
    rng = np.random.default_rng(20)
    ring = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], holes=[[(3, 3), (7, 3), (7, 7), (3, 7)]])
    polys = np.asarray([
        ring,                                                     # a hole whose box covers the triangle
        shapely.Polygon([(4, 4), (6, 4), (5, 6)]),                # inside the hole
        shapely.Polygon([(10, 0), (20, 0), (20, 10), (10, 10)]),  # shares the edge x = 10 with the ring
        shapely.Polygon([(15, 5), (25, 5), (25, 15), (15, 15)]),  # overlaps the previous: first match wins
        shapely.Polygon([(0, 12), (20, 12), (0, 20)]),            # a triangle: its box holds points outside it
    ], dtype=object)
    x = np.concatenate([rng.uniform(-2, 27, 3000), [10, 10, 0, 5, 20, 5.0, 15]])
    y = np.concatenate([rng.uniform(-2, 22, 3000), [5, 0, 0, 5, 5, 4.0, 10]])
    monkeypatch.setattr(region_mod, "POINTS_PER_CHUNK", 700)  # several chunks
    got = region_mod._points_in_polygons(x, y, polys)
    np.testing.assert_array_equal(got, _brute(x, y, polys))
    assert (got == -1).any() and (got == 1).any() and (got == 3).any()
    # a second call on the now prepared polygons gives the same answer
    np.testing.assert_array_equal(region_mod._points_in_polygons(x, y, polys), got)
