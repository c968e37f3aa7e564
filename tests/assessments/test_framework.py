"""The framework edition as data: shunyi-2024 against RULES.md and the seed, and the loader's checks."""

import copy
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from assessments.engine import compiled
from assessments.framework import (
    DEFAULT_EDITION,
    FRAMEWORKS_DIR,
    FrameworkError,
    get_edition,
    load_edition,
    register_edition,
)

from .conftest import NATIONAL_TEST_FILE

# The source document (北京市顺义区中小企业数字化水平评测实施细则 with 附件1-3), kept beside the edition it was
# transcribed into, so this check runs wherever the repository is.
SEED = Path(__file__).resolve().parents[2] / "assessments" / "frameworks" / "sources" / "shunyi-2024.txt"
SHUNYI_FILE = FRAMEWORKS_DIR / "shunyi-2024.json"


def raw_shunyi() -> dict:
    return json.loads(SHUNYI_FILE.read_text(encoding="utf-8"))


def item_raw(raw: dict, code: str) -> dict:
    for dim in raw["dimensions"]:
        for sec in dim["secondaries"]:
            for item in sec["items"]:
                if item["code"] == code:
                    return item
    raise KeyError(code)


# --------------------------------------------------------------------------------------------------------
# shunyi-2024 holds exactly RULES.md §1-5
# --------------------------------------------------------------------------------------------------------

# code: (一级, 二级, 采集项, max points, kind, option count) — RULES.md §1
RULES_ITEMS = {
    "Q1": ("数字化基础", "设备系统", "网络建设", "8", "multi", 5),
    "Q2": ("数字化基础", "设备系统", "设备数字化", "6", "single", 5),
    "Q3": ("数字化基础", "设备系统", "设备联网", "6", "single", 5),
    "Q4": ("数字化基础", "数据采集", "数据采集", "10", "multi", 15),
    "Q5": ("数字化基础", "信息系统", "信息系统", "10", "single", 5),
    "Q6": ("数字化基础", "信息安全", "网络安全", "5", "multi", 5),
    "Q7": ("数字化基础", "信息安全", "数据安全", "5", "multi", 5),
    "Q8": ("数字化管理", "规划管理", "规划实施", "7.5", "single", 6),
    "Q9": ("数字化管理", "规划管理", "管理机制", "7.5", "multi", 5),
    "Q10": ("数字化管理", "要素保障", "人才建设", "7.5", "multi", 6),
    "Q11": ("数字化管理", "要素保障", "资金保障", "7.5", "single", 5),
    "Q12": ("数字化成效", "绿色低碳", "绿色低碳", "7", "single", 3),
    "Q13": ("数字化成效", "产品质量", "产品质量", "7", "single", 3),
    "Q14": ("数字化成效", "市场效益", "市场表现", "3", "single", 3),
    "Q15": ("数字化成效", "市场效益", "价值效益", "3", "single", 3),
}
RULES_SCENARIOS = [
    ("S01", "产品生命周期数字化", "产品设计", True),
    ("S02", "产品生命周期数字化", "工艺设计", False),
    ("S03", "产品生命周期数字化", "营销管理", True),
    ("S04", "产品生命周期数字化", "售后服务", False),
    ("S05", "生产执行数字化", "计划排程", False),
    ("S06", "生产执行数字化", "生产管控", True),
    ("S07", "生产执行数字化", "质量管理", True),
    ("S08", "生产执行数字化", "设备管理", True),
    ("S09", "生产执行数字化", "安全生产", True),
    ("S10", "生产执行数字化", "能耗管理", True),
    ("S11", "供应链数字化", "采购管理", True),
    ("S12", "供应链数字化", "仓储物流", True),
    ("S13", "管理决策数字化", "财务管理", True),
    ("S14", "管理决策数字化", "人力资源", False),
    ("S15", "管理决策数字化", "协同办公", False),
    ("S16", "管理决策数字化", "决策支持", False),
]
RULES_ENERGY = {
    "raw_coal_anthracite": ("原煤（无烟煤）", "吨", "0.9428"),
    "raw_coal_coking": ("原煤（炼焦烟煤）", "吨", "0.9"),
    "raw_coal_general": ("原煤（一般烟煤）", "吨", "0.7143"),
    "lignite": ("原煤（褐煤）", "吨", "0.4286"),
    "washed_coal": ("洗精煤", "吨", "0.9"),
    "blast_furnace_gas": ("高炉煤气", "万立方米", "1.286"),
    "converter_gas": ("转炉煤气", "万立方米", "2.714"),
    "other_gas": ("其他煤气", "万立方米", "1.786"),
    "heat": ("热力", "百万千焦", "0.0341"),
    "electricity": ("电力", "万千瓦时", "1.229"),
    "msw_fuel": ("城市生活垃圾（用于燃料）", "吨", "0.2714"),
    "biomass_fuel": ("生物质能（用于燃料）", "吨标准煤", "1"),
    "waste_heat_pressure": ("余热余压", "百万千焦", "0.0341"),
    "industrial_waste_fuel": ("工业废料（用于燃料）", "吨", "0.4285"),
    "other_fuel": ("其他燃料", "吨标准煤", "1"),
}


def test_default_edition_is_shunyi_2024():
    assert DEFAULT_EDITION == "shunyi-2024"
    assert get_edition() is get_edition("shunyi-2024")  # cached


def test_items_match_rules_table(shunyi):
    assert shunyi.item_codes == tuple(RULES_ITEMS)
    dims = {d.code: d for d in shunyi.dimensions}
    for code, (dim_name, sec_name, item_name, points, kind, n) in RULES_ITEMS.items():
        item = shunyi.item(code)
        assert item.number == int(code[1:])
        assert dims[item.dimension].name == dim_name
        assert next(s for s in dims[item.dimension].secondaries if s.code == item.secondary).name == sec_name
        assert item.name == item_name
        assert item.points == Fraction(Decimal(points)), code
        assert item.kind == kind
        assert len(item.options) == n, code
        # the most an item can add is its 分值
        best = (
            max(o.score for o in item.options) * item.factor
            if kind == "single"
            else min(sum(o.score for o in item.options), item.cap or 100) * item.factor
        )
        assert best == item.points, code


def test_dimension_and_weights(shunyi):
    assert [(d.code, d.name, d.weight, d.points) for d in shunyi.dimensions] == [
        ("foundation", "数字化基础", Fraction(1, 2), 50),
        ("management", "数字化管理", Fraction(3, 10), 30),
        ("effectiveness", "数字化成效", Fraction(1, 5), 20),
    ]
    sec = {s.name: s.weight for d in shunyi.dimensions for s in d.secondaries}
    assert sec == {
        "设备系统": Fraction(2, 5),
        "数据采集": 1 / Fraction(5),
        "信息系统": Fraction(1, 5),
        "信息安全": Fraction(1, 5),
        "规划管理": Fraction(1, 2),
        "要素保障": Fraction(1, 2),
        "绿色低碳": Fraction(7, 20),
        "产品质量": Fraction(7, 20),
        "市场效益": Fraction(3, 10),
    }
    assert shunyi.item("Q1").weight == Fraction(2, 5)
    assert shunyi.item("Q2").weight == Fraction(3, 10)
    assert shunyi.item("Q8").factor == Fraction(3, 40)  # 50% × 50% × 30%


def test_option_scores_stored_per_option(shunyi):
    # 附件1 评分逻辑, with RULES.md §2 for Q8's six options
    assert [o.score for o in shunyi.item("Q2").options] == [0, 25, 50, 75, 100]
    assert [o.score for o in shunyi.item("Q8").options] == [0, 20, 40, 60, 80, 100]
    assert [o.score for o in shunyi.item("Q12").options] == [0, 50, 100]
    q4 = shunyi.item("Q4").options
    assert q4[0].none and q4[0].score == 0 and q4[0].text == "无"
    assert all(o.score == Fraction(100, 14) and not o.none for o in q4[1:])
    assert [o.score for o in shunyi.item("Q10").options] == [0, 20, 20, 20, 20, 20]
    raw = item_raw(raw_shunyi(), "Q4")
    assert raw["options"][1]["score"] == "100/14"  # exact fraction string, never a float
    for item in shunyi.items:
        assert item.scoring == "linear"


def test_trend_option_texts_and_directions(shunyi):
    assert [o.text for o in shunyi.item("Q12").options] == ["增加", "持平", "降低"]
    assert [o.text for o in shunyi.item("Q13").options] == ["降低", "持平", "增加"]
    assert [o.text for o in shunyi.item("Q14").options] == ["降低", "持平", "增加"]
    assert [o.text for o in shunyi.item("Q15").options] == ["增加", "持平", "降低"]
    q12 = shunyi.item("Q12").derivation
    assert (q12.kind, q12.better, q12.up, q12.same, q12.down) == ("trend", "lower", 0, 1, 2)
    assert q12.before.value == "prev_year.energy_tce" and q12.before.per == "prev_year.revenue"
    q14 = shunyi.item("Q14").derivation
    assert (q14.better, q14.up, q14.down) == ("higher", 2, 0)
    assert q14.after.value == "last_year.revenue" and q14.after.per == "last_year.employees"
    q2 = shunyi.item("Q2").derivation
    assert (q2.kind, q2.part, q2.total) == ("rate_band", "equipment_digital", "equipment_total")
    assert shunyi.item("Q11").derivation.part == "investment_by_year"


def test_figure_fields(shunyi):
    labels = {f.path: (f.label, f.unit, f.kind) for f in shunyi.fields}
    assert labels["equipment_total"] == ("生产设备数量", "台", "count")
    assert labels["prev_year.employees"][1:] == ("人", "count")
    assert labels["last_year.revenue"][1:] == ("万元", "amount")
    assert labels["prev_year.energy_tce"][1:] == ("吨标准煤", "tce")
    assert [f.path for f in shunyi.fields_of("Q2")] == ["equipment_total", "equipment_digital"]
    assert shunyi.figure_field("investment_by_year").max_length == 3


def test_scenarios_match_rules(shunyi):
    groups = {g.code: g.name for g in shunyi.scenario_groups}
    got = [(s.code, groups[s.group], s.name, s.constrained) for s in shunyi.scenarios]
    assert got == RULES_SCENARIOS
    assert sum(s.constrained for s in shunyi.scenarios) == 10
    for s in shunyi.scenarios:
        assert len(s.criteria) == 4 and all(s.criteria)
    assert shunyi.scenario("S01").criteria[0] == "通过设计软件工具（如CAD、CAE、EDA等）辅助开展产品设计。"
    assert [lv.name for lv in shunyi.scenario_levels] == ["一级", "二级", "三级", "四级"]
    assert (
        shunyi.scenario_levels[0].description == "企业应用信息技术工具辅助开展工作，实现相关业务的效率提升。"
    )
    # Q4's business links point at the scenarios of the same name
    for option in shunyi.item("Q4").options[1:]:
        assert shunyi.scenario(option.scenario).name == option.text


def test_level_thresholds(shunyi):
    got = [(lv.level, lv.name, lv.min_score, lv.min_scenarios, lv.min_constrained) for lv in shunyi.levels]
    assert got == [
        (1, "一级（初始级）", 20, 6, 3),
        (2, "二级（规范级）", 40, 6, 3),
        (3, "三级（集成级）", 60, 8, 5),
        (4, "四级（协同级）", 80, 10, 6),
    ]
    assert shunyi.level_name(0) == "未达到一级"
    assert shunyi.level_name(3) == "三级（集成级）"


def test_rate_bands(shunyi):
    assert [b.upper * 100 for b in shunyi.rate_bands] == [10, 20, 40, 60, 100]
    assert [b.label for b in shunyi.rate_bands] == [
        "[0-10%]",
        "(10%,20%]",
        "(20%,40%]",
        "(40%,60%]",
        "(60%,100%]",
    ]


def test_energy_sources_match_rules(shunyi):
    got = {e.code: (e.name, e.unit, str(e.coefficient)) for e in shunyi.energy_sources}
    assert got == RULES_ENERGY
    assert all(isinstance(e.coefficient, Decimal) for e in shunyi.energy_sources)


def test_terms(shunyi):
    terms = {t.term: t.definition for t in shunyi.terms}
    assert set(terms) == {
        "设备数字化率",
        "设备联网率",
        "数字化人才",
        "综合能源消费量",
        "关键工序",
        "业务环节",
        "规范化管理",
        "智能仓储",
        "供应链可视化",
        "数据驱动平台",
    }
    assert "回收利用(205-2表第12列能源合计)" in terms["综合能源消费量"]


def test_weights_and_scores_are_strings_not_floats():
    def walk(node, path=""):
        if isinstance(node, float):
            raise AssertionError(f"float at {path}")
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    raw = json.loads(SHUNYI_FILE.read_text(encoding="utf-8"), parse_float=float)
    walk(raw)


def test_chinese_text_is_verbatim_from_the_seed(shunyi):
    seed = SEED.read_text(encoding="utf-8")
    for item in shunyi.items:
        assert item.question in seed, item.code
        for option in item.options:
            assert "□" + option.text in seed, (item.code, option.text)
        if item.figures_prompt:
            assert item.figures_prompt in seed
    for scenario in shunyi.scenarios:
        assert scenario.name + ("*" if scenario.constrained else "") in seed
        for text in scenario.criteria:
            assert "\t" + text + "\n" in seed, (scenario.code, text)
    for lv in shunyi.scenario_levels:
        assert lv.description in seed
    for lv in shunyi.levels:
        assert lv.rule in seed
    for term in shunyi.terms:
        for line in term.definition.split("\n"):
            assert line in seed
    for source in shunyi.energy_sources:
        assert f"\t{source.name}\n" in seed and f"\t{source.coefficient_text}\n" in seed


# --------------------------------------------------------------------------------------------------------
# The second edition: loads from its own file and grades without code changes
# --------------------------------------------------------------------------------------------------------


def test_national_edition_loads_from_its_file(national):
    assert national.code == "national-test"
    assert get_edition("national-test") is national
    q1 = national.item("Q1")
    hr = next(o for o in q1.options if o.text == "人力资源")
    assert q1.options[hr.index].score * q1.factor == Fraction(9, 10)
    assert q1.options[1].score * q1.factor == Fraction(7, 10)
    assert national.item("Q3").cap == 100
    assert national.levels[2].min_score == Fraction(141, 2)
    assert compiled(national).den == 10


def test_national_edition_cannot_shadow_a_shipped_one():
    edition = load_edition(SHUNYI_FILE)
    with pytest.raises(FrameworkError) as info:
        register_edition(edition)
    assert (info.value.code, info.value.params) == ("exists", {"edition": "shunyi-2024"})


def test_unknown_edition_code_is_a_clear_error():
    with pytest.raises(FrameworkError) as info:
        get_edition("shunyi-2099")
    assert info.value.code == "unknown_edition"
    assert info.value.params["edition"] == "shunyi-2099" and "shunyi-2024" in info.value.params["known"]


# --------------------------------------------------------------------------------------------------------
# A broken edition fails loudly, naming what is wrong
# --------------------------------------------------------------------------------------------------------


def broken(mutate) -> FrameworkError:
    """The error of the edition changed by ``mutate``, its place without the edition's name."""
    raw = raw_shunyi()
    mutate(raw)
    with pytest.raises(FrameworkError) as info:
        load_edition(raw)
    err = info.value
    assert err.where.startswith("edition shunyi-2024: ") and str(err) == f"{err.where}: {err.text}"
    err.where = err.where.removeprefix("edition shunyi-2024: ")
    return err


def where_code(err: FrameworkError) -> tuple[str, str]:
    return err.where, err.code


def test_unchanged_raw_loads():
    assert load_edition(raw_shunyi()).item_codes == get_edition().item_codes


def test_item_weights_not_summing():
    def mutate(raw):
        item_raw(raw, "Q3")["weight"] = "20%"
        item_raw(raw, "Q3")["points"] = "4"

    err = broken(mutate)
    assert (err.where, err.code) == ("secondary equipment_systems: item weights", "weights_sum")
    assert err.params == {"total": "90%", "parts": "Q1 40%, Q2 30%, Q3 20%"}


def test_dimension_weights_not_summing():
    def mutate(raw):
        raw["dimensions"][2]["weight"] = "25%"
        raw["dimensions"][2]["points"] = "25"

    assert where_code(broken(mutate)) == ("dimension weights", "weights_sum")


def test_dimension_weight_sum_named():
    def mutate(raw):
        # management 35% instead of 30%, its points scaled consistently, so only the sum is wrong
        dim = raw["dimensions"][1]
        dim["weight"], dim["points"] = "35%", "35"
        for sec in dim["secondaries"]:
            sec["points"] = "17.5"
            for item in sec["items"]:
                item["points"] = "8.75"

    err = broken(mutate)
    assert (err.where, err.code) == ("dimension weights", "weights_sum")
    assert err.params == {"total": "105%", "parts": "foundation 50%, management 35%, effectiveness 20%"}


def test_option_count_mismatch_for_rate_bands():
    def mutate(raw):
        del item_raw(raw, "Q11")["options"][4]

    err = broken(mutate)
    assert (err.where, err.code) == ("item Q11", "score")
    assert err.params == {"problem": "the highest achievable score is 75, not 100 (0, 25, 50, 75)"}


def test_option_count_mismatch_names_rate_bands_when_scores_fit():
    def mutate(raw):
        item = item_raw(raw, "Q2")
        item["options"] = item["options"][:4]
        item["options"][3]["score"] = "100"
        item["scoring"] = "explicit"

    assert where_code(broken(mutate)) == ("item Q2.derivation", "derivation")


def test_trend_item_needs_three_options():
    def mutate(raw):
        item = item_raw(raw, "Q13")
        item["options"].append({"text": "大幅增加", "score": "100"})
        item["scoring"] = "explicit"

    assert where_code(broken(mutate)) == ("item Q13.derivation", "derivation")


def test_linear_rule_mismatch_named():
    def mutate(raw):
        opts = item_raw(raw, "Q4")["options"]
        opts[3]["score"] = "7"
        opts[4]["score"] = "51/7"  # 100/14 + 100/14 - 7: the total stays 100

    err = broken(mutate)
    assert (err.where, err.code) == ("item Q4 option 3", "score")
    assert err.params == {"problem": "7, not 50/7 by the linear rule of 附件1"}


def test_max_points_inconsistent():
    def mutate(raw):
        item_raw(raw, "Q1")["points"] = "9"

    err = broken(mutate)
    assert (err.where, err.code) == ("item Q1", "points")
    assert err.params == {"points": "9", "weight": "40%", "of": "20"}


def test_options_not_reaching_full_score():
    def mutate(raw):
        del item_raw(raw, "Q6")["options"][4]

    err = broken(mutate)
    assert (err.where, err.code) == ("item Q6", "score")
    assert err.params == {"problem": "the highest achievable score is 75, not 100 (0, 25, 25, 25)"}


def test_unknown_scenario_code():
    def mutate(raw):
        item_raw(raw, "Q4")["options"][5]["scenario"] = "S99"

    assert where_code(broken(mutate)) == ("item Q4 option 5.scenario", "unknown_ref")


def test_duplicate_item_code():
    def mutate(raw):
        item_raw(raw, "Q3")["code"] = "Q2"

    assert where_code(broken(mutate)) == ("items[2]", "duplicate")


def test_duplicate_scenario_code():
    def mutate(raw):
        raw["scenarios"][1]["code"] = "S01"

    assert where_code(broken(mutate)) == ("scenarios[1]", "duplicate")


def test_negative_score():
    def mutate(raw):
        item_raw(raw, "Q5")["options"][1]["score"] = "-25"

    assert where_code(broken(mutate)) == ("item Q5 option 1", "score")


def test_missing_chinese_text():
    def mutate(raw):
        item_raw(raw, "Q7")["question"] = "Data security measures"

    assert where_code(broken(mutate)) == ("dimensions[0].secondaries[3].items[1].question", "no_chinese")


def test_missing_scenario_criterion():
    def mutate(raw):
        raw["scenarios"][4]["criteria"] = raw["scenarios"][4]["criteria"][:3]

    err = broken(mutate)
    assert (err.where, err.code) == ("scenario S05.criteria", "shape")
    assert err.params == {"expected": "4 level texts", "got": 3}


def test_empty_criterion_text():
    def mutate(raw):
        raw["scenarios"][15]["criteria"][2] = " "

    assert where_code(broken(mutate)) == ("scenarios[15].criteria[2]", "shape")


def test_float_weight_refused():
    def mutate(raw):
        raw["dimensions"][0]["weight"] = 0.5

    assert where_code(broken(mutate)) == ("dimensions[0].weight", "shape")


def test_unknown_key_refused():
    def mutate(raw):
        item_raw(raw, "Q9")["wieght"] = "50%"

    err = broken(mutate)
    assert (err.where, err.code) == ("dimensions[1].secondaries[0].items[1]", "unknown_key")
    assert err.params == {"keys": "wieght"}


def test_none_option_must_be_first_and_zero():
    def mutate(raw):
        item_raw(raw, "Q1")["options"][0]["score"] = "25"

    assert where_code(broken(mutate)) == ("item Q1 option 0", "score")


def test_threshold_needs_more_constrained_than_exist():
    def mutate(raw):
        raw["levels"][3]["min_constrained"] = 11
        raw["levels"][3]["min_scenarios"] = 12

    assert where_code(broken(mutate)) == ("level 4", "level")


def test_thresholds_must_not_decrease():
    def mutate(raw):
        raw["levels"][2]["min_score"] = "30"

    assert where_code(broken(mutate)) == ("level 3", "level")


def test_unknown_energy_source_in_example():
    def mutate(raw):
        raw["energy_examples"][0]["energy"][0]["source"] = "power"

    assert where_code(broken(mutate)) == ("energy_examples[0].energy[0].source", "unknown_ref")


def test_wrong_coefficient_caught_by_the_seed_example():
    def mutate(raw):
        for source in raw["energy_sources"]:
            if source["code"] == "electricity":
                source["coefficient"] = "1.2290001"

    err = broken(mutate)
    assert (err.where, err.code) == ("energy_examples[0]", "energy_example")
    assert err.params == {"computed": "382.919031", "expected": "382.919"}


def test_duplicate_energy_source():
    def mutate(raw):
        raw["energy_sources"][1]["code"] = "raw_coal_anthracite"

    assert where_code(broken(mutate)) == ("energy_sources[1]", "duplicate")


def test_derivation_unknown_field():
    def mutate(raw):
        item_raw(raw, "Q3")["derivation"]["part"] = "equipment_online"

    assert where_code(broken(mutate)) == ("item Q3.derivation", "unknown_ref")


def test_trend_direction_inconsistent_with_scores():
    def mutate(raw):
        item_raw(raw, "Q15")["derivation"]["better"] = "higher"

    assert where_code(broken(mutate)) == ("item Q15.derivation", "derivation")


def test_rate_bands_must_end_at_100():
    def mutate(raw):
        raw["rate_bands"][4]["upper_percent"] = "90"

    assert where_code(broken(mutate)) == ("rate_bands", "bands")


def test_items_out_of_order():
    def mutate(raw):
        item_raw(raw, "Q5")["number"] = 6

    err = broken(mutate)
    assert (err.where, err.code) == ("item Q5.number", "order")
    assert err.params == {"got": 6, "expected": 5}


def test_unreadable_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_edition(bad)
    assert (info.value.where, info.value.code) == (str(bad), "file")


def test_loader_does_not_mutate_input():
    raw = raw_shunyi()
    before = copy.deepcopy(raw)
    load_edition(raw)
    assert raw == before


def test_national_file_is_valid_json_with_irregular_points():
    raw = json.loads(NATIONAL_TEST_FILE.read_text(encoding="utf-8"))
    q1 = raw["dimensions"][0]["secondaries"][0]["items"][0]
    assert {o["score"] for o in q1["options"][1:]} == {"7", "9"}
