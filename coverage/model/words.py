"""The words for codes that data and scenarios use (levels, classes, kinds, statuses, facility layers).

One table, English then Chinese, read by the targets' sentences and, through
:func:`coverage_planner.render.catalogue.term`, by every renderer. Unknown codes (names from data) are
shown as they are, never translated.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MEASURE_WORDS", "VOCABULARY", "a_or_an", "capacity_words", "display_width", "pad_cells", "plural_en",
           "singular_en", "words"]

#: Code -> (English words, Chinese words).
VOCABULARY: dict[str, tuple[str, str]] = {
    # facility attributes and flags used in filters
    "central": ("central (township centre kindergarten)", "乡镇中心园"),
    "comprehensive": ("comprehensive", "综合功能"),
    "medical_care": ("with medical care", "医养结合"),
    "county_level": ("county-level", "县级"),
    "government": ("government-run", "政府举办"),
    "open_year": ("opening year", "建成年份"),
    "kind": ("type", "类型"),
    "level": ("level", "级别"),
    "shelter_class": ("shelter class", "避难场所类别"),
    # unit levels
    "all": ("all", "全部"),
    "city": ("city", "全市"),
    "district": ("district", "区县"),
    "street": ("street or township", "乡镇(街道)"),
    "community": ("community or village", "社区(村)"),
    "new_estates": ("new estate", "新建住宅小区"),
    "built_up": ("built-up area", "建成区"),
    "key_areas": ("key area", "重点地区"),
    "cell": ("grid cell", "网格"),
    # travel modes
    "walk": ("walking", "步行"),
    "bike": ("cycling", "骑行"),
    # unit classes (a class named like a level reads as itself: "class:street" is a street, not the level)
    "class:street": ("street", "街道"),
    "class:community": ("community", "社区"),
    "urban_district": ("urban district", "市辖区"),
    "development_zone": ("development zone", "开发区"),
    "county": ("county", "县(市)"),
    "township": ("township", "乡镇"),
    "village": ("village", "村"),
    # target kinds
    "ratio": ("ratio", "比率"),
    "presence": ("presence", "设置情况"),
    "share": ("share", "比例"),
    "count": ("count", "数量"),
    "spacing": ("station spacing", "台站间距"),
    "detection": ("detection capability", "监测能力"),
    "warning_time": ("warning time", "预警时间"),
    "walk_access": ("walking access", "步行可达"),
    "catchment_capacity": ("capacity within reach", "服务范围内容量"),
    "radius_coverage": ("radius coverage", "覆盖半径"),
    # siting models (coverage site --model)
    "mclp": ("maximal covering (MCLP)", "最大覆盖模型(MCLP)"),
    "budget mclp": ("budgeted MCLP", "预算约束最大覆盖模型"),
    "lscp": ("set covering (LSCP)", "集合覆盖模型(LSCP)"),
    "p-median": ("p-median", "P 中位模型"),
    "p-center": ("p-center", "P 中心模型"),
    "backup": ("backup coverage (LSCP-B)", "备用覆盖模型(LSCP-B)"),
    "capacitated": ("capacitated", "容量约束模型"),
    "capacitated p-median": ("capacitated p-median", "容量约束 P 中位模型"),
    "capacitated mclp": ("capacitated MCLP", "容量约束最大覆盖模型"),
    # facility statuses
    "existing": ("existing", "已建成"),
    "planned": ("planned", "规划"),
    "under_construction": ("under construction", "在建"),
    "closed": ("closed", "已关闭"),
    "proposed": ("proposed", "建议新增"),
    # verdicts as data values
    "pass": ("pass", "达标"),
    "fail": ("fail", "未达标"),
    "no_data": ("no data", "无数据"),
    "not_set": ("not a target", "未设目标"),
    "info": ("for information", "仅供参考"),
    # facility layers (roles)
    "childcare": ("childcare", "托育机构"),
    "kindergarten": ("kindergarten", "幼儿园"),
    "senior_education": ("senior education", "老年教育机构"),
    "high_school": ("high school", "普通高中"),
    "hospital": ("hospital", "医院"),
    "primary_care": ("primary care", "基层医疗卫生机构"),
    "maternal_child_health": ("maternal and child health", "妇幼保健机构"),
    "elderly_health_centre": ("elderly health centre", "老年健康服务机构"),
    "elderly_centre": ("elderly centre", "养老服务中心"),
    "elderly_institution": ("elderly institution", "养老机构"),
    "social_work_station": ("social work station", "社会工作服务站"),
    "emergency_depot": ("emergency depot", "应急物资储备库"),
    "cemetery": ("cemetery", "公益性公墓"),
    "fitness": ("fitness facility", "健身设施"),
    "sports_venue": ("sports venue", "体育场地"),
    "football_pitch": ("football pitch", "足球场"),
    "sports_park": ("sports park", "体育公园"),
    "culture_facility": ("cultural facility", "公共文化设施"),
    "city_study_room": ("city study room", "城市书房"),
    "broadcast_terminal": ("broadcast terminal", "应急广播终端"),
    "school": ("school", "学校"),
    "shelter": ("shelter", "应急避难场所"),
    "eew_terminal": ("early-warning terminal", "地震预警终端"),
    "quake_theme_park": ("earthquake theme park", "防震减灾主题公园"),
    "quake_science_base": ("earthquake science base", "防震减灾科普基地"),
    "seismic_station": ("seismic station", "地震台站"),
    "park": ("park", "公园"),
    "library": ("library", "图书馆"),
    "pharmacy": ("pharmacy", "药店"),
    "street_office": ("street office", "街道办事处"),
    "fitness_centre": ("fitness centre", "全民健身活动中心"),
    "culture_centre": ("culture centre", "综合文化服务中心"),
    "farm_library": ("farm library", "农家书屋"),
    "social_work_centre": ("social-work centre", "社会工作服务中心"),
    "social_work_point": ("social-work point", "社会工作服务点"),
    "community_school": ("community school", "社区学校"),
    "funeral_facility": ("funeral facility", "殡葬设施"),
    "mental_health_welfare": ("mental-health welfare institution", "精神卫生福利机构"),
    "quake_science_school": ("earthquake-science school", "地震科普示范学校"),
    "quake_command_centre": ("earthquake command centre", "地震应急指挥中心"),
    "high_intensity": ("high seismic-intensity area", "地震高烈度地区"),
    # facility sub-kinds
    "centre": ("centre", "中心"),
    "day_care": ("day care", "日间照料"),
    "station": ("station", "站点"),
    "urban_public": ("urban public", "城市公益性"),
    "rural_demonstration": ("rural demonstration", "农村示范"),
    "outdoor_fitness": ("outdoor fitness", "室外健身"),
    "multi_sport": ("multi-sport", "多功能运动场"),
    "sports_centre": ("sports centre", "体育中心"),
    "gym": ("gym", "健身房"),
    "short_period": ("short-period", "短周期"),
    "strong_motion": ("strong-motion", "强震动"),
    "broadband": ("broadband", "宽频带"),
    "puhui": ("public-benefit", "普惠"),
    "public": ("public", "公办"),
    "general": ("general", "普通"),
    "vocational": ("vocational", "职业"),
    # station-spacing metrics (coverage_planner.seismic.spacing.SPACING_METRICS), as the rule is read
    "spacing:coverage_triangular": ("largest distance to the nearest station, against S/√3",
                                    "辖区内任一点到最近台站的最大距离(对照三角形台网最坏情况 S/√3)"),
    "spacing:coverage_square": ("largest distance to the nearest station, against S/√2",
                                "辖区内任一点到最近台站的最大距离(对照正方形台网最坏情况 S/√2)"),
    "spacing:delaunay_max": ("longest Delaunay edge, against S", "相邻台站间最长的德劳内三角网边长(对照 S)"),
    "spacing:delaunay_mean": ("mean Delaunay edge, against S", "相邻台站间德劳内三角网平均边长(对照 S)"),
    "spacing:nn_mean": ("mean nearest-neighbour distance, against S", "台站最近邻平均距离(对照 S)"),
    "spacing:nn_max": ("largest nearest-neighbour distance, against S", "台站最近邻最大距离(对照 S)"),
    "spacing:lattice_triangular": ("equal-density triangular lattice spacing, against S", "同密度三角形台网间距(对照 S)"),
    "spacing:lattice_square": ("equal-density square lattice spacing, against S", "同密度正方形台网间距(对照 S)"),
    # facility attributes that scenarios count (capacities: ratio, share, catchment_capacity targets)
    "sports_open": ("open to the public for sport", "向社会开放"),
    "capacity:count": ("facilities", "设施"),
    "nursing_beds": ("nursing beds", "护理型床位"),
    "slots": ("childcare slots", "托位"),
    "childcare_slots": ("childcare slots", "托位"),
    "pupils": ("enrolled children", "在园幼儿"),
    "beds": ("beds", "床位"),
    "physicians": ("physicians", "执业(助理)医师"),
    "nurses": ("nurses", "注册护士"),
    "staff": ("primary-care health workers", "基层卫技人员"),
    "gps": ("general practitioners", "全科医生"),
    "area_m2": ("m² of sports ground", "体育场地面积"),
    "floor_area_m2": ("m² of cultural floor area", "公共文化设施建筑面积"),
    "effective_area_m2": ("m² of effective shelter area", "有效避难面积"),
    "pitches": ("football pitches", "足球场"),
    "children_vaccinated": ("vaccinated children", "接种儿童"),
}

#: The Chinese measure word said before a capacity's noun after a number ("5 个托位", "3 张床位").
MEASURE_WORDS: dict[str, str] = {
    "count": "个", "slots": "个", "childcare_slots": "个", "beds": "张", "nursing_beds": "张", "physicians": "名",
    "nurses": "名", "staff": "名", "gps": "名", "pupils": "名", "children_vaccinated": "名", "pitches": "块",
    "area_m2": "平方米", "floor_area_m2": "平方米", "effective_area_m2": "平方米",
}


def words(code: object, lang: str = "en") -> str:
    """The words for ``code`` in ``lang``; a code not in the table with its underscores as spaces.

    >>> words("elderly_centre"), words("elderly_centre", "zh"), words("my_layer")
    ('elderly centre', '养老服务中心', 'my layer')
    """
    text = str(code)
    pair = VOCABULARY.get(text)
    if pair is None:
        return text.replace("_", " ")
    return pair[1] if lang == "zh" else pair[0]


def capacity_words(name: str, *, measure: bool = True) -> tuple[str, str]:
    """(zh, en) words for a capacity attribute from :data:`VOCABULARY`; the Chinese after a number has its
    measure word (``measure=False`` for the noun alone, as in "已有的托位").

    >>> capacity_words("slots"), capacity_words("slots", measure=False), capacity_words("my_field")
    (('个托位', 'childcare slots'), ('托位', 'childcare slots'), ('my_field', 'my field'))
    """
    pair = VOCABULARY.get(f"capacity:{name}") or VOCABULARY.get(name)
    if pair is None:
        return name, words(name)
    return (MEASURE_WORDS.get(name, "") if measure else "") + pair[1], pair[0]


def a_or_an(phrase: str) -> str:
    """``phrase`` with its English indefinite article ('an elderly centre', 'a school').

    >>> a_or_an("elderly centre"), a_or_an("school")
    ('an elderly centre', 'a school')
    """
    return ("an " if phrase[:1].lower() in "aeiou" and phrase[:1] else "a ") + phrase


#: Words after which an English noun phrase's head noun has ended ("institution with ≥ 50 slots").
_AFTER_HEAD = (" with ", " of ", " for ", " in ", " per ", " that ", " within ", " (", " at ", " on ")


def _head_split(phrase: str) -> tuple[str, str]:
    cut = min((i for i in (phrase.find(w) for w in _AFTER_HEAD) if i > 0), default=len(phrase))
    return phrase[:cut], phrase[cut:]


def singular_en(phrase: str) -> str:
    """The English noun phrase ``phrase`` with its head noun in the singular (for a count of exactly 1).

    >>> singular_en("earthquake-safety theme parks"), singular_en("slots per 1000 residents")
    ('earthquake-safety theme park', 'slot per 1000 residents')
    >>> singular_en("facilities"), singular_en("m² of sports ground"), singular_en("people")
    ('facility', 'm² of sports ground', 'people')
    """
    head, tail = _head_split(phrase)
    if head.endswith("ies") and len(head) > 4:
        return head[:-3] + "y" + tail
    if head.endswith(("ches", "shes", "xes", "sses")):
        return head[:-2] + tail
    if head.endswith("s") and not head.endswith(("ss", "us", "is")):
        return head[:-1] + tail
    return phrase


def plural_en(phrase: str) -> str:
    """The English noun phrase ``phrase`` with its head noun in the plural (a phrase already plural is kept).

    >>> plural_en("普惠 childcare institution with ≥ 50 slots"), plural_en("facility"), plural_en("theme parks")
    ('普惠 childcare institutions with ≥ 50 slots', 'facilities', 'theme parks')
    """
    head, tail = _head_split(phrase)
    if not head or head.endswith("s") or not head[-1:].isalpha():
        return phrase
    if head.endswith("y") and head[-2:-1] not in "aeiou":
        return head[:-1] + "ies" + tail
    if head.endswith(("ch", "sh", "x")):
        return head + "es" + tail
    return head + "s" + tail


#: Colour and cursor codes of a terminal: no width on screen.
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a wide (CJK) character, none for colour codes.

    Examples
    --------
    >>> display_width("托育 ab"), display_width("\033[31mFAIL\033[0m")
    (7, 4)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in _ANSI.sub("", text))


def pad_cells(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (a CJK character takes two), for aligned rows.

    Examples
    --------
    >>> pad_cells("托育", 6) + "|"
    '托育  |'
    >>> pad_cells("ab", 4) + "|"
    'ab  |'
    """
    return text + " " * max(0, width - display_width(text))
