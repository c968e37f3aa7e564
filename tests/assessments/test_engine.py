"""The grading engine against RULES.md §2-6, with every expected value worked out by hand.

Points per option in shunyi-2024 (option score × 采集项 × 二级 × 一级 weight):
Q1 2 per option · Q2/Q3 1.5 per band · Q4 5/7 per link · Q5 2.5 per step · Q6/Q7 1.25 per option ·
Q8 1.5 per step · Q9 1.875 per option · Q10 1.5 per option · Q11 1.875 per band · Q12/Q13 3.5 per step ·
Q14/Q15 1.5 per step.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from assessments.engine import (
    Assessment,
    GradeResult,
    GradingInputError,
    format_points,
    grade,
    grade_json,
    grade_partial,
    loads,
    parse_assessment,
    scenario_level,
)

from .conftest import make_input

CONSTRAINED = ["S01", "S03", "S06", "S07", "S08", "S09", "S10", "S11", "S12", "S13"]
UNCONSTRAINED = ["S02", "S04", "S05", "S14", "S15", "S16"]


def run(answers=None, scenarios=None, data=None, **kw) -> GradeResult:
    return grade(parse_assessment(make_input(answers, scenarios, data, **kw)))


def scenarios_at(level: int, constrained: int, unconstrained: int) -> dict:
    """`constrained` constrained and `unconstrained` other scenarios at `level`, the rest at 0."""
    chosen = CONSTRAINED[:constrained] + UNCONSTRAINED[:unconstrained]
    return {code: level for code in chosen}


def bad(obj, **kw) -> GradingInputError:
    with pytest.raises(GradingInputError) as info:
        parse_assessment(obj, **kw)
    err = info.value
    assert str(err) == err.message == f"{err.field}: {err.text}"
    with pytest.raises(GradingInputError) as contract:  # and the contract end to end: its fast path gives way
        grade_json(obj, **kw)
    assert (contract.value.field, contract.value.code) == (err.field, err.code)
    return err


# --------------------------------------------------------------------------------------------------------
# Points (RULES.md §2)
# --------------------------------------------------------------------------------------------------------


def test_blank_assessment_scores_zero():
    result = run()
    assert result.score == 0
    assert result.level == 0
    assert result.to_json()["score"] == "0.00"


def test_full_marks_are_100():
    answers = {"Q1": [1, 2, 3, 4], "Q2": 4, "Q3": 4, "Q4": list(range(1, 15)), "Q5": 4, "Q6": [1, 2, 3, 4]}
    answers |= {"Q7": [1, 2, 3, 4], "Q8": 5, "Q9": [1, 2, 3, 4], "Q10": [1, 2, 3, 4, 5], "Q11": 4}
    answers |= {"Q12": 2, "Q13": 2, "Q14": 2, "Q15": 2}
    result = run(answers)
    assert result.score == 100
    assert result.dimensions == {"foundation": 50, "management": 30, "effectiveness": 20}
    assert result.items["Q4"] == 10 and result.items["Q8"] == Fraction(15, 2)


@pytest.mark.parametrize(
    ("option", "points"),
    [(0, "0"), (1, "1.5"), (2, "3"), (3, "4.5"), (4, "6"), (5, "7.5")],
)
def test_q8_six_options_score_0_20_40_60_80_100(option, points):
    # RULES.md §2: option i of 6 scores i × 100 / 5 = 0, 20, 40, 60, 80, 100; × 50% × 50% × 30%
    result = run({"Q8": option})
    assert result.items["Q8"] == Fraction(Decimal(points))
    assert result.score == Fraction(Decimal(points))


def test_single_choice_five_and_three_options():
    result = run({"Q5": 1, "Q2": 3, "Q12": 1, "Q14": 2})
    # Q5: 25 × 10% = 2.5; Q2: 75 × 6% = 4.5; Q12: 50 × 7% = 3.5; Q14: 100 × 3% = 3
    assert result.items["Q5"] == Fraction(5, 2)
    assert result.items["Q2"] == Fraction(9, 2)
    assert result.items["Q12"] == Fraction(7, 2)
    assert result.items["Q14"] == 3
    assert result.score == Fraction(27, 2)


def test_multi_choice_counts_options():
    # Q1: 2 of 4 → 2 × 100/4 = 50 → × 8% = 4; Q4: 3 of 14 → 3 × 100/14 × 10% = 15/7; Q10: 2 of 5 → 40 × 7.5%
    result = run({"Q1": [1, 3], "Q4": [2, 5, 9], "Q10": [4, 5]})
    assert result.items["Q1"] == 4
    assert result.items["Q4"] == Fraction(15, 7)
    assert result.items["Q10"] == 3
    assert result.dimensions["foundation"] == 4 + Fraction(15, 7)
    assert result.to_json()["items"]["Q4"] == "2.14"


def test_none_alone_scores_zero():
    assert run({"Q1": [0]}).items["Q1"] == 0


def test_multi_choice_order_does_not_matter():
    assert run({"Q6": [4, 1]}).items["Q6"] == run({"Q6": [1, 4]}).items["Q6"] == Fraction(5, 2)


def test_dimensions_and_items_exact_in_json():
    result = run({"Q9": [1, 2, 3], "Q11": 1})
    out = result.to_json()
    assert out["items"]["Q9"] == "5.63"  # 5.625
    assert out["items"]["Q11"] == "1.88"  # 1.875
    assert out["dimensions"] == {"foundation": "0.00", "management": "7.50", "effectiveness": "0.00"}


# --------------------------------------------------------------------------------------------------------
# Rounding 四舍五入 (half up), never banker's
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "exact", "shown"),
    [
        ({"Q9": [1]}, Fraction(15, 8), "1.88"),  # 1.875
        ({"Q9": [1, 2, 3]}, Fraction(45, 8), "5.63"),  # 5.625: banker's would give 5.62
        ({"Q9": [1, 2, 3], "Q8": 1}, Fraction(57, 8), "7.13"),  # 7.125: banker's would give 7.12
        ({"Q9": [1], "Q10": [1]}, Fraction(27, 8), "3.38"),  # 3.375
        ({"Q11": 1, "Q6": [1, 2, 3]}, Fraction(45, 8), "5.63"),  # 1.875 + 3.75 across dimensions
        ({"Q4": [1]}, Fraction(5, 7), "0.71"),  # 0.714…
        ({"Q4": [1, 2, 3, 4, 5, 6]}, Fraction(30, 7), "4.29"),  # 4.2857…
    ],
)
def test_half_up_rounding_of_the_score(answers, exact, shown):
    result = run(answers)
    assert result.score == exact
    assert result.to_json()["score"] == shown


def test_half_up_score_needed():
    # score 7.125 → 20 − 7.125 = 12.875 → 12.88
    out = run({"Q9": [1, 2, 3], "Q8": 1}).to_json()
    assert out["next_level"]["score_needed"] == "12.88"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 8), "0.13"),
        (Fraction(3, 8), "0.38"),
        (Fraction(5, 8), "0.63"),
        (Fraction(7, 8), "0.88"),
        (Fraction(2005, 1000), "2.01"),
        (Fraction(2004999, 1000000), "2.00"),
        (Decimal("0.125"), "0.13"),
        ("2.675", "2.68"),  # a float would hold 2.67499…; the text is exact
        (0, "0.00"),
        (100, "100.00"),
        (Fraction(-5, 8), "-0.63"),
    ],
)
def test_format_points_half_up(value, text):
    assert format_points(value) == text


# --------------------------------------------------------------------------------------------------------
# Scenario levels (RULES.md §3)
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "level"),
    [
        ([True, False, True, True], 1),
        ([False, True, True, True], 0),
        ([True, True, True, True], 4),
        ([False, False, False, False], 0),
        ([True, True, False, True], 2),
        ([True, True, True, False], 3),
    ],
)
def test_scenario_level_from_criteria(met, level):
    assert scenario_level(met) == level
    assert run(scenarios={"S05": met}).scenario_levels["S05"] == level


def test_scenario_levels_mixed_forms():
    result = run(scenarios={"S01": 3, "S02": [True, True, False, True], "S16": 4})
    assert result.scenario_levels["S01"] == 3
    assert result.scenario_levels["S02"] == 2
    assert result.scenario_levels["S16"] == 4
    assert result.scenario_levels["S03"] == 0
    assert result.assessment.criteria == {"S02": (True, True, False, True)}


# --------------------------------------------------------------------------------------------------------
# The enterprise's level (RULES.md §4): each threshold exactly met and just missed
# --------------------------------------------------------------------------------------------------------

# score exactly 20: Q5 10 + Q12 7 + Q14 3
AT_20 = {"Q5": 4, "Q12": 2, "Q14": 2}
# score exactly 40: Q5 10 + Q4 10 + Q12 7 + Q13 7 + Q1 6
AT_40 = {"Q5": 4, "Q4": list(range(1, 15)), "Q12": 2, "Q13": 2, "Q1": [1, 2, 3]}
# score exactly 60: AT_40 + Q6 5 + Q9 7.5 + Q10 7.5
AT_60 = AT_40 | {"Q6": [1, 2, 3, 4], "Q9": [1, 2, 3, 4], "Q10": [1, 2, 3, 4, 5]}
# score exactly 80: AT_60 + Q7 5 + Q2 6 + Q3 6 + Q14 3
AT_80 = AT_60 | {"Q7": [1, 2, 3, 4], "Q2": 4, "Q3": 4, "Q14": 2}
# 1/56 below 20: Q4 4 links 20/7 + Q9 3 × 1.875 + Q13 7 + Q10 3 × 1.5 = 20/7 + 137/8 = 1119/56
BELOW_20 = {"Q4": [1, 2, 3, 4], "Q9": [1, 2, 3], "Q13": 2, "Q10": [1, 2, 3]}
# 1/56 below 40: 20/7 + Q6 2.5 + Q9 5.625 + Q12 7 + Q13 7 + Q8 7.5 + Q10 7.5 = 20/7 + 297/8 = 2239/56
BELOW_40 = {"Q4": [1, 2, 3, 4], "Q6": [1, 2], "Q9": [1, 2, 3], "Q12": 2, "Q13": 2, "Q8": 5}
BELOW_40 |= {"Q10": [1, 2, 3, 4, 5]}
# 1/56 below 60: BELOW_40 + Q1 8 + Q2 6 + Q3 6
BELOW_60 = BELOW_40 | {"Q1": [1, 2, 3, 4], "Q2": 4, "Q3": 4}
# 1/56 below 80: BELOW_60 + Q5 10 + Q11 7.5 + Q7 2.5
BELOW_80 = BELOW_60 | {"Q5": 4, "Q11": 4, "Q7": [1, 2]}

LEVELS = {
    # level: (answers at the threshold, answers 1/56 below, threshold, n scenarios, of which constrained)
    1: (AT_20, BELOW_20, 20, 6, 3),
    2: (AT_40, BELOW_40, 40, 6, 3),
    3: (AT_60, BELOW_60, 60, 8, 5),
    4: (AT_80, BELOW_80, 80, 10, 6),
}


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_threshold_scores_are_what_the_comments_say(level):
    at, below, threshold, _, _ = LEVELS[level]
    assert run(at).score == threshold
    assert run(below).score == threshold - Fraction(1, 56)


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_level_exactly_met(level):
    at, _, _, n, c = LEVELS[level]
    result = run(at, scenarios_at(level, c, n - c))
    assert result.level == level
    assert (
        result.level_name
        == ["一级（初始级）", "二级（规范级）", "三级（集成级）", "四级（协同级）"][level - 1]
    )


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_level_missed_by_a_hair_of_score(level):
    _, below, threshold, n, c = LEVELS[level]
    result = run(below, scenarios_at(level, c, n - c))
    assert result.level == level - 1
    assert result.to_json()["score"] == format_points(threshold - Fraction(1, 56))
    assert result.to_json()["score"] == f"{threshold - 1}.98"  # shown as 19.98 etc., yet below 20


@pytest.mark.parametrize(
    ("level", "expected_level", "expected_next"),
    [
        (1, 0, 1),
        (2, 0, 1),  # five scenarios miss level 1's six as well
        (3, 2, 3),
        (4, 3, 4),
    ],
)
def test_level_missed_by_one_scenario(level, expected_level, expected_next):
    at, _, _, n, c = LEVELS[level]
    result = run(at, scenarios_at(level, c, n - c - 1))
    assert result.level == expected_level
    nxt = result.next_level
    assert (nxt.level, nxt.score_needed, nxt.scenarios_needed, nxt.constrained_needed) == (
        expected_next,
        0,
        1,
        0,
    )


@pytest.mark.parametrize(
    ("level", "expected_level", "expected_next"),
    [
        (1, 0, 1),
        (2, 0, 1),  # two constrained miss level 1's three as well
        (3, 2, 3),
        (4, 3, 4),
    ],
)
def test_level_missed_by_one_constrained_scenario(level, expected_level, expected_next):
    at, _, _, n, c = LEVELS[level]
    # still n scenarios at the level, but one constrained scenario swapped for an unconstrained one
    result = run(at, scenarios_at(level, c - 1, n - c + 1))
    assert result.level == expected_level
    nxt = result.next_level
    assert (nxt.level, nxt.score_needed, nxt.scenarios_needed, nxt.constrained_needed) == (
        expected_next,
        0,
        1,
        1,
    )


def test_scenarios_above_the_level_count():
    # level 1 needs scenarios "at level 1 or above": six at level 4 will do
    assert run(AT_20, scenarios_at(4, 3, 3)).level == 1


def test_level_zero_when_score_is_high_but_no_scenarios():
    result = run(AT_80)
    assert result.level == 0
    assert result.next_level.scenarios_needed == 6
    assert result.next_level.constrained_needed == 3
    assert result.to_json()["next_level"] == {
        "level": 1,
        "score_needed": "0.00",
        "scenarios_needed": 6,
        "constrained_needed": 3,
    }


def test_level_four_has_no_next_level():
    result = run(AT_80, scenarios_at(4, 10, 6))
    assert result.level == 4
    assert result.next_level is None
    assert result.to_json()["next_level"] is None


# --------------------------------------------------------------------------------------------------------
# next_level (RULES.md §6)
# --------------------------------------------------------------------------------------------------------


def test_next_level_from_level_two():
    # score 40 and six level-2 scenarios (three constrained) → level 2; level 3 needs 20 more points and
    # eight scenarios at level 3 of which five constrained: none are, so 8 and 5.
    result = run(AT_40, scenarios_at(2, 3, 3))
    assert result.level == 2
    nxt = result.next_level
    assert (nxt.level, nxt.score_needed, nxt.scenarios_needed, nxt.constrained_needed) == (3, 20, 8, 5)


def test_next_level_counts_constrained_gap():
    # level 4 needs 10 at level 4 with 6 constrained; have 6 unconstrained + 3 constrained = 9 at level 4
    scen = scenarios_at(4, 3, 6) | {"S10": 3, "S11": 3}  # two more constrained at 3 keep level 3
    result = run(AT_80, scen)
    assert result.level == 3  # 11 at ≥3 with 5 constrained
    nxt = result.next_level
    # max(10 − 9, 6 − 3) = 3 scenarios must rise to level 4, all 3 of them constrained
    assert (nxt.level, nxt.score_needed, nxt.scenarios_needed, nxt.constrained_needed) == (4, 0, 3, 3)


def test_rules_example_output():
    # RULES.md §6 example: foundation 40, management 15.75, effectiveness 8 → 63.75, level 3
    answers = {"Q1": [1, 2, 3, 4], "Q2": 3, "Q3": 0, "Q4": list(range(1, 15)), "Q5": 4, "Q6": [1, 2, 3, 4]}
    answers |= {"Q7": [1, 2]}  # 8 + 4.5 + 0 + 10 + 10 + 5 + 2.5 = 40
    answers |= {"Q8": 4, "Q9": [1, 2], "Q10": [1, 2, 3, 4], "Q11": 0}  # 6 + 3.75 + 6 + 0 = 15.75
    answers |= {"Q12": 1, "Q13": 0, "Q14": 1, "Q15": 2}  # 3.5 + 0 + 1.5 + 3 = 8
    # eight at level 4 (five constrained): level 3 holds; level 4 needs 2 more, 1 of them constrained
    scen = scenarios_at(4, 5, 3)
    data = {
        "equipment_total": 50,
        "equipment_digital": 12,
        "prev_year": {
            "revenue": 5000,
            "energy": [
                {"source": "electricity", "amount": 310},
                {"source": "blast_furnace_gas", "amount": "1.5"},
            ],
        },
        "last_year": {"revenue": 6000, "energy_tce": "300.5"},
    }
    out = run(answers, scen, data, framework_code="shunyi-2024").to_json()
    assert out == {
        "framework": "shunyi-2024",
        "score": "63.75",
        "dimensions": {"foundation": "40.00", "management": "15.75", "effectiveness": "8.00"},
        "items": {
            "Q1": "8.00",
            "Q2": "4.50",
            "Q3": "0.00",
            "Q4": "10.00",
            "Q5": "10.00",
            "Q6": "5.00",
            "Q7": "2.50",
            "Q8": "6.00",
            "Q9": "3.75",
            "Q10": "6.00",
            "Q11": "0.00",
            "Q12": "3.50",
            "Q13": "0.00",
            "Q14": "1.50",
            "Q15": "3.00",
        },
        "scenario_levels": {f"S{i:02d}": 0 for i in range(1, 17)} | scen,
        "level": 3,
        # 12/50 = 24% → (20%,40%] = 2; 382.919/5000 > 300.5/6000 → 降低 = 2
        "derived": {"Q2": 2, "Q12": 2},
        "energy_tce": {"prev_year": "382.919", "last_year": "300.5"},
        "inconsistencies": ["Q2", "Q12"],
        "next_level": {"level": 4, "score_needed": "16.25", "scenarios_needed": 2, "constrained_needed": 1},
    }
    assert list(out) == [
        "framework",
        "score",
        "dimensions",
        "items",
        "scenario_levels",
        "level",
        "derived",
        "energy_tce",
        "inconsistencies",
        "next_level",
    ]


# --------------------------------------------------------------------------------------------------------
# Rate bands (RULES.md §5)
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "total", "band"),
    [
        (0, 50, 0),
        (5, 50, 0),  # exactly 10% is band 0
        ("5.001", 50, 1),
        (10, 50, 1),  # exactly 20%
        ("10.01", 50, 2),
        (20, 50, 2),  # exactly 40%
        (21, 50, 3),
        (30, 50, 3),  # exactly 60%
        (31, 50, 4),
        (50, 50, 4),  # exactly 100%
        (1, 3, 2),  # 33.3…%
        ("0.1", 1, 0),
    ],
)
def test_rate_band_boundaries(part, total, band):
    # Q11: investment / revenue (one year), amounts in 万元
    data = {"investment_by_year": [part], "revenue_by_year": [total]}
    assert run({"Q11": band}, data=data).derived == {"Q11": band}


@pytest.mark.parametrize(
    ("part", "total", "field", "code"),
    [
        (51, 50, "equipment_digital", "part_above_total"),
        (0, 0, "equipment_total", "zero_total"),
        (3, 0, "equipment_total", "zero_total"),
        (-1, 50, "equipment_digital", "negative"),
        (1, -50, "equipment_total", "negative"),
        ("abc", 50, "equipment_digital", "not_number"),
        (True, 50, "equipment_digital", "not_number"),
    ],
)
def test_rate_band_errors(part, total, field, code):
    err = bad(make_input(data={"equipment_total": total, "equipment_digital": part}))
    assert (err.field, err.code) == (f"data.{field}", code)


@pytest.mark.parametrize(
    ("digital", "band"), [(0, 0), (5, 0), (6, 1), (10, 1), (20, 2), (30, 3), (31, 4), (50, 4)]
)
def test_q2_derived_from_equipment(digital, band):
    result = run({"Q2": band}, data={"equipment_total": 50, "equipment_digital": digital})
    assert result.derived == {"Q2": band}
    assert result.inconsistencies == []


def test_q3_derived_and_inconsistent():
    result = run({"Q3": 4}, data={"equipment_total": 40, "equipment_networked": 4})  # 10% → band 0
    assert result.derived == {"Q3": 0}
    assert result.inconsistencies == ["Q3"]
    assert result.items["Q3"] == 6  # the answer scores, not the derived option


def test_q11_sums_over_years():
    # (30 + 50 + 60) / (400 + 500 + 500) = 140 / 1400 = exactly 10% → band 0
    data = {"investment_by_year": [30, 50, 60], "revenue_by_year": [400, 500, 500]}
    assert run(data=data).derived == {"Q11": 0}
    # one year only (a young enterprise): 101 / 1000 → (10%,20%]
    assert run(data={"investment_by_year": [101], "revenue_by_year": ["1000"]}).derived == {"Q11": 1}


def test_no_derivation_without_all_inputs():
    assert run(data={"equipment_total": 50}).derived == {}
    assert run(data={"prev_year": {"revenue": 100}}).derived == {}


# --------------------------------------------------------------------------------------------------------
# Energy (综合能源消费量) and trends
# --------------------------------------------------------------------------------------------------------


def tce_of(year: dict):
    return run(data={"prev_year": year}).energy_tce.get("prev_year")


def test_seed_energy_example():
    year = {
        "energy": [{"source": "electricity", "amount": 310}, {"source": "blast_furnace_gas", "amount": "1.5"}]
    }
    assert tce_of(year) == Decimal("382.919")
    assert run(data={"prev_year": year}).to_json()["energy_tce"] == {"prev_year": "382.919"}


def test_energy_subtracts_conversion_output_and_recovery():
    year = {
        "energy": [
            {"source": "electricity", "amount": 310},
            {"source": "blast_furnace_gas", "amount": "1.5"},
        ],
        "conversion_output_tce": "2.919",
        "recovered_tce": 80,
    }
    assert tce_of(year) == Decimal("300")  # 382.919 − 2.919 − 80


def test_energy_every_source(shunyi):
    year = {"energy": [{"source": s.code, "amount": 1} for s in shunyi.energy_sources]}
    # Σ of the 15 coefficients of 表1
    expected = Decimal("0.9428") + Decimal("0.9") + Decimal("0.7143") + Decimal("0.4286") + Decimal("0.9")
    expected += Decimal("1.286") + Decimal("2.714") + Decimal("1.786") + Decimal("0.0341") + Decimal("1.229")
    expected += Decimal("0.2714") + 1 + Decimal("0.0341") + Decimal("0.4285") + 1
    assert tce_of(year) == expected == Decimal("13.6688")


def test_energy_in_grade_output():
    data = {
        "prev_year": {"energy": [{"source": "heat", "amount": "1000"}], "recovered_tce": "4.1"},
        "last_year": {"energy_tce": 20},
    }
    out = run(data=data).to_json()
    assert out["energy_tce"] == {"prev_year": "30", "last_year": "20"}  # 1000 × 0.0341 − 4.1; given


def test_energy_given_directly():
    assert tce_of({"energy_tce": "300.5"}) == Decimal("300.5")
    assert tce_of({"revenue": 5}) is None


@pytest.mark.parametrize(
    ("year", "field", "code"),
    [
        ({"energy": [{"source": "coal", "amount": 1}]}, "energy[0].source", "unknown_source"),
        ({"energy": [{"source": "heat", "amount": -1}]}, "energy[0].amount", "negative"),
        ({"energy": [{"source": "heat"}]}, "energy[0].amount", "missing"),
        ({"energy": [{"source": "heat", "amount": 1, "unit": "t"}]}, "energy[0].unit", "unknown_field"),
        ({"energy": "heat"}, "energy", "energy_list"),
        ({"energy_tce": 5, "energy": []}, "energy_tce", "tce_twice"),
        ({"energy_tce": 5, "recovered_tce": 1}, "recovered_tce", "minus_without_list"),
        (
            {"energy": [{"source": "heat", "amount": 100}], "recovered_tce": 4},
            "recovered_tce",
            "minus_exceeds",
        ),
        ({"coal": 5}, "coal", "unknown_field"),
    ],
)
def test_energy_errors(year, field, code):
    err = bad(make_input(data={"prev_year": year}))
    assert (err.field, err.code) == (f"data.prev_year.{field}", code)


def test_energy_subtractions_exceeding_name_both_figures():
    err = bad(
        make_input(data={"prev_year": {"energy": [{"source": "heat", "amount": 100}], "recovered_tce": 4}})
    )
    assert err.params == {"minus": "4", "consumed": "3.41"}


@pytest.mark.parametrize(
    ("before", "after", "option"),
    [
        ("0.5", "0.5", 1),
        ("0.50", "0.5", 1),  # equal values in other spellings are equal
        (0.5, "0.4", 0),
        ("0.5", 0.6, 2),
    ],
)
def test_trend(before, after, option):
    # Q13: the pass rate, higher is better (增加 = option 2)
    assert run(data={"pass_rate_before": before, "pass_rate_after": after}).derived == {"Q13": option}


def trend_data(prev: dict, last: dict, **extra) -> dict:
    return {"prev_year": prev, "last_year": last, **extra}


def test_q12_energy_per_revenue_lower_is_better():
    # 100/1000 → 90/1000: lower energy per revenue → 降低 (option 2)
    data = trend_data({"revenue": 1000, "energy_tce": 100}, {"revenue": 1000, "energy_tce": 90})
    assert run(data=data).derived == {"Q12": 2}
    # 100/1000 → 120/1000: 增加 (option 0)
    data = trend_data({"revenue": 1000, "energy_tce": 100}, {"revenue": 1000, "energy_tce": 120})
    assert run(data=data).derived == {"Q12": 0}
    # 100/1000 = 150/1500: 持平 (option 1), although both energy and revenue rose
    data = trend_data({"revenue": 1000, "energy_tce": 100}, {"revenue": 1500, "energy_tce": 150})
    assert run(data=data).derived == {"Q12": 1}


def test_q13_pass_rate_higher_is_better():
    assert run(data={"pass_rate_before": "0.95", "pass_rate_after": "0.97"}).derived == {"Q13": 2}
    assert run(data={"pass_rate_before": 0.97, "pass_rate_after": 0.95}).derived == {"Q13": 0}
    assert run(data={"pass_rate_before": 0.95, "pass_rate_after": "0.950"}).derived == {"Q13": 1}


def test_q14_revenue_per_employee_higher_is_better():
    # 5000/100 = 50 → 6000/110 = 54.5…: 增加 (option 2)
    data = trend_data({"revenue": 5000, "employees": 100}, {"revenue": 6000, "employees": 110})
    assert run(data=data).derived == {"Q14": 2}
    # 50 → 6000/120 = 50: 持平
    data = trend_data({"revenue": 5000, "employees": 100}, {"revenue": 6000, "employees": 120})
    assert run(data=data).derived == {"Q14": 1}
    data = trend_data({"revenue": 5000, "employees": 100}, {"revenue": 6000, "employees": 121})
    assert run(data=data).derived == {"Q14": 0}


def test_q15_cost_per_revenue_lower_is_better():
    # 4000/5000 = 0.8 → 4500/6000 = 0.75: 降低 (option 2)
    data = trend_data({"revenue": 5000, "cost": 4000}, {"revenue": 6000, "cost": 4500})
    assert run(data=data).derived == {"Q15": 2}
    data = trend_data({"revenue": 5000, "cost": 4000}, {"revenue": 6000, "cost": 4800})
    assert run(data=data).derived == {"Q15": 1}
    data = trend_data({"revenue": 5000, "cost": 4000}, {"revenue": 6000, "cost": 4801})
    assert run(data=data).derived == {"Q15": 0}


def test_q12_uses_computed_energy():
    # prev: 382.919 tce / 5000 → last: 300.5 / 6000: lower
    data = trend_data(
        {
            "revenue": 5000,
            "energy": [
                {"source": "electricity", "amount": 310},
                {"source": "blast_furnace_gas", "amount": 1.5},
            ],
        },
        {"revenue": 6000, "energy_tce": 300.5},
    )
    result = run({"Q12": 2}, data=data)
    assert result.derived == {"Q12": 2}
    assert result.inconsistencies == []
    assert result.energy_tce == {"prev_year": Decimal("382.919"), "last_year": Decimal("300.5")}


# --------------------------------------------------------------------------------------------------------
# Inconsistencies
# --------------------------------------------------------------------------------------------------------


def test_inconsistencies_in_code_order():
    data = {
        "equipment_total": 100,
        "equipment_digital": 100,  # 100% → 4
        "equipment_networked": 15,  # 15% → 1
        "investment_by_year": [1],
        "revenue_by_year": [100],  # 1% → 0
        "pass_rate_before": 0.9,
        "pass_rate_after": 0.9,  # 持平 → 1
        "prev_year": {"revenue": 100, "cost": 50, "employees": 10},
        "last_year": {"revenue": 100, "cost": 40, "employees": 10},  # Q14 持平 1, Q15 降低 2
    }
    answers = {"Q2": 4, "Q3": 0, "Q11": 3, "Q13": 2, "Q14": 1, "Q15": 0}
    result = run(answers, data=data)
    assert result.derived == {"Q2": 4, "Q3": 1, "Q11": 0, "Q13": 1, "Q14": 1, "Q15": 2}
    assert result.inconsistencies == ["Q3", "Q11", "Q13", "Q15"]
    assert result.to_json()["inconsistencies"] == ["Q3", "Q11", "Q13", "Q15"]


# --------------------------------------------------------------------------------------------------------
# Bad input: each kind names its field
# --------------------------------------------------------------------------------------------------------


def with_answers(**answers) -> dict:
    return make_input({k: v for k, v in answers.items()})


@pytest.mark.parametrize(
    ("obj", "field", "code"),
    [
        (with_answers(Q1=[0, 2]), "Q1", "none_combined"),
        (with_answers(Q1=[]), "Q1", "empty_choice"),
        (with_answers(Q1=[2, 2]), "Q1", "repeated_option"),
        (with_answers(Q1=[5]), "Q1", "option_range"),
        (with_answers(Q1=[-1]), "Q1", "option_range"),
        (with_answers(Q1=2), "Q1", "multi_choice"),
        (with_answers(Q1=[True]), "Q1", "option_type"),
        (with_answers(Q1=["1"]), "Q1", "option_type"),
        (with_answers(Q1=[1.0]), "Q1", "option_type"),
        (with_answers(Q2=5), "Q2", "option_range"),
        (with_answers(Q8=6), "Q8", "option_range"),
        (with_answers(Q12=3), "Q12", "option_range"),
        (with_answers(Q2=-1), "Q2", "option_range"),
        (with_answers(Q2=True), "Q2", "single_choice"),
        (with_answers(Q2=False), "Q2", "single_choice"),
        (with_answers(Q2=2.0), "Q2", "single_choice"),
        (with_answers(Q2="2"), "Q2", "single_choice"),
        (with_answers(Q2=[2]), "Q2", "single_choice"),
        (with_answers(Q4=[15]), "Q4", "option_range"),
    ],
)
def test_bad_answers(obj, field, code):
    err = bad(obj)
    assert (err.field, err.code) == (field, code)


def test_option_range_names_the_option_and_the_range():
    err = bad(with_answers(Q8=6))
    assert err.params == {"option": 6, "max": 5}
    assert err.message == "Q8: 选项 6 超出范围（0–5）"


def test_none_combined_message_in_both_languages():
    err = bad(with_answers(Q1=[0, 1]))
    assert err.code == "none_combined"
    assert str(err) == "Q1: “无”不能与其他选项同时选择"
    with translation.override("en"):
        assert str(err) == "Q1: 无 cannot be combined with other options"
        assert err.text == "无 cannot be combined with other options"


def test_missing_item():
    obj = make_input()
    del obj["answers"]["Q7"]
    err = bad(obj)
    assert (err.field, err.code) == ("Q7", "missing")


def test_null_item():
    obj = make_input({"Q7": None})
    assert bad(obj).field == "Q7"


def test_unknown_item():
    obj = make_input({"Q16": 1})
    err = bad(obj)
    assert err.field == "Q16"
    assert err.code == "unknown_item"


def test_missing_answers():
    obj = make_input()
    del obj["answers"]
    assert bad(obj).field == "answers"


def test_answers_not_an_object():
    obj = make_input()
    obj["answers"] = [1, 2]
    assert bad(obj).field == "answers"


@pytest.mark.parametrize(
    ("value", "got"),
    [
        (5, "5"),
        (-1, "-1"),
        (True, "true"),
        ("3", '"3"'),
        (2.0, "2.0"),
        ([True, True, True], "[true, true, true]"),
        ([True, True, True, True, True], "[true, true, true, true, true]"),
        ([True, 1, True, True], "[true, 1, true, true]"),
        ([True, None, True, True], "[true, null, true, true]"),
        ({"1": True}, '{"1": true}'),
    ],
)
def test_bad_scenarios(value, got):
    err = bad(make_input(scenarios={"S03": value}))
    assert (err.field, err.code, err.params) == ("scenarios.S03", "scenario_value", {"max": 4, "got": got})


def test_missing_scenario():
    obj = make_input()
    del obj["scenarios"]["S16"]
    err = bad(obj)
    assert (err.field, err.code) == ("scenarios.S16", "missing")


def test_unknown_scenario():
    err = bad(make_input(scenarios={"S17": 1}))
    assert err.field == "scenarios.S17"
    assert err.code == "unknown_scenario"


def test_missing_scenarios_object():
    obj = make_input()
    del obj["scenarios"]
    assert bad(obj).field == "scenarios"


def test_unknown_framework():
    err = bad(make_input() | {"framework": "shunyi-2099"})
    assert err.field == "framework"
    assert err.code == "unknown_framework"
    assert err.params["edition"] == "shunyi-2099" and "shunyi-2024" in err.params["known"]


def test_framework_not_text():
    assert bad(make_input() | {"framework": 2024}).field == "framework"


def test_unknown_top_level_field():
    err = bad(make_input() | {"answer": {}})
    assert err.field == "answer"


def test_input_not_an_object():
    assert bad("x").field == "input"
    with pytest.raises(GradingInputError) as info:
        parse_assessment([1])
    assert (info.value.field, info.value.code) == ("input", "not_assessment")
    with pytest.raises(GradingInputError) as info:  # to the contract a list is an array of input objects
        grade_json([1])
    assert (info.value.field, info.value.code) == ("[0].input", "not_assessment")


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"equipment_total": -1}, "data.equipment_total", "negative"),
        ({"equipment_total": "many"}, "data.equipment_total", "not_number"),
        ({"equipment_total": True}, "data.equipment_total", "not_number"),
        ({"equipment_total": "12.5"}, "data.equipment_total", "not_whole"),
        ({"equipment_total": "NaN"}, "data.equipment_total", "not_number"),
        ({"equipment_total": "1_000"}, "data.equipment_total", "not_number"),
        ({"equipment_total": [1]}, "data.equipment_total", "not_number"),
        ({"equipment_total": 0, "equipment_digital": 0}, "data.equipment_total", "zero_total"),
        ({"equipment_total": 10, "equipment_digital": 11}, "data.equipment_digital", "part_above_total"),
        ({"equipment_total": 10, "equipment_networked": 12}, "data.equipment_networked", "part_above_total"),
        ({"investment_by_year": [1, 2], "revenue_by_year": [0, 0]}, "data.revenue_by_year", "zero_total"),
        (
            {"investment_by_year": [60, 50], "revenue_by_year": [100, 5]},
            "data.investment_by_year",
            "part_above_total",
        ),
        (
            {"investment_by_year": [1, 2], "revenue_by_year": [10]},
            "data.revenue_by_year",
            "year_count",
        ),
        ({"investment_by_year": [1, 2, 3, 4]}, "data.investment_by_year", "year_list"),
        ({"investment_by_year": []}, "data.investment_by_year", "year_list"),
        ({"investment_by_year": 12}, "data.investment_by_year", "year_list"),
        ({"investment_by_year": [1, -2]}, "data.investment_by_year[1]", "negative"),
        ({"pass_rate_after": "1.2"}, "data.pass_rate_after", "rate_above_one"),
        ({"pass_rate_before": 97}, "data.pass_rate_before", "rate_above_one"),
        ({"prev_year": {"revenue": -5}}, "data.prev_year.revenue", "negative"),
        ({"prev_year": {"turnover": 5}}, "data.prev_year.turnover", "unknown_field"),
        ({"prev_year": 5}, "data.prev_year", "not_object"),
        ({"revenue": 5}, "data.revenue", "unknown_field"),
        (
            {"prev_year": {"employees": 0, "revenue": 10}, "last_year": {"employees": 5, "revenue": 10}},
            "data.prev_year.employees",
            "zero_total",
        ),
        (
            {"prev_year": {"revenue": 0, "cost": 10}, "last_year": {"revenue": 5, "cost": 1}},
            "data.prev_year.revenue",
            "zero_total",
        ),
        (
            {"last_year": {"energy": [{"source": "steam", "amount": 1}]}},
            "data.last_year.energy[0].source",
            "unknown_source",
        ),
        ({"last_year": {"energy": [], "energy_tce": 1}}, "data.last_year.energy_tce", "tce_twice"),
        (
            {"prev_year": {"recovered_tce": 1}},
            "data.prev_year.recovered_tce",
            "minus_without_list",
        ),
        (
            {"prev_year": {"energy": [{"source": "heat", "amount": 10}], "conversion_output_tce": 1}},
            "data.prev_year.conversion_output_tce",
            "minus_exceeds",
        ),
        ({"equipment_total": "1e20"}, "data.equipment_total", "too_large"),
    ],
)
def test_bad_data(data, field, code):
    err = bad(make_input(data=data))
    assert (err.field, err.code) == (field, code)


def test_data_not_an_object():
    assert bad(make_input(data=[1])).field == "data"


def test_data_numbers_as_strings_and_decimals():
    data = {"equipment_total": "50", "equipment_digital": Decimal("12"), "equipment_networked": 10.0}
    assert run(data=data).derived == {"Q2": 2, "Q3": 1}


def test_null_data_fields_are_absent():
    assert run(data={"equipment_total": None, "equipment_digital": 3, "prev_year": None}).derived == {}


# --------------------------------------------------------------------------------------------------------
# Partial mode (the live panel while the form is incomplete)
# --------------------------------------------------------------------------------------------------------


def test_partial_counts_unanswered_as_zero(shunyi):
    result = grade_partial(
        shunyi, {"Q5": 4, "Q12": 2, "Q14": 2, "Q1": None}, {"S01": 1, "S02": [True, None, None, None]}
    )
    assert result.score == 20
    assert result.unanswered_items == tuple(f"Q{i}" for i in range(1, 16) if i not in (5, 12, 14))
    assert result.unanswered_scenarios == tuple(f"S{i:02d}" for i in range(3, 17))
    assert result.scenario_levels["S02"] == 1
    assert not result.complete
    out = result.to_json()
    assert out["complete"] is False
    assert out["unanswered"]["items"][0] == "Q1"
    assert out["errors"] == []


def test_partial_collects_bad_entries_and_keeps_going(shunyi):
    result = grade_partial(
        shunyi,
        {"Q1": [0, 1], "Q5": 4, "Q99": 1},
        {"S01": 9},
        {
            "equipment_total": 10,
            "equipment_digital": 20,
            "pass_rate_before": "0.9",
            "pass_rate_after": "0.95",
        },
    )
    assert result.items["Q1"] == 0 and result.score == 10
    assert [e.field for e in result.errors] == ["Q99", "Q1", "scenarios.S01", "data.equipment_digital"]
    assert "Q1" in result.unanswered_items
    assert result.derived == {"Q13": 2}
    assert result.to_json()["errors"][1] == {
        "field": "Q1",
        "code": "none_combined",
        "message": "Q1: “无”不能与其他选项同时选择",
    }


def test_partial_complete_form(shunyi):
    obj = make_input(AT_20)
    result = grade_partial(shunyi, obj["answers"], obj["scenarios"])
    assert result.complete and result.score == 20
    assert result.to_json()["complete"] is True


def test_partial_still_refuses_an_unknown_framework():
    with pytest.raises(GradingInputError) as info:
        grade_partial("shunyi-2099", {}, {})
    assert info.value.field == "framework"


def test_strict_output_has_no_partial_keys():
    assert set(run().to_json()) == {
        "framework",
        "score",
        "dimensions",
        "items",
        "scenario_levels",
        "level",
        "derived",
        "energy_tce",
        "inconsistencies",
        "next_level",
    }


# --------------------------------------------------------------------------------------------------------
# JSON helpers, arrays, and the second edition
# --------------------------------------------------------------------------------------------------------


def test_grade_json_array_names_the_index():
    good = make_input(AT_20)
    wrong = make_input({"Q1": [0, 3]})
    assert [r["score"] for r in grade_json([good, good])] == ["20.00", "20.00"]
    with pytest.raises(GradingInputError) as info:
        grade_json([good, good, wrong])
    assert (info.value.field, info.value.code) == ("[2].Q1", "none_combined")
    assert grade_json([]) == []


def test_grade_json_rejects_scalars():
    with pytest.raises(GradingInputError) as info:
        grade_json("hello")
    assert info.value.field == "input"


def test_loads_keeps_decimals_and_refuses_nan_and_duplicates():
    assert loads('{"a": 0.1}') == {"a": Decimal("0.1")}
    for text, what in [
        ('{"a": NaN}', "NaN"),
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ("{", "Expecting property name"),
    ]:
        with pytest.raises(GradingInputError) as info:
            loads(text)
        assert (info.value.field, info.value.code) == ("input", "invalid_json")
        assert what in info.value.params["error"]


def test_exact_json_numbers_from_text():
    text = '{"answers": %s, "scenarios": {}, "data": {"prev_year": {"energy": [{"source": "electricity", "amount": 0.1}]}}}'
    obj = loads(text % "{}")
    obj["answers"] = make_input()["answers"]
    obj["scenarios"] = make_input()["scenarios"]
    assert grade_json(obj)["energy_tce"] == {"prev_year": "0.1229"}


def test_assessment_object(shunyi):
    assessment = parse_assessment(make_input({"Q6": [3, 1]}, {"S04": [True, True, False, False]}))
    assert isinstance(assessment, Assessment)
    assert assessment.framework == "shunyi-2024"
    assert assessment.answers["Q6"] == (1, 3)
    assert assessment.scenario_levels["S04"] == 2
    assert assessment.complete


def test_parse_with_an_explicit_edition(shunyi, national):
    obj = make_input(framework_code="shunyi-2024")
    assert parse_assessment(obj, edition=shunyi).edition is shunyi
    err = bad(obj, edition=national)
    assert err.field == "framework"
    assert err.code == "framework_mismatch"


def national_input(answers=None, scenarios=None, data=None):
    obj = {
        "framework": "national-test",
        "answers": {"Q1": [0], "Q2": 0, "Q3": [0], "Q4": 0, "Q5": 0} | (answers or {}),
        "scenarios": {f"N0{i}": 0 for i in range(1, 7)} | (scenarios or {}),
    }
    if data is not None:
        obj["data"] = data
    return obj


def test_second_edition_grades_without_code_change(national):
    # Q1: 13 links × 0.7 + 人力资源 0.9 = 10; Q2 band 3 → 80 × 20% = 16; Q3 three × 40 capped at 100 → 20;
    # Q4 option 2 → 70 × 30% = 21; Q5 持平 → 50 × 20% = 10. Total 77 ≥ 70.5 but < 85 → level 3 if scenarios do.
    answers = {"Q1": list(range(1, 15)), "Q2": 3, "Q3": [1, 2, 3], "Q4": 2, "Q5": 1}
    scenarios = {"N01": 3, "N02": 3, "N04": 3, "N05": 3, "N03": 2}
    data = {
        "equipment_total": 10,
        "equipment_digital": 5,  # 50% → band 3
        "prev_year": {
            "employees": 10,
            "revenue": 100,
            "energy": [{"source": "natural_gas", "amount": "0.4"}],
        },
        "last_year": {"employees": 20, "revenue": 200},  # 10 → 10 per employee: 持平
    }
    out = grade_json(national_input(answers, scenarios, data))
    assert out["framework"] == "national-test"
    assert out["items"] == {"Q1": "10.00", "Q2": "16.00", "Q3": "20.00", "Q4": "21.00", "Q5": "10.00"}
    assert out["dimensions"] == {"foundation": "46.00", "management": "21.00", "effectiveness": "10.00"}
    assert out["score"] == "77.00"
    assert out["level"] == 3  # 4 scenarios at ≥3 (2 constrained)
    assert out["derived"] == {"Q2": 3, "Q5": 1}
    assert out["inconsistencies"] == []
    assert out["energy_tce"] == {"prev_year": "5"}  # 0.4 × 12.5
    # level 4: 85 points, 5 scenarios at 4 of which 3 constrained; none are at 4
    assert out["next_level"] == {
        "level": 4,
        "score_needed": "8.00",
        "scenarios_needed": 5,
        "constrained_needed": 3,
    }


def test_second_edition_irregular_points(national):
    def score(q1):
        return grade(parse_assessment(national_input({"Q1": q1}))).items["Q1"]

    hr = 8  # 人力资源 is the eighth business link
    assert score([hr]) == Fraction(9, 10)
    assert score([1]) == Fraction(7, 10)
    assert score([1, hr]) == Fraction(8, 5)
    assert grade(parse_assessment(national_input({"Q3": [1, 2]}))).items["Q3"] == 16  # 80 × 20%


def test_second_edition_threshold_with_half_point(national):
    # level 3 needs 70.5: 10 + 20 + 20 + 21 = 71 passes; without 人力资源 Q1 is 9.1 → 70.1 fails
    scen = {"N01": 3, "N02": 3, "N04": 3, "N05": 3}
    full = {"Q1": list(range(1, 15)), "Q2": 4, "Q3": [1, 2, 3, 4], "Q4": 2, "Q5": 0}
    assert grade(parse_assessment(national_input(full, scen))).score == 71
    assert grade(parse_assessment(national_input(full, scen))).level == 3
    no_hr = full | {"Q1": [i for i in range(1, 15) if i != 8]}
    result = grade(parse_assessment(national_input(no_hr, scen)))
    assert result.score == Fraction(701, 10)
    assert result.level == 2
    assert result.next_level.score_needed == Fraction(2, 5)


def test_second_edition_rejects_shunyi_codes(national):
    err = bad(national_input() | {"answers": national_input()["answers"] | {"Q15": 1}})
    assert err.field == "Q15"


def test_engine_and_framework_are_pure():
    """No Django, no ORM, no settings: the engine imports without them."""
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, assessments.engine, assessments.framework; print([m for m in sys.modules if m.startswith('django')])"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
