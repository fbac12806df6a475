"""The one bilingual catalogue: every fixed word a planner reads, in English then Chinese.

Every renderer (terminal, JSON-free reports, workbook, brief, static maps, web pages, progress bars) takes
its words from here, so a label is translated once and reads the same everywhere. Names from data
(unit names, facility names) are never translated; the vocabulary that data and scenarios use as codes
(levels, unit classes, target kinds, facility statuses and layers) is, through :func:`term`, from the
vocabulary of :mod:`coverage_planner.model.words` (which the targets' sentences use too).

An English entry may be a pair (singular, plural): :func:`t` picks by the ``n`` format argument, so
"1 target" and "3 targets" come from one key. Chinese has no plural.

Examples
--------
>>> t("n_targets", "en", n=1)
'1 target'
>>> t("n_targets", "en", n=3)
'3 targets'
>>> t("n_targets", "zh", n=3)
'3 项指标'
>>> term("urban_district", "zh")
'市辖区'
>>> term("Demo City", "zh")
'Demo City'
"""

from __future__ import annotations

from typing import Literal

from ..model.words import VOCABULARY

__all__ = ["LANGS", "Code", "Lang", "Said", "fmt_year", "has_key", "keys", "plural", "said", "t", "term", "terms"]

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")

Text = str | tuple[str, str]

#: key -> (English, Chinese). English may be (singular, plural), chosen by the ``n`` argument of :func:`t`.
_CATALOGUE: dict[str, tuple[Text, str]] = {
    # ---- map pages: outlines, offline notice, seismic grid legends (in words)
    "city_outline": ("City boundary", "市域边界"),
    "leaflet_missing": ("The map script (Leaflet) did not load: this page loads it from the internet (--assets cdn). "
                        "Open it again online, or publish the maps again without --assets cdn.",
                        "地图脚本(Leaflet)未能加载:本页设置为从网络加载(--assets cdn)。请联网后重新打开,或不加 "
                        "--assets cdn 重新生成地图。"),
    "mc": ("Smallest magnitude detected (ML; lower is better)", "可监测最小震级(ML,越小越好)"),
    "alert_time_s": ("Alert time (seconds)", "预警时间(秒)"),
    "area_km2": ("Area (km²)", "面积(平方千米)"),
    "excess_km": ("Beyond the allowed distance (km)", "超出允许距离(千米)"),
    "rank": ("Rank", "建设顺序"),
    "verdict_outline": ("Verdict by {level} (outline)", "{level}达标情况(边框)"),
    # ---- verdicts
    "pass": ("PASS", "达标"),
    "fail": ("FAIL", "未达标"),
    "no_data": ("NO DATA", "无数据"),
    "not_set": ("NOT SET", "未设目标"),
    "info": ("for information", "仅供参考"),
    "not_checked": ("not checked", "未检查"),
    "pass_word": ("pass", "达标"),
    "fail_word": ("fail", "未达标"),
    "no_data_word": ("no data", "无数据"),
    # ---- fields (tables, popups, workbook headers)
    "name": ("Name", "名称"),
    "type": ("Type", "类型"),
    "status": ("Status", "状态"),
    "value": ("Value", "实测值"),
    "threshold": ("Target", "目标值"),
    "threshold_min": ("Threshold min", "目标下限"),
    "threshold_max": ("Threshold max", "目标上限"),
    "threshold_col": ("Threshold", "目标值"),
    "status_col": ("Status", "结果"),
    "unit_id_col": ("Unit id", "单元编码"),
    "quote_col": ("Plan quote", "规划原文"),
    "gap": ("Gap", "缺口"),
    "gap_unit": ("Gap unit", "缺口单位"),
    "gap_text": ("Gap in words", "缺口说明"),
    "population": ("Population", "人口"),
    "supply": ("Supply", "供给"),
    "supply_unit": ("Supply unit", "供给单位"),
    "capacity": ("Capacity", "容量"),
    "open_year": ("Opened", "建成年份"),
    "facility_status": ("Status", "建设状态"),
    "people": ("People", "人数"),
    "class": ("Class", "类别"),
    "unit_id": ("Code", "编码"),
    "parent_id": ("Parent code", "上级编码"),
    "level": ("Level", "层级"),
    "unit": ("Unit", "单位"),
    "id": ("Target id", "指标编号"),
    "kind": ("Kind", "检验类型"),
    "title_zh": ("Title (zh)", "指标名称"),
    "title_en": ("Title (en)", "指标名称(英文)"),
    "summary_text": ("Summary", "结论"),
    "chapter": ("Chapter", "章节"),
    "sheet": ("Sheet", "工作表"),
    "about": ("About", "报告说明"),
    "summary_sheet": ("Summary", "汇总"),
    "counts": ("Targets", "指标数"),
    "data_note": ("Data note", "数据说明"),
    "source": ("Source", "数据来源"),
    "tool": ("Made with", "生成工具"),
    "synthetic_short": ("Synthetic data", "合成数据"),
    "fraction_note": ("Values in % are stored as fractions (0.9 = 90 %) and shown as percentages.",
                      "百分比数值以小数存储(0.9 = 90%),以百分比格式显示。"),
    # ---- map layers
    "facilities": ("Facilities", "设施"),
    "facilities_other": ("Other facilities (not meeting the filter)", "其他设施(不满足筛选条件)"),
    "units": ("Units against the target", "单元达标情况"),
    "service_area": ("Service areas", "服务范围"),
    "uncovered_cells": ("Population not covered", "未覆盖人口"),
    "gaps": ("Gaps", "监测空白区"),
    "grid": ("Grid", "网格"),
    "proposed": ("Proposed sites", "建议新增选址"),
    "legend": ("Legend", "图例"),
    "people_per_cell": ("people per cell ({size} m grid)", "每格人数(格网 {size} 米)"),
    "territory": ("Districts", "行政区划"),
    # ---- page and report text
    "synthetic": ("Synthetic data: the figures describe no real city.", "合成数据:数字不代表任何真实城市。"),
    "synthetic_note": ("NOTE: synthetic demo data — the figures describe no real city.",
                       "注意:合成演示数据,数字不代表任何真实城市。"),
    "measured": ("Measured", "实测"),
    "target": ("Target", "目标"),
    "plan": ("Plan", "规划"),
    "quote": ("Plan text", "规划原文"),
    "assumptions": ("Assumptions", "假设与说明"),
    "sources": ("Data sources", "数据来源"),
    "notes": ("Data notes", "数据说明"),
    "open_map": ("Open map", "查看地图"),
    "index_title": ("Plan targets {year}", "{year} 年规划指标核查"),
    "back": ("All targets", "返回目录"),
    "summary": ("{n} targets: {p} pass, {f} fail, {d} no data", "{n} 项指标:{p} 项达标,{f} 项未达标,{d} 项无数据"),
    "approximate": ("Approximate: see the assumptions.", "近似结果:见假设与说明。"),
    "approximate_short": ("Approximate", "近似计算"),
    "other_chapter": ("Other", "其他"),
    "gcj02_note": ("Basemap: Amap/Gaode (GCJ-02 coordinates). Every overlay was shifted from WGS84 to GCJ-02 "
                   "so that it lines up with the tiles.",
                   "底图为高德地图(GCJ-02 坐标):所有叠加图层已由 WGS84 转换为 GCJ-02 以便对齐。"),
    "no_tiles_note": ("No basemap (offline mode).", "无底图(离线模式)。"),
    "generated_by": ("Made with coverage-planner {version}", "由 coverage-planner {version} 生成"),
    "licence": ("licence", "许可"),
    "date": ("date", "日期"),
    "scenario": ("Scenario", "情景"),
    "layer_set": ("Layer set", "图层集"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "n_targets": (("{n} target", "{n} targets"), "{n} 项指标"),
    "n_units": (("{n} unit", "{n} units"), "{n} 个单元"),
    "and_more": ("and {n} more", "等,另有 {n} 个"),
    # ---- terminal check report
    "check_title": ("coverage check — scenario {year} — {layers}", "规划指标核查 — {year} 年情景 — {layers}"),
    "col_status": ("status", "结果"),
    "col_target": ("target", "指标"),
    "col_value": ("value", "实测值"),
    "col_threshold": ("target value", "目标值"),
    "plan_line": ("plan", "规划"),
    "gap_line": ("gap", "缺口"),
    "approx_line": ("APPROXIMATE: see assumptions.", "近似结果:见假设与说明。"),
    "data_notes": ("Data notes", "数据说明"),
    # ---- brief
    "brief_title": ("Plan targets {year}: brief", "{year} 年规划指标核查简报"),
    "worst": (("The failing unit (1 failing, by {level})",
               "Units with the largest gaps ({n} failing, by {level})"),
              "缺口最大的单元(按{level},共 {n} 个未达标)"),
    "no_failing": ("No unit fails.", "所有单元均达标。"),
    "more_rows": ("{n} more not listed: see the Excel / JSON report.", "另有 {n} 个未列出,见 Excel / JSON 报告。"),
    "more_assumptions": (("{n} more assumption in the full report.", "{n} more assumptions in the full report."),
                         "另有 {n} 条假设,见完整报告。"),
    "map_caption": ("Units against the target, by {level} (static picture, no basemap)",
                    "按{level}的单元达标情况(静态示意图,无底图)"),
    "map_caption_gaps": ("Parts of the territory that fail the target (static picture, no basemap)",
                         "未达标的辖区范围(静态示意图,无底图)"),
    "map_caption_grid": ("Grid cells against the target (static picture, no basemap)",
                         "网格达标情况(静态示意图,无底图)"),
    "map_link": ("Interactive map", "交互地图"),
    "legend_gaps": ("farther than allowed from every station", "距台站超出要求的区域"),
    "legend_grid_fail": ("grid cells below the target", "未达标网格"),
    "chart": ("Progress by year", "历年变化"),
    "failing_targets": ("Failing targets", "未达标指标"),
    "all_targets": ("All targets", "全部指标"),
    "page": ("Page", "页码"),
    "target_col": ("Plan target", "指标"),
    "clipped": ("Cut to fit the page: the full text is in the Excel / JSON report.",
                "本页内容过多,已截断:完整内容见 Excel / JSON 报告。"),
    "no_gap": ("No gap.", "无缺口。"),
    "generated": ("Made with coverage-planner {v}; the figures are those of `coverage check`.",
                  "由 coverage-planner {v} 生成;数字来自 coverage check。"),
    # ---- progress
    "progress_title": ("coverage progress — {years} — {layers}", "规划实施进度 — {years} — {layers}"),
    "on_pace": ("on pace", "可达标"),
    "not_on_pace": ("not on pace", "难以达标"),
    "cannot_tell": ("cannot tell", "无法判断"),
    "already_met": ("met in the last year", "末年已达标"),
    "missed": ("missed in the last year", "末年未达标"),
    "progress_counts": ("{n} targets: {on} on pace, {off} not on pace, {unknown} cannot tell "
                        "(straight-line projection to {year})",
                        "{n} 项指标:{on} 项可达标,{off} 项难以达标,{unknown} 项无法判断(按直线外推至 {year} 年)"),
    "progress_counts_final": ("{n} targets judged in {year}, the last year: {p} pass, {f} fail; "
                              "earlier years project to it",
                              "{n} 项指标以最后一年({year} 年)判定:{p} 项达标,{f} 项未达标;此前各年按直线外推"),
    "units_pace": ("{on} on pace, {off} not on pace, {unknown} cannot tell",
                   "{on} 个可达标,{off} 个难以达标,{unknown} 个无法判断"),
    "not_a_target": ("not a target this year", "本年未设此目标"),
    "later_definition": ("measured with the later definition", "按后来的口径测算"),
    "plan_stated": ("plan's stated value {v}", "规划所述基期值 {v}"),
    "pace": ("pace", "进度"),
    "verdict_line": ("verdict", "结论"),
    "trend_line": ("trend", "趋势"),
    "baseline": ("baseline", "基期"),
    "baseline_table": ("Baseline check: does the data reproduce the plan's stated figures?",
                       "基期核对:数据能否复现规划所列基期值?"),
    "col_year": ("year", "年份"),
    "col_official": ("official figure", "官方数据"),
    "col_difference": ("difference", "差值"),
    "col_check": ("check", "核对"),
    "col_unit": ("unit", "单位"),
    "reproduces": ("reproduces", "一致"),
    "differs": ("differs", "不一致"),
    "units_line": ("units", "单元"),
    "not_on_pace_units": ("missed or not on pace", "未达标或难以达标的单元"),
    "target_word": ("target", "目标"),
    "measured_legend": ("measured", "实测"),
    "target_legend": ("target", "目标"),
    "pace_legend": ("straight-line pace", "直线外推"),
    "projection_capped": ("projection stops at 100 %", "外推至多 100%"),
    # ---- compare
    "compare_title": ("coverage compare — {before} vs {after}", "方案比较 — {before} 对比 {after}"),
    "flips_headline": ("What changes", "变化要点"),
    "targets_flip": ("Targets that change verdict", "结论发生变化的指标"),
    "no_target_flips": ("No target changes verdict.", "没有指标的结论发生变化。"),
    "units_flip_headline": ("Units that change verdict", "结论发生变化的单元"),
    "no_unit_flips": ("No unit changes verdict.", "没有单元的结论发生变化。"),
    "fail_to_pass": ("fail → pass", "未达标 → 达标"),
    "pass_to_fail": ("pass → fail", "达标 → 未达标"),
    "unchanged": ("unchanged", "不变"),
    "details": ("Every target", "全部指标"),
    "value_line": ("value", "实测值"),
    "status_line": ("status", "结果"),
    "gap_change_line": ("gap", "缺口"),
    "units_kind": ("units {kind}", "单元{kind}"),
    "pp": ("pp", "个百分点"),
    # ---- site
    "site_heading": ("Siting study — {target} ({kind})", "新增选址研究 — {target}({kind})"),
    "site_before": ("before", "选址前"),
    "site_after": ("after", "选址后"),
    "with_new_sites": (("with {n} new site", "with {n} new sites"), "新增 {n} 处"),
    "solver": ("solver", "求解"),
    "candidates": ("candidates considered", "候选点数"),
    "sites_heading": ("sites (rank, where, what they add)", "选址(名次、位置、新增效果)"),
    "more_sites": ("… and {n} more (see the sites file)", "……另有 {n} 处(见选址文件)"),
    "col.people_newly_served": ("people newly served", "新覆盖人数"),
    "col.shortfall_removed": ("shortfall removed", "减少的缺口"),
    "col.noise_um": ("noise (µm)", "噪声(微米)"),
    "col.radius_m": ("radius (m)", "半径(米)"),
    # ---- progress bars (stderr)
    "step.demo_build": ("Building the demo city", "生成演示城市"),
    "step.network": ("Building the walking network", "构建步行路网"),
    "step.snap": ("Snapping points to the network", "将点位吸附到路网"),
    "step.maps": ("Writing the maps", "生成地图"),
    "step.siting": ("Choosing sites", "计算新增选址"),
    "step.check": ("Checking the targets", "核查指标"),
    # ---- data notes that carry their numbers (Said)
    "mode.walk": ("walking", "步行"),
    "mode.bike": ("cycling", "骑行"),
    "note.off_ground_homes": (
        ("{n:,} home could only be placed on a tunnel or bridge within {radius_m:,.0f} m (no street on the ground "
         "that near in the {mode} network); its distances start there.",
         "{n:,} homes could only be placed on a tunnel or bridge within {radius_m:,.0f} m (no street on the ground "
         "that near in the {mode} network); their distances start there."),
        "{n:,} 处住所只能落在 {radius_m:,.0f} 米内的隧道或桥梁上({mode}路网中附近没有地面道路),距离从那里起算。"),
    "note.off_ground_facilities": (
        ("{layer}: {n:,} facility could only be placed on a tunnel or bridge within {radius_m:,.0f} m (no street "
         "on the ground that near in the {mode} network); its distances start there.",
         "{layer}: {n:,} facilities could only be placed on a tunnel or bridge within {radius_m:,.0f} m (no street "
         "on the ground that near in the {mode} network); their distances start there."),
        "{layer}:{n:,} 处设施只能落在 {radius_m:,.0f} 米内的隧道或桥梁上({mode}路网中附近没有地面道路),距离从那里起算。"),
}

def t(key: str, lang: Lang | str, **fmt: object) -> str:
    """The label ``key`` in ``lang`` ('zh' or 'en'), formatted with ``fmt``.

    An English plural entry is chosen by ``n`` (singular when ``n == 1``). Unknown keys come back as the
    key itself, so a new map layer without a label still shows up.
    """
    en, zh = _CATALOGUE.get(key, (key, key))
    if lang == "zh":
        text = zh
    elif isinstance(en, tuple):
        text = en[0] if fmt.get("n") == 1 else en[1]
    else:
        text = en
    return text.format(**fmt) if fmt else text


class Code(str):
    """A code from data or a scenario inside a :class:`Said` sentence: shown through :func:`term` per language."""

    __slots__ = ()


class Said(str):
    """A catalogue sentence that keeps its key and numbers, so any renderer can say it in its language.

    The string itself is the English text (JSON, logs, de-duplication); :meth:`in_lang` gives either
    language. Format values that are :class:`Said` or :class:`Code` are said in that language too.

    Examples
    --------
    >>> s = Said("note.off_ground_homes", n=2, radius_m=300, mode=Said("mode.walk"))
    >>> s.in_lang("zh")
    '2 处住所只能落在 300 米内的隧道或桥梁上(步行路网中附近没有地面道路),距离从那里起算。'
    """

    key: str
    fmt: dict[str, object]

    def __new__(cls, key: str, **fmt: object) -> Said:
        obj = super().__new__(cls, t(key, "en", **_said_values(fmt, "en")))
        obj.key, obj.fmt = key, dict(fmt)
        return obj

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:  # pickles (many-city runs) keep the key
        return (self.key,), self.fmt

    def in_lang(self, lang: Lang | str) -> str:
        """The sentence in ``lang``."""
        return t(self.key, lang, **_said_values(self.fmt, lang))


def _said_values(fmt: dict[str, object], lang: Lang | str) -> dict[str, object]:
    return {k: v.in_lang(lang) if isinstance(v, Said) else term(v, lang) if isinstance(v, Code) else v
            for k, v in fmt.items()}


def said(text: object, lang: Lang | str) -> str:
    """A note or sentence in ``lang``: a :class:`Said` in that language, any other text as it is."""
    return text.in_lang(lang) if isinstance(text, Said) else str(text)


def has_key(key: str) -> bool:
    """True when the catalogue has ``key``."""
    return key in _CATALOGUE


def keys() -> list[str]:
    """Every key of the catalogue, sorted (for tests and translators)."""
    return sorted(_CATALOGUE)


def term(code: object, lang: Lang | str, *, ns: str = "") -> str:
    """The words for a code from data or a scenario (level, class, kind, status, facility layer).

    ``ns`` (e.g. ``"class"``) prefers the entry ``ns:code`` where a code means something else in that
    column. A code the catalogue does not know (a name from data) is returned as it is.
    """
    text = str(code)
    pair = VOCABULARY.get(f"{ns}:{text}") if ns else None
    pair = pair or VOCABULARY.get(text)
    if pair is None:
        return text
    return pair[1] if lang == "zh" else pair[0]


def terms() -> dict[str, tuple[str, str]]:
    """A copy of the code vocabulary: code -> (English, Chinese)."""
    return dict(VOCABULARY)


def plural(n: float, one: str, many: str) -> str:
    """``one`` when ``n`` is exactly 1, else ``many`` (English only: Chinese has no plural)."""
    return one if n == 1 else many


def fmt_year(year: object) -> str:
    """A year as four digits, never with a thousands separator ('2024', not '2,024')."""
    try:
        y = float(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(year)
    return str(int(y)) if y.is_integer() else str(year)
