"""Fixed labels of the map pages in Chinese and English (data names are never translated)."""

from __future__ import annotations

from typing import Literal

__all__ = ["LANGS", "Lang", "t"]

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # statuses
    "pass": ("达标", "PASS"),
    "fail": ("未达标", "FAIL"),
    "no_data": ("无数据", "NO DATA"),
    "info": ("仅供参考", "for information"),
    "not_checked": ("未检查", "not checked"),
    # fields
    "name": ("名称", "Name"),
    "type": ("类型", "Type"),
    "status": ("状态", "Status"),
    "value": ("实测值", "Value"),
    "threshold": ("目标值", "Target"),
    "gap": ("缺口", "Gap"),
    "population": ("人口", "Population"),
    "supply": ("供给", "Supply"),
    "capacity": ("容量", "Capacity"),
    "open_year": ("建成年份", "Opened"),
    "facility_status": ("建设状态", "Status"),
    "people": ("人数", "People"),
    "class": ("类别", "Class"),
    "unit_id": ("编码", "Code"),
    # layers
    "facilities": ("设施", "Facilities"),
    "facilities_other": ("其他设施(不满足筛选条件)", "Other facilities (not meeting the filter)"),
    "units": ("单元达标情况", "Units against the target"),
    "service_area": ("服务范围", "Service areas"),
    "uncovered_cells": ("未覆盖人口", "Population not covered"),
    "gaps": ("监测空白区", "Gaps"),
    "grid": ("网格", "Grid"),
    "proposed": ("建议新增选址", "Proposed sites"),
    "legend": ("图例", "Legend"),
    "people_per_cell": ("每格人数(格网 {size} 米)", "people per cell ({size} m grid)"),
    # page text
    "synthetic": ("合成数据:数字不代表任何真实城市。", "Synthetic data: the figures describe no real city."),
    "measured": ("实测", "Measured"),
    "target": ("目标", "Target"),
    "plan": ("规划", "Plan"),
    "quote": ("规划原文", "Plan text"),
    "assumptions": ("假设与说明", "Assumptions"),
    "sources": ("数据来源", "Data sources"),
    "notes": ("数据说明", "Data notes"),
    "open_map": ("查看地图", "Open map"),
    "index_title": ("{year} 年规划指标核查", "Plan targets {year}"),
    "back": ("返回目录", "All targets"),
    "summary": ("{n} 项指标:{p} 项达标,{f} 项未达标,{d} 项无数据",
                "{n} targets: {p} pass, {f} fail, {d} no data"),
    "approximate": ("近似结果:见假设与说明。", "Approximate: see the assumptions."),
    "other_chapter": ("其他", "Other"),
    "gcj02_note": ("底图为高德地图(GCJ-02 坐标):所有叠加图层已由 WGS84 转换为 GCJ-02 以便对齐。",
                   "Basemap: Amap/Gaode (GCJ-02 coordinates). Every overlay was shifted from WGS84 to GCJ-02 "
                   "so that it lines up with the tiles."),
    "no_tiles_note": ("无底图(离线模式)。", "No basemap (offline mode)."),
    "generated_by": ("由 coverage-planner {version} 生成", "Made with coverage-planner {version}"),
    "licence": ("许可", "licence"),
    "date": ("日期", "date"),
    "scenario": ("情景", "Scenario"),
    "layer_set": ("图层集", "Layer set"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # base layers drawn on every page (readable without basemap tiles)
    "territory": ("行政区划", "Districts"),
    "city_outline": ("市域边界", "City boundary"),
    "leaflet_missing": ("地图脚本(Leaflet)未能加载:本页设置为从网络加载(--assets cdn)。请联网后重新打开,或不加 "
                        "--assets cdn 重新生成地图。",
                        "The map script (Leaflet) did not load: this page loads it from the internet (--assets cdn). "
                        "Open it again online, or publish the maps again without --assets cdn."),
    # columns of the seismic layers, in words
    "mc": ("可监测最小震级(ML,越小越好)", "Smallest magnitude detected (ML; lower is better)"),
    "alert_time_s": ("预警时间(秒)", "Alert time (seconds)"),
    "area_km2": ("面积(平方千米)", "Area (km²)"),
    "excess_km": ("超出允许距离(千米)", "Beyond the allowed distance (km)"),
    "rank": ("建设顺序", "Rank"),
    "verdict_outline": ("{level}达标情况(边框)", "Verdict by {level} (outline)"),
}


def t(key: str, lang: Lang | str, **fmt: object) -> str:
    """The label ``key`` in ``lang`` ('zh' or 'en'), formatted with ``fmt``.

    Unknown keys come back as the key itself, so a new geo layer without a label still shows up.
    """
    zh, en = _LABELS.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text
