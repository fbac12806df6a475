"""The words of ``--help``, in English then Chinese (keys ``help.*``), and click's own words in Chinese.

:data:`HELP` is merged into :data:`coverage_planner.render.catalogue._CATALOGUE` (same format: key ->
(English, Chinese)): every command's and option's help text lives here, once; the decorators in
``coverage_planner.cli.options`` and the commands name a key, never a sentence. ``help.cmd.*`` is a command's
help (paragraphs separated by a blank line; a paragraph starting with a ``\\b`` line is printed as written,
for examples), ``help.opt.*`` an option's, ``help.format.*`` what a ``--format`` name writes.

:data:`CLICK_ZH` is click's own messages ("Usage:", "Show this message and exit.", parse errors), keyed by
click's msgid as click passes it to ``gettext``; ``coverage_planner.cli.click_zh`` hands them to click while
a ``coverage`` command runs in Chinese. ``tests/test_words.py`` fails when click no longer has one of these
msgids, or has a new one that a planner can meet.

Option names, values a planner types (``text``, ``osm``, ``mclp``), file names and ids stay as they are.
Words: 指标 target, 方案 scenario, 图层集 layer set, 单元 unit, 设施 facility, 底图 basemap, 地图页面 map page,
简报 brief, 选址 siting, 演示城市 demo city.
"""

from __future__ import annotations

#: key -> (English, Chinese).
HELP: dict[str, tuple[str, str]] = {
    # ---- commands
    "help.cmd.cli": (
        "Check a city's plan targets against its data: who is reached by public services.\n\n"
        "\b\nExamples:\n"
        "  coverage check --scenario 2025              # every 2025 target on the demo city\n"
        "  coverage check -s 2025 --format json --out report.json\n"
        "  coverage demo --scale 0.05                  # build a small demo city",
        "用城市自己的数据核查规划指标:公共服务覆盖到了哪些人。\n\n"
        "\b\n示例:\n"
        "  coverage check --scenario 2025              # 在演示城市上核查 2025 年的全部指标\n"
        "  coverage check -s 2025 --format json --out report.json\n"
        "  coverage demo --scale 0.05                  # 生成一个小型演示城市"),
    "help.cmd.check": (
        "Check every target of a scenario year.\n\n"
        "Exit code 0 when every target passes, 1 when any fails, 2 for bad input.\n\n"
        "\b\nSeveral layer sets (repeated --layers or a glob) are checked as one Dask task each:\n"
        "  coverage check -s 2025 --layers 'layers/*/' --out reports/2025/\n"
        "exit 2 if any city's input is bad, else 1 if any target fails, else 0 (3: internal error).",
        "核查某一方案年份的全部指标。\n\n"
        "退出码:全部指标达标为 0,有指标未达标为 1,输入有误为 2。\n\n"
        "\b\n多个图层集(重复 --layers 或使用通配符)各作为一个 Dask 任务核查:\n"
        "  coverage check -s 2025 --layers 'layers/*/' --out reports/2025/\n"
        "任一城市输入有误时退出码为 2,否则有指标未达标为 1,否则为 0(3:内部错误)。"),
    "help.cmd.compare": (
        "Compare a baseline with a what-if: per target and unit, the change in value, status and gap.\n\n"
        "\b\nExamples:\n"
        "  coverage compare -s 2025 --with planned\n"
        "  coverage compare -s 2025 --with-sites studies/fitness-20/ --map maps/compare --tiles none\n"
        "  coverage compare before.json after.json      # two `coverage check --format json` reports\n\n"
        "Exit code 0 when the comparison is written, 2 for bad input.",
        "将现状与假设情景对比:按指标和单元列出数值、达标情况和缺口的变化。\n\n"
        "\b\n示例:\n"
        "  coverage compare -s 2025 --with planned\n"
        "  coverage compare -s 2025 --with-sites studies/fitness-20/ --map maps/compare --tiles none\n"
        "  coverage compare before.json after.json      # 两份 `coverage check --format json` 报告\n\n"
        "退出码:对比结果写出为 0,输入有误为 2。"),
    "help.cmd.demo": ("Generate the synthetic demo city (cached) and print its folder.",
                      "生成合成的演示城市(有缓存),并输出其文件夹。"),
    "help.cmd.doctor": ("List every problem of a layer set with its fix; exit 2 if there is any.",
                        "列出图层集的全部问题及修改方法;有任何问题时退出码为 2。"),
    "help.cmd.fetch": (
        "Make a layer set for a city: districts, population, OSM facilities and streets.\n\n"
        "\b\nExamples:\n"
        "  coverage fetch --region 郑州市 --out layers/zhengzhou/\n"
        "  coverage fetch --region 410100 --offline --population-tif chn_ppp_2020.tif --osm-file zz.osm.bz2 --out "
        "layers/zz\n"
        "  coverage fetch --from-shared ../shared/data --out layers/zhengzhou-2000/\n"
        "  coverage fetch --osm-city --osm-file Helsinki.osm.pbf --out layers/helsinki/",
        "为一个城市生成图层集:区县、人口、OSM 设施和街道。\n\n"
        "\b\n示例:\n"
        "  coverage fetch --region 郑州市 --out layers/zhengzhou/\n"
        "  coverage fetch --region 410100 --offline --population-tif chn_ppp_2020.tif --osm-file zz.osm.bz2 --out "
        "layers/zz\n"
        "  coverage fetch --from-shared ../shared/data --out layers/zhengzhou-2000/\n"
        "  coverage fetch --osm-city --osm-file Helsinki.osm.pbf --out layers/helsinki/"),
    "help.cmd.layers": ("Add data to a layer set.", "向图层集添加数据。"),
    "help.cmd.layers_import": (
        "Import a CSV/Excel facility list into a layer set (validated; the manifest is updated atomically).",
        "将 CSV/Excel 设施清单导入图层集(先校验;图层集清单一次性更新,不会半途损坏)。"),
    "help.cmd.map": (
        "Publish interactive maps: one page per target and an index.html.\n\n"
        "\b\nExamples:\n"
        "  coverage map --scenario 2025 --out maps/2025/\n"
        "  coverage map -s 2025 --out maps/offline --tiles none --lang zh\n"
        "  coverage map -s 2025 --out maps/single --assets inline   # every page one self-contained file\n"
        "  coverage map -s 2025 --out maps/amap --tiles amap -t childcare-community\n\n"
        "The pages open with no network: Leaflet is written into OUT/assets/ (see --assets); only the basemap tiles "
        "need internet (--tiles none draws the districts instead).\n\n"
        "Exit code 0 when the maps are written (whatever the targets' verdicts), 2 for bad input. Several layer sets "
        "(repeated --layers or a glob): one Dask task per city, maps in OUT/<city>/ and an exit code of 2 if any "
        "city's input was bad (3: internal error), else 0.",
        "发布交互式地图:每个指标一页,另加一个 index.html 索引页。\n\n"
        "\b\n示例:\n"
        "  coverage map --scenario 2025 --out maps/2025/\n"
        "  coverage map -s 2025 --out maps/offline --tiles none --lang zh\n"
        "  coverage map -s 2025 --out maps/single --assets inline   # 每页都是一个独立文件\n"
        "  coverage map -s 2025 --out maps/amap --tiles amap -t childcare-community\n\n"
        "页面无需联网即可打开:Leaflet 写入输出文件夹下的 assets/(见 --assets);只有底图瓦片需要联网"
        "(--tiles none 改为绘制区县边界)。\n\n"
        "退出码:地图写出为 0(无论各指标是否达标),输入有误为 2。多个图层集(重复 --layers 或使用通配符)时:"
        "每个城市一个 Dask 任务,地图写入输出文件夹下的 <city>/;任一城市输入有误时退出码为 2(3:内部错误),"
        "否则为 0。"),
    "help.cmd.progress": (
        "Progress of every target across years: values, each year's target, trend and pace.\n\n"
        "One layer set serves every year: a facility counts in year Y when its `open_year` is Y or earlier and it "
        "is not closed. The pace is a straight line through the years before the last one, projected to the last year "
        "and set against its target (an approximation, said so in the report).\n\n"
        "\b\nExamples:\n"
        "  coverage progress --scenarios 2020 2022 2023 2025\n"
        "  coverage progress -s 2020 2022 2023 2025 --format md --out progress.md\n"
        "  coverage progress -s 2020 2022 2023 2025 --maps maps/progress --tiles none\n"
        "  coverage progress -s 2020 2022 2023 2025 --brief brief-2025.html\n\n"
        "Exit code 0 when the report is written (whatever the pace), 2 for bad input.",
        "各指标逐年的进展:数值、每年的目标值、趋势和进度。\n\n"
        "所有年份共用一个图层集:设施的 `open_year` 不晚于某年且未关闭,即计入该年。进度是穿过最后一年之前各年数值的"
        "直线,外推到最后一年并与其目标值比较(这是近似估计,报告中会注明)。\n\n"
        "\b\n示例:\n"
        "  coverage progress --scenarios 2020 2022 2023 2025\n"
        "  coverage progress -s 2020 2022 2023 2025 --format md --out progress.md\n"
        "  coverage progress -s 2020 2022 2023 2025 --maps maps/progress --tiles none\n"
        "  coverage progress -s 2020 2022 2023 2025 --brief brief-2025.html\n\n"
        "退出码:报告写出为 0(无论进度如何),输入有误为 2。"),
    "help.cmd.schema": (
        "Print the JSON Schema of scenario files (every target kind, its keys, types and defaults).\n\n"
        "\b\nEditors validate scenario YAML with it, e.g. with the YAML language server:\n"
        "  coverage schema --out scenario.schema.json\n"
        "  # first line of a scenario file:  # yaml-language-server: $schema=scenario.schema.json",
        "输出方案文件的 JSON Schema(每种指标类型及其键、类型和默认值)。\n\n"
        "\b\n编辑器可用它校验方案 YAML,例如通过 YAML 语言服务器:\n"
        "  coverage schema --out scenario.schema.json\n"
        "  # 方案文件的第一行:  # yaml-language-server: $schema=scenario.schema.json"),
    "help.cmd.site": (
        "Propose new facilities for one target and show it before and after.\n\n"
        "\b\nExamples:\n"
        "  coverage site -s 2025 -t fitness-15min-circle --new 20\n"
        "  coverage site -s 2025 -t shelter-check-emergency-500m --until-met --capacity 20000\n"
        "  coverage site -s 2025 -t fitness-15min-circle --new 10 --model p-median\n"
        "  coverage site -s 2025 -t fitness-15min-circle --candidates parks.gpkg --cost-field cost --budget 5e6",
        "为一个指标提出新设施选址,并展示选址前后的对比。\n\n"
        "\b\n示例:\n"
        "  coverage site -s 2025 -t fitness-15min-circle --new 20\n"
        "  coverage site -s 2025 -t shelter-check-emergency-500m --until-met --capacity 20000\n"
        "  coverage site -s 2025 -t fitness-15min-circle --new 10 --model p-median\n"
        "  coverage site -s 2025 -t fitness-15min-circle --candidates parks.gpkg --cost-field cost --budget 5e6"),
    # ---- the group's options and click's own options
    "help.opt.verbose": ("More log output on stderr (-vv for debug).", "在 stderr 上输出更多日志(-vv 输出调试信息)。"),
    "help.opt.quiet": ("Less log output.", "减少日志输出。"),
    "help.opt.version": ("Show the version and exit.", "显示版本号并退出。"),
    "help.opt.help": ("Show this message and exit.", "显示本帮助并退出。"),
    "help.version": ("{prog}, version {version}", "{prog},版本 {version}"),
    # ---- the option registry (cli/options.py)
    "help.opt.scenario": ("A year with a file in scenarios/ (2020, 2022, 2023, 2025) or a scenario YAML path.",
                          "方案年份(scenarios/ 中有对应文件:2020、2022、2023、2025)或方案 YAML 文件的路径。"),
    "help.opt.layers": ("Layer set: 'demo' (generated demo city), a name under layers/, or a folder with "
                        "manifest.yaml.",
                        "图层集:'demo'(生成的演示城市)、layers/ 下的名称,或含 manifest.yaml 的文件夹。"),
    "help.opt.layers_many": (
        "Layer set: 'demo' (the default), 'demo:SCALE' or 'demo:SCALE:SEED', a name under layers/, or a folder with "
        "manifest.yaml. Repeat it or give a glob ('layers/*/') to check many cities at once (see --scheduler).",
        "图层集:'demo'(默认)、'demo:规模' 或 'demo:规模:种子'、layers/ 下的名称,或含 manifest.yaml 的文件夹。"
        "可重复给出,或给出通配符('layers/*/'),一次核查多个城市(见 --scheduler)。"),
    "help.opt.demo_scale": ("Size of the demo city (1.0 = full size, the default; 0.05 is a small test city).",
                            "演示城市的规模(1.0 为完整规模,即默认值;0.05 为小型测试城市)。"),
    "help.opt.scheduler": (
        "With several layer sets: 'local' runs one Dask task per city on a LocalCluster on this machine, "
        "'sequential' one after the other in this process, an address uses an existing Dask cluster.",
        "有多个图层集时:'local' 在本机的 LocalCluster 上为每个城市运行一个 Dask 任务,'sequential' 在本进程中逐个运行,"
        "给出地址则使用已有的 Dask 集群。"),
    "help.opt.workers": ("Worker processes of --scheduler local (default: one per city, at most the number of cores).",
                         "--scheduler local 的工作进程数(默认:每个城市一个,不超过 CPU 核数)。"),
    "help.opt.allow_outside": ("Let a manifest name files outside its folder (trusted manifests only).",
                               "允许图层集清单引用其文件夹以外的文件(仅限可信的清单)。"),
    "help.opt.target": ("Only this target (repeatable).", "只核查此指标(可重复)。"),
    "help.opt.format": ("Report format ({described}).", "报告格式({described})。"),
    "help.format.text": ("a table for the terminal", "终端表格"),
    "help.format.json": ("the documented JSON report", "有文档说明的 JSON 报告"),
    "help.format.csv": ("one row per target and unit", "每个指标和单元一行"),
    "help.format.md": ("Markdown", "Markdown 文档"),
    "help.format.xlsx": ("an Excel workbook (needs --out)", "Excel 工作簿(需要 --out)"),
    "help.format.brief": ("a printable HTML page per target", "每个指标一页可打印的 HTML 简报"),
    "help.format.gpkg": ("a GeoPackage for QGIS: a layer per target with styles (needs --out)",
                         "供 QGIS 使用的 GeoPackage:每个指标一个带样式的图层(需要 --out)"),
    "help.format.parquet": ("GeoParquet for analysts: a folder with one file per target (needs --out)",
                            "供分析人员使用的 GeoParquet:一个文件夹,每个指标一个文件(需要 --out)"),
    "help.opt.out_report": ("Write the report to this file (atomically) instead of stdout.",
                            "将报告写入此文件(写入中断也不会留下残缺文件),而不是输出到 stdout。"),
    "help.opt.lang": ("Language of the reports, map pages and messages (en, zh; or set COVERAGE_LANG); names from "
                      "the data are shown as they are.",
                      "报告、地图页面和提示信息的语言(en 或 zh;也可设置 COVERAGE_LANG);数据中的名称按原样显示。"),
    "help.opt.lang_group": ("Language of the help, the messages and every command's reports and pages (en, zh; or set "
                            "COVERAGE_LANG), e.g. coverage --lang zh check -s 2025.",
                            "帮助、提示信息以及各命令的报告和页面所用的语言(en 或 zh;也可设置 COVERAGE_LANG),例如 "
                            "coverage --lang zh check -s 2025。"),
    "help.opt.tianditu_key": ("Tianditu browser key (or TIANDITU_KEY); it is written into the pages.",
                              "天地图浏览器端密钥(或设置 TIANDITU_KEY);密钥会写入页面。"),
    "help.opt.tiles": (
        "Basemap of the map pages: OpenStreetMap; none (offline: the districts are drawn instead); 天地图 Tianditu "
        "(needs --tianditu-key); Amap/Gaode (overlays shifted to GCJ-02). Tiles need internet access; the pages "
        "themselves do not.",
        "地图页面的底图:osm 为 OpenStreetMap;none 为离线(改为绘制区县边界);tianditu 为天地图(需要 "
        "--tianditu-key);amap 为高德(叠加图层偏移到 GCJ-02 坐标)。底图瓦片需要联网,页面本身不需要。"),
    "help.opt.assets": (
        "How the map pages get Leaflet: folder writes the copy shipped with coverage-planner into assets/ beside "
        "them (works offline); inline puts it into every page (each page one self-contained file); cdn links "
        "jsDelivr (pages need internet); a DIR copies another Leaflet build from there (e.g. "
        "/usr/share/javascript/leaflet).",
        "地图页面获取 Leaflet 的方式:folder 将本软件自带的副本写入页面旁的 assets/ 文件夹(可离线使用);inline "
        "将其嵌入每个页面(每页都是一个独立文件);cdn 链接到 jsDelivr(页面需要联网);给出文件夹则从该处复制另一份 "
        "Leaflet(例如 /usr/share/javascript/leaflet)。"),
    # ---- check
    "help.opt.check_out": ("Write the report to this file (atomically) instead of stdout. With several layer sets: "
                           "a folder receiving <city>/report.<ext> and summary.csv.",
                           "将报告写入此文件(写入中断也不会留下残缺文件),而不是输出到 stdout。有多个图层集时:写入一个文件夹,"
                           "其中包含 <city>/report.<ext> 和 summary.csv。"),
    "help.opt.check_maps": ("brief only: link each target to its page in maps published by `coverage map --out DIR`.",
                            "仅用于 brief:将每个指标链接到 `coverage map --out DIR` 所发布地图中的对应页面。"),
    "help.opt.strict": ("Exit 1 also when a target has no data.", "指标缺少数据时也以退出码 1 退出。"),
    "help.opt.exit_zero": ("Exit 0 even when targets fail (bad input still exits 2).",
                           "即使有指标未达标也以退出码 0 退出(输入有误仍为 2)。"),
    # ---- compare
    "help.opt.compare_scenario": ("The scenario of both runs: a year or a scenario YAML path.",
                                  "两次核查共用的方案:年份或方案 YAML 文件的路径。"),
    "help.opt.with": ("Second run: planned and under-construction facilities counted as open.",
                      "第二次核查:将规划中和在建的设施计为已开放。"),
    "help.opt.with_sites": ("Second run: a `coverage site --out DIR` study's sites added to its target's layer.",
                            "第二次核查:将 `coverage site --out DIR` 选址研究的新址加入其指标的图层。"),
    "help.opt.compare_map": ("Also write one map page per target colouring the units that flip (fail→pass, "
                             "pass→fail).",
                             "同时为每个指标写出一个地图页面,为达标情况发生变化的单元着色(未达标→达标、达标→未达标)。"),
    # ---- demo
    "help.opt.demo_scale_build": ("1.0 = full-size city (~10 M people); smaller for tests.",
                                  "1.0 为完整规模的城市(约 1000 万人);测试时用更小的值。"),
    "help.opt.seed": ("Random seed (same seed, same city).", "随机种子(种子相同,城市相同)。"),
    # ---- doctor
    "help.opt.doctor_scenario": ("Also try every target of this scenario (a year or a scenario YAML path).",
                                 "同时试算此方案的全部指标(年份或方案 YAML 文件的路径)。"),
    "help.opt.no_networks": ("Skip loading the walking networks.", "不加载步行路网。"),
    # ---- fetch
    "help.opt.region": ("City name (郑州市) or 6-digit adcode (410100).", "城市名称(郑州市)或 6 位行政区划代码(410100)。"),
    "help.opt.fetch_out": ("Layer-set folder to write, e.g. layers/zhengzhou/.", "要写出的图层集文件夹,例如 layers/zhengzhou/。"),
    "help.opt.boundary": ("District polygons (GeoJSON/GPKG/SHP).", "区县边界面(GeoJSON/GPKG/SHP)。"),
    "help.opt.boundary_coord_system": ("Coordinate system of --boundary (DataV/Amap files are gcj02).",
                                       "--boundary 的坐标系(DataV/高德的文件为 gcj02)。"),
    "help.opt.streets": ("Street/township polygons from the planning bureau.", "规划部门提供的街道/乡镇边界面。"),
    "help.opt.osm_file": ("Local OSM extract (.osm, .osm.bz2, .osm.pbf).", "本地 OSM 数据摘录(.osm、.osm.bz2、.osm.pbf)。"),
    "help.opt.osm_facilities": ("Local Overpass JSON (or .osm) of facilities.", "本地设施数据:Overpass JSON(或 .osm)。"),
    "help.opt.population_tif": ("Local population raster (e.g. WorldPop).", "本地人口栅格(例如 WorldPop)。"),
    "help.opt.age_tif": ("Age-group raster as GROUP=FILE (`age_0_2`, `age_60_plus`); repeatable.",
                         "年龄组栅格,写作 年龄组=文件(年龄组为 `age_0_2`、`age_60_plus`);可重复。"),
    "help.opt.from_shared": ("Build the Zhengzhou layer set from the shared real-data folder (../shared/data).",
                             "用共享的真实数据文件夹(../shared/data)生成郑州图层集。"),
    "help.opt.osm_city": ("Build everything from --osm-file (.osm.pbf) alone: units from its admin boundaries (else "
                          "place names), population from its tags or estimated from the floor area of homes.",
                          "只用 --osm-file(.osm.pbf)生成全部数据:单元取自其行政边界(没有时取地名),人口取自其标签,"
                          "或由住宅建筑面积估算。"),
    "help.opt.unit_population": ("With --osm-city: CSV of people per street unit (name or code, count), spread onto "
                                 "buildings.",
                                 "与 --osm-city 一起使用:各街道单元人口的 CSV(名称或代码、人数),分配到建筑上。"),
    "help.opt.floor_m2_per_person": ("With --osm-city and no --unit-population: residential floor area per resident "
                                     "(default 35).",
                                     "与 --osm-city 一起使用且未给 --unit-population 时:人均住宅建筑面积(平方米,默认 35)。"),
    "help.opt.unit_levels": ("With --osm-city: `admin_level` values to use as units, coarse to fine, e.g. 10 or 9,10 "
                             "(default: chosen automatically and listed).",
                             "与 --osm-city 一起使用:用作单元的 `admin_level`,由粗到细,例如 10 或 9,10"
                             "(默认:自动选择并列出)。"),
    "help.opt.city_name": ("With --osm-city: the city's name (default: file name).",
                           "与 --osm-city 一起使用:城市名称(默认:文件名)。"),
    "help.opt.offline": ("Never download: every step uses local files or is skipped.",
                         "不下载任何数据:每一步都使用本地文件,没有则跳过。"),
    "help.opt.timeout": ("Seconds per attempt.", "每次尝试的秒数。"),
    "help.opt.retries": ("Attempts per download.", "每次下载的尝试次数。"),
    "help.opt.cache_dir": ("Download cache folder.", "下载缓存文件夹。"),
    # ---- layers import
    "help.opt.role": ("Facility role: `childcare`, `shelter`, `fitness`, ... (docs/ARCHITECTURE.md).",
                      "设施类别:`childcare`、`shelter`、`fitness` 等(见 docs/ARCHITECTURE.md)。"),
    "help.opt.import_layers": ("Layer set to add to: a name under layers/ or a folder with manifest.yaml.",
                               "要添加到的图层集:layers/ 下的名称,或含 manifest.yaml 的文件夹。"),
    "help.opt.coord_system": ("System of the list's lon/lat (Amap/Tencent gcj02, Baidu bd09).",
                              "清单中经纬度的坐标系(高德/腾讯为 gcj02,百度为 bd09)。"),
    "help.opt.lon": ("Longitude column (default: found by name, e.g. 经度/lng).", "经度列(默认:按列名查找,例如 经度/lng)。"),
    "help.opt.lat": ("Latitude column (default: found by name, e.g. 纬度).", "纬度列(默认:按列名查找,例如 纬度)。"),
    "help.opt.address": ("Address column (used to detect the system or place points).",
                         "地址列(用于识别坐标系或确定点位)。"),
    "help.opt.field": ("STANDARD=COLUMN, e.g. `slots=托位数`; repeatable.", "写作 标准字段=列名,例如 `slots=托位数`;可重复。"),
    "help.opt.licence": ("Terms of the list.", "清单的使用条款。"),
    "help.opt.allow_duplicates": ("Keep rows with the same name and place.", "保留名称和位置都相同的行。"),
    # ---- map
    "help.opt.map_out": ("Folder of the maps, e.g. maps/2025/ (replaced as a whole, atomically).",
                         "地图文件夹,例如 maps/2025/(整体替换;写入中断时保留原有内容)。"),
    # ---- progress
    "help.opt.scenarios": ("Scenario years or files, e.g. -s 2020 -s 2022 (or --scenarios 2020 2022 2023 2025).",
                           "方案年份或文件,例如 -s 2020 -s 2022(或 --scenarios 2020 2022 2023 2025)。"),
    "help.opt.only_set_years": ("Measure a target only in the years that set it (default: also measure the latest "
                                "year's targets in earlier years that do not set them, so the pace has more years).",
                                "只在设定了某指标的年份计算该指标(默认:最后一年的指标也在未设定它的较早年份计算,"
                                "使进度有更多年份可依据)。"),
    "help.opt.progress_maps": ("Also publish the last year's maps with a progress chart per target in index.html.",
                               "同时发布最后一年的地图,并在 index.html 中为每个指标附进度图表。"),
    "help.opt.progress_brief": ("Also write the printable brief of the last year (one page per target) with its "
                                "progress chart.",
                                "同时写出最后一年的可打印简报(每个指标一页),附进度图表。"),
    # ---- schema
    "help.opt.schema_out": ("Write the schema to this file (atomically) instead of stdout.",
                            "将 Schema 写入此文件(写入中断也不会留下残缺文件),而不是输出到 stdout。"),
    # ---- site
    "help.opt.site_target": ("The target to close the gap of.", "要补齐缺口的指标。"),
    "help.opt.new": ("Place this many new sites.", "新增选址的数量。"),
    "help.opt.until_met": ("Find the fewest new sites that meet the target.", "求使指标达标所需的最少新增选址。"),
    "help.opt.candidates": ("Candidate sites (points/polygons: parks, school grounds, vacant land). Default: generated.",
                            "候选用地(点或面:公园、学校用地、空地)。默认:自动生成。"),
    "help.opt.exclude": ("Polygons where no new site may go.", "不得布置新址的区域(面)。"),
    "help.opt.min_spacing": ("Spacing of generated candidates.", "自动生成候选点的间距(米)。"),
    "help.opt.min_distance_existing": ("Keep new sites at least this far from existing facilities.",
                                       "新址与现有设施的最小距离(米)。"),
    "help.opt.capacity": ("Capacity of each new site (per-person targets; default: median of today's facilities).",
                          "每个新址的容量(用于人均类指标;默认:现有设施容量的中位数)。"),
    "help.opt.solver": ("greedy (fast, with its 1-1/e bound), milp (HiGHS, exact or with its gap), auto (MILP up to "
                        "30 s).",
                        "greedy 为贪心算法(快速,结果至少达到最优值的 1-1/e);milp 用 HiGHS 求解混合整数规划(给出精确解,"
                        "或注明与最优解的差距);auto 用 MILP 求解,最多 30 秒。"),
    "help.opt.time_limit": ("Seconds the MILP may take.", "MILP 求解的时间上限(秒)。"),
    "help.opt.model": ("Siting model (walk/radius targets): most people covered, fewest sites covering all, shortest "
                       "mean walk, shortest longest walk, most people with a second site in reach, or capacitated "
                       "sites.",
                       "选址模型(步行/半径类指标):mclp 覆盖人数最多,lscp 以最少设施覆盖全部,p-median 平均步行距离最短,"
                       "p-center 最远步行距离最短,backup 可达第二处设施的人数最多,capacitated 考虑设施容量。"),
    "help.opt.budget": ("Money for new sites (mclp): sites whose costs fit the budget; needs --cost-field.",
                        "新址的资金预算(mclp):所选新址的成本合计不超过预算;需要 --cost-field。"),
    "help.opt.cost_field": ("Column of --candidates with the cost of each site.", "--candidates 中记录各址成本的列。"),
    "help.opt.service_areas": ("Write the facilities' service areas (existing and proposed, by distance band) to this "
                               "GeoPackage.",
                               "将设施(现有和新增)按距离分段的服务范围写入此 GeoPackage。"),
    "help.opt.site_out": ("Folder for sites.gpkg, sites.geojson, report.json, report.txt and map/ (written "
                          "atomically).",
                          "存放 sites.gpkg、sites.geojson、report.json、report.txt 和 map/ 的文件夹(写入中断也不会留下残缺文件)。"),
}

#: Placeholders of options and arguments (what the planner replaces), word by word; the rest stays as written.
METAVAR_ZH: dict[str, str] = {
    "FLOAT RANGE": "数值", "INTEGER RANGE": "整数", "YEAR": "年份", "FILE": "文件", "NAME": "名称", "DIR": "文件夹",
    "GLOB": "通配符", "ID": "编号", "KEY": "密钥", "COLUMN": "列名", "PATH": "路径", "TEXT": "文本", "FLOAT": "数值",
    "INTEGER": "整数", "HOST": "主机", "PORT": "端口", "OPTIONS": "选项", "COMMAND": "命令", "ARGS": "参数",
    "BOOLEAN": "布尔值", "FILENAME": "文件名", "DIRECTORY": "文件夹", "UUID": "UUID",
}

#: click's own messages in Chinese, keyed by click's msgid (``gettext``/``ngettext``); str.format fields as click's.
CLICK_ZH: dict[str, str] = {
    # help pages (click.formatting, click.core, click.decorators)
    "Usage:": "用法:",
    "Options": "选项",
    "Positional arguments": "位置参数",
    "Commands": "命令",
    "default: {default}": "默认:{default}",
    "env var: {var}": "环境变量:{var}",
    "required": "必填",
    "(dynamic)": "(动态)",
    "deprecated": "已弃用",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s,版本 %(version)s",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "弃用警告:命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "弃用警告:{name!r} 已弃用。{extra_message}",
    # errors (click.exceptions)
    "Error: {message}": "错误:{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效:{message}",
    "Invalid value: {message}": "值无效:{message}",
    "Missing {param_type}": "缺少参数",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数:{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否应为 {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(是否应为其中之一:{possibilities}?)",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}:{message}",
    "unknown error": "未知错误",
    "Missing command.": "缺少命令。",
    "Aborted!": "已中止!",
    "Got unexpected extra argument ({args})": "多出了参数({args})",
    "Got unexpected extra arguments ({args})": "多出了参数({args})",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值,但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值,但给了 {len} 个。",
    "Value must be an iterable.": "值必须是可迭代的。",
    # parsing (click.parser)
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的起始字符无效({option})",
    # values (click.types): a planner's typo in a number, a choice or a path. click fills {number_type} and
    # {name} with English words it fixed when the option was made ("integer", "File"): CLICK_KIND_ZH says them
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Choose from:\n\t{choices}": "可选值:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的布尔值。可用的值:{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats} 中的任何一种。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值,但给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值,但给了 {len_value} 个。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件,不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹,不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    # prompts (click.termui, click.decorators): no command prompts today, said in Chinese should one appear
    "Do you want to continue?": "是否继续?",
    "Confirm the action without prompting.": "不提示,直接确认。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误:两次输入的值不一致。",
    "Error: invalid input": "错误:输入无效",
    "Press any key to continue...": "按任意键继续……",
}

#: The English kind words click puts into its messages (``{number_type}``, a path's ``{name}``), in Chinese; keyed
#: in lower case (click title-cases a path's kind). A word not here is shown as click gives it.
CLICK_KIND_ZH: dict[str, str] = {
    "integer": "整数", "integer range": "整数", "float": "数值", "float range": "数值", "file": "文件",
    "directory": "文件夹", "path": "路径",
}
