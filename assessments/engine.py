"""The grading engine (评分与定级): RULES.md §2-6, exact, pure (no Django, no ORM, no settings).

framework edition + answers (+ figures) → score, dimensions, items, scenario levels, level, derived
options, inconsistencies and what is missing for the next level. The web pages, the live preview, the
``grade`` command, the Celery tasks and the PDF reports all call this module; nothing else computes a score.

Two steps:

* :func:`parse_assessment` checks a contract input object (RULES.md §6) and normalises it into an
  :class:`Assessment`; every bad input raises :class:`GradingInputError` naming the field. With
  ``partial=True`` (or :func:`grade_partial`) unanswered items count 0 points and unanswered scenarios
  level 0, bad entries are collected instead of raised, so the live panel works on an unfinished form.
* :func:`grade` turns an Assessment into a :class:`GradeResult`. The edition is compiled at load time into
  integer tables over the least common denominator of all per-option points (56 for ``shunyi-2024``), so
  grading is integer additions and comparisons; exact Fractions and display strings are built lazily.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation, localcontext
from fractions import Fraction
from operator import getitem
from typing import Any

from assessments.framework import (
    Derivation,
    Edition,
    FigureField,
    FrameworkError,
    get_edition,
    scenario_level,
)

__all__ = [
    "Assessment",
    "GradeResult",
    "GradingInputError",
    "NextLevel",
    "energy_tce",
    "format_points",
    "grade",
    "grade_json",
    "grade_partial",
    "loads",
    "parse_assessment",
    "rate_band",
    "scenario_level",
    "trend",
]

# Figures are bounded so that exact Decimal arithmetic in _EXACT never rounds.
_MAX_ADJUSTED = 15  # below 10^16
_MIN_EXPONENT = -20  # at most 20 decimal places
_EXACT = Context(prec=80, traps=[Inexact, InvalidOperation])
_NUMBER_TEXT = re.compile(r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$")


class GradingInputError(ValueError):
    """Bad grading input. ``field`` names it (``Q1``, ``scenarios.S03``, ``data.prev_year.revenue``,
    ``[2].Q1`` inside an array); ``message`` / ``message_zh`` start with the field; ``detail`` /
    ``detail_zh`` are the same without it (for showing beside the form field)."""

    def __init__(self, field: str, detail: str, detail_zh: str | None = None):
        self.field = field
        self.detail = detail
        self.detail_zh = detail_zh or detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.field}: {self.detail}"

    @property
    def message_zh(self) -> str:
        return f"{self.field}：{self.detail_zh}"

    def __str__(self) -> str:
        return self.message

    def prefixed(self, prefix: str) -> GradingInputError:
        """The same error inside an array element: ``[2]`` + ``Q1`` → ``[2].Q1``."""
        return GradingInputError(f"{prefix}.{self.field}", self.detail, self.detail_zh)

    def to_json(self) -> dict:
        return {"field": self.field, "message": self.message, "message_zh": self.message_zh}


class _Sink:
    """Where parse problems go: raised at once (strict), or collected (partial)."""

    __slots__ = ("strict", "errors")

    def __init__(self, strict: bool):
        self.strict = strict
        self.errors: list[GradingInputError] = []

    def __call__(self, field: str, detail: str, detail_zh: str) -> None:
        error = GradingInputError(field, detail, detail_zh)
        if self.strict:
            raise error
        self.errors.append(error)


# --------------------------------------------------------------------------------------------------------
# Small public helpers (the web form shows derived options live)
# --------------------------------------------------------------------------------------------------------

_DEFAULT_BANDS = ((1, 10), (1, 5), (2, 5), (3, 5), (1, 1))  # RULES.md §5: 10%, 20%, 40%, 60%, 100%


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def _decimal(value: Any, field: str) -> Decimal:
    """A figure as an exact Decimal: JSON number, decimal string, int, Decimal or float (via its repr)."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple)):
        raise GradingInputError(
            field, f"expected a number, got {_type_name(value)}", f"应为数值，实际为 {_type_name(value)}"
        )
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str) and _NUMBER_TEXT.match(value):
            number = Decimal(value.strip())
        elif isinstance(value, Fraction):
            number = Decimal(value.numerator) / Decimal(value.denominator)
            if Fraction(number) != value:
                raise InvalidOperation
        else:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise GradingInputError(
            field, f"expected a number, got {_type_name(value)}", f"应为数值，实际为 {_type_name(value)}"
        ) from None
    if not number.is_finite():
        raise GradingInputError(
            field, f"expected a finite number, got {value!r}", f"应为有限数值，实际为 {value!r}"
        )
    if number and number.adjusted() >= _MAX_ADJUSTED + 1:
        raise GradingInputError(field, f"number {value} is too large", f"数值 {value} 过大")
    if number.as_tuple().exponent < _MIN_EXPONENT and number.normalize().as_tuple().exponent < _MIN_EXPONENT:
        raise GradingInputError(
            field, f"number {value} has too many decimal places", f"数值 {value} 小数位数过多"
        )
    return number


def _non_negative(value: Any, field: str) -> Decimal:
    number = _decimal(value, field)
    if number < 0:
        raise GradingInputError(field, f"must not be negative, got {value}", f"不能为负数（实际为 {value}）")
    return number


def _as_fraction(value: Any, field: str) -> Fraction:
    if isinstance(value, Fraction):
        return value
    return Fraction(_decimal(value, field))


def rate_band(part: Any, total: Any, *, bands=None, field: str = "part", total_field: str = "total") -> int:
    """The rate band (0-4) of part / total: ``[0,10%]``, ``(10%,20%]``, ``(20%,40%]``, ``(40%,60%]``,
    ``(60%,100%]`` by default (exactly 10% is band 0). ``bands`` may be an edition's rate bands (or
    an edition). A total of 0, a negative figure or a part above its total (a rate over 100%) raise."""
    if isinstance(bands, Edition):
        bands = bands.compiled.bands
    elif bands is None:
        bands = _DEFAULT_BANDS
    else:
        bands = tuple((b.upper.numerator, b.upper.denominator) if hasattr(b, "upper") else b for b in bands)
    p = _as_fraction(part, field)
    t = _as_fraction(total, total_field)
    if p < 0:
        raise GradingInputError(field, f"must not be negative, got {part}", f"不能为负数（实际为 {part}）")
    if t < 0:
        raise GradingInputError(
            total_field, f"must not be negative, got {total}", f"不能为负数（实际为 {total}）"
        )
    if t == 0:
        raise GradingInputError(total_field, "is 0, so the rate cannot be computed", "为 0，无法计算比率")
    if p > t:
        raise GradingInputError(
            field,
            f"{part} is above {total_field} ({total}): a rate above 100%",
            f"{part} 大于 {total_field}（{total}）：比率超过 100%",
        )
    rate = p / t
    return _band_of(rate.numerator, rate.denominator, bands)


def _band_of(num: int, den: int, bands) -> int:
    index = 0
    for bn, bd in bands:
        if num * bd <= bn * den:
            return index
        index += 1
    return index - 1  # unreachable for rates ≤ 100%: the last band ends at 100%


def trend(before: Any, after: Any, lower_is_better: bool) -> int:
    """0 when ``after`` is worse than ``before``, 1 when equal (持平), 2 when better.

    This is the option index for every trend item of the seed: Q12/Q15 list 增加, 持平, 降低 (lower is
    better) and Q13/Q14 list 降低, 持平, 增加 (higher is better)."""
    b = _as_fraction(before, "before")
    a = _as_fraction(after, "after")
    if a == b:
        return 1
    return 2 if (a < b) == bool(lower_is_better) else 0


def format_points(value: Any) -> str:
    """A value rounded 四舍五入 (half up, away from zero) to 2 decimals: ``5.625`` → ``"5.63"``."""
    value = value if isinstance(value, Fraction) else Fraction(_decimal(value, "value"))
    sign = "-" if value < 0 else ""
    value = abs(value)
    cents = (value.numerator * 200 + value.denominator) // (2 * value.denominator)
    if not cents:
        sign = ""
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _units_text(units: int, den: int, cache: dict) -> str:
    text = cache.get(units)
    if text is None:
        if units >= 0:
            cents = (units * 200 + den) // (2 * den)
            text = f"{cents // 100}.{cents % 100:02d}"
        else:
            text = format_points(Fraction(units, den))
        if len(cache) < 200_000:
            cache[units] = text
    return text


def _exact_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


# --------------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------------

BAND = 0
TREND = 1


class Assessment:
    """A checked, normalised assessment under one edition.

    ``answers``: item code → option index (single) or sorted tuple of indexes (multi), None if unanswered
    (partial mode only). ``scenario_levels``: scenario code → 0..4. ``criteria``: scenario code → the four
    booleans where they were given. ``figures``: figure path → int / Decimal / tuple (energy lists as
    tuples of (source, amount)), with computed tce values. ``energy``: output key → tce computed from an
    energy list."""

    __slots__ = (
        "edition",
        "answers",
        "scenario_levels",
        "criteria",
        "figures",
        "energy",
        "partial",
        "unanswered_items",
        "unanswered_scenarios",
        "errors",
        "_keys",
        "_levels",
        "_bands",
        "_trends",
        "_interleaved",
    )

    def __init__(
        self,
        edition: Edition,
        answers: dict,
        scenario_levels: dict,
        *,
        criteria: dict | None = None,
        figures: dict | None = None,
        energy: dict | None = None,
        plans: tuple = (),
        partial: bool = False,
        errors: tuple = (),
    ):
        compiled = edition.compiled
        self.edition = edition
        self.answers = answers
        self.scenario_levels = scenario_levels
        self.criteria = criteria or {}
        self.figures = figures or {}
        self.energy = energy or {}
        self.partial = partial
        self.errors = tuple(errors)
        self.unanswered_items = tuple(c for c in compiled.item_codes if answers.get(c) is None)
        self.unanswered_scenarios = tuple(c for c in compiled.scenario_codes if c not in scenario_levels)
        keys = []
        for code, multi in zip(compiled.item_codes, compiled.multi, strict=True):
            answer = answers.get(code)
            if answer is None or not multi:
                keys.append(answer)
            else:
                mask = 0
                for i in answer:
                    mask |= 1 << i
                keys.append(mask)
        self._keys = tuple(keys)
        self._levels = tuple(scenario_levels.get(c, 0) for c in compiled.scenario_codes)
        # derivation inputs, as integers: (item position, rate numerator, rate denominator) and
        # (item position, before num, before den, after num, after den, option up, same, down)
        self._bands = tuple(p[1:] for p in plans if p[0] == BAND)
        self._trends = tuple(p[1:] for p in plans if p[0] == TREND)
        # results are listed in item order; only an edition with a band item after a trend item needs a sort
        self._interleaved = bool(self._bands and self._trends and self._bands[-1][0] > self._trends[0][0])

    @property
    def framework(self) -> str:
        return self.edition.code

    @property
    def complete(self) -> bool:
        return not self.unanswered_items and not self.unanswered_scenarios and not self.errors

    def __repr__(self) -> str:
        return f"<Assessment {self.edition.code} answers={self.answers!r} scenarios={self.scenario_levels!r}>"


def _resolve_edition(obj: dict, edition: Edition | str | None) -> Edition:
    requested = obj.get("framework")
    if requested is not None and not isinstance(requested, str):
        raise GradingInputError(
            "framework",
            f"expected the code of a framework edition, got {_type_name(requested)}",
            f"应为评测框架版本代码，实际为 {_type_name(requested)}",
        )
    if isinstance(edition, str):
        edition = _edition_or_error(edition)
    if edition is None:
        return _edition_or_error(requested)
    if requested is not None and requested != edition.code:
        raise GradingInputError(
            "framework",
            f"{requested!r} does not match the edition being graded ({edition.code!r})",
            f"“{requested}”与当前评测框架版本（{edition.code}）不一致",
        )
    return edition


def _edition_or_error(code: str | None) -> Edition:
    try:
        return get_edition(code)
    except FrameworkError as exc:
        if "unknown framework edition" in str(exc):
            raise GradingInputError("framework", str(exc), f"未知的评测框架版本 {code!r}") from None
        raise


TOP_KEYS = ("framework", "answers", "scenarios", "data")


def parse_assessment(obj: Any, *, edition: Edition | str | None = None, partial: bool = False) -> Assessment:
    """Check a contract input object (RULES.md §6) and normalise it.

    Strict (default): every problem raises :class:`GradingInputError`. ``partial=True``: missing answers
    and scenarios are allowed (and None means unanswered), bad entries are left out and listed in
    ``Assessment.errors``; an unknown framework still raises."""
    if not isinstance(obj, dict):
        raise GradingInputError(
            "input",
            f"expected an assessment object, got {_type_name(obj)}",
            f"应为评测对象，实际为 {_type_name(obj)}",
        )
    ed = _resolve_edition(obj, edition)
    sink = _Sink(strict=not partial)
    for key in obj:
        if key not in TOP_KEYS:
            sink(str(key), "unknown field (expected framework, answers, scenarios, data)", "未知字段")
    answers = _parse_answers(ed, obj.get("answers"), "answers" in obj, sink, partial)
    levels, criteria = _parse_scenarios(ed, obj.get("scenarios"), "scenarios" in obj, sink, partial)
    figures, energy, plans = _parse_data(ed, obj.get("data"), sink)
    return Assessment(
        ed,
        answers,
        levels,
        criteria=criteria,
        figures=figures,
        energy=energy,
        plans=plans,
        partial=partial,
        errors=sink.errors,
    )


def _parse_answers(ed: Edition, raw: Any, present: bool, sink: _Sink, partial: bool) -> dict:
    items = ed._index["items"]
    answers: dict = {}
    if raw is None and (partial or not present):
        if not partial:
            sink(
                "answers",
                f"missing: all {len(items)} answers are required",
                f"缺少答案：全部 {len(items)} 题均需作答",
            )
        return {code: None for code in items}
    if not isinstance(raw, dict):
        sink("answers", "expected an object mapping item codes to answers", "应为以题目代码为键的对象")
        return {code: None for code in items}
    for code in raw:
        if code not in items:
            codes = ed.compiled.item_codes
            sink(str(code), f"unknown item (this edition has {codes[0]}..{codes[-1]})", "未知题目")
    for code, item in items.items():
        value = raw.get(code)
        if value is None:
            if not partial:
                sink(code, "missing answer", "缺少答案")
            answers[code] = None
            continue
        try:
            answers[code] = _parse_answer(item, value)
        except GradingInputError as exc:
            sink(exc.field, exc.detail, exc.detail_zh)
            answers[code] = None
    return answers


def _parse_answer(item, value: Any):
    code = item.code
    n = len(item.options)
    if item.kind == "single":
        if isinstance(value, bool) or not isinstance(value, int):
            raise GradingInputError(
                code,
                f"expected one option index (an integer 0..{n - 1}), got {_type_name(value)}",
                f"应为一个选项序号（0–{n - 1} 的整数），实际为 {_type_name(value)}",
            )
        if not 0 <= value < n:
            raise GradingInputError(
                code, f"option {value} out of range (0..{n - 1})", f"选项 {value} 超出范围（0–{n - 1}）"
            )
        return value
    if not isinstance(value, (list, tuple)):
        raise GradingInputError(
            code,
            f"expected a list of option indexes (multiple choice), got {_type_name(value)}",
            f"多选题应为选项序号列表，实际为 {_type_name(value)}",
        )
    if not value:
        raise GradingInputError(
            code,
            "empty choice: choose 无 (option 0) or at least one option",
            "未选择任何选项：请选择“无”（选项 0）或至少一个选项",
        )
    seen = set()
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int):
            raise GradingInputError(
                code,
                f"expected option indexes (integers 0..{n - 1}), got {_type_name(v)}",
                f"应为选项序号（0–{n - 1} 的整数），实际为 {_type_name(v)}",
            )
        if not 0 <= v < n:
            raise GradingInputError(
                code, f"option {v} out of range (0..{n - 1})", f"选项 {v} 超出范围（0–{n - 1}）"
            )
        if v in seen:
            raise GradingInputError(code, f"option {v} chosen more than once", f"选项 {v} 重复选择")
        seen.add(v)
    none = item.none_index
    if none is not None and none in seen and len(seen) > 1:
        raise GradingInputError(
            code, "无 cannot be combined with other options", "“无”不能与其他选项同时选择"
        )
    return tuple(sorted(seen))


def _parse_scenarios(ed: Edition, raw: Any, present: bool, sink: _Sink, partial: bool) -> tuple[dict, dict]:
    scenarios = ed._index["scenarios"]
    k = ed.compiled.max_scenario_level
    table = ed.compiled.criteria_table
    levels: dict = {}
    criteria: dict = {}
    if raw is None and (partial or not present):
        if not partial:
            sink(
                "scenarios",
                f"missing: all {len(scenarios)} scenarios are required",
                f"缺少场景等级：全部 {len(scenarios)} 个场景均需判定",
            )
        return levels, criteria
    if not isinstance(raw, dict):
        sink("scenarios", "expected an object mapping scenario codes to levels", "应为以场景代码为键的对象")
        return levels, criteria
    for code in raw:
        if code not in scenarios:
            codes = ed.compiled.scenario_codes
            sink(
                f"scenarios.{code}",
                f"unknown scenario (this edition has {codes[0]}..{codes[-1]})",
                "未知场景",
            )
    for code in scenarios:
        field = f"scenarios.{code}"
        value = raw.get(code)
        if value is None:
            if not partial:
                sink(field, "missing scenario level", "缺少场景等级")
            continue
        expected = f"expected a level 0-{k} or a list of {k} booleans (criteria met per level)"
        expected_zh = f"应为 0–{k} 的等级，或 {k} 个布尔值组成的列表（各级要求是否满足）"
        if isinstance(value, bool):
            sink(field, f"{expected}, got {_type_name(value)}", f"{expected_zh}，实际为 {_type_name(value)}")
        elif isinstance(value, int):
            if 0 <= value <= k:
                levels[code] = value
            else:
                sink(field, f"{expected}, got {value}", f"{expected_zh}，实际为 {value}")
        elif isinstance(value, (list, tuple)):
            if len(value) != k:
                sink(
                    field,
                    f"{expected}, got a list of {len(value)}",
                    f"{expected_zh}，实际列表长度为 {len(value)}",
                )
            elif (
                partial
                and any(v is None for v in value)
                and all(v is None or isinstance(v, bool) for v in value)
            ):
                met = tuple(v is True for v in value)
                levels[code] = table[met]
                criteria[code] = tuple(value)
            elif not all(isinstance(v, bool) for v in value):
                bad = next(v for v in value if not isinstance(v, bool))
                sink(
                    field,
                    f"{expected}, got {_type_name(bad)} in the list",
                    f"{expected_zh}，列表中含有 {_type_name(bad)}",
                )
            else:
                met = tuple(value)
                levels[code] = table[met]
                criteria[code] = met
        else:
            sink(field, f"{expected}, got {_type_name(value)}", f"{expected_zh}，实际为 {_type_name(value)}")
    return levels, criteria


def _parse_field(f: FigureField, value: Any, field: str, ed: Edition):
    kind = f.kind
    if kind == "count":
        number = _non_negative(value, field)
        if number != number.to_integral_value():
            raise GradingInputError(
                field, f"must be a whole number, got {value}", f"应为整数，实际为 {value}"
            )
        return int(number)
    if kind in ("amount", "tce"):
        return _non_negative(value, field)
    if kind == "fraction":
        number = _non_negative(value, field)
        if number > 1:
            raise GradingInputError(
                field,
                f"rate above 100% ({value}): give it as a fraction between 0 and 1 (0.97 = 97%)",
                f"比率超过 100%（{value}）：请以 0 到 1 之间的小数填写（0.97 即 97%）",
            )
        return number
    if kind == "amounts":
        lo, hi = f.min_length, f.max_length
        span = f"{lo} to {hi}" if lo != hi else f"{lo}"
        if not isinstance(value, (list, tuple)) or not lo <= len(value) <= hi:
            got = f"a list of {len(value)}" if isinstance(value, (list, tuple)) else _type_name(value)
            raise GradingInputError(
                field,
                f"expected a list of {span} yearly amounts, got {got}",
                f"应为 {span} 个年度数值组成的列表，实际为 {got}",
            )
        return tuple(_non_negative(v, f"{field}[{i}]") for i, v in enumerate(value))
    # energy_list
    if not isinstance(value, (list, tuple)):
        raise GradingInputError(
            field,
            f"expected a list of {{source, amount}} entries, got {_type_name(value)}",
            f"应为由 {{source, amount}} 组成的列表，实际为 {_type_name(value)}",
        )
    rows = []
    sources = ed._index["energy"]
    for i, row in enumerate(value):
        rfield = f"{field}[{i}]"
        if not isinstance(row, dict):
            raise GradingInputError(
                rfield,
                f"expected an object with source and amount, got {_type_name(row)}",
                "应为含 source 与 amount 的对象",
            )
        for key in row:
            if key not in ("source", "amount"):
                raise GradingInputError(
                    f"{rfield}.{key}", "unknown field (expected source, amount)", "未知字段"
                )
        for key in ("source", "amount"):
            if key not in row:
                raise GradingInputError(f"{rfield}.{key}", "missing", "缺少此项")
        source = row["source"]
        if not isinstance(source, str) or source not in sources:
            known = ", ".join(sources)
            raise GradingInputError(
                f"{rfield}.source",
                f"unknown energy source {source!r} (known: {known})",
                f"未知能源种类 {source!r}",
            )
        rows.append((source, _non_negative(row["amount"], f"{rfield}.amount")))
    return tuple(rows)


def _parse_data(ed: Edition, raw: Any, sink: _Sink) -> tuple[dict, dict, tuple]:
    values: dict = {}
    energy: dict = {}
    if raw is None:
        return values, energy, ()
    if not isinstance(raw, dict):
        sink(
            "data",
            f"expected an object of figures, got {_type_name(raw)}",
            f"应为数据对象，实际为 {_type_name(raw)}",
        )
        return values, energy, ()
    tree = ed.compiled.field_tree
    for key, value in raw.items():
        node = tree.get(key)
        field = f"data.{key}"
        if node is None:
            sink(field, "unknown field", "未知字段")
        elif isinstance(node, dict):
            if value is None:
                continue
            if not isinstance(value, dict):
                sink(
                    field,
                    f"expected an object, got {_type_name(value)}",
                    f"应为对象，实际为 {_type_name(value)}",
                )
                continue
            for sub, subvalue in value.items():
                f = node.get(sub)
                if f is None:
                    sink(f"{field}.{sub}", "unknown field", "未知字段")
                elif subvalue is not None:
                    _store(values, f, subvalue, f"{field}.{sub}", ed, sink)
        elif value is not None:
            _store(values, node, value, field, ed, sink)

    fields = ed._index["fields"]
    for f in fields.values():  # same-length per-year lists
        if f.same_length_as and f.path in values and f.same_length_as in values:
            n, m = len(values[f.path]), len(values[f.same_length_as])
            if n != m:
                sink(
                    f"data.{f.path}",
                    f"has {n} year{'s' if n != 1 else ''} but data.{f.same_length_as} has {m}",
                    f"填写了 {n} 年，而 data.{f.same_length_as} 填写了 {m} 年",
                )
                del values[f.path]

    for f in ed.compiled.tce_fields:  # 综合能源消费量 = Σ amount × coefficient − conversion − recovery
        try:
            total = _resolve_tce(ed, f, values)
        except GradingInputError as exc:
            sink(exc.field, exc.detail, exc.detail_zh)
            values.pop(f.path, None)
            continue
        if total is not None:
            values[f.path] = total
        if f.path in values:  # computed from the energy list, or given (RULES.md §6)
            energy[f.key] = values[f.path]

    plans = []
    for pos, d in ed.compiled.derivations:
        if not all(p in values for p in d.paths):
            continue
        try:
            plans.append(_plan(pos, d, values, fields))
        except GradingInputError as exc:
            sink(exc.field, exc.detail, exc.detail_zh)
    return values, energy, tuple(plans)


def _store(values: dict, f: FigureField, value: Any, field: str, ed: Edition, sink: _Sink) -> None:
    try:
        values[f.path] = _parse_field(f, value, field, ed)
    except GradingInputError as exc:
        sink(exc.field, exc.detail, exc.detail_zh)


def _resolve_tce(ed: Edition, f: FigureField, values: dict) -> Decimal | None:
    """The year's comprehensive energy consumption when computed from an energy list, else None."""
    rows = values.get(f.from_list) if f.from_list else None
    minus = [m for m in f.minus if m in values]
    if rows is None:
        if minus:
            raise GradingInputError(
                f"data.{minus[0]}",
                f"applies only together with an energy list (data.{f.from_list})",
                f"仅在填写能源消费明细（data.{f.from_list}）时适用",
            )
        return None
    if f.path in values:
        raise GradingInputError(
            f"data.{f.path}",
            f"give either data.{f.path} or data.{f.from_list}, not both",
            f"data.{f.path} 与 data.{f.from_list} 只能填写其一",
        )
    sources = ed._index["energy"]
    with localcontext(_EXACT):
        consumed = sum((amount * sources[src].coefficient for src, amount in rows), Decimal(0))
        subtracted = sum((values[m] for m in minus), Decimal(0))
        total = consumed - subtracted
    if total < 0:
        raise GradingInputError(
            f"data.{minus[-1]}",
            f"the subtractions ({_exact_text(subtracted)} tce) exceed the energy consumed ({_exact_text(consumed)} tce)",
            f"扣减量（{_exact_text(subtracted)} 吨标准煤）超过能源消费量（{_exact_text(consumed)} 吨标准煤）",
        )
    return total


def _quantity(values: dict, path: str) -> Fraction:
    value = values[path]
    if isinstance(value, tuple):
        return Fraction(sum(value, Decimal(0)))
    return Fraction(value)


def _plan(pos: int, d: Derivation, values: dict, fields: dict) -> tuple:
    if d.kind == "rate_band":
        part = _quantity(values, d.part)
        total = _quantity(values, d.total)
        summed = isinstance(values[d.part], tuple)
        pre, pre_zh = ("the sum of ", "合计 ") if summed else ("", "")
        if total == 0:
            raise GradingInputError(
                f"data.{d.total}", f"{pre}is 0, so the rate cannot be computed", f"{pre_zh}为 0，无法计算比率"
            )
        if part > total:
            p, t = format_points(part).rstrip("0").rstrip("."), format_points(total).rstrip("0").rstrip(".")
            raise GradingInputError(
                f"data.{d.part}",
                f"{pre}{p} is above data.{d.total} ({t}): a rate above 100%",
                f"{pre_zh}{p} 大于 data.{d.total}（{t}）：比率超过 100%",
            )
        rate = part / total
        return (BAND, pos, rate.numerator, rate.denominator)

    def measure(ratio) -> Fraction:
        value = _quantity(values, ratio.value)
        if ratio.per is None:
            return value
        per = _quantity(values, ratio.per)
        if per == 0:
            label = fields[ratio.value].label
            raise GradingInputError(
                f"data.{ratio.per}",
                f"is 0, so data.{ratio.value} per data.{ratio.per} cannot be computed",
                f"为 0，无法计算“{label}”的比值",
            )
        return value / per

    before = measure(d.before)
    after = measure(d.after)
    return (
        TREND,
        pos,
        before.numerator,
        before.denominator,
        after.numerator,
        after.denominator,
        d.up,
        d.same,
        d.down,
    )


# --------------------------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextLevel:
    """What is missing for the level above: points, and the fewest scenarios that must rise to it."""

    level: int
    name: str
    score_needed: Fraction
    scenarios_needed: int
    constrained_needed: int

    def to_json(self) -> dict:
        return {
            "level": self.level,
            "score_needed": format_points(self.score_needed),
            "scenarios_needed": self.scenarios_needed,
            "constrained_needed": self.constrained_needed,
        }


class GradeResult:
    """The engine's verdict. Exact values are built lazily from integer units (1/den points)."""

    __slots__ = (
        "assessment",
        "edition",
        "level",
        "score_units",
        "item_units",
        "dimension_units",
        "_at_least",
        "_constrained_at_least",
        "_derived",
        "_inconsistent",
    )

    def __init__(
        self, assessment, item_units, dimension_units, score_units, level, at_least, c_at_least, derived, bad
    ):
        self.assessment = assessment
        self.edition = assessment.edition
        self.item_units = item_units
        self.dimension_units = dimension_units
        self.score_units = score_units
        self.level = level
        self._at_least = at_least
        self._constrained_at_least = c_at_least
        self._derived = derived
        self._inconsistent = bad

    # exact values --------------------------------------------------------------------------------------
    @property
    def framework(self) -> str:
        return self.edition.code

    @property
    def den(self) -> int:
        return self.edition.compiled.den

    @property
    def score(self) -> Fraction:
        return Fraction(self.score_units, self.edition.compiled.den)

    @property
    def dimensions(self) -> dict[str, Fraction]:
        c = self.edition.compiled
        return {code: Fraction(u, c.den) for code, u in zip(c.dim_codes, self.dimension_units, strict=True)}

    @property
    def items(self) -> dict[str, Fraction]:
        c = self.edition.compiled
        return {code: Fraction(u, c.den) for code, u in zip(c.item_codes, self.item_units, strict=True)}

    @property
    def scenario_levels(self) -> dict[str, int]:
        c = self.edition.compiled
        return dict(zip(c.scenario_codes, self.assessment._levels, strict=True))

    @property
    def level_name(self) -> str:
        return self.edition.level_name(self.level)

    @property
    def derived(self) -> dict[str, int]:
        codes = self.edition.compiled.item_codes
        return {codes[pos]: option for pos, option in self._derived}

    @property
    def inconsistencies(self) -> list[str]:
        codes = self.edition.compiled.item_codes
        return [codes[pos] for pos in self._inconsistent]

    @property
    def energy_tce(self) -> dict[str, Decimal]:
        return dict(self.assessment.energy)

    def scenarios_at_least(self, level: int) -> tuple[int, int]:
        """(scenarios, constrained scenarios) at ``level`` or above."""
        return self._at_least[level], self._constrained_at_least[level]

    @property
    def next_level(self) -> NextLevel | None:
        gap = self._next_gap()
        if gap is None:
            return None
        target, units_needed, needed, constrained_needed = gap
        return NextLevel(
            level=target,
            name=self.edition.level(target).name,
            score_needed=Fraction(units_needed, self.edition.compiled.den),
            scenarios_needed=needed,
            constrained_needed=constrained_needed,
        )

    def _next_gap(self) -> tuple[int, int, int, int] | None:
        c = self.edition.compiled
        if self.level >= len(c.thresholds):
            return None
        target, min_units, n, cn = c.thresholds[self.level]
        have, have_c = self._at_least[target], self._constrained_at_least[target]
        constrained_gap = max(0, cn - have_c)
        needed = max(0, n - have, constrained_gap)
        # Enough unconstrained scenarios below the target are normally left to make up the rest; where
        # they are not, more of the risers must be constrained ones.
        unconstrained_below = (len(c.scenario_codes) - len(c.constrained_positions)) - (have - have_c)
        constrained_needed = max(constrained_gap, needed - unconstrained_below)
        return target, max(0, min_units - self.score_units), needed, constrained_needed

    # partial mode ----------------------------------------------------------------------------------------
    @property
    def partial(self) -> bool:
        return self.assessment.partial

    @property
    def complete(self) -> bool:
        return self.assessment.complete

    @property
    def unanswered_items(self) -> tuple[str, ...]:
        return self.assessment.unanswered_items

    @property
    def unanswered_scenarios(self) -> tuple[str, ...]:
        return self.assessment.unanswered_scenarios

    @property
    def errors(self) -> tuple[GradingInputError, ...]:
        return self.assessment.errors

    # output ------------------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """Exactly the RULES.md §6 output (plus, in partial mode, ``complete``/``unanswered``/``errors``)."""
        ed = self.edition
        c = ed.compiled
        den = c.den
        cache = c.fmt_cache
        out = {
            "framework": ed.code,
            "score": _units_text(self.score_units, den, cache),
            "dimensions": {
                code: _units_text(u, den, cache)
                for code, u in zip(c.dim_codes, self.dimension_units, strict=True)
            },
            "items": {
                code: _units_text(u, den, cache)
                for code, u in zip(c.item_codes, self.item_units, strict=True)
            },
            "scenario_levels": dict(zip(c.scenario_codes, self.assessment._levels, strict=True)),
            "level": self.level,
            "derived": {c.item_codes[pos]: option for pos, option in self._derived},
            "energy_tce": {key: _exact_text(v) for key, v in self.assessment.energy.items()},
            "inconsistencies": [c.item_codes[pos] for pos in self._inconsistent],
        }
        gap = self._next_gap()
        if gap is None:
            out["next_level"] = None
        else:
            out["next_level"] = {
                "level": gap[0],
                "score_needed": _units_text(gap[1], den, cache),
                "scenarios_needed": gap[2],
                "constrained_needed": gap[3],
            }
        if self.assessment.partial:
            out["complete"] = self.complete
            out["unanswered"] = {
                "items": list(self.unanswered_items),
                "scenarios": list(self.unanswered_scenarios),
            }
            out["errors"] = [e.to_json() for e in self.errors]
        return out

    def __repr__(self) -> str:
        return f"<GradeResult {self.edition.code} score={format_points(self.score)} level={self.level}>"


def grade(assessment: Assessment) -> GradeResult:
    """Grade a parsed assessment (RULES.md §2-5). Integer arithmetic over the edition's units."""
    c = assessment.edition.compiled
    keys = assessment._keys
    item_units = tuple(map(getitem, c.tables, keys))
    dimension_units = tuple([sum(item_units[a:b]) for a, b in c.dim_ranges])
    score_units = sum(dimension_units)

    # scenarios at each level or above, all and constrained only
    levels = assessment._levels
    clevels = c.constrained_getter(levels)
    if c.max_scenario_level == 4:  # unrolled for the usual four scenario levels
        n4 = levels.count(4)
        n3 = n4 + levels.count(3)
        n2 = n3 + levels.count(2)
        n1 = n2 + levels.count(1)
        m4 = clevels.count(4)
        m3 = m4 + clevels.count(3)
        m2 = m3 + clevels.count(2)
        m1 = m2 + clevels.count(1)
        at_least = (len(levels), n1, n2, n3, n4)
        c_at_least = (len(clevels), m1, m2, m3, m4)
    else:
        k = c.max_scenario_level
        at_least = [0] * (k + 1)
        c_at_least = [0] * (k + 1)
        running = c_running = 0
        for lv in range(k, 0, -1):
            running += levels.count(lv)
            c_running += clevels.count(lv)
            at_least[lv] = running
            c_at_least[lv] = c_running
        at_least[0] = len(levels)
        c_at_least[0] = len(clevels)

    level = 0
    for target, min_units, n, cn in c.thresholds_desc:
        if score_units >= min_units and at_least[target] >= n and c_at_least[target] >= cn:
            level = target
            break

    derived = []
    bad = []
    scale, exact_band, open_band = c.band_scale, c.band_exact, c.band_open
    for pos, num, den in assessment._bands:
        q, rem = divmod(num * scale, den)
        option = open_band[q] if rem else exact_band[q]
        derived.append((pos, option))
        answer = keys[pos]
        if answer is not None and answer != option:
            bad.append(pos)
    for pos, bn, bd, an, ad, up, same, down in assessment._trends:
        left = an * bd  # after vs before, cross-multiplied (denominators are positive)
        right = bn * ad
        option = same if left == right else (up if left > right else down)
        derived.append((pos, option))
        answer = keys[pos]
        if answer is not None and answer != option:
            bad.append(pos)
    if assessment._interleaved:
        derived.sort()
        bad.sort()
    return GradeResult(
        assessment, item_units, dimension_units, score_units, level, at_least, c_at_least, derived, bad
    )


def grade_partial(
    edition: Edition | str | None, answers: dict | None, scenarios: dict | None, data: dict | None = None
):
    """Grade an unfinished questionnaire: unanswered items score 0, unanswered scenarios are level 0,
    bad entries are left out. See ``result.unanswered_items``, ``.unanswered_scenarios``, ``.errors``."""
    obj = {"answers": answers or {}, "scenarios": scenarios or {}}
    if data is not None:
        obj["data"] = data
    if not isinstance(edition, Edition):
        edition = _edition_or_error(edition)
    return grade(parse_assessment(obj, edition=edition, partial=True))


def energy_tce(edition: Edition | str | None, year_data: dict, *, field: str = "data.year") -> Decimal:
    """综合能源消费量 of one year (tce): ``{"energy": [{"source", "amount"}…], "conversion_output_tce",
    "recovered_tce"}`` gives Σ amount × coefficient − conversion output − recovery; ``{"energy_tce": x}``
    gives x. Exact Decimal."""
    if not isinstance(edition, Edition):
        edition = _edition_or_error(edition)
    template = edition.compiled.tce_fields[0] if edition.compiled.tce_fields else None
    if template is None:
        raise GradingInputError(field, "this edition has no energy figures", "此评测框架版本没有能源数据项")
    if not isinstance(year_data, dict):
        raise GradingInputError(field, f"expected an object, got {_type_name(year_data)}", "应为对象")

    def rel(path: str) -> str:
        return path.rsplit(".", 1)[-1]

    fields = {rel(template.path): template}
    if template.from_list:
        fields[rel(template.from_list)] = edition.figure_field(template.from_list)
    for m in template.minus:
        fields[rel(m)] = edition.figure_field(m)
    values = {}
    for key, value in year_data.items():
        f = fields.get(key)
        if f is None:
            raise GradingInputError(f"{field}.{key}", "unknown field", "未知字段")
        if value is not None:
            values[f.path] = _parse_field(f, value, f"{field}.{key}", edition)
    try:
        total = _resolve_tce(edition, template, values)
    except GradingInputError as exc:
        group = template.path.rsplit(".", 1)[0] + "."
        raise GradingInputError(
            exc.field.replace("data." + group, field + "."), exc.detail, exc.detail_zh
        ) from None
    if total is None:
        if template.path not in values:
            raise GradingInputError(field, "no energy figures given", "未填写能源数据")
        total = values[template.path]
    return total


# --------------------------------------------------------------------------------------------------------
# JSON in, JSON out (the grade command)
# --------------------------------------------------------------------------------------------------------


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {key!r} in a JSON object")
        obj[key] = value
    return obj


def _no_constants(name):
    raise ValueError(f"{name} is not a number")


def loads(text: str | bytes) -> Any:
    """Decode assessment JSON exactly: decimals stay Decimal, NaN/Infinity and duplicate keys are refused."""
    try:
        return json.loads(
            text, parse_float=Decimal, parse_constant=_no_constants, object_pairs_hook=_no_duplicates
        )
    except json.JSONDecodeError as exc:
        raise GradingInputError(
            "input",
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            f"JSON 格式错误：{exc.msg}",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise GradingInputError("input", f"invalid JSON: {exc}", f"JSON 格式错误：{exc}") from None


def grade_json(obj: Any, *, edition: Edition | str | None = None) -> dict | list:
    """Grade one contract input object, or an array of them (errors then name the index: ``[2].Q1``)."""
    if isinstance(obj, list):
        out = []
        for i, element in enumerate(obj):
            try:
                out.append(grade(parse_assessment(element, edition=edition)).to_json())
            except GradingInputError as exc:
                raise exc.prefixed(f"[{i}]") from None
        return out
    if not isinstance(obj, dict):
        raise GradingInputError(
            "input",
            f"expected an assessment object or an array of them, got {_type_name(obj)}",
            f"应为评测对象或评测对象数组，实际为 {_type_name(obj)}",
        )
    return grade(parse_assessment(obj, edition=edition)).to_json()
