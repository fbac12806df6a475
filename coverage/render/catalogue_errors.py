"""The error paragraphs a planner can meet, in English then Chinese (keys ``err.*``), and ``coverage doctor``'s words.

Merged into :data:`coverage_planner.render.catalogue._CATALOGUE`; same format as there: key ->
(English, Chinese), the English may be a (singular, plural) pair chosen by the ``n`` field. Every paragraph
keeps what the English says: the file, the line or row, the value seen and the fix. Field names, file names,
option names and values stay as they are (they are what the planner types). Errors raise them as a
:class:`~coverage_planner.model.messages.Message` (``str`` is the English; the CLI shows the command's
``--lang``).

Chinese GIS words used throughout: 图层 layer, 字段 field/column, 要素 feature, 坐标参考系 (CRS) CRS,
坐标系 coordinate system, 面 polygon, 点 point, 栅格 raster, 图层集 layer set, 清单 manifest, 方案 scenario.
"""

from __future__ import annotations

ErrText = str | tuple[str, str]

# A sentence without fields is shown as written (braces single); one with fields is formatted (braces doubled).

#: key -> (English, Chinese).
ERRORS: dict[str, tuple[ErrText, str]] = {
    # ---- the CLI's framing
    "err.cli_error": ("Error: {text}", "错误:{text}"),
    "err.cli_interrupted": ("Interrupted: nothing was written.", "已中断:未写入任何文件。"),
    "err.cli_out_of_memory": ("out of memory. Try a smaller --demo-scale or a machine with more memory.",
                              "内存不足。请减小 --demo-scale,或换一台内存更大的计算机。"),
    "err.cli_internal": ("Internal error: {kind}: {text}. Nothing was written. Run again with -vv to see the details "
                         "and report them.",
                         "内部错误:{kind}: {text}。未写入任何文件。请加 -vv 重新运行以查看详情,并报告此问题。"),
    # ---- pieces shared by many paragraphs
    "err.at": ("{where}: {text}", "{where}:{text}"),
    "err.did_you_mean": (" Did you mean '{name}'?", "是否应为 '{name}'?"),
    "err.did_you_mean_any": (" Did you mean {names}?", "是否应为 {names}?"),
    "err.problems": (("{what} {path} has {n} problem:\n{items}", "{what} {path} has {n} problems:\n{items}"),
                     "{what} {path} 有 {n} 处问题:\n{items}"),
    "err.what_scenario": ("Scenario", "方案"),
    "err.what_manifest": ("Layer-set manifest", "图层集清单"),
    "err.file_scenario": ("scenario", "方案"),
    "err.file_manifest": ("layer-set manifest", "图层集清单"),
    # ---- YAML files (scenarios, manifests)
    "err.yaml_missing": ("The {what} file '{path}' does not exist. Check the path (or the year) you passed.",
                         "{what}文件 '{path}' 不存在。请检查所给的路径(或年份)。"),
    "err.yaml_unreadable": ("The {what} file '{path}' cannot be read ({reason}). Save it as UTF-8 text and try again.",
                            "无法读取{what}文件 '{path}'({reason})。请将其另存为 UTF-8 文本后重试。"),
    "err.yaml_tag": ("{path}: line {line}, column {column}: the YAML tag '{tag}' is not allowed: a {what} holds plain "
                     "text, numbers, lists and mappings only (tags that build program objects are refused for "
                     "safety). Remove the tag, or quote the value if it is text.",
                     "{path}:第 {line} 行第 {column} 列:不允许使用 YAML 标签 '{tag}'。{what}只能包含文本、数字、列表和映射"
                     "(出于安全考虑,会构造程序对象的标签一律拒绝)。请删除该标签;若值是文本,请加引号。"),
    "err.yaml_value": ("{path}: line {line}, column {column}: {problem}. Fix that key at that line.",
                       "{path}:第 {line} 行第 {column} 列:{problem}。请修改该行的这个键。"),
    "err.yaml_duplicate_key": ("duplicate key '{field}' (first at line {first})", "键 '{field}' 重复(首次出现在第 {first} 行)"),
    "err.yaml_syntax": ("{path}: line {line}, column {column}: YAML syntax error: {problem}. Fix the indentation or "
                        "quoting at that line (text containing ':' or '#' must be quoted).",
                        "{path}:第 {line} 行第 {column} 列:YAML 语法错误({problem})。请修改该行的缩进或引号"
                        "(含 ':' 或 '#' 的文本必须加引号)。"),
    "err.yaml_invalid": ("{path}: not valid YAML ({reason}). Check the file's syntax.",
                         "{path}:不是有效的 YAML({reason})。请检查文件语法。"),
    # ---- paths an untrusted file names
    "err.path_loop": ("'{path}' is a symbolic-link loop (a link that leads back to itself)",
                      "'{path}' 是循环的符号链接(指回自身的链接)"),
    "err.path_unresolved": ("'{path}' cannot be resolved ({reason})", "无法解析 '{path}'({reason})"),
    "err.path_empty": ("the path is empty", "路径为空"),
    "err.path_nul": ("the path contains a NUL character", "路径含有 NUL 字符"),
    "err.path_outside_absolute": ("'{path}' leaves the {label} folder {where} (an absolute path); keep the file inside "
                                  "that folder",
                                  "'{path}' 超出了{label}文件夹 {where}(绝对路径);请把文件放在该文件夹内"),
    "err.path_outside_relative": ("'{path}' leaves the {label} folder {where} (a path leading out (through '..' or a "
                                  "symbolic link)); keep the file inside that folder",
                                  "'{path}' 超出了{label}文件夹 {where}(经 '..' 或符号链接指向外部);请把文件放在该文件夹内"),
    "err.folder_scenarios": ("scenarios", "方案"),
    "err.folder_layer_set": ("layer-set", "图层集"),
    # ---- scenarios
    "err.scenario_unknown_target": ("Target '{tid}' is not in scenario {file} (year {year}).{hint} Valid ids: {ids}.",
                                    "方案 {file}({year} 年)中没有指标 '{tid}'。{hint}有效的指标 id:{ids}。"),
    "err.scenario_extends_refused": ("{path}:{line}: `extends`: {reason}. A scenario may extend a year (e.g. extends: "
                                     "2025) or a file in its own folder.",
                                     "{path}:{line}:`extends`:{reason}。方案只能继承一个年份(如 extends: 2025)或同一文件夹中的文件。"),
    "err.scenario_path_refused": ("Scenario {reason}. Pass a real file.", "方案路径有误:{reason}。请给出实际存在的文件。"),
    "err.scenario_extends_loop": ("{path}: `extends:` makes a loop ({chain}). Remove one link.",
                                  "{path}:`extends:` 形成了循环({chain})。请删去其中一环。"),
    "err.scenario_not_mapping": ("{path}: a scenario must be a mapping with year:, plans: and targets: keys.",
                                 "{path}:方案必须是包含 year:、plans: 和 targets: 键的映射。"),
    "err.scenario_extends_missing": ("{path}:{line}: extends '{value}', but {parent} does not exist.",
                                     "{path}:{line}:extends 指向 '{value}',但 {parent} 不存在。"),
    "err.scenario_not_found": ("Scenario '{value}' not found (looked for {path}). Pass a year that has a file in "
                               "{folder} ({years}) or a path to a scenario YAML file.",
                               "找不到方案 '{value}'(查找的是 {path})。请给出在 {folder} 中有文件的年份({years}),"
                               "或方案 YAML 文件的路径。"),
    "err.none": ("none", "无"),
    "err.scenario_top_key": ("top-level key '{field}' is not valid.{hint} Valid keys: {valid}.",
                             "顶层键 '{field}' 无效。{hint}有效的键:{valid}。"),
    "err.scenario_year": ("`year:` must be a four-digit year, e.g. year: 2025 (got {got}).",
                          "`year:` 必须是四位数的年份,如 year: 2025(实际为 {got})。"),
    "err.scenario_year_missing": ("`year:` is missing; add a four-digit year, e.g. year: 2025.",
                                  "缺少 `year:`;请加上四位数的年份,如 year: 2025。"),
    "err.scenario_baseline": ("`baseline:` must be true or false (true: the targets are the plan's baseline figures).",
                              "`baseline:` 必须为 true 或 false(true 表示各指标是规划的基期值)。"),
    "err.scenario_plans_mapping": ("`plans:` must map plan keys to {title: ...}.",
                                   "`plans:` 必须把规划键映射为 {title: ...}。"),
    "err.scenario_plan_title": ("plan '{field}' needs at least a title.", "规划 '{field}' 至少需要 title。"),
    "err.scenario_targets_list": ("`targets:` must be a list of targets (each entry starting with '- id: ...').",
                                  "`targets:` 必须是指标列表(每项以 '- id: ...' 开头)。"),
    "err.scenario_target_id": ("every target needs an id.", "每个指标都需要 id。"),
    "err.scenario_target_twice": ("target id '{tid}' appears twice in this file.", "指标 id '{tid}' 在本文件中出现了两次。"),
    "err.scenario_target_mapping": ("each entry of `targets:` must be a mapping (id: ..., kind: ...).",
                                    "`targets:` 的每一项都必须是映射(id: ..., kind: ...)。"),
    "err.target": ("target '{tid}': {text}", "指标 '{tid}':{text}"),
    "err.target_key": ("target '{tid}', key '{field}': {text}", "指标 '{tid}' 的键 '{field}':{text}"),
    "err.target_kind": ("kind '{kind}' is not known; expected one of {kinds}.{hint}",
                        "类型 '{kind}' 未知;应为以下之一:{kinds}。{hint}"),
    "err.target_bad_key": ("key '{field}' is not valid for kind '{kind}'.{hint} Valid keys: {valid}.",
                           "键 '{field}' 不适用于类型 '{kind}'。{hint}有效的键:{valid}。"),
    "err.target_type": ("expected {expected} ({help}), got {got}.", "应为 {expected}({help}),实际为 {got}。"),
    "err.target_missing_key": ("missing key '{field}' ({help}).", "缺少键 '{field}'({help})。"),
    "err.target_filter_mapping": ("must be a mapping of attribute: condition.", "必须是“属性: 条件”的映射。"),
    "err.target_filter_op": ("target '{tid}', {field}.{attr}: operator '{op}' is not allowed; use one of {ops} (quote "
                             "them, e.g. '>=': 50).",
                             "指标 '{tid}' 的 {field}.{attr}:不允许使用运算符 '{op}';请使用以下之一:{ops}"
                             "(需加引号,如 '>=': 50)。"),
    "err.target_threshold": ("threshold must be {min: number} and/or {max: number}.",
                             "threshold 必须为 {min: 数值} 和/或 {max: 数值}。"),
    "err.target_threshold_needed": ("kind '{kind}' needs a threshold, e.g. threshold: {{min: 6}}.",
                                    "类型 '{kind}' 需要 threshold,如 threshold: {{min: 6}}。"),
    "err.target_plan": ("plan '{plan}' is not declared under `plans:` ({plans}).", "规划 '{plan}' 未在 `plans:` 中声明({plans})。"),
    "err.target_title": ("title needs both zh and en, e.g. title: {zh: 每千人口托位数, en: ...}.",
                         "title 需要同时有 zh 和 en,如 title: {zh: 每千人口托位数, en: ...}。"),
    "err.target_assumption": ("target '{tid}', key 'assumptions', entry {i}: each assumption is a sentence or "
                              "{{zh: ..., en: ...}} with both languages, got {got}.",
                              "指标 '{tid}' 的键 'assumptions' 第 {i} 项:每条假设应为一句话,或同时含两种语言的 "
                              "{{zh: ..., en: ...}},实际为 {got}。"),
    "err.target_param": ("{text} (got {got}).", "{text}(实际为 {got})。"),
    # ---- layer-set manifests
    "err.manifest_missing": ("No layer-set manifest at {path}. A layer set is a folder with a manifest.yaml; pass "
                             "--layers demo for the demo city, or see README 'Your own city'.",
                             "{path} 处没有图层集清单。图层集是一个含 manifest.yaml 的文件夹;演示城市请用 --layers demo,"
                             "或参阅 README 的“Your own city”一节。"),
    "err.manifest_not_mapping": ("{path}: a manifest must be a mapping (name:, population:, units:, facilities:, ...).",
                                 "{path}:清单必须是映射(name:、population:、units:、facilities: 等)。"),
    "err.manifest_path_refused": ("`{field}`: {reason}{extra}.", "`{field}`:{reason}{extra}。"),
    "err.manifest_allow_outside": (" (or pass --allow-outside-paths if you trust this manifest)",
                                   "(如果信任此清单,也可加 --allow-outside-paths)"),
    "err.manifest_layer_path": ("layer '{role}' needs a `path:` (relative to the manifest's folder).",
                                "图层 '{role}' 需要 `path:`(相对于清单所在文件夹)。"),
    "err.manifest_layer_key": ("layer '{role}': key '{field}' is not valid.{hint}", "图层 '{role}':键 '{field}' 无效。{hint}"),
    "err.manifest_coord_system": ("layer '{role}': coord_system '{value}' is not known; use one of {valid}.",
                                  "图层 '{role}':coord_system '{value}' 未知;请使用以下之一:{valid}。"),
    "err.manifest_fields": ("layer '{role}': `fields:` must map standard names to column names.",
                            "图层 '{role}':`fields:` 必须把标准字段名映射为列名。"),
    "err.manifest_max_outside": ("layer '{role}': `max_outside_km:` must be a distance in km between 0 and 1000 (got "
                                 "{got}).",
                                 "图层 '{role}':`max_outside_km:` 必须是 0 到 1000 之间的千米数(实际为 {got})。"),
    "err.manifest_groups": ("population `groups:` must map group names to rasters (kind raster) or columns (polygons, "
                            "points).",
                            "人口的 `groups:` 必须把人群名映射为栅格(kind raster)或列(polygons、points)。"),
    "err.manifest_pop_kind": ("population kind '{kind}' must be raster, polygons or points.",
                              "人口类型 '{kind}' 必须为 raster、polygons 或 points。"),
    "err.manifest_count_field": ("population {kind} need `count_field:` (the column of people).",
                                 "人口类型 {kind} 需要 `count_field:`(人口数所在的列)。"),
    "err.manifest_top_key": ("top-level key '{field}' is not valid.{hint}", "顶层键 '{field}' 无效。{hint}"),
    "err.manifest_section": ("`{section}:` must be a mapping of name: layer.", "`{section}:` 必须是“名称: 图层”的映射。"),
    "err.manifest_no_units": ("`units:` must name at least one unit level (e.g. district).",
                              "`units:` 至少要列出一个单元层级(如 district)。"),
}
