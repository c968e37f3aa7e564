"""Properties of the engine over random valid assessments (hypothesis).

* the score is always within 0..100 and equals a straightforward Fraction computation;
* the contract end to end (grade_json) equals the slow Fraction reference of reference.py, figures included;
* neither score nor level ever drops when one answer improves: a higher single-choice option, an option
  added to a multiple-choice set that is not 无, or a scenario criterion newly met.
"""

import random
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine import (
    GradingInputError,
    compiled,
    format_points,
    grade,
    grade_json,
    grade_partial,
    parse_assessment,
    scenario_level,
)
from assessments.framework import get_edition, load_edition

from .reference import random_assessment, reference

EDITION = get_edition("shunyi-2024")
NATIONAL = load_edition(Path(__file__).parent / "editions" / "national-test.json")


@st.composite
def answer_for(draw, item):
    n = len(item.options)
    if item.kind == "single":
        return draw(st.integers(0, n - 1))
    if draw(st.integers(0, 4)) == 0:
        return [0]  # 无
    chosen = draw(st.lists(st.integers(1, n - 1), min_size=1, max_size=n - 1, unique=True))
    return chosen


scenario_value = st.one_of(st.integers(0, 4), st.lists(st.booleans(), min_size=4, max_size=4))


@st.composite
def assessments(draw):
    answers = {item.code: draw(answer_for(item)) for item in EDITION.items}
    scenarios = {s.code: draw(scenario_value) for s in EDITION.scenarios}
    return {"framework": EDITION.code, "answers": answers, "scenarios": scenarios}


def reference_score(obj) -> Fraction:
    """附件1 评分逻辑 read literally: Σ option score × 采集项 × 二级 × 一级 weight, in Fractions."""
    total = Fraction(0)
    for dim in EDITION.dimensions:
        for sec in dim.secondaries:
            for item in sec.items:
                answer = obj["answers"][item.code]
                n = len(item.options)
                if item.kind == "single":
                    score = Fraction(answer * 100, n - 1)
                else:
                    score = Fraction(0) if answer == [0] else Fraction(len(answer) * 100, n - 1)
                total += score * item.weight * sec.weight * dim.weight
    return total


def reference_level(obj, score) -> int:
    levels = {}
    for code, value in obj["scenarios"].items():
        levels[code] = value if isinstance(value, int) else scenario_level(value)
    constrained = {s.code for s in EDITION.scenarios if s.constrained}
    best = 0
    for lv in EDITION.levels:
        at = [c for c, v in levels.items() if v >= lv.level]
        if (
            score >= lv.min_score
            and len(at) >= lv.min_scenarios
            and len(constrained & set(at)) >= lv.min_constrained
        ):
            best = lv.level
    return best


def run(obj):
    return grade(parse_assessment(obj))


@settings(max_examples=400)
@given(assessments())
def test_score_in_range_and_exact(obj):
    result = run(obj)
    assert 0 <= result.score <= 100
    assert result.score == reference_score(obj)
    assert sum(result.dimensions.values()) == result.score
    assert sum(result.items.values()) == result.score
    assert result.level == reference_level(obj, result.score)
    out = result.to_json()
    assert out["score"] == format_points(result.score)
    assert out["level"] == result.level


@st.composite
def improvements(draw):
    """An assessment and the same assessment with exactly one answer improved."""
    obj = draw(assessments())
    better = {
        "framework": obj["framework"],
        "answers": dict(obj["answers"]),
        "scenarios": dict(obj["scenarios"]),
    }
    kind = draw(st.sampled_from(["single", "multi", "scenario"]))
    if kind == "scenario":
        code = draw(st.sampled_from(EDITION.scenario_codes))
        met = obj["scenarios"][code]
        if isinstance(met, int):
            met = [i < met for i in range(4)]
        unmet = [i for i, ok in enumerate(met) if not ok]
        if unmet:
            index = draw(st.sampled_from(unmet))
            met = list(met)
            met[index] = True
        better["scenarios"][code] = met
    elif kind == "single":
        item = draw(st.sampled_from([i for i in EDITION.items if i.kind == "single"]))
        current = obj["answers"][item.code]
        better["answers"][item.code] = draw(st.integers(current, len(item.options) - 1))
    else:
        item = draw(st.sampled_from([i for i in EDITION.items if i.kind == "multi"]))
        current = obj["answers"][item.code]
        if current == [0]:
            better["answers"][item.code] = [draw(st.integers(1, len(item.options) - 1))]
        else:
            missing = [i for i in range(1, len(item.options)) if i not in current]
            if missing:
                better["answers"][item.code] = [*current, draw(st.sampled_from(missing))]
    return obj, better


@settings(max_examples=600)
@given(improvements())
def test_improving_one_answer_never_lowers_score_or_level(pair):
    before, after = (run(obj) for obj in pair)
    assert after.score >= before.score
    assert after.level >= before.level
    assert after.dimensions["foundation"] >= before.dimensions["foundation"]
    nxt_before, nxt_after = before.next_level, after.next_level
    if nxt_before and nxt_after and nxt_before.level == nxt_after.level:
        assert nxt_after.score_needed <= nxt_before.score_needed
        assert nxt_after.scenarios_needed <= nxt_before.scenarios_needed


@settings(max_examples=200)
@given(st.lists(st.booleans(), min_size=4, max_size=4), st.integers(0, 3))
def test_meeting_one_more_criterion_never_lowers_a_scenario(met, index):
    better = list(met)
    better[index] = True
    assert scenario_level(better) >= scenario_level(met)
    # and the level is the count of leading criteria met (备注2)
    leading = 0
    while leading < 4 and met[leading]:
        leading += 1
    assert scenario_level(met) == leading


@settings(max_examples=300)
@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_rate_band_matches_the_band_edges(part, total):
    if part > total:
        return
    rate = Fraction(part, total)
    band = grade_json(
        {"answers": blank(), "scenarios": {}, "data": {"equipment_total": total, "equipment_digital": part}}
        | {"scenarios": {s.code: 0 for s in EDITION.scenarios}}
    )["derived"]["Q2"]
    edges = [Fraction(0), Fraction(1, 10), Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(1)]
    if band == 0:
        assert rate <= edges[1]
    else:
        assert edges[band] < rate <= edges[band + 1]


def blank() -> dict:
    return {item.code: [0] if item.kind == "multi" else 0 for item in EDITION.items}


@settings(max_examples=300)
@given(st.integers(0, 2**32))
def test_contract_equals_the_fraction_reference(seed):
    """Random valid inputs with every kind of figure: the engine's output is the reference's, exactly."""
    obj = random_assessment(random.Random(seed), EDITION)
    want, exact_score = reference(obj)
    assert grade_json(obj) == want
    assert grade(parse_assessment(obj)).score == exact_score


@settings(max_examples=200)
@given(assessments(), st.data())
def test_partial_form_scores_what_is_answered(obj, data):
    """An unfinished form scores the answered items only, and the finished form scores as in strict mode."""
    answered = data.draw(st.sets(st.sampled_from(EDITION.item_codes)))
    judged = data.draw(st.sets(st.sampled_from(EDITION.scenario_codes)))
    answers = {code: obj["answers"][code] for code in answered}
    scenarios = {code: obj["scenarios"][code] for code in judged}
    partial = grade_partial(EDITION, answers, scenarios)
    full = run(obj)
    assert partial.score == sum((full.items[c] for c in answered), Fraction(0))
    assert partial.level <= full.level
    assert set(partial.unanswered_items) == set(EDITION.item_codes) - answered
    assert set(partial.unanswered_scenarios) == set(EDITION.scenario_codes) - judged
    assert partial.complete == (answered == set(EDITION.item_codes) and judged == set(EDITION.scenario_codes))
    if partial.complete:
        expected = full.to_json() | {
            "complete": True,
            "unanswered": {"items": [], "scenarios": []},
            "errors": [],
        }
        assert partial.to_json() == expected


ODD_VALUES = [True, False, None, 1.0, -1, 10**16, "1_0", " 5", "5 ", "+5", "1e3", "0.1234567", "-0", "", ".5", "5.",
              "１２", 1e-05, float("nan"), 3.25, [], [1], {}, (1, 2), "x", 2**40 + 0.5, "12.0", "0.95"]  # fmt: skip


def _mutations(obj, rng):
    """Paths to every value of an input object, and one of them replaced by an odd value."""
    paths = []

    def walk(node, path):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            paths.append((*path, key))
            walk(value, (*path, key))

    walk({k: v for k, v in obj.items() if k != "framework"}, ())  # the framework picks the function
    path = rng.choice(paths)
    node = obj
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = rng.choice(ODD_VALUES)
    return obj


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32))
def test_fast_path_agrees_with_the_careful_one(seed):
    """The edition's generated function returns what the careful path does, or gives way (None) to it."""
    rng = random.Random(seed)
    obj = random_assessment(rng, EDITION)
    if seed % 4:
        obj = _mutations(obj, rng)
    try:
        fast = compiled(EDITION).fast(obj)
    except Exception:  # noqa: BLE001 - grade_json() takes the careful path then
        fast = None
    try:
        careful = grade(parse_assessment(obj)).to_json()
    except GradingInputError:
        careful = None
    assert fast is None or fast == careful
    if seed % 4 == 0:
        assert fast is not None  # a valid random assessment takes the fast path


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32))
def test_fast_path_of_an_edition_with_explicit_scores_and_a_cap(seed):
    """national-test: explicit option scores, a capped multiple choice, fewer figures; fast = careful."""
    edition = NATIONAL
    rng = random.Random(seed)
    answers = {}
    for item in edition.items:
        n = len(item.options)
        multi = [0] if rng.random() < 0.2 else rng.sample(range(1, n), rng.randint(1, n - 1))
        answers[item.code] = rng.randrange(n) if item.kind == "single" else multi
    scenarios = {
        s.code: rng.choice([rng.randint(0, 4), [rng.random() < 0.8 for _ in range(4)]])
        for s in edition.scenarios
    }
    total = rng.randint(1, 50)
    prev = {"employees": rng.randint(1, 9), "revenue": str(rng.randint(1, 999) / 4), "recovered_tce": "0.5"}
    prev["energy"] = [{"source": "electricity", "amount": round(rng.random() * 100, 3)}]
    data = {"equipment_total": total, "equipment_digital": rng.randint(0, total), "prev_year": prev,
            "last_year": {"employees": 3, "revenue": rng.randint(1, 99)}}  # fmt: skip
    obj = {"answers": answers, "scenarios": scenarios, "data": data}
    if seed % 2:
        obj = _mutations(obj, rng)
    try:
        fast = compiled(edition).fast(obj)
    except Exception:  # noqa: BLE001 - grade_json() takes the careful path then
        fast = None
    try:
        careful = grade(parse_assessment(obj, edition=edition)).to_json()
    except GradingInputError:
        careful = None
    assert fast is None or fast == careful
