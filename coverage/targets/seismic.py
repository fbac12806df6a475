"""Seismic-network kinds: ``spacing``, ``detection``, ``warning_time`` (engine: ``coverage_planner.seismic``)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from .. import seismic
from ..model.messages import Both, Message
from ..model.readers import require_numeric
from ..model.region import _points_in_polygons
from ..model.results import FAIL, PASS, Gap, TargetResult, UnitResult
from ..model.scenario import TargetSpec
from .base import EvalContext, level_labels, meets, new_result, units_for


def spacing_target_m(spec: TargetSpec) -> float:
    """The station spacing a spacing target asks for, in metres: ``spacing_km``, else ``threshold.max``, else 30 km."""
    return float(spec.param("spacing_km", spec.threshold_max or 30)) * 1000.0


def _stations(spec: TargetSpec, ctx: EvalContext) -> tuple[np.ndarray, np.ndarray, gpd.GeoDataFrame]:
    fac = ctx.facilities(spec)
    pts = shapely.point_on_surface(fac.geometry.values)
    return shapely.get_x(pts), shapely.get_y(pts), fac


def _noise(fac: gpd.GeoDataFrame, spec: TargetSpec, ctx: EvalContext) -> np.ndarray | None:
    if "noise_um" not in fac.columns:
        return None
    raw = fac["noise_um"].to_numpy(dtype=object)
    missing = np.array([v is None or (isinstance(v, float) and math.isnan(v)) or v == "" for v in raw])
    vals = np.full(len(fac), np.nan)
    if (~missing).any():
        role = spec.param("layer")
        vals[~missing] = require_numeric(fac[~missing], "noise_um", role=role,
                                         where=ctx.region.spec.facilities[role].where(), purpose=Message("err.for_noise"))
    return vals


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _points_gdf(x: np.ndarray, y: np.ndarray, crs, **cols: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=shapely.points(x, y), crs=crs)


def _too_few(spec: TargetSpec, ctx: EvalContext, n_have: int, n_need: int, what_en: str, what_zh: str) -> TargetResult:
    """A failing result when the network has fewer stations than the method needs."""
    out = new_result(spec, status=FAIL, value=0.0, level="city", unit_en="%", unit_zh="%",
                     summary_en=f"Only {n_have} station{_s(n_have)} in the layer: {what_en} needs at least {n_need}, so it is "
                                "achieved nowhere.",
                     summary_zh=f"仅有 {n_have} 个台站,{what_zh}至少需要 {n_need} 个,全域均未达到。", region=ctx.region)
    out.threshold_min = spec.threshold_min if spec.threshold_min is not None else 1.0
    out.gap = Gap(quantity=float(n_need - n_have), unit_en="stations (at least)", unit_zh="个台站(至少)",
                  text_en=f"At least {n_need - n_have} more station{_s(n_need - n_have)} {_are(n_need - n_have)} needed before {what_en} is possible at all.",
                  text_zh=f"至少还需 {n_need - n_have} 个台站。")
    return out


#: Planner names of the spacing readings (STANDARDS.md §5.1): what each one measures, in its own words.
SPACING_NAMES: dict[str, tuple[str, str]] = {
    "delaunay_max": ("longest distance between neighbouring stations (Delaunay edge)", "相邻台站最大间距(Delaunay 边)"),
    "delaunay_mean": ("mean distance between neighbouring stations (Delaunay edges)", "相邻台站平均间距(Delaunay 边)"),
    "nn_mean": ("mean distance from a station to its nearest neighbour", "台站最近邻平均距离"),
    "nn_max": ("largest distance from a station to its nearest neighbour", "台站最近邻最大距离"),
    "lattice_triangular": ("equivalent triangular-network spacing for the area and station count (平均台间距)",
                           "按面积和台站数折算的三角网平均台间距"),
    "lattice_square": ("equivalent square-grid spacing for the area and station count", "按面积和台站数折算的方格网台间距"),
    "coverage_triangular": ("farthest point of the territory from any station (largest empty circle)",
                            "距最近台站最远的点(最大空圆半径)"),
    "coverage_square": ("farthest point of the territory from any station (largest empty circle)",
                        "距最近台站最远的点(最大空圆半径)"),
}


def evaluate_spacing(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Station spacing over the territory.

    The headline is a distance between stations under its own name (default ``metric: delaunay_max``,
    the longest distance between neighbouring stations) compared with the plan's S. The largest empty
    circle (the farthest point from any station) is a stricter second figure against S/√3, the worst case
    of a triangular network of spacing S; it is never called "spacing". A ``coverage_*`` metric makes that
    distance the decision (value and threshold in km of distance, not converted into a spacing).
    """
    x, y, _ = _stations(spec, ctx)
    territory = ctx.region.territory
    spacing_m = spacing_target_m(spec)
    metric = spec.param("metric")
    res = seismic.spacing_metrics(x, y, territory, k=int(spec.param("k")), grid_m=float(spec.param("grid_m")))
    chk = seismic.check_spacing(res, spacing_m, metric=metric)
    circle = seismic.check_spacing(res, spacing_m, metric="coverage_triangular") if res.k == 1 else chk
    name_en, name_zh = SPACING_NAMES.get(metric, (chk.description, chk.description))
    value_km, limit_km = chk.value_m / 1000.0, chk.threshold_m / 1000.0
    s_km = spacing_m / 1000.0
    level = spec.param("level")
    units = units_for(ctx, spec, level)
    rows = []
    for i in range(len(units)):
        d_m, _, _ = seismic.max_station_distance(x, y, units.geometry.values[i])
        row = units.iloc[i]
        rows.append(UnitResult(level=level, unit_id=str(row["unit_id"]), name=str(row["name"]),
                               unit_class=str(row["class"]), parent_id=str(row.get("parent_id", "")),
                               value=d_m / 1000.0, threshold=circle.threshold_m / 1000.0,
                               status=PASS if d_m <= circle.threshold_m * (1 + 1e-9) else FAIL,
                               supply=float(np.sum(shapely.contains_xy(units.geometry.values[i], x, y)))))
    status = PASS if chk.passed else FAIL
    second_en = second_zh = ""
    if metric != circle.metric:
        second_en = (f" Stricter second figure: the farthest point of the city from any station is "
                     f"{circle.value_m / 1000:.1f} km away (largest empty circle; a triangular network {s_km:g} km apart "
                     f"leaves at most {circle.threshold_m / 1000:.1f} km: {'met' if circle.passed else 'not met'}).")
        second_zh = (f"更严格的第二项:全市距最近台站最远的点相距 {circle.value_m / 1000:.1f} 千米(最大空圆;"
                     f"{s_km:g} 千米三角网最多 {circle.threshold_m / 1000:.1f} 千米,{'满足' if circle.passed else '未满足'})。")
    detail_en = (f" Mean nearest-neighbour distance {res.nn_mean_m / 1000:.1f} km; equivalent triangular-network "
                 f"spacing for the area and station count {res.lattice_triangular_m / 1000:.1f} km.")
    detail_zh = (f"最近邻平均距离 {res.nn_mean_m / 1000:.1f} 千米;按面积和台站数折算的三角网平均台间距 "
                 f"{res.lattice_triangular_m / 1000:.1f} 千米。")
    out = new_result(spec, status=status, value=value_km, level="city", unit_en="km", unit_zh="千米",
                     summary_en=f"{name_en[0].upper()}{name_en[1:]}: {value_km:.1f} km (must be under {limit_km:.1f} km)."
                                + second_en + detail_en,
                     summary_zh=f"{name_zh}:{value_km:.1f} 千米(要求小于 {limit_km:.1f} 千米)。" + second_zh + detail_zh,
                     region=ctx.region)
    out.threshold_max = limit_km
    out.threshold_min = None
    out.units = rows
    out.assumptions.append(Message("say.spacing_headline", name=Both(name_en, name_zh), s=f"{s_km:g}",
                                   circle=f"{circle.threshold_m / 1000:.1f}"))
    out.assumptions.extend(a for a in chk.assumptions if a not in out.assumptions)
    out.assumptions.extend(a for a in res.assumptions if a not in out.assumptions)
    out.details = {
        "metric": metric, "stations": res.n_stations, "stations_inside": res.n_stations_inside,
        "nn_mean_km": res.nn_mean_m / 1000, "nn_max_km": res.nn_max_m / 1000,
        "delaunay_mean_km": res.delaunay_mean_m / 1000, "delaunay_max_km": res.delaunay_max_m / 1000,
        "lattice_triangular_km": res.lattice_triangular_m / 1000, "lattice_square_km": res.lattice_square_m / 1000,
        "largest_empty_circle_km": res.coverage_max_m / 1000, "coverage_p95_km": res.coverage_p95_m / 1000,
        "largest_empty_circle_allowed_km": circle.threshold_m / 1000,
    }
    if not circle.passed:
        gaps = seismic.spacing_gaps(x, y, territory, radius_m=circle.threshold_m)
        out.geo["gaps"] = gpd.GeoDataFrame(
            {"area_km2": [g.area_m2 / 1e6 for g in gaps], "excess_km": [g.excess_m / 1000 for g in gaps]},
            geometry=[g.polygon for g in gaps], crs=ctx.region.crs)
        prop = seismic.propose_stations(x, y, territory, max_radius_m=circle.threshold_m)
        n_new = len(prop.new_x_m)
        out.geo["proposed"] = _points_gdf(prop.new_x_m, prop.new_y_m, ctx.region.crs,
                                          rank=np.arange(1, n_new + 1))
        if status == FAIL:
            out.gap = Gap(quantity=float(n_new), unit_en="stations", unit_zh="个台站",
                          text_en=f"About {n_new} new station(s) needed: {len(gaps)} area(s) lie farther than "
                                  f"{circle.threshold_m / 1000:.1f} km from every station "
                                  f"({sum(g.area_m2 for g in gaps) / 1e6:,.0f} km² in all); stations at the proposed "
                                  "sites close them (greedy + improvement heuristic, not proven minimal).",
                          text_zh=f"约需新建 {n_new} 个台站:{len(gaps)} 处区域距最近台站超过 "
                                  f"{circle.threshold_m / 1000:.1f} 千米(共 {sum(g.area_m2 for g in gaps) / 1e6:,.0f} "
                                  "平方千米),在建议站址建站即可消除(启发式估计)。")
    elif status == FAIL:
        out.gap = Gap(quantity=1.0, unit_en="stations (at least)", unit_zh="个台站(至少)",
                      text_en=f"At least one new station between the stations farther apart than {s_km:g} km.",
                      text_zh=f"至少需在相距超过 {s_km:g} 千米的台站之间新建 1 个台站。")
    return out


def _stations_gap(out: TargetResult, prop: seismic.SitingResult, ctx: EvalContext, *, where: tuple[str, str],
                  what: tuple[str, str]) -> None:
    """The gap in stations needed (proposed sites on the map); ``where`` says what fails today, as detail."""
    n_new = len(prop.new_x_m)
    out.geo["proposed"] = _points_gdf(prop.new_x_m, prop.new_y_m, ctx.region.crs, rank=np.arange(1, n_new + 1))
    out.details["stations_needed"] = n_new
    out.details["new_station_reach_km"] = prop.max_radius_m / 1000
    siting_note = next((a for a in prop.assumptions if a.startswith("Siting for")), "")
    if siting_note and siting_note not in out.assumptions:
        out.assumptions.append(siting_note)
    if prop.criterion_met:
        out.gap = Gap(quantity=float(n_new), unit_en="stations needed", unit_zh="个台站(需新建)",
                      text_en=f"About {n_new} new station{_s(n_new)} needed so that {what[0]}: {where[0]}. The proposed "
                              f"sites are on the map (each new station counts within {prop.max_radius_m / 1000:.1f} km; "
                              "greedy heuristic, not proven minimal).",
                      text_zh=f"约需新建 {n_new} 个台站方能{what[1]}:{where[1]}。建议站址见地图(每个新台站在 "
                              f"{prop.max_radius_m / 1000:.1f} 千米内有效;启发式估计,非最少)。")
    elif n_new:
        out.gap = Gap(quantity=float(n_new), unit_en="stations (at least)", unit_zh="个台站(至少)",
                      text_en=f"At least {n_new} new station{_s(n_new)} needed, and even they do not make sure that "
                              f"{what[0]}: {where[0]}.",
                      text_zh=f"至少需新建 {n_new} 个台站,仍不足以{what[1]}:{where[1]}。")
    else:
        out.gap = Gap(quantity=math.nan, unit_en="stations needed", unit_zh="个台站(需新建)",
                      text_en=f"No number of new stations makes sure that {what[0]} under these assumptions: {where[0]}.",
                      text_zh=f"在上述假设下,新建台站无法{what[1]}:{where[1]}。")


def evaluate_detection(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Monitoring capability: share of the territory where ML ≤ target is recorded by ≥ n stations."""
    x, y, fac = _stations(spec, ctx)
    if "kind" in fac.columns:
        keep = fac["kind"].astype(str).to_numpy() != "strong_motion"
        x, y, fac = x[keep], y[keep], fac[keep]
    pop = ctx.region.population
    target_ml = float(spec.param("magnitude"))
    n_need = int(spec.param("n_stations"))
    if len(x) < n_need:
        return _too_few(spec, ctx, len(x), n_need, f"recording ML {target_ml:g} on {n_need} stations",
                        f"ML{target_ml:g} 监测")
    det = seismic.detection_grid(
        x, y, _noise(fac, spec, ctx), ctx.region.territory, grid_m=float(spec.param("grid_m")),
        depth_km=float(spec.param("depth_km")), n_stations=int(spec.param("n_stations")),
        snr=float(spec.param("snr")), target_ml=target_ml,
        default_noise_um=float(spec.param("default_noise_um", seismic.DEFAULT_NOISE_UM)),
        population=(pop.x_m, pop.y_m, pop.total),
    )
    level = spec.param("level")
    units = units_for(ctx, spec, level)
    gidx = _points_in_polygons(det.x_m, det.y_m, units.geometry.values)
    rows = []
    for i in range(len(units)):
        m = gidx == i
        if not m.any():
            continue
        share = float(np.mean(det.mc[m] <= target_ml + 1e-12))
        row = units.iloc[i]
        rows.append(UnitResult(level=level, unit_id=str(row["unit_id"]), name=str(row["name"]),
                               unit_class=str(row["class"]), parent_id=str(row.get("parent_id", "")), value=share,
                               threshold=spec.threshold_min, status=PASS if meets(share, spec) else FAIL))
    value = det.share_area
    status = PASS if meets(value, spec) else FAIL
    out = new_result(spec, status=status, value=value, level="city", unit_en="%", unit_zh="%",
                     summary_en=f"ML {target_ml:g} is recorded by ≥ {det.n_stations_required} stations over "
                                f"{value * 100:.1f} % of the territory ({(det.share_population or 0) * 100:.1f} % of "
                                f"residents); worst M_c {det.mc_max:.2f}.",
                     summary_zh=f"全市 {value * 100:.1f}% 的面积({(det.share_population or 0) * 100:.1f}% 的人口)达到 "
                                f"ML{target_ml:g} 监测能力;最差 {det.mc_max:.2f} 级。", region=ctx.region)
    if spec.threshold_min is None:
        out.threshold_min = 1.0
    out.units = rows
    out.assumptions.extend(det.assumptions)
    out.details = {"target_ml": target_ml, "share_area": value, "share_population": det.share_population,
                   "mc_max": det.mc_max, "mc_p95": det.mc_p95, "mc_mean": det.mc_mean, "grid_m": det.grid_m,
                   "worst_points_m": [list(p) for p in det.worst_points]}
    out.geo["grid"] = _points_gdf(det.x_m, det.y_m, ctx.region.crs, mc=det.mc)
    if status == FAIL:
        model = seismic.DetectionModel(target_ml=target_ml, depth_km=float(spec.param("depth_km")), n_stations=n_need,
                                       snr=float(spec.param("snr")), station_noise_um=_noise(fac, spec, ctx),
                                       default_noise_um=float(spec.param("default_noise_um", seismic.DEFAULT_NOISE_UM)),
                                       new_station_noise_um=float(spec.param("default_noise_um", seismic.DEFAULT_NOISE_UM)))
        bad_km2 = (1 - value) * det.territory_area_m2 / 1e6
        where_en = (f"{bad_km2:,.0f} km² ({(1 - value) * 100:.1f} %) cannot record ML {target_ml:g} on "
                    f"{det.n_stations_required} stations today")
        where_zh = f"目前 {bad_km2:,.0f} 平方千米({(1 - value) * 100:.1f}%)达不到 ML{target_ml:g} 监测能力"
        prop = seismic.propose_stations(x, y, ctx.region.territory, goal="detection", detection=model,
                                        options=seismic.SiteOptions(grid_m=float(spec.param("grid_m"))))
        _stations_gap(out, prop, ctx, where=(where_en, where_zh),
                      what=(f"ML {target_ml:g} is recorded by {n_need} stations everywhere",
                            f"全市各处均达到 ML{target_ml:g} 监测能力"))
    return out


def evaluate_warning(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Early-warning time over key areas; value = the worst key area's share of epicentres within time."""
    x, y, _ = _stations(spec, ctx)
    area_name = spec.param("area")
    areas = ctx.region.area(area_name, purpose=Message("err.for_target", tid=spec.id))
    within_s = float(spec.param("within_s"))
    if len(x) < int(spec.param("k")):
        return _too_few(spec, ctx, len(x), int(spec.param("k")), "an early-warning alert", "地震预警")
    named = {str(n): g for n, g in zip(areas["name"], areas.geometry.values, strict=True)}
    model = seismic.WarningModel(depth_km=float(spec.param("depth_km")), vp_km_s=float(spec.param("vp_km_s")),
                                 vs_km_s=float(spec.param("vs_km_s")), k=int(spec.param("k")),
                                 processing_delay_s=float(spec.param("processing_delay_s", seismic.PROCESSING_DELAY_S)))
    res = seismic.warning_share_by_area(x, y, named, within_s=within_s, grid_m=float(spec.param("grid_m")),
                                        model=model)
    rows = [UnitResult(level=area_name, unit_id=str(areas.iloc[i]["unit_id"]), name=r.name, unit_class=area_name,
                       value=r.share_within, threshold=spec.threshold_min,
                       status=PASS if meets(r.share_within, spec) else FAIL) for i, r in enumerate(res)]
    worst = min(res, key=lambda r: r.share_within)
    status = PASS if all(u.status == PASS for u in rows) else FAIL
    lvl_zh, _ = level_labels(area_name)
    out = new_result(spec, status=status, value=worst.share_within, level=area_name, unit_en="%", unit_zh="%",
                     summary_en=f"Worst key area {worst.name}: {worst.share_within * 100:.1f} % of epicentres alerted "
                                f"within {within_s:g} s (latest {worst.alert_max_s:.1f} s, blind zone up to "
                                f"{worst.blind_zone_max_km:.0f} km).",
                     summary_zh=f"最差{lvl_zh} {worst.name}:{worst.share_within * 100:.1f}% 的震中在 {within_s:g} 秒内"
                                f"发出预警(最晚 {worst.alert_max_s:.1f} 秒,盲区半径最大 {worst.blind_zone_max_km:.0f} 千米)。",
                     region=ctx.region)
    if spec.threshold_min is None:
        out.threshold_min = 1.0
    out.units = rows
    out.assumptions.extend(model.assumptions())
    out.details = {"within_s": within_s, "areas": {r.name: {"share_within": r.share_within, "alert_max_s": r.alert_max_s,
                                                             "alert_mean_s": r.alert_mean_s,
                                                             "blind_zone_max_km": r.blind_zone_max_km} for r in res}}
    out.geo["grid"] = _points_gdf(np.concatenate([r.x_m for r in res]), np.concatenate([r.y_m for r in res]),
                                  ctx.region.crs, alert_time_s=np.concatenate([r.alert_time_s for r in res]))
    if status == FAIL:
        late = [r for r in res if not meets(r.share_within, spec)]
        where_en = "; ".join(f"{r.name}: alert after up to {r.alert_max_s:.1f} s ({(1 - r.share_within) * 100:.0f} % "
                             f"of it later than {within_s:g} s)" for r in late)
        where_zh = ";".join(f"{r.name}:最晚 {r.alert_max_s:.1f} 秒" for r in late)
        wmodel = seismic.WarningGoal(alert_within_s=within_s, model=model,
                                     key_areas={r.name: named[r.name] for r in late})
        prop = seismic.propose_stations(x, y, ctx.region.territory, goal="warning", warning=wmodel,
                                        options=seismic.SiteOptions(grid_m=float(spec.param("grid_m"))))
        _stations_gap(out, prop, ctx, where=(where_en, where_zh),
                      what=(f"every late key area gets the alert within {within_s:g} s",
                            f"各重点地区在 {within_s:g} 秒内发出预警"))
        out.details["late_key_areas"] = len(late)
    return out


__all__ = ["evaluate_detection", "evaluate_spacing", "evaluate_warning"]
