"""A slow reference grader written from RULES.md alone (Fractions, dictionaries, no compiled tables), and
random valid assessments to compare the engine with it: used by the property tests and by bench/engine.py."""

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction

# ----------------------------------------------------------------------------------------------------------
# Random valid input
# ----------------------------------------------------------------------------------------------------------


def random_amount(rng, low=0, high=100_000, places=2):
    value = Decimal(rng.randint(low * 10**places, high * 10**places)).scaleb(-places)
    return str(value) if rng.random() < 0.5 else float(value) if places else int(value)


def random_year(rng, edition):
    year = {}
    if rng.random() < 0.9:
        year["employees"] = rng.randint(1, 2000)
    if rng.random() < 0.9:
        year["revenue"] = random_amount(rng, 1, 50_000)
    if rng.random() < 0.8:
        year["cost"] = random_amount(rng, 0, 40_000)
    r = rng.random()
    if r < 0.45:
        sources = rng.sample([s.code for s in edition.energy_sources], rng.randint(1, 4))
        year["energy"] = [{"source": s, "amount": random_amount(rng, 0, 5000, 3)} for s in sources]
        if rng.random() < 0.3:
            year["recovered_tce"] = "0.5"
    elif r < 0.8:
        year["energy_tce"] = random_amount(rng, 0, 20_000)
    return year


def random_assessment(rng, edition):
    profile = rng.choice(["weak", "typical", "typical", "typical", "strong"])
    low = {"weak": 0.0, "typical": 0.0, "strong": 0.7}[profile]
    high = {"weak": 0.4, "typical": 1.0, "strong": 1.0}[profile]
    answers = {}
    for item in edition.items:
        n = len(item.options)
        share = rng.uniform(low, high)
        if item.kind == "single":
            answers[item.code] = round(share * (n - 1))
        elif round(share * (n - 1)) == 0:
            answers[item.code] = [0]
        else:
            answers[item.code] = rng.sample(range(1, n), round(share * (n - 1)))
    scenarios = {}
    met = {"weak": 0.4, "typical": 0.8, "strong": 0.97}[profile]
    for s in edition.scenarios:
        if rng.random() < 0.5:
            scenarios[s.code] = sum(1 for _ in range(4) if rng.random() < met)
        else:
            scenarios[s.code] = [rng.random() < met for _ in range(4)]
    data = {}
    if rng.random() < 0.9:
        total = rng.randint(1, 500)
        data["equipment_total"] = total
        data["equipment_digital"] = rng.randint(0, total)
        if rng.random() < 0.8:
            data["equipment_networked"] = rng.randint(0, total)
    if rng.random() < 0.8:
        years = rng.randint(1, 3)
        revenue = [rng.randint(100, 100_000) for _ in range(years)]
        data["revenue_by_year"] = revenue
        data["investment_by_year"] = [rng.randint(0, r) for r in revenue]
    if rng.random() < 0.8:
        data["prev_year"] = random_year(rng, edition)
        data["last_year"] = random_year(rng, edition)
    if rng.random() < 0.7:
        data["pass_rate_before"] = str(Decimal(rng.randint(800, 1000)).scaleb(-3))
        data["pass_rate_after"] = str(Decimal(rng.randint(800, 1000)).scaleb(-3))
    return {"framework": edition.code, "answers": answers, "scenarios": scenarios, "data": data}


# ----------------------------------------------------------------------------------------------------------
# The slow reference, from RULES.md alone (Fractions, dictionaries, no compiled tables)
# ----------------------------------------------------------------------------------------------------------

COEFFICIENTS = {
    "raw_coal_anthracite": "0.9428",
    "raw_coal_coking": "0.9",
    "raw_coal_general": "0.7143",
    "lignite": "0.4286",
    "washed_coal": "0.9",
    "blast_furnace_gas": "1.286",
    "converter_gas": "2.714",
    "other_gas": "1.786",
    "heat": "0.0341",
    "electricity": "1.229",
    "msw_fuel": "0.2714",
    "biomass_fuel": "1",
    "waste_heat_pressure": "0.0341",
    "industrial_waste_fuel": "0.4285",
    "other_fuel": "1",
}
# (item, option count, multi?, 一级 × 二级 × 采集项 weight) — RULES.md §1
ITEMS = [
    ("Q1", 5, True, "foundation", Fraction(50, 100) * Fraction(40, 100) * Fraction(40, 100)),
    ("Q2", 5, False, "foundation", Fraction(50, 100) * Fraction(40, 100) * Fraction(30, 100)),
    ("Q3", 5, False, "foundation", Fraction(50, 100) * Fraction(40, 100) * Fraction(30, 100)),
    ("Q4", 15, True, "foundation", Fraction(50, 100) * Fraction(20, 100)),
    ("Q5", 5, False, "foundation", Fraction(50, 100) * Fraction(20, 100)),
    ("Q6", 5, True, "foundation", Fraction(50, 100) * Fraction(20, 100) * Fraction(50, 100)),
    ("Q7", 5, True, "foundation", Fraction(50, 100) * Fraction(20, 100) * Fraction(50, 100)),
    ("Q8", 6, False, "management", Fraction(30, 100) * Fraction(50, 100) * Fraction(50, 100)),
    ("Q9", 5, True, "management", Fraction(30, 100) * Fraction(50, 100) * Fraction(50, 100)),
    ("Q10", 6, True, "management", Fraction(30, 100) * Fraction(50, 100) * Fraction(50, 100)),
    ("Q11", 5, False, "management", Fraction(30, 100) * Fraction(50, 100) * Fraction(50, 100)),
    ("Q12", 3, False, "effectiveness", Fraction(20, 100) * Fraction(35, 100)),
    ("Q13", 3, False, "effectiveness", Fraction(20, 100) * Fraction(35, 100)),
    ("Q14", 3, False, "effectiveness", Fraction(20, 100) * Fraction(30, 100) * Fraction(50, 100)),
    ("Q15", 3, False, "effectiveness", Fraction(20, 100) * Fraction(30, 100) * Fraction(50, 100)),
]
CONSTRAINED = {"S01", "S03", "S06", "S07", "S08", "S09", "S10", "S11", "S12", "S13"}
THRESHOLDS = [(1, 20, 6, 3), (2, 40, 6, 3), (3, 60, 8, 5), (4, 80, 10, 6)]


def exact(value) -> Fraction:
    return Fraction(Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value)))


def half_up(value: Fraction) -> str:
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )


def reference(obj) -> tuple[dict, Fraction]:
    """The RULES.md §6 output for a valid input object, and the exact score."""
    answers, data = obj["answers"], obj["data"]
    items, dims = {}, {"foundation": Fraction(0), "management": Fraction(0), "effectiveness": Fraction(0)}
    for code, n, multi, dim, weight in ITEMS:
        a = answers[code]
        score = (
            (Fraction(0) if a == [0] else Fraction(len(a) * 100, n - 1))
            if multi
            else Fraction(a * 100, n - 1)
        )
        items[code] = score * weight
        dims[dim] += items[code]
    score = sum(dims.values())

    levels = {}
    for code, v in obj["scenarios"].items():
        if isinstance(v, list):
            lv = 0
            while lv < 4 and v[lv]:
                lv += 1
            v = lv
        levels[code] = v

    def counts(t):
        at = [c for c, v in levels.items() if v >= t]
        return len(at), len([c for c in at if c in CONSTRAINED])

    level = 0
    for t, s, n, c in THRESHOLDS:
        have, have_c = counts(t)
        if score >= s and have >= n and have_c >= c:
            level = t
    if level == 4:
        nxt = None
    else:
        t, s, n, c = THRESHOLDS[level]
        have, have_c = counts(t)
        nxt = {
            "level": t,
            "score_needed": half_up(max(Fraction(0), s - score)),
            "scenarios_needed": max(0, n - have, c - have_c),
            "constrained_needed": max(0, c - have_c),
        }

    def band(part, total):
        rate = Fraction(part) / Fraction(total)
        for i, edge in enumerate(
            [Fraction(1, 10), Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(1)]
        ):
            if rate <= edge:
                return i

    tce = {}
    for key in ("prev_year", "last_year"):
        year = data.get(key, {})
        if "energy" in year:
            total = sum(
                exact(r["amount"]) * Fraction(Decimal(COEFFICIENTS[r["source"]])) for r in year["energy"]
            )
            total -= exact(year.get("recovered_tce", 0)) + exact(year.get("conversion_output_tce", 0))
            tce[key] = total
        elif "energy_tce" in year:
            tce[key] = exact(year["energy_tce"])

    derived = {}
    if "equipment_digital" in data:
        derived["Q2"] = band(data["equipment_digital"], data["equipment_total"])
    if "equipment_networked" in data:
        derived["Q3"] = band(data["equipment_networked"], data["equipment_total"])
    if "investment_by_year" in data:
        derived["Q11"] = band(sum(data["investment_by_year"]), sum(data["revenue_by_year"]))

    def compare(before, after, lower_better):
        if after == before:
            return 1
        return 2 if (after < before) == lower_better else 0

    prev, last = data.get("prev_year", {}), data.get("last_year", {})
    if "prev_year" in tce and "last_year" in tce and "revenue" in prev and "revenue" in last:
        derived["Q12"] = compare(
            tce["prev_year"] / exact(prev["revenue"]), tce["last_year"] / exact(last["revenue"]), True
        )
    if "pass_rate_before" in data:
        derived["Q13"] = compare(exact(data["pass_rate_before"]), exact(data["pass_rate_after"]), False)
    if all(k in y for y in (prev, last) for k in ("revenue", "employees")):
        derived["Q14"] = compare(
            exact(prev["revenue"]) / prev["employees"], exact(last["revenue"]) / last["employees"], False
        )
    if all(k in y for y in (prev, last) for k in ("revenue", "cost")):
        derived["Q15"] = compare(
            exact(prev["cost"]) / exact(prev["revenue"]), exact(last["cost"]) / exact(last["revenue"]), True
        )
    order = [code for code, *_ in ITEMS]
    derived = {code: derived[code] for code in order if code in derived}

    return {
        "framework": obj["framework"],
        "score": half_up(score),
        "dimensions": {k: half_up(v) for k, v in dims.items()},
        "items": {k: half_up(v) for k, v in items.items()},
        "scenario_levels": levels,
        "level": level,
        "derived": derived,
        "energy_tce": {k: decimal_text(v) for k, v in tce.items()},
        "inconsistencies": [c for c in derived if answers[c] != derived[c]],
        "next_level": nxt,
    }, score


def decimal_text(value: Fraction) -> str:
    """An exact decimal (a tce) as the shortest text: 300.5, 0."""
    with localcontext(Context(prec=100)):
        text = format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")
    return "0" if text in ("-0", "") else text
