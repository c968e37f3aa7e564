"""The grading engine (评分与定级): RULES.md §2-6, exact and pure (no Django, no ORM, no settings).

An input object (RULES.md §6) → :func:`parse_assessment` (checks it; every error names its field and carries
a code) → :func:`grade` → :class:`GradeResult`, whose ``to_json()`` is the §6 output. :func:`grade_json` is
the contract end to end; :func:`grade_partial` grades an unfinished questionnaire (unanswered items count 0,
unanswered scenarios are level 0, bad entries are collected in ``errors`` instead of raised). The web pages,
the ``grade`` command, the tasks and the PDF reports all call this module; nothing else computes a score.

Speed: each edition is compiled once (:func:`compiled`) into integer tables over the least common
denominator of all per-option points (56 for shunyi-2024), so grading is integer additions and comparisons.
Figures stay exact Decimals; rates and trends compare them as integer ratios, cross-multiplied. For the
contract, the edition is also compiled into one generated function (:func:`_fast`) that checks, grades and
builds the output in integers; anything it does not take in at a glance (every error) goes the careful way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow
from fractions import Fraction
from math import lcm
from operator import getitem
from typing import Any, NamedTuple

from assessments import native
from assessments.framework import (
    CodedError,
    Edition,
    FrameworkError,
    get_edition,
    gettext_noop,
    scenario_level,
)

__all__ = [
    "Assessment",
    "GradeResult",
    "GradingInputError",
    "NextLevel",
    "compiled",
    "format_points",
    "grade",
    "grade_json",
    "grade_partial",
    "loads",
    "parse_assessment",
    "scenario_level",
]

_EXACT = Context(prec=120, traps=[Inexact, InvalidOperation, Overflow])  # figures are bounded: never rounds
_BIG = 10**16


class GradingInputError(CodedError):
    """Bad grading input: ``field`` names it (``Q1``, ``scenarios.S03``, ``data.prev_year.revenue``, ``[2].Q1``
    inside an array), ``code`` says what is wrong, ``text`` is the message, ``message`` the two together."""

    MESSAGES = {
        "not_assessment": gettext_noop("应为评测对象或评测对象数组，实际为 %(got)s"),
        "not_object": gettext_noop("应为对象，实际为 %(got)s"),
        "unknown_field": gettext_noop("未知字段"),
        "missing": gettext_noop("缺少此项"),
        "unknown_item": gettext_noop("未知题目（本版本为 %(first)s–%(last)s）"),
        "unknown_scenario": gettext_noop("未知场景（本版本为 %(first)s–%(last)s）"),
        "framework_type": gettext_noop("应为评测框架版本代码，实际为 %(got)s"),
        "unknown_framework": gettext_noop("未知的评测框架版本 %(edition)s（可用：%(known)s）"),
        "framework_mismatch": gettext_noop("%(requested)s 与所评的评测框架版本（%(edition)s）不一致"),
        "single_choice": gettext_noop("应为一个选项序号（0–%(max)d 的整数），实际为 %(got)s"),
        "multi_choice": gettext_noop("多选题应为选项序号列表，实际为 %(got)s"),
        "option_type": gettext_noop("应为选项序号（0–%(max)d 的整数），实际为 %(got)s"),
        "option_range": gettext_noop("选项 %(option)d 超出范围（0–%(max)d）"),
        "empty_choice": gettext_noop("未选择任何选项：请选择“无”（选项 0）或至少一个选项"),
        "repeated_option": gettext_noop("选项 %(option)d 重复选择"),
        "none_combined": gettext_noop("“无”不能与其他选项同时选择"),
        "scenario_value": gettext_noop(
            "应为 0–%(max)d 的等级，或 %(max)d 个布尔值（各级要求是否满足），实际为 %(got)s"
        ),
        "not_number": gettext_noop("应为数值，实际为 %(got)s"),
        "too_large": gettext_noop("数值 %(value)s 过大"),
        "too_precise": gettext_noop("数值 %(value)s 小数位数过多"),
        "negative": gettext_noop("不能为负数（实际为 %(value)s）"),
        "not_whole": gettext_noop("应为整数，实际为 %(value)s"),
        "rate_above_one": gettext_noop(
            "比率超过 100%%（%(value)s）：请以 0 到 1 之间的小数填写（0.97 即 97%%）"
        ),
        "year_list": gettext_noop("应为 %(span)s 个年度数值组成的列表，实际为 %(got)s"),
        "year_count": gettext_noop("填写了 %(n)d 年，而 %(other)s 填写了 %(m)d 年"),
        "energy_list": gettext_noop("应为由 {source, amount} 组成的列表，实际为 %(got)s"),
        "unknown_source": gettext_noop("未知能源种类 %(source)s（可用：%(known)s）"),
        "zero_total": gettext_noop("为 0，无法计算比率"),
        "part_above_total": gettext_noop("%(part)s 大于 %(total_field)s（%(total)s）：比率超过 100%%"),
        "tce_twice": gettext_noop("%(field)s 与 %(other)s 只能填写其一"),
        "minus_without_list": gettext_noop("仅在填写能源消费明细（%(list)s）时适用"),
        "minus_exceeds": gettext_noop("扣减量（%(minus)s 吨标准煤）超过能源消费量（%(consumed)s 吨标准煤）"),
        "invalid_json": gettext_noop("JSON 格式错误：%(error)s"),
    }

    @property
    def field(self) -> str:
        return self.where

    def prefixed(self, prefix: str) -> GradingInputError:
        """The same error inside an array element: ``[2]`` + ``Q1`` → ``[2].Q1``."""
        return GradingInputError(f"{prefix}.{self.field}", self.code, **self.params)

    def to_json(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


def _shown(value: Any) -> str:
    """A bad value as JSON text (``true``, ``"3"``, ``[1]``): the same in every language."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _bad(errors: list | None, error: GradingInputError) -> None:
    """Strict mode (``errors`` is None) raises at once; partial mode collects and goes on."""
    if errors is None:
        raise error
    errors.append(error)


# --------------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------------


def _number(value: Any, field: str):
    """A figure, exactly: int stays int; decimal text, float (by its repr) and Decimal become Decimal."""
    kind = type(value)
    if kind is int:
        if -_BIG < value < _BIG:
            return value
        raise GradingInputError(field, "too_large", value=value)
    if kind is str:
        text = value
    elif kind is float:
        text = repr(value)
    elif kind is Decimal or kind is Fraction:
        text = None
    else:
        raise GradingInputError(field, "not_number", got=_shown(value))
    if kind is Fraction:
        return value
    try:
        number = value if text is None else Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or "_" in (text or "") or not number.is_finite():
        raise GradingInputError(field, "not_number", got=_shown(value))
    if number and number.adjusted() >= 16:
        raise GradingInputError(field, "too_large", value=value)
    # a short plain decimal has at most 20 places; anything else is checked digit by digit
    long = text is None or len(text) > 22 or "e" in text or "E" in text
    if long and number.as_tuple().exponent < -20 and _EXACT.normalize(number).as_tuple().exponent < -20:
        raise GradingInputError(field, "too_precise", value=value)
    return number


def _non_negative(value: Any, field: str):
    number = _number(value, field)
    if number < 0:
        raise GradingInputError(field, "negative", value=value)
    return number


def _total(value):
    """A figure, or the sum of a per-year list."""
    if type(value) is tuple:
        total = 0
        for v in value:
            total = _EXACT.add(total, v)
        return total
    return value


def format_points(value: Any) -> str:
    """A value rounded 四舍五入 (half up, away from zero) to 2 decimals: ``5.625`` → ``"5.63"``."""
    value = Fraction(_number(value, "value"))
    sign = "-" if value < 0 else ""
    value = abs(value)
    cents = (value.numerator * 200 + value.denominator) // (2 * value.denominator)
    return f"{sign if cents else ''}{cents // 100}.{cents % 100:02d}"


def _exact_text(value) -> str:
    text = format(_EXACT.normalize(Decimal(value)), "f")
    return "0" if text in ("-0", "") else text


class _Texts(dict):
    """Points (in units of 1/den) → their 2-decimal text, filled on first use."""

    def __init__(self, den: int):
        super().__init__()
        self.den = den

    def __missing__(self, units: int) -> str:
        text = format_points(Fraction(units, self.den))
        if len(self) < 100_000:
            self[units] = text
        return text


class _Masks(dict):
    """Points (in units) of every subset (a bit mask) of a multiple-choice item's options, filled on first use."""

    def __init__(self, option_units: tuple[int, ...], cap: int | None):
        super().__init__({None: 0})
        self.option_units, self.cap = option_units, cap

    def __missing__(self, mask: int) -> int:
        total = sum(u for i, u in enumerate(self.option_units) if mask >> i & 1)
        self[mask] = total = total if self.cap is None else min(total, self.cap)
        return total


# --------------------------------------------------------------------------------------------------------
# The edition, compiled once
# --------------------------------------------------------------------------------------------------------


class Compiled:
    """An edition as integer tables: the engine's hot path reads nothing else."""

    def __init__(self, ed: Edition):
        self.edition = ed
        den = 1
        for item in ed.items:
            for option in item.options:
                den = lcm(den, (option.score * item.factor).denominator)
            if item.cap is not None:
                den = lcm(den, (item.cap * item.factor).denominator)
        for lv in ed.levels:
            den = lcm(den, lv.min_score.denominator)
        self.den = den

        def units(value: Fraction) -> int:
            return int(value * den)

        self.items = tuple(
            (item.code, len(item.options), item.kind == "multi", bool(item.options[0].none))
            for item in ed.items
        )
        self.item_codes = ed.item_codes
        self.item_set = frozenset(self.item_codes)
        self.tables = tuple(
            _Masks(
                tuple(units(o.score * i.factor) for o in i.options),
                None if i.cap is None else units(i.cap * i.factor),
            )
            if i.kind == "multi"
            else {None: 0, **{o.index: units(o.score * i.factor) for o in i.options}}
            for i in ed.items
        )
        self.dim_codes = tuple(d.code for d in ed.dimensions)
        self.dim_ranges, start = [], 0
        for dim in ed.dimensions:
            self.dim_ranges.append((start, start + len(dim.items)))
            start += len(dim.items)
        self.scenario_codes = ed.scenario_codes
        self.scenario_set = frozenset(self.scenario_codes)
        self.k = len(ed.scenario_levels)
        self.cons = tuple(s.constrained for s in ed.scenarios)  # which scenarios are constrained (约束性)
        self.unconstrained_count = self.cons.count(False)
        self.thresholds = tuple(
            (lv.level, units(lv.min_score), lv.min_scenarios, lv.min_constrained) for lv in ed.levels
        )
        self.texts = _Texts(den)
        self.bands = tuple(b.upper.as_integer_ratio() for b in ed.rate_bands)  # inclusive upper bounds
        self.tree: dict = {}  # data key → (FigureField, its name), or {sub key → (…)} for a group of figures
        for f in ed.fields:
            head, _, tail = f.path.partition(".")
            if tail:
                self.tree.setdefault(head, {})[tail] = (f, f"data.{f.path}")
            else:
                self.tree[head] = (f, f"data.{f.path}")
        self.same_length = tuple(f for f in ed.fields if f.same_length_as)
        self.tce_fields = tuple(f for f in ed.fields if f.kind == "tce")
        self.derivations = tuple(
            (i, item.derivation, frozenset(item.derivation.paths))
            for i, item in enumerate(ed.items)
            if item.derivation
        )
        self.sources = {s.code: s.coefficient for s in ed.energy_sources}
        self.native_text = self.python_fast = None  # the generated function's text for Cython, and as Python
        self.fast = _fast(self) or (lambda obj: None)


def compiled(edition: Edition) -> Compiled:
    """The edition's compiled tables, built on first use and kept on the edition (beside its frozen fields)."""
    try:
        return edition._compiled
    except AttributeError:
        object.__setattr__(edition, "_compiled", Compiled(edition))
        return edition._compiled


def _edition(code: Any) -> Edition:
    if code is not None and not isinstance(code, str):
        raise GradingInputError("framework", "framework_type", got=_shown(code))
    try:
        return get_edition(code)
    except FrameworkError as exc:
        if exc.code != "unknown_edition":
            raise
        raise GradingInputError("framework", "unknown_framework", **exc.params) from None


# --------------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Assessment:
    """A checked assessment under one edition, as the engine grades it: an answer key per item (option index,
    bit mask of options for multiple choice, None unanswered), a level per scenario (``judged`` where given),
    the criteria given as booleans, the figures read, the tce per year and the options derived (position, option)."""

    edition: Edition
    keys: list
    levels: tuple
    judged: tuple
    criteria: dict
    figures: dict
    energy: dict
    derived: tuple
    partial: bool
    errors: tuple

    framework = property(lambda self: self.edition.code)

    @property
    def answers(self) -> dict:
        c = compiled(self.edition)
        out = {}
        for (code, n, multi, _none), key in zip(c.items, self.keys, strict=True):
            out[code] = tuple(i for i in range(n) if key >> i & 1) if multi and key is not None else key
        return out

    @property
    def scenario_levels(self) -> dict[str, int]:
        return {
            code: lv
            for code, lv, j in zip(self.edition.scenario_codes, self.levels, self.judged, strict=True)
            if j
        }

    @property
    def unanswered_items(self) -> tuple[str, ...]:
        return tuple(
            code for code, key in zip(self.edition.item_codes, self.keys, strict=True) if key is None
        )

    @property
    def unanswered_scenarios(self) -> tuple[str, ...]:
        return tuple(code for code, j in zip(self.edition.scenario_codes, self.judged, strict=True) if not j)

    @property
    def complete(self) -> bool:
        return not self.errors and None not in self.keys and all(self.judged)


TOP_KEYS = frozenset(("framework", "answers", "scenarios", "data"))


def parse_assessment(obj: Any, *, edition: Edition | str | None = None, partial: bool = False) -> Assessment:
    """Check a contract input object (RULES.md §6) and normalise it.

    Strict (default): the first problem raises :class:`GradingInputError`. ``partial=True``: missing answers
    and scenarios are allowed (None is unanswered), bad entries are left out and listed in ``errors``; an
    unknown framework still raises."""
    if type(obj) is not dict:
        raise GradingInputError("input", "not_assessment", got=_shown(obj))
    requested = obj.get("framework")
    ed = edition if isinstance(edition, Edition) else _edition(requested if edition is None else edition)
    if edition is not None and requested is not None and requested != ed.code:
        raise GradingInputError(
            "framework", "framework_mismatch", requested=_shown(requested), edition=ed.code
        )
    c = compiled(ed)
    errors = [] if partial else None
    for key in obj:
        if key not in TOP_KEYS:
            _bad(errors, GradingInputError(str(key), "unknown_field"))
    keys = _parse_answers(c, obj.get("answers"), "answers" in obj, errors)
    levels, judged, criteria = _parse_scenarios(c, obj.get("scenarios"), "scenarios" in obj, errors)
    figures, energy, derived = _parse_data(c, obj.get("data"), errors)
    return Assessment(
        ed, keys, levels, judged, criteria, figures, energy, derived, partial, tuple(errors or ())
    )


def _section(raw: Any, name: str, present: bool, codes: tuple, known: frozenset, errors: list | None) -> bool:
    """Whether ``answers`` / ``scenarios`` is an object to read (else its error is raised or noted), noting
    the codes it should not have."""
    if type(raw) is not dict:
        if raw is not None or (errors is None and present):
            _bad(errors, GradingInputError(name, "not_object", got=_shown(raw)))
        elif errors is None:
            _bad(errors, GradingInputError(name, "missing"))
        return False
    if errors is not None or len(raw) != len(codes):
        for code in raw:
            if code not in known:
                where, what = (str(code), "item") if name == "answers" else (f"{name}.{code}", "scenario")
                _bad(errors, GradingInputError(where, f"unknown_{what}", first=codes[0], last=codes[-1]))
    return True


def _parse_answers(c: Compiled, raw: Any, present: bool, errors: list | None) -> list:
    if not _section(raw, "answers", present, c.item_codes, c.item_set, errors):
        return [None] * len(c.items)
    keys = []
    for code, n, multi, has_none in c.items:
        value = raw.get(code)
        try:
            if value is None:
                if errors is None:
                    raise GradingInputError(code, "missing")
                key = None
            elif not multi:
                if type(value) is not int:
                    raise GradingInputError(code, "single_choice", max=n - 1, got=_shown(value))
                if not 0 <= value < n:
                    raise GradingInputError(code, "option_range", option=value, max=n - 1)
                key = value
            else:
                key = _mask(code, n, has_none, value)
        except GradingInputError as exc:
            _bad(errors, exc)
            key = None
        keys.append(key)
    return keys


def _mask(code: str, n: int, has_none: bool, value: Any) -> int:
    if type(value) is not list and type(value) is not tuple:
        raise GradingInputError(code, "multi_choice", got=_shown(value))
    if not value:
        raise GradingInputError(code, "empty_choice")
    mask = 0
    for v in value:
        if type(v) is not int:
            raise GradingInputError(code, "option_type", max=n - 1, got=_shown(v))
        if not 0 <= v < n:
            raise GradingInputError(code, "option_range", option=v, max=n - 1)
        bit = 1 << v
        if mask & bit:
            raise GradingInputError(code, "repeated_option", option=v)
        mask |= bit
    if has_none and mask & 1 and mask != 1:
        raise GradingInputError(code, "none_combined")
    return mask


def _parse_scenarios(c: Compiled, raw: Any, present: bool, errors: list | None):
    if not _section(raw, "scenarios", present, c.scenario_codes, c.scenario_set, errors):
        count = len(c.scenario_codes)
        return (0,) * count, (False,) * count, {}
    k = c.k
    levels, judged, criteria = [], [], {}
    for code in c.scenario_codes:
        value = raw.get(code)
        level = None
        if type(value) is int:
            if 0 <= value <= k:
                level = value
        elif (type(value) is list or type(value) is tuple) and len(value) == k:
            level, broken = 0, False
            for met in value:
                if met is True:
                    level += not broken
                elif met is False or (met is None and errors is not None):
                    broken = True
                else:
                    level = None
                    break
            if level is not None:
                criteria[code] = tuple(value)
        elif value is None:
            if errors is None:
                raise GradingInputError(f"scenarios.{code}", "missing")
            levels.append(0)
            judged.append(False)
            continue
        if level is None:
            _bad(errors, GradingInputError(f"scenarios.{code}", "scenario_value", max=k, got=_shown(value)))
        levels.append(level or 0)
        judged.append(level is not None)
    return tuple(levels), tuple(judged), criteria


def _figure(c: Compiled, f, value: Any, field: str):
    """One figure read as its field's kind says (RULES.md §5-6)."""
    if f.kind == "energy_list":
        return _energy_list(c, value, field)
    if f.kind == "amounts":
        if (type(value) is not list and type(value) is not tuple) or not f.min_length <= len(
            value
        ) <= f.max_length:
            span = f"{f.min_length}–{f.max_length}" if f.min_length != f.max_length else str(f.min_length)
            raise GradingInputError(field, "year_list", span=span, got=_shown(value))
        return tuple([_non_negative(v, f"{field}[{i}]") for i, v in enumerate(value)])
    number = _number(value, field)
    if number < 0:
        raise GradingInputError(field, "negative", value=value)
    if f.kind == "count" and type(number) is not int:
        if number != number.to_integral_value():
            raise GradingInputError(field, "not_whole", value=value)
        number = int(number)
    elif f.kind == "fraction" and number > 1:
        raise GradingInputError(field, "rate_above_one", value=value)
    return number


def _energy_list(c: Compiled, value: Any, field: str) -> tuple:
    if type(value) is not list and type(value) is not tuple:
        raise GradingInputError(field, "energy_list", got=_shown(value))
    rows = []
    for i, row in enumerate(value):
        where = f"{field}[{i}]"
        if type(row) is not dict:
            raise GradingInputError(where, "not_object", got=_shown(row))
        if len(row) != 2 or "source" not in row or "amount" not in row:
            for key in row:
                if key not in ("source", "amount"):
                    raise GradingInputError(f"{where}.{key}", "unknown_field")
            raise GradingInputError(f"{where}.{'amount' if 'source' in row else 'source'}", "missing")
        source = row["source"]
        coefficient = c.sources.get(source) if type(source) is str else None
        if coefficient is None:
            known = ", ".join(c.sources)
            raise GradingInputError(f"{where}.source", "unknown_source", source=_shown(source), known=known)
        rows.append((coefficient, _non_negative(row["amount"], f"{where}.amount")))
    return tuple(rows)


def _parse_data(c: Compiled, raw: Any, errors: list | None):
    values: dict = {}
    energy: dict = {}
    if raw is None:
        return values, energy, ()
    if type(raw) is not dict:
        _bad(errors, GradingInputError("data", "not_object", got=_shown(raw)))
        return values, energy, ()
    for key, value in raw.items():
        node = c.tree.get(key)
        if value is None:
            continue
        if node is None:
            _bad(errors, GradingInputError(f"data.{key}", "unknown_field"))
        elif type(node) is dict:
            if type(value) is not dict:
                _bad(errors, GradingInputError(f"data.{key}", "not_object", got=_shown(value)))
                continue
            for sub, subvalue in value.items():
                if subvalue is None:
                    continue
                leaf = node.get(sub)
                if leaf is None:
                    _bad(errors, GradingInputError(f"data.{key}.{sub}", "unknown_field"))
                    continue
                try:
                    values[leaf[0].path] = _figure(c, leaf[0], subvalue, leaf[1])
                except GradingInputError as exc:
                    _bad(errors, exc)
        else:
            try:
                values[node[0].path] = _figure(c, node[0], value, node[1])
            except GradingInputError as exc:
                _bad(errors, exc)

    for f in c.same_length:  # per-year lists over the same years
        if f.path in values and f.same_length_as in values:
            n, m = len(values[f.path]), len(values[f.same_length_as])
            if n != m:
                _bad(
                    errors,
                    GradingInputError(
                        f"data.{f.path}", "year_count", n=n, m=m, other=f"data.{f.same_length_as}"
                    ),
                )
                del values[f.path]

    for f in c.tce_fields:  # 综合能源消费量 = Σ amount × coefficient − conversion − recovery, or as given
        try:
            total = _tce(f, values)
        except GradingInputError as exc:
            _bad(errors, exc)
            values.pop(f.path, None)
            continue
        if total is not None:
            values[f.path] = total
        if f.path in values:
            energy[f.key] = values[f.path]

    derived = []
    for pos, d, paths in c.derivations:
        if paths <= values.keys():
            try:
                derived.append((pos, _derive(c, d, values)))
            except GradingInputError as exc:
                _bad(errors, exc)
    return values, energy, tuple(derived)


def _tce(f, values: dict):
    """The year's tce when computed from its energy list, else None."""
    rows = values.get(f.from_list) if f.from_list else None
    minus = [m for m in f.minus if m in values]
    if rows is None:
        if minus:
            raise GradingInputError(f"data.{minus[0]}", "minus_without_list", list=f"data.{f.from_list}")
        return None
    if f.path in values:
        raise GradingInputError(
            f"data.{f.path}", "tce_twice", field=f"data.{f.path}", other=f"data.{f.from_list}"
        )
    consumed = 0
    for coefficient, amount in rows:
        consumed = _EXACT.add(consumed, _EXACT.multiply(coefficient, amount))
    subtracted = 0
    for m in minus:
        subtracted = _EXACT.add(subtracted, values[m])
    if subtracted > consumed:
        consumed, subtracted = _exact_text(consumed), _exact_text(subtracted)
        raise GradingInputError(f"data.{minus[-1]}", "minus_exceeds", minus=subtracted, consumed=consumed)
    return _EXACT.subtract(consumed, subtracted) if minus else consumed


def _derive(c: Compiled, d, values: dict) -> int:
    """The option an item's figures imply (RULES.md §5), exactly, in integers."""
    if d.kind == "rate_band":
        part, total = _total(values[d.part]), _total(values[d.total])
        if not total:
            raise GradingInputError(f"data.{d.total}", "zero_total")
        if part > total:
            raise GradingInputError(
                f"data.{d.part}",
                "part_above_total",
                part=_exact_text(part),
                total=_exact_text(total),
                total_field=f"data.{d.total}",
            )
        (pn, pd), (tn, td) = part.as_integer_ratio(), total.as_integer_ratio()
        return next(i for i, (bn, bd) in enumerate(c.bands) if pn * td * bd <= bn * pd * tn)
    (bn, bd), (an, ad) = _measure(d.before, values), _measure(d.after, values)
    left, right = an * bd, bn * ad  # after vs before, cross-multiplied (denominators are positive)
    return d.same if left == right else d.up if left > right else d.down


def _measure(r, values: dict) -> tuple[int, int]:
    """A trend's quantity (a value, or a value per another) as an integer ratio."""
    vn, vd = _total(values[r.value]).as_integer_ratio()
    if r.per is None:
        return vn, vd
    pn, pd = _total(values[r.per]).as_integer_ratio()
    if not pn:
        raise GradingInputError(f"data.{r.per}", "zero_total")
    return vn * pd, vd * pn


# --------------------------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------------------------


class NextLevel(NamedTuple):
    """What is missing for the level above: points, and the fewest scenarios that must rise to it."""

    level: int
    name: str
    score_needed: Fraction
    scenarios_needed: int
    constrained_needed: int


@dataclass(slots=True, eq=False)
class GradeResult:
    """The engine's verdict, in integer units of 1/den points; exact Fractions are built on request."""

    assessment: Assessment
    c: Compiled
    item_units: tuple
    dimension_units: tuple
    score_units: int
    level: int
    gap: tuple | None  # (target level, units needed, scenarios needed, constrained needed); None at the top
    inconsistent: list

    edition = property(lambda self: self.assessment.edition)
    framework = property(lambda self: self.edition.code)
    score = property(lambda self: Fraction(self.score_units, self.c.den))
    level_name = property(lambda self: self.edition.level_name(self.level))
    energy_tce = property(lambda self: dict(self.assessment.energy))
    scenario_levels = property(
        lambda self: dict(zip(self.c.scenario_codes, self.assessment.levels, strict=True))
    )
    partial = property(lambda self: self.assessment.partial)
    complete = property(lambda self: self.assessment.complete)
    unanswered_items = property(lambda self: self.assessment.unanswered_items)
    unanswered_scenarios = property(lambda self: self.assessment.unanswered_scenarios)
    errors = property(lambda self: self.assessment.errors)

    dimensions = property(lambda self: self._points(self.c.dim_codes, self.dimension_units))
    items = property(lambda self: self._points(self.c.item_codes, self.item_units))

    def _points(self, codes: tuple, units: tuple) -> dict[str, Fraction]:
        return {code: Fraction(u, self.c.den) for code, u in zip(codes, units, strict=True)}

    @property
    def derived(self) -> dict[str, int]:
        return {self.c.item_codes[pos]: option for pos, option in self.assessment.derived}

    @property
    def inconsistencies(self) -> list[str]:
        return [self.c.item_codes[pos] for pos in self.inconsistent]

    @property
    def next_level(self) -> NextLevel | None:
        if self.gap is None:
            return None
        target, units, needed, constrained = self.gap
        name = self.edition.level_name(target)
        return NextLevel(target, name, Fraction(units, self.c.den), needed, constrained)

    def to_json(self) -> dict:
        """Exactly the RULES.md §6 output (plus, in partial mode, ``complete``/``unanswered``/``errors``)."""
        c, a, texts = self.c, self.assessment, self.c.texts
        codes = c.item_codes
        gap = self.gap
        out = {
            "framework": self.edition.code,
            "score": texts[self.score_units],
            "dimensions": dict(zip(c.dim_codes, map(texts.__getitem__, self.dimension_units), strict=False)),
            "items": dict(zip(codes, map(texts.__getitem__, self.item_units), strict=False)),
            "scenario_levels": dict(zip(c.scenario_codes, a.levels, strict=False)),
            "level": self.level,
            "derived": {codes[pos]: option for pos, option in a.derived},
            "energy_tce": {key: _exact_text(v) for key, v in a.energy.items()},
            "inconsistencies": [codes[pos] for pos in self.inconsistent],
            "next_level": None
            if gap is None
            else {
                "level": gap[0],
                "score_needed": texts[gap[1]],
                "scenarios_needed": gap[2],
                "constrained_needed": gap[3],
            },
        }
        if a.partial:
            out["complete"] = a.complete
            out["unanswered"] = {"items": list(a.unanswered_items), "scenarios": list(a.unanswered_scenarios)}
            out["errors"] = [e.to_json() for e in a.errors]
        return out


def _gap(c: Compiled, threshold: tuple, at: int, c_at: int) -> tuple:
    """The level above: (level, its points, scenarios that must rise to it, how many of them constrained), for
    ``at`` scenarios already at it or above, ``c_at`` of them constrained."""
    target, min_units, n, cn = threshold
    constrained_gap = max(0, cn - c_at)
    needed = max(0, n - at, constrained_gap)
    # where too few unconstrained scenarios are left below the target, more risers must be constrained
    unconstrained_below = c.unconstrained_count - (at - c_at)
    return target, min_units, needed, max(constrained_gap, needed - unconstrained_below)


def grade(assessment: Assessment) -> GradeResult:
    """Grade a parsed assessment (RULES.md §2-5): integer arithmetic over the edition's units."""
    c = compiled(assessment.edition)
    keys = assessment.keys
    item_units = tuple(map(getitem, c.tables, keys))
    dimension_units = tuple([sum(item_units[a:b]) for a, b in c.dim_ranges])
    score = sum(dimension_units)
    levels = assessment.levels  # how many scenarios are at each level or above, and how many constrained
    at = [sum(lv >= t for lv in levels) for t in range(c.k + 1)]
    c_at = [sum(lv >= t for lv, con in zip(levels, c.cons, strict=True) if con) for t in range(c.k + 1)]
    level = 0
    for target, min_units, n, cn in c.thresholds:
        if score < min_units or at[target] < n or c_at[target] < cn:
            break
        level = target
    gap = None
    if level < len(c.thresholds):
        target, min_units, needed, constrained = _gap(c, c.thresholds[level], at[level + 1], c_at[level + 1])
        gap = (target, max(0, min_units - score), needed, constrained)
    inconsistent = [
        pos for pos, option in assessment.derived if keys[pos] is not None and keys[pos] != option
    ]
    return GradeResult(assessment, c, item_units, dimension_units, score, level, gap, inconsistent)


def grade_partial(
    edition: Edition | str | None, answers: dict | None, scenarios: dict | None, data: dict | None = None
):
    """Grade an unfinished questionnaire: unanswered items score 0, unanswered scenarios are level 0, bad
    entries are left out (``result.unanswered_items``, ``.unanswered_scenarios``, ``.errors``)."""
    obj = {"answers": answers or {}, "scenarios": scenarios or {}, "data": data}
    return grade(
        parse_assessment(
            obj, edition=edition if isinstance(edition, Edition) else _edition(edition), partial=True
        )
    )


# --------------------------------------------------------------------------------------------------------
# The contract's fast path: an edition compiled once into one straight-line function (generated source)
# --------------------------------------------------------------------------------------------------------
# It checks, grades and builds the §6 output in integers (figures in millionths, a tce in 10^-(6+c) for
# coefficients of c places) and gives up (returns None, or raises) on anything it does not take in at a glance: any
# error, a long or unusual number, a tuple. grade_json() then takes the careful path above, which decides the exact
# error. The two agree on every valid input (test_engine_properties.py checks it, and both against the reference).


def _read_number(x: str, t: str, kind: str, pad: str) -> list[str]:
    """Source reading the figure in ``x`` into ``t`` (an integer, in millionths), or giving up (None).

    An int below 2^53 is exact as it is. A float, or a decimal text of at most 15 characters, below 2^26 is read
    through its double: the decimal of at most 6 places whose double it is, if there is one, is the only one
    (such decimals are 10^-6 apart, far more than the rounding error), and the text is that decimal exactly, or
    its double differs (both have at most 15 significant digits, and those round-trip)."""
    fraction = kind == "fraction"
    return [
        f"{pad}if type({x}) is int:",
        f"{pad}    if {x} >> 53{f' or {x} > 1' if fraction else ''}: return None",
        f"{pad}    {t} = {x} * 1000000",
        f"{pad}else:",
        f"{pad}    if type({x}) is not float:",
        f"{pad}        if type({x}) is not str:",
        f"{pad}            if type({x}) is not Decimal: return None",
        f"{pad}            {x} = str({x})",
        f"{pad}        if len({x}) > 15 or '_' in {x}: return None",
        f"{pad}        {x} = float({x})",
        f"{pad}    if not 0.0 <= {x} {'<= 1.0' if fraction else '< 67108864.0'}: return None",  # NaN too
        f"{pad}    fq = {x} * 1e6",  # a C double in Cython
        f"{pad}    {t} = int(fq + 0.5)",  # fq rounded (q ≥ 0; a tie, or a sum rounded up, is no exact figure either)
        f"{pad}    if {t} / 1e6 != {x}{f' or {t} % 1000000' if kind == 'count' else ''}: return None",
    ]


def _valid_masks(table: _Masks, has_none: bool) -> dict[int, int]:
    """Points of every valid choice of a multiple-choice item (a bit mask): not empty, 无 only alone."""
    sums = [0]
    for u in table.option_units:  # the sums of all subsets, doubling the list per option
        sums += [s + u for s in sums]
    cap = table.cap
    return {
        m: s if cap is None or s < cap else cap
        for m, s in enumerate(sums)
        if m and not (has_none and m & 1 and m != 1)
    }


def _fast(c: Compiled):
    """The edition's contract as one generated function (obj → §6 output, or None), or None if it cannot be."""
    ed, ni, ns, k, nt = c.edition, len(c.items), len(c.scenario_codes), c.k, len(c.thresholds)
    top = 100 * c.den  # every points figure is 0..100 points: all their texts in one tuple
    if top > 200_000 or any(multi and n > 16 for _, n, multi, _ in c.items):
        return None  # tables too large: the careful path grades every assessment of this edition
    ce = max((-s.coefficient.as_tuple().exponent for s in ed.energy_sources), default=0)
    env = {
        "Decimal": Decimal,
        "T": tuple(c.texts[u] for u in range(top + 1)),
        "SRC": {code: int(k * 10**ce) for code, k in c.sources.items()},
    }
    var = {f.path: "F_" + f.path.replace(".", "_") for f in ed.fields}
    tce = {f.path for f in c.tce_fields}
    # obj is a dict (grade_json checks); its keys, as those of every section of the figures, are counted: the known
    # ones that are there (None is absent) must be all there are
    out = [
        "def fast(obj):",
        "    d = obj.get('data')",
        "    if len(obj) != 2 + (d is not None) + ('framework' in obj): return None",
    ]
    add = out.append

    add("    a, s = obj['answers'], obj['scenarios']")
    add(f"    if type(a) is not dict or len(a) != {ni} or type(s) is not dict or len(s) != {ns}: return None")
    # every code looked up directly (a KeyError for a missing one; with the lengths, exactly the codes)
    add(f"    {', '.join(f'v{i}' for i in range(ni))}, = {', '.join(f'a[{q!r}]' for q in c.item_codes)},")
    # the answers: option numbers are ints (never True/False) in range, each table a tuple indexed by them
    for i, ((_code, n, multi, has_none), table) in enumerate(zip(c.items, c.tables, strict=True)):
        if not multi:
            env[f"A{i}"] = tuple(table[o] for o in range(n))
            add(f"    if type(v{i}) is not int: return None")
            add(f"    zi = v{i}")
            add(f"    if zi < 0 or zi >= {n}: return None")
            add(f"    u{i} = A{i}[zi]")
            continue
        # the options' bit mask (an option twice gives up); the table holds the points of every valid mask, -1
        # for the others (none chosen, 无 with another)
        valid = _valid_masks(table, has_none)
        env[f"M{i}"] = tuple(valid.get(m, -1) for m in range(1 << n))
        add(f"    if type(v{i}) is not list: return None")
        add("    mm = 0")
        add(f"    for z in v{i}:")
        add("        if type(z) is not int: return None")
        add("        zi = z")
        add(f"        if zi < 0 or zi >= {n} or mm >> zi & 1: return None")
        add("        mm |= 1 << zi")
        add(f"    u{i} = M{i}[mm]")
        add(f"    if u{i} < 0: return None")
    dims = [" + ".join(f"u{i}" for i in range(a, b)) or "0" for a, b in c.dim_ranges]
    add(f"    {''.join(f'd{j}, ' for j in range(len(dims)))}= {', '.join(dims)},")
    add(f"    S = {' + '.join(f'd{j}' for j in range(len(dims))) or '0'}")
    add(f"    {', '.join(f'x{j}' for j in range(ns))}, = {', '.join(f's[{q!r}]' for q in c.scenario_codes)},")
    # the level: counts of the scenarios at each level t or above, w bits each (field t−1) in two small integers,
    # U unconstrained and C constrained; adding 2^(w−1) − n to a count sets its top bit exactly when it is at least
    # n, so two additions test every condition, and their top bits with the levels the score reaches look the
    # level up. The gap to the level above is looked up from its two counts.
    w = max(ns, nt).bit_length() + 2
    m = (1 << w) - 1
    cons = c.cons
    env["W"] = tuple(sum(1 << w * t for t in range(lv)) for lv in range(k + 1))
    bias_all, bias_con = (
        sum((1 << w - 1) - th[i] << w * t for t, th in enumerate(c.thresholds)) for i in (2, 3)
    )
    high = sum(1 << w * t + w - 1 for t in range(nt))
    env["SL"] = tuple(sum(u >= need for _, need, *_ in c.thresholds) for u in range(top + 1))
    # the level from the top bits of the two biased counts (all at w·t + w−1, constrained one below) and the
    # number of levels whose points the score reaches (the low bits): the first level failing a test stops
    env["QL"] = {
        sum(
            (bits >> 2 * t & 1) << w * t + w - 1 | (bits >> 2 * t + 1 & 1) << w * t + w - 2 for t in range(nt)
        )
        | sl: min(sl, next((t for t in range(nt) if bits >> 2 * t & 3 != 3), nt))
        for bits in range(1 << 2 * nt)
        for sl in range(nt + 1)
    }
    env["NL"] = tuple(
        {ca << w | a: _gap(c, threshold, a, ca) for a in range(ns + 1) for ca in range(min(a, sum(cons)) + 1)}
        for threshold in c.thresholds
    )
    bs = [f"b{q}" for q in range(k)]

    def tree(j: int, q: int, pad: str) -> None:
        """b0..b(q−1) are True: b(q) decides the level, the rest need only be booleans."""
        acc = "C" if cons[j] else "U"
        if q == k:
            add(f"{pad}x{j} = {k}; {acc} += {env['W'][k]}")
            return
        add(f"{pad}if {bs[q]} is True:")
        tree(j, q + 1, pad + "    ")
        rest = "".join(f" and ({b} is True or {b} is False)" for b in bs[q + 1 :])
        add(f"{pad}elif {bs[q]} is False{rest}: x{j} = {q}; {acc} += {env['W'][q]}")
        add(f"{pad}else: return None")

    # the scenarios: a level, or K booleans (the level is the count of leading Trues), each added to its count
    add("    U = C = 0")
    for j in range(ns):
        add(f"    if type(x{j}) is int:")
        add(f"        zi = x{j}")
        add(f"        if zi < 0 or zi > {k}: return None")
        add(f"        {'C' if cons[j] else 'U'} += W[zi]")
        add(f"    elif type(x{j}) is list:")
        add(f"        {''.join(b + ', ' for b in bs)}= x{j}")
        tree(j, 0, "        ")
        add("    else: return None")
    add("    A = U + C")
    add(f"    lv = QL[(A + {bias_all}) & {high} | (C + {bias_con}) >> 1 & {high >> 1} | SL[S]]")
    add(f"    if lv < {nt}:")
    add(f"        target, need, needed, cneeded = NL[lv][A >> {w} * lv & {m} | (C >> {w} * lv & {m}) << {w}]")
    add("        nl = {'level': target, 'score_needed': T[need - S if need > S else 0],")
    add("              'scenarios_needed': needed, 'constrained_needed': cneeded}")
    add("    else: nl = None")
    # the figures
    add(f"    {' = '.join(var.values()) or '_'} = None")
    if any(f.kind == "amounts" for f in ed.fields):  # their lengths, read only when both are given
        add(f"    {' = '.join(f'N_{var[f.path]}' for f in ed.fields if f.kind == 'amounts')} = 0")
    add("    if d is not None:")
    add("        if type(d) is not dict: return None")
    add("        nd = 0")

    def read(f, src: str, pad: str, count: str) -> None:
        add(f"{pad}x = {src}({f.path.rpartition('.')[2]!r})")
        add(f"{pad}if x is not None:")
        pad, v = pad + "    ", var[f.path]
        add(f"{pad}{count} += 1")
        if f.kind == "energy_list":
            add(f"{pad}if type(x) is not list: return None")
            add(f"{pad}{v} = 0")
            add(f"{pad}for r in x:")
            add(f"{pad}    if type(r) is not dict or len(r) != 2: return None")
            add(f"{pad}    z = r['amount']")
            out.extend(_read_number("z", "t", "amount", pad + "    "))
            add(f"{pad}    {v} += t * SRC[r['source']]")
        elif f.kind == "amounts":
            add(f"{pad}if type(x) is not list or not {f.min_length} <= len(x) <= {f.max_length}: return None")
            add(f"{pad}{v} = 0")
            add(f"{pad}for z in x:")
            out.extend(_read_number("z", "t", "amount", pad + "    "))
            add(f"{pad}    {v} += t")
            add(f"{pad}N_{v} = len(x)")
        else:
            out.extend(_read_number("x", v, f.kind, pad))

    for key, node in c.tree.items():
        if type(node) is not dict:
            read(node[0], "d.get", "        ", "nd")
            continue
        add(f"        y = d.get({key!r})")
        add("        if y is not None:")
        add("            nd += 1")
        add("            if type(y) is not dict: return None")
        add("            ny = 0")
        for leaf in node.values():
            read(leaf[0], "y.get", "            ", "ny")
        add("            if ny != len(y): return None")
    add("        if nd != len(d): return None")
    for f in c.same_length:
        a, b = var[f.path], var[f.same_length_as]
        add(f"    if {a} is not None and {b} is not None and N_{a} != N_{b}: return None")
    add("    et = {}")
    # 10^(6+ce) as factors of at most 10^9, which Cython keeps in C (a larger literal is a Python int)
    scale = "".join(f" * {10 ** min(9, 6 + ce - e)}" for e in range(0, 6 + ce, 9))
    for f in c.tce_fields:
        v, minus = var[f.path], [var[m] for m in f.minus]
        if f.from_list:
            add(f"    if {var[f.from_list]} is not None:")
            add(f"        if {v} is not None: return None")
            add(f"        mm = ({' + '.join(f'({m} or 0)' for m in minus) or '0'}) * {10**ce}")
            add(f"        if mm > {var[f.from_list]}: return None")
            add(f"        {v} = {var[f.from_list]} - mm")
            if minus:
                add(f"    elif {' or '.join(f'{m} is not None' for m in minus)}: return None")
            add(f"    elif {v} is not None: {v} *= {10**ce}")
        else:
            add(f"    if {v} is not None: {v} *= {10**ce}")
        add(f"    if {v} is not None:")  # the shortest exact decimal text
        add(f"        ev = {v}")
        add(f"        ip = ev{scale.replace(' *', ' //')}")
        add(f"        fp = ev - ip{scale}")
        add(f"        et[{f.key!r}] = f'{{ip}}.{{fp:0{6 + ce}d}}'.rstrip('0') if fp else f'{{ip}}'")
    add("    der, inc = {}, []")
    for pos_, d, paths in c.derivations:
        code = c.item_codes[pos_]
        add(f"    if {' and '.join(f'{var[p]} is not None' for p in sorted(paths))}:")
        if d.kind == "rate_band":
            part, total = var[d.part], var[d.total]
            if (d.part in tce) != (d.total in tce):
                return None
            add(f"        if not {total} or {part} > {total}: return None")
            add(f"        ea, eb = {part}, {total}")  # below 2^62 / m, so that part × m fits a C long long
            # rate ≤ bn/bd ⇔ ⌈part × m / total⌉ ≤ bn × m / bd for m the common denominator of the bands
            m = lcm(*(bd for _, bd in c.bands))
            env["BAND"] = tuple(
                next(i for i, (bn, bd) in enumerate(c.bands) if q * bd <= bn * m) for q in range(m + 1)
            )
            add(f"        if eb >> {62 - m.bit_length()}: return None")
            add(f"        o = BAND[-(-ea * {m} // eb)]")
        else:
            b, a = d.before, d.after
            if (b.value in tce) != (a.value in tce) or (b.per in tce) != (a.per in tce):
                return None
            if b.per is None:
                left, right = var[a.value], var[b.value]
            else:
                add(f"        if not {var[b.per]} or not {var[a.per]}: return None")
                left, right = f"{var[a.value]} * {var[b.per]}", f"{var[b.value]} * {var[a.per]}"
            add(f"        left, right = {left}, {right}")
            add(f"        o = {d.same} if left == right else {d.up} if left > right else {d.down}")
        add(f"        der[{code!r}] = o")
        add(f"        if v{pos_} != o: inc.append({code!r})")
    texts = lambda names, vs: "{" + ", ".join(f"{n!r}: T[{v}]" for n, v in zip(names, vs, strict=False)) + "}"  # noqa: E731
    add(f"    return {{'framework': {ed.code!r}, 'score': T[S],")
    add(f"        'dimensions': {texts(c.dim_codes, [f'd{j}' for j in range(len(dims))])},")
    add(f"        'items': {texts(c.item_codes, [f'u{i}' for i in range(ni)])},")
    add(
        "        'scenario_levels': {"
        + ", ".join(f"{s!r}: x{j}" for j, s in enumerate(c.scenario_codes))
        + "},"
    )
    add("        'level': lv, 'derived': der, 'energy_tce': et, 'inconsistencies': inc, 'next_level': nl}")
    # the function in a closure over its tables (its free variables), so that Cython reaches them directly
    source = "\n".join([f"def make({', '.join(env)}):", *(f"    {line}" for line in out), "    return fast"])
    # the locals' types for Cython: the input object, its sections, a group of figures and an energy row are dicts,
    # a multiple choice a list; C longs hold points (≤ 100 × den ≤ 200,000 units), the counts U, C, A (nt fields
    # of w bits), an option or level number (zi) and a mask of at most 16 options (mm), the keys counted (nd, ny); C
    # long longs a tce (ev, ip, fp) and the two figures of a rate band (ea, eb); an int too large for its C type raises
    # OverflowError, the careful path's to judge; a figure is rounded through a C double
    types = dict.fromkeys(("obj", "a", "s", "d", "y", "r"), "dict")
    types |= {f"v{i}": "list" for i, (_, _, multi, _) in enumerate(c.items) if multi}
    longs = (
        *(f"u{i}" for i in range(ni)),
        *(f"d{j}" for j in range(len(dims))),
        "S",
        "lv",
        "zi",
        "mm",
        "nd",
        "ny",
    )
    types |= dict.fromkeys(longs + (("U", "C", "A") if w * nt < 62 else ()), "cython.long") | {
        "fq": "cython.double"
    }
    types |= dict.fromkeys(("ev", "ip", "fp", "ea", "eb"), "cython.longlong")
    c.native_text = native.cython_text(source, env, types)
    scope: dict = {}
    exec(compile(source, f"<contract {ed.code}>", "exec"), scope)  # noqa: S102
    c.python_fast = scope["make"](**env)
    return native.load(c.native_text, env) or c.python_fast


# --------------------------------------------------------------------------------------------------------
# JSON in, JSON out (the contract)
# --------------------------------------------------------------------------------------------------------


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {key!r}")
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
            "input", "invalid_json", error=f"{exc.msg} ({exc.lineno}:{exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise GradingInputError("input", "invalid_json", error=str(exc)) from None


def grade_json(obj: Any, *, edition: Edition | str | None = None) -> dict | list:
    """The contract end to end: one input object (or an array of them; errors then name the index, ``[2].Q1``)
    → the RULES.md §6 output. The edition's generated function when it takes the object in; else the careful
    path (and its errors)."""
    if type(obj) is dict and edition is None:
        try:
            # not compiled yet: AttributeError, and the careful path compiles the edition for the next time
            out = get_edition(obj.get("framework"))._compiled.fast(obj)
        except Exception:  # noqa: BLE001 - anything unusual is the careful path's to judge
            out = None
        if out is not None:
            return out
    elif type(obj) is list:
        out = []
        for i, element in enumerate(obj):
            try:  # an array inside the array is not an assessment: parse_assessment says so
                out.append(
                    parse_assessment(element)
                    if type(element) is list
                    else grade_json(element, edition=edition)
                )
            except GradingInputError as exc:
                raise exc.prefixed(f"[{i}]") from None
        return out
    return grade(parse_assessment(obj, edition=edition)).to_json()
