"""Framework editions (评测指标版本): the rules of an assessment as data, loaded and checked.

An edition file (``assessments/frameworks/<code>.json``) holds everything the seed's 附件1-3 say: dimensions,
secondary indicators and items (采集项) with per-option scores, the figures an item asks for and how its option
follows from them, the scenarios (应用场景) with the text of every level, the level thresholds of 第六条, the
rate bands, the energy coefficients (表1) and the glossary (附件3). It also says what it is: its level count and
names, its item and scenario codes, and the progression rule of 附件2 (:func:`scenario_level`); nothing else
repeats those facts.

Loading checks the file against :data:`SCHEMA` (its shape, at a glance) and then against the rules between its
parts (weights sum to 100%, points agree, references resolve); every problem is one :class:`FrameworkError`
with a code and the exact place. This module is pure: no Django import (messages are translated lazily).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

DEFAULT_EDITION = "shunyi-2024"
FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"


def gettext_noop(text: str) -> str:
    """Marks a message for makemessages; it is translated when shown (see :class:`CodedError`)."""
    return text


def _translate(text: str) -> str:
    from django.conf import settings  # Django only when a message is shown: these modules stay pure

    if not settings.configured:
        return text
    from django.utils.translation import gettext

    return gettext(text)


class CodedError(ValueError):
    """An error with a stable ``code`` (callers branch on it, never on the text), the place it names
    (``where``), its ``params``, and one message: Chinese, translated by gettext (locale/en) when shown."""

    MESSAGES: dict[str, str] = {}

    def __init__(self, where: str, code: str, **params):
        self.where, self.code, self.params = where, code, params
        super().__init__(where, code)

    @property
    def text(self) -> str:
        return _translate(self.MESSAGES[self.code]) % self.params

    @property
    def message(self) -> str:
        return f"{self.where}: {self.text}"

    def __str__(self) -> str:
        return self.message


class FrameworkError(CodedError):
    """A framework edition is malformed or unknown."""

    MESSAGES = {
        "file": gettext_noop("无法读取评测框架文件：%(error)s"),
        "unknown_edition": gettext_noop("未知的评测框架版本 %(edition)s（可用：%(known)s）"),
        "exists": gettext_noop("评测框架版本 %(edition)s 已存在"),
        "duplicate": gettext_noop("代码 %(name)s 重复"),
        "wrong_code": gettext_noop("文件声明的版本代码为 %(got)s，应为 %(expected)s"),
        "shape": gettext_noop("应为%(expected)s，实际为 %(got)s"),
        "missing_key": gettext_noop("缺少 %(keys)s"),
        "unknown_key": gettext_noop("未知的键 %(keys)s"),
        "no_chinese": gettext_noop("缺少中文文字（实际为 %(got)s）"),
        "choice": gettext_noop("应为 %(choices)s 之一，实际为 %(got)s"),
        "unknown_ref": gettext_noop("引用了不存在的 %(ref)s"),
        "order": gettext_noop("序号 %(got)s 顺序不对，应为 %(expected)s"),
        "weight": gettext_noop("权重应大于 0%% 且不超过 100%%，实际为 %(weight)s"),
        "weights_sum": gettext_noop("权重合计为 %(total)s，不是 100%%（%(parts)s）"),
        "points": gettext_noop("分值 %(points)s 与权重 %(weight)s × %(of)s 不符"),
        "score": gettext_noop("选项分值有误：%(problem)s"),
        "derivation": gettext_noop("推导规则有误：%(problem)s"),
        "field": gettext_noop("数据项有误：%(problem)s"),
        "bands": gettext_noop("比率区间有误：%(problem)s"),
        "level": gettext_noop("等级条件有误：%(problem)s"),
        "energy_example": gettext_noop("按折标系数计算为 %(computed)s 吨标准煤，示例为 %(expected)s"),
    }


# --------------------------------------------------------------------------------------------------------
# The edition as frozen dataclasses
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    index: int
    text: str
    score: Fraction  # out of 100 for the item
    none: bool = False  # the “无” option of a multiple-choice item
    scenario: str | None = None  # the scenario (业务环节) this option names, where it names one


@dataclass(frozen=True)
class Ratio:
    """A measured quantity: ``value`` alone, or ``value`` per ``per`` (both figure paths)."""

    value: str
    per: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.value,) if self.per is None else (self.value, self.per)


@dataclass(frozen=True)
class Derivation:
    """How an item's option follows from the figures (RULES.md §5): ``rate_band`` (part / total, summed over
    years for per-year lists, falls in band i = option i) or ``trend`` (``after`` against ``before``; ``up`` /
    ``same`` / ``down`` are the options, ``better`` which way is the improvement)."""

    kind: str
    part: str | None = None
    total: str | None = None
    before: Ratio | None = None
    after: Ratio | None = None
    better: str | None = None
    up: int | None = None
    same: int | None = None
    down: int | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.part, self.total) if self.kind == "rate_band" else self.before.paths + self.after.paths


@dataclass(frozen=True)
class Item:
    """A collected item (采集项), ``Q1``..``Q15`` in the Shunyi edition."""

    code: str
    number: int  # 序号
    name: str
    weight: Fraction  # within its secondary indicator
    points: Fraction  # 分值: the most the item adds to the total
    question: str
    kind: str  # "single" | "multi"
    options: tuple[Option, ...]
    dimension: str
    secondary: str
    factor: Fraction  # 采集项 × 二级 × 一级 weight: points per option-score point
    scoring: str = "explicit"  # "linear": the options follow 附件1 评分逻辑 (checked at load)
    cap: Fraction | None = None  # multi only: the option scores add up to at most this
    fields: tuple[str, ...] = ()
    derivation: Derivation | None = None
    figures_prompt: str = ""

    @property
    def is_multi(self) -> bool:
        return self.kind == "multi"

    @property
    def none_index(self) -> int | None:
        return 0 if self.options[0].none else None


@dataclass(frozen=True)
class Secondary:
    code: str
    name: str  # 二级指标
    weight: Fraction
    points: Fraction
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str  # 一级指标
    weight: Fraction
    points: Fraction
    secondaries: tuple[Secondary, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for sec in self.secondaries for item in sec.items)


@dataclass(frozen=True)
class FigureField:
    """A figure the questionnaire collects (``equipment_total``, ``prev_year.revenue`` …)."""

    path: str
    label: str
    unit: str
    kind: str  # count | amount | fraction | amounts | energy_list | tce
    help: str = ""
    min_length: int | None = None  # amounts
    max_length: int | None = None
    same_length_as: str | None = None
    from_list: str | None = None  # tce: computed from this energy_list field …
    minus: tuple[str, ...] = ()  # … less these amounts (already in tce)

    @property
    def key(self) -> str:
        """The output key of a year's tce (``prev_year``), or the field's own name."""
        return self.path.split(".")[0]


@dataclass(frozen=True)
class ScenarioGroup:
    code: str
    name: str


@dataclass(frozen=True)
class Scenario:
    code: str
    group: str
    name: str
    constrained: bool  # 约束性场景 (marked * in 附件2)
    criteria: tuple[str, ...]  # the text of levels 1..K


@dataclass(frozen=True)
class ScenarioLevel:
    level: int
    name: str
    description: str  # the generic description of the level (header row of 附件2)


@dataclass(frozen=True)
class Level:
    """An enterprise level of 第六条 and its three conditions."""

    level: int
    name: str
    min_score: Fraction
    min_scenarios: int
    min_constrained: int
    rule: str = ""


@dataclass(frozen=True)
class RateBand:
    upper: Fraction  # inclusive upper bound, as a fraction of 1
    label: str


@dataclass(frozen=True)
class EnergySource:
    code: str
    name: str
    unit: str
    coefficient: Decimal  # tce per unit (折标准煤系数)
    coefficient_text: str = ""


@dataclass(frozen=True)
class Term:
    term: str
    definition: str


def scenario_level(met) -> int:
    """附件2 备注2, the progression rule: the highest L such that the criteria of every level 1..L are met.

    ``[True, False, True, True]`` → 1; ``[False, True, True, True]`` → 0; all True → 4."""
    level = 0
    for ok in met:
        if ok is not True:
            break
        level += 1
    return level


@dataclass(frozen=True)
class Edition:
    code: str
    title: str
    source: str
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    fields: tuple[FigureField, ...]
    scenario_groups: tuple[ScenarioGroup, ...]
    scenario_levels: tuple[ScenarioLevel, ...]
    scenarios: tuple[Scenario, ...]
    levels: tuple[Level, ...]
    rate_bands: tuple[RateBand, ...]
    energy_sources: tuple[EnergySource, ...]
    terms: tuple[Term, ...]
    application_level: int = 1  # 第三条: the self-assessed level an application needs
    notes: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        index = {
            kind: {x.code: x for x in xs}
            for kind, xs in (("items", self.items), ("scenarios", self.scenarios))
        }
        index["fields"] = {f.path: f for f in self.fields}
        index["energy"] = {e.code: e for e in self.energy_sources}
        object.__setattr__(self, "_index", index)

    def _get(self, kind: str, code: str):
        try:
            return self._index[kind][code]
        except KeyError:
            raise KeyError(f"{self.code}: unknown {kind[:-1]} {code!r}") from None

    def item(self, code: str) -> Item:
        return self._get("items", code)

    def scenario(self, code: str) -> Scenario:
        return self._get("scenarios", code)

    def figure_field(self, path: str) -> FigureField:
        return self._get("fields", path)

    def energy_source(self, code: str) -> EnergySource:
        return self._get("energy", code)

    def is_item(self, code: str) -> bool:
        return code in self._index["items"]

    def fields_of(self, item_code: str) -> tuple[FigureField, ...]:
        return tuple(self.figure_field(p) for p in self.item(item_code).fields)

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(self._index["items"])

    @property
    def scenario_codes(self) -> tuple[str, ...]:
        return tuple(self._index["scenarios"])

    @property
    def max_level(self) -> int:
        """The number of enterprise levels (4 in shunyi-2024); a level runs 0 (none) .. max_level."""
        return len(self.levels)

    @property
    def level_numbers(self) -> tuple[int, ...]:
        """The enterprise levels an assessment can reach, 1..max_level."""
        return tuple(lv.level for lv in self.levels)

    @property
    def scenario_level_numbers(self) -> tuple[int, ...]:
        """The levels a scenario is judged on (附件2), 1..K; a scenario's level runs 0..K."""
        return tuple(sl.level for sl in self.scenario_levels)

    def level(self, level: int) -> Level:
        """The enterprise level 1..max_level (第六条) and its conditions."""
        return self.levels[level - 1]

    def level_name(self, level: int) -> str:
        """``一级（初始级）`` …, or ``未达到一级`` for level 0."""
        if level == 0:
            return "未达到" + self.levels[0].name.split("（")[0]
        return self.level(level).name

    def level_choices(self, *, zero: bool = True) -> list[tuple[int, str]]:
        """[(level, name)] for a form: 0 (未达到一级) first unless ``zero`` is False."""
        return [(n, self.level_name(n)) for n in ((0,) if zero else ()) + self.level_numbers]

    def scenario_level(self, met) -> int:
        """The level of a scenario from its criteria met per level (the progression rule of 附件2)."""
        return scenario_level(met)

    def criteria_met(self, value) -> list[bool]:
        """A scenario's answer as K booleans (criteria met per level), whether given as a level or booleans."""
        k = len(self.scenario_levels)
        if isinstance(value, int) and not isinstance(value, bool):
            return [i < value for i in range(k)]
        return ([bool(v) for v in (value or [])] + [False] * k)[:k]


# --------------------------------------------------------------------------------------------------------
# The file's shape, declaratively: a dict is an object (a key ending in "?" is optional), a one-element list a
# non-empty list of that shape, a tuple a choice of values, a string a leaf type (read by _leaf).
# --------------------------------------------------------------------------------------------------------

TEXT, CHINESE, CODE, PATH, INT, BOOL, EXACT, PERCENT, DECIMAL, ANY = (
    "text", "Chinese text", "code", "path", "integer", "boolean", "exact number", "weight", "decimal", "any",
)  # fmt: skip
RATIO = {"value": PATH, "per?": PATH}
ITEM = {
    "code": CODE, "number": INT, "name": CHINESE, "weight": PERCENT, "points": EXACT, "question": CHINESE,
    "kind": ("single", "multi"), "options": [{"text": TEXT, "score": EXACT, "none?": BOOL, "scenario?": CODE}],
    "scoring?": ("linear", "explicit"), "cap?": EXACT, "fields?": [PATH], "figures_prompt?": TEXT,
    "derivation?": {
        "kind": ("rate_band", "trend"), "part?": PATH, "total?": PATH, "before?": RATIO, "after?": RATIO,
        "better?": ("lower", "higher"), "direction_options?": {"up": INT, "same": INT, "down": INT},
    },
}  # fmt: skip
SCHEMA = {
    "code": CODE, "title": CHINESE, "source?": TEXT, "application_level?": INT,
    "dimensions": [{
        "code": CODE, "name": CHINESE, "weight": PERCENT, "points": EXACT,
        "secondaries": [{"code": CODE, "name": CHINESE, "weight": PERCENT, "points": EXACT, "items": [ITEM]}],
    }],
    "fields?": [{
        "path": PATH, "label": CHINESE, "kind": ("count", "amount", "fraction", "amounts", "energy_list", "tce"),
        "unit?": TEXT, "help?": TEXT, "min_length?": INT, "max_length?": INT, "same_length_as?": PATH,
        "from_list?": PATH, "minus?": [PATH],
    }],
    "scenario_groups?": [{"code": CODE, "name": CHINESE}],
    "scenario_levels": [{"level": INT, "name": CHINESE, "description": CHINESE}],
    "scenarios": [{"code": CODE, "name": CHINESE, "constrained": BOOL, "criteria": [CHINESE], "group?": CODE}],
    "levels": [{
        "level": INT, "name": CHINESE, "min_score": EXACT, "min_scenarios": INT, "min_constrained": INT,
        "rule?": TEXT,
    }],
    "rate_bands?": [{"upper_percent": EXACT, "label": TEXT}],
    "energy_sources?": [{"code": CODE, "name": CHINESE, "unit": CHINESE, "coefficient": DECIMAL, "coefficient_text?": TEXT}],
    "energy_examples?": [{"energy": [{"source": CODE, "amount": DECIMAL}], "tce": DECIMAL, "text?": TEXT}],
    "terms?": [{"term": CHINESE, "definition": CHINESE}],
    "schema?": ANY, "part_names?": ANY, "scoring_notes?": ANY, "scenario_notes?": ANY, "energy_note?": ANY,
}  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PATH = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
_FRACTION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*$")


def _exact(value: Any) -> Fraction | None:
    """An integer, a decimal string (``"7.5"``) or a fraction string (``"100/14"``); never a float."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if not isinstance(value, str):
        return None
    m = _FRACTION.match(value)
    try:
        if m:
            return Fraction(Decimal(m.group(1))) / Fraction(Decimal(m.group(2)))
        number = Decimal(value.strip())
    except (InvalidOperation, ZeroDivisionError):
        return None
    return Fraction(number) if number.is_finite() else None


def _leaf(value: Any, kind: str):
    """The value read as ``kind``, or None when it is not one."""
    if kind == TEXT:
        return value if isinstance(value, str) else None
    if kind == CHINESE:
        return value if isinstance(value, str) and value.strip() else None
    if kind in (CODE, PATH):
        return value if isinstance(value, str) and (_CODE if kind == CODE else _PATH).match(value) else None
    if kind == INT:
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
    if kind == BOOL:
        return value if isinstance(value, bool) else None
    if kind == PERCENT and isinstance(value, str) and value.strip().endswith("%"):
        number = _exact(value.strip()[:-1])
        return None if number is None else number / 100
    if kind in (EXACT, PERCENT):
        return _exact(value)
    if kind == DECIMAL:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return value  # ANY


def _read(value: Any, shape, where: str = ""):
    """``value`` checked against ``shape`` and converted (Fractions for exact numbers, Decimals for decimals)."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise FrameworkError(where or "top level", "shape", expected="object", got=_shown(value))
        keys = {k.rstrip("?"): k for k in shape}
        missing = [k for k, spec in keys.items() if not spec.endswith("?") and k not in value]
        if missing:
            raise FrameworkError(where or "top level", "missing_key", keys=", ".join(missing))
        unknown = sorted(set(value) - set(keys))
        if unknown:
            raise FrameworkError(where or "top level", "unknown_key", keys=", ".join(unknown))
        return {k: _read(v, shape[keys[k]], f"{where}.{k}" if where else k) for k, v in value.items()}
    if isinstance(shape, list):
        if not isinstance(value, list) or not value:
            raise FrameworkError(where, "shape", expected="non-empty list", got=_shown(value))
        return [_read(v, shape[0], f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(shape, tuple):
        if value not in shape:
            raise FrameworkError(where, "choice", choices=", ".join(shape), got=_shown(value))
        return value
    result = None if isinstance(value, float) else _leaf(value, shape)
    if result is None:
        raise FrameworkError(where, "shape", expected=shape, got=_shown(value))
    if shape == CHINESE and not _CJK.search(result):
        raise FrameworkError(where, "no_chinese", got=_shown(value))
    return result


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _fmt(value: Fraction) -> str:
    """Short exact text of a Fraction for messages: ``7.5``, ``50/7``."""
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def _pct(value: Fraction) -> str:
    return _fmt(value * 100) + "%"


def _unique(where: str, entries: list[dict], key: str = "code") -> None:
    seen = set()
    for i, entry in enumerate(entries):
        if entry[key] in seen:
            raise FrameworkError(f"{where}[{i}]", "duplicate", name=entry[key])
        seen.add(entry[key])


def _weights(where: str, parts: list[tuple[str, Fraction]]) -> None:
    for code, weight in parts:
        if not 0 < weight <= 1:
            raise FrameworkError(f"{where} {code}", "weight", weight=_pct(weight))
    total = sum(w for _, w in parts)
    if total != 1:
        listed = ", ".join(f"{code} {_pct(w)}" for code, w in parts)
        raise FrameworkError(where, "weights_sum", total=_pct(total), parts=listed)


def _points(where: str, points: Fraction, weight: Fraction, of: Fraction) -> None:
    if points != weight * of:
        raise FrameworkError(where, "points", points=_fmt(points), weight=_pct(weight), of=_fmt(of))


# --------------------------------------------------------------------------------------------------------
# Loading: shape first, then the rules between the parts
# --------------------------------------------------------------------------------------------------------


def load_edition(source: str | Path | dict) -> Edition:
    """Load and check an edition from a JSON file path or an already decoded dict (never changed)."""
    if isinstance(source, dict):
        raw = source
    else:
        try:
            raw = json.loads(Path(source).read_text(encoding="utf-8"), parse_float=Decimal)
        except (OSError, ValueError) as exc:
            raise FrameworkError(str(source), "file", error=str(exc)) from exc
    code = raw.get("code") if isinstance(raw, dict) else None
    where = f"edition {code}" if isinstance(code, str) else "edition"
    try:
        return _build(_read(raw, SCHEMA))
    except FrameworkError as exc:
        raise FrameworkError(f"{where}: {exc.where}", exc.code, **exc.params) from None


def _build(raw: dict) -> Edition:
    k = len(raw["scenario_levels"])
    for key in ("scenario_levels", "levels"):
        for i, entry in enumerate(raw[key]):
            if entry["level"] != i + 1:
                raise FrameworkError(f"{key}[{i}]", "order", got=entry["level"], expected=i + 1)
    groups = {g["code"]: ScenarioGroup(**g) for g in raw.get("scenario_groups", [])}
    _unique("scenario_groups", raw.get("scenario_groups", []))
    _unique("scenarios", raw["scenarios"])
    scenarios = {}
    for s in raw["scenarios"]:
        where = f"scenario {s['code']}"
        if (groups or "group" in s) and s.get("group") not in groups:
            raise FrameworkError(f"{where}.group", "unknown_ref", ref=s.get("group"))
        if len(s["criteria"]) != k:
            raise FrameworkError(
                f"{where}.criteria", "shape", expected=f"{k} level texts", got=len(s["criteria"])
            )
        scenarios[s["code"]] = Scenario(
            s["code"], s.get("group", ""), s["name"], s["constrained"], tuple(s["criteria"])
        )

    bands = [RateBand(b["upper_percent"] / 100, b["label"]) for b in raw.get("rate_bands", [])]
    if bands and (
        any(a.upper >= b.upper for a, b in zip(bands, bands[1:], strict=False)) or bands[-1].upper != 1
    ):
        raise FrameworkError("rate_bands", "bands", problem="upper bounds must rise and end at 100%")

    _unique("energy_sources", raw.get("energy_sources", []))
    energy = {e["code"]: EnergySource(**e) for e in raw.get("energy_sources", [])}
    for code, e in energy.items():
        if e.coefficient <= 0:
            raise FrameworkError(
                f"energy source {code}.coefficient", "shape", expected="> 0", got=e.coefficient
            )
    for i, example in enumerate(raw.get("energy_examples", [])):  # guards the coefficients of 表1
        total = Decimal(0)
        for j, row in enumerate(example["energy"]):
            if row["source"] not in energy:
                raise FrameworkError(
                    f"energy_examples[{i}].energy[{j}].source", "unknown_ref", ref=row["source"]
                )
            total += row["amount"] * energy[row["source"]].coefficient
        if total != example["tce"]:
            raise FrameworkError(
                f"energy_examples[{i}]",
                "energy_example",
                computed=f"{total.normalize():f}",
                expected=f"{example['tce']:f}",
            )

    fields = _fields(raw.get("fields", []), energy)
    dimensions, items = _dimensions(raw["dimensions"], scenarios, fields, bands)

    levels = [Level(**lv) for lv in raw["levels"]]
    constrained = sum(s.constrained for s in scenarios.values())
    for lv, below in zip(levels, [None, *levels], strict=False):
        where = f"level {lv.level}"
        if not 0 <= lv.min_score <= 100 or lv.min_scenarios > len(scenarios):
            raise FrameworkError(where, "level", problem="a score within 0..100, at most every scenario")
        if lv.min_constrained > min(lv.min_scenarios, constrained):
            raise FrameworkError(
                where, "level", problem=f"more constrained scenarios than the {constrained} there are"
            )
        if below and (
            lv.min_score < below.min_score
            or lv.min_scenarios < below.min_scenarios
            or lv.min_constrained < below.min_constrained
        ):
            raise FrameworkError(where, "level", problem=f"conditions below those of level {below.level}")
    if len(levels) > k:
        raise FrameworkError("levels", "level", problem=f"{len(levels)} levels, scenarios judged on {k}")
    application_level = raw.get("application_level", 1)
    if not 1 <= application_level <= len(levels):
        raise FrameworkError("application_level", "level", problem=f"{application_level} is not a level")
    _unique("terms", raw.get("terms", []), "term")

    return Edition(
        code=raw["code"],
        title=raw["title"],
        source=raw.get("source", ""),
        dimensions=tuple(dimensions),
        items=tuple(items),
        fields=tuple(fields.values()),
        scenario_groups=tuple(groups.values()),
        scenario_levels=tuple(ScenarioLevel(**sl) for sl in raw["scenario_levels"]),
        scenarios=tuple(scenarios.values()),
        levels=tuple(levels),
        rate_bands=tuple(bands),
        energy_sources=tuple(energy.values()),
        terms=tuple(Term(**t) for t in raw.get("terms", [])),
        application_level=application_level,
        notes={
            k: raw[k]
            for k in ("schema", "part_names", "scoring_notes", "scenario_notes", "energy_note")
            if k in raw
        },
    )


def _fields(raw: list[dict], energy: dict) -> dict[str, FigureField]:
    _unique("fields", raw, "path")
    fields = {}
    for entry in raw:
        path, kind = entry["path"], entry["kind"]
        where = f"field {path}"
        allowed = {
            "amounts": ("min_length", "max_length", "same_length_as"),
            "tce": ("from_list", "minus"),
        }.get(kind, ())
        extra = [
            key
            for key in ("min_length", "max_length", "same_length_as", "from_list", "minus")
            if key in entry and key not in allowed
        ]
        if extra:
            raise FrameworkError(where, "field", problem=f"{extra[0]} does not apply to a {kind} field")
        if kind == "amounts":
            entry = {"min_length": 1, **entry}
            entry.setdefault("max_length", entry["min_length"])
            if not 1 <= entry["min_length"] <= entry["max_length"]:
                raise FrameworkError(where, "field", problem="min_length ≥ 1 and ≤ max_length")
        fields[path] = FigureField(**{"unit": "", **entry, "minus": tuple(entry.get("minus", ()))})
    kinds = {p: f.kind for p, f in fields.items()}
    for f in fields.values():
        where = f"field {f.path}"
        if "." not in f.path and any(p.startswith(f.path + ".") for p in fields):
            raise FrameworkError(where, "field", problem="both a figure and a group of figures")
        refs = [(f.same_length_as, "amounts"), (f.from_list, "energy_list")] + [
            (m, "amount") for m in f.minus
        ]
        for ref, kind in refs:
            if ref is not None and kinds.get(ref) != kind:
                raise FrameworkError(where, "unknown_ref", ref=f"{kind} {ref}")
        if f.minus and not f.from_list:
            raise FrameworkError(where, "field", problem="subtractions need from_list")
        if (f.kind == "energy_list" or f.from_list) and not energy:
            raise FrameworkError(where, "field", problem="an energy list needs energy_sources")
    return fields


def _dimensions(raw: list[dict], scenarios: dict, fields: dict, bands: list) -> tuple[list, list]:
    for key, entries in (("dimensions", raw), ("secondaries", [s for d in raw for s in d["secondaries"]])):
        _unique(key, entries)
    _unique("items", [i for d in raw for s in d["secondaries"] for i in s["items"]])
    _weights("dimension weights", [(d["code"], d["weight"]) for d in raw])
    dimensions, items = [], []
    for d in raw:
        _points(f"dimension {d['code']}", d["points"], d["weight"], Fraction(100))
        _weights(
            f"dimension {d['code']}: secondary indicator weights",
            [(s["code"], s["weight"]) for s in d["secondaries"]],
        )
        secondaries = []
        for s in d["secondaries"]:
            _points(f"secondary {s['code']}", s["points"], s["weight"], d["points"])
            _weights(f"secondary {s['code']}: item weights", [(i["code"], i["weight"]) for i in s["items"]])
            sitems = []
            for i in s["items"]:
                if i["number"] != len(items) + 1:
                    raise FrameworkError(
                        f"item {i['code']}.number", "order", got=i["number"], expected=len(items) + 1
                    )
                _points(f"item {i['code']}", i["points"], i["weight"], s["points"])
                item = _item(i, d, s, scenarios, fields, bands)
                items.append(item)
                sitems.append(item)
            secondaries.append(Secondary(s["code"], s["name"], s["weight"], s["points"], tuple(sitems)))
        dimensions.append(Dimension(d["code"], d["name"], d["weight"], d["points"], tuple(secondaries)))
    return dimensions, items


def _item(raw: dict, d: dict, s: dict, scenarios: dict, fields: dict, bands: list) -> Item:
    where = f"item {raw['code']}"
    kind, n = raw["kind"], len(raw["options"])
    options = tuple(Option(index=k, **o) for k, o in enumerate(raw["options"]))
    for o in options:
        if o.scenario is not None and o.scenario not in scenarios:
            raise FrameworkError(f"{where} option {o.index}.scenario", "unknown_ref", ref=o.scenario)
        if o.score < 0 or (o.none and (kind != "multi" or o.index != 0 or o.score != 0)):
            raise FrameworkError(
                f"{where} option {o.index}",
                "score",
                problem="a score below 0, or a “无” option that is not the first of a multiple choice with 0",
            )
    if n < 2 or ("cap" in raw and kind != "multi"):
        raise FrameworkError(where, "score", problem="fewer than 2 options, or a cap on a single choice")
    scores = [o.score for o in options]
    best = max(scores) if kind == "single" else min(sum(scores), raw.get("cap", sum(scores)))
    if best != 100:
        raise FrameworkError(
            where,
            "score",
            problem=f"the highest achievable score is {_fmt(best)}, not 100 ({', '.join(map(_fmt, scores))})",
        )
    if (
        raw.get("scoring") == "linear"
    ):  # 附件1 评分逻辑: i × 100/(n−1) for single choice, 100/(n−1) per option otherwise
        for o in options:
            expected = (
                Fraction(o.index * 100, n - 1)
                if kind == "single"
                else Fraction(0 if o.none else 100, n - options[0].none)
            )
            if o.score != expected:
                raise FrameworkError(
                    f"{where} option {o.index}",
                    "score",
                    problem=f"{_fmt(o.score)}, not {_fmt(expected)} by the linear rule of 附件1",
                )
    for path in raw.get("fields", []):
        if path not in fields:
            raise FrameworkError(f"{where}.fields", "unknown_ref", ref=path)
    derivation = (
        _derivation(raw["derivation"], f"{where}.derivation", kind, options, fields, bands)
        if "derivation" in raw
        else None
    )
    return Item(
        code=raw["code"],
        number=raw["number"],
        name=raw["name"],
        weight=raw["weight"],
        points=raw["points"],
        question=raw["question"],
        kind=kind,
        options=options,
        dimension=d["code"],
        secondary=s["code"],
        factor=d["weight"] * s["weight"] * raw["weight"],
        scoring=raw.get("scoring", "explicit"),
        cap=raw.get("cap"),
        fields=tuple(raw.get("fields", ())),
        derivation=derivation,
        figures_prompt=raw.get("figures_prompt", ""),
    )


def _derivation(raw: dict, where: str, kind: str, options: tuple, fields: dict, bands: list) -> Derivation:
    needs = (
        ("part", "total")
        if raw["kind"] == "rate_band"
        else ("before", "after", "better", "direction_options")
    )
    if kind != "single" or set(raw) != {"kind", *needs}:
        raise FrameworkError(where, "derivation", problem=f"a single choice with {', '.join(needs)}")
    paths = (
        [raw[p] for p in needs[:2]]
        if raw["kind"] == "rate_band"
        else [r[p] for r in (raw["before"], raw["after"]) for p in ("value", "per") if p in r]
    )
    for path in paths:
        if fields.get(path) is None or fields[path].kind == "energy_list":
            raise FrameworkError(where, "unknown_ref", ref=f"number field {path}")
    if raw["kind"] == "rate_band":
        if len(options) != len(bands):
            raise FrameworkError(
                where, "derivation", problem=f"{len(options)} options for {len(bands)} rate bands"
            )
        if (fields[raw["part"]].kind == "amounts") != (fields[raw["total"]].kind == "amounts"):
            raise FrameworkError(
                where, "derivation", problem="part and total both per-year lists, or neither"
            )
        return Derivation("rate_band", part=raw["part"], total=raw["total"])
    d = raw["direction_options"]
    if len(options) != 3 or sorted(d.values()) != [0, 1, 2]:
        raise FrameworkError(where, "derivation", problem="a trend needs 3 options, each direction once")
    good, bad = ("down", "up") if raw["better"] == "lower" else ("up", "down")
    if not options[d[good]].score > options[d["same"]].score > options[d[bad]].score:
        raise FrameworkError(
            where,
            "derivation",
            problem=f"with {raw['better']} being better, option {d[good]} must score most",
        )
    before, after = (Ratio(r["value"], r.get("per")) for r in (raw["before"], raw["after"]))
    return Derivation("trend", before=before, after=after, better=raw["better"], **d)


# --------------------------------------------------------------------------------------------------------
# The registry of editions
# --------------------------------------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[str, Edition] = {}
_registered: dict[str, Edition] = {}
_files: dict[str, Path] | None = None


def _scan() -> dict[str, Path]:
    global _files
    if _files is None:
        found: dict[str, Path] = {}
        for path in sorted(FRAMEWORKS_DIR.glob("*.json")):
            try:
                code = json.loads(path.read_text(encoding="utf-8"))["code"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise FrameworkError(str(path), "file", error=str(exc)) from exc
            if code in found:
                raise FrameworkError(str(path), "duplicate", name=code)
            found[code] = path
        _files = found
    return _files


def shipped_codes() -> tuple[str, ...]:
    """The codes of the editions the platform ships (assessments/frameworks/*.json)."""
    return tuple(sorted(_scan()))


def get_edition(code: str | None = None) -> Edition:
    """The edition with this code (None: the current default, ``shunyi-2024``), loaded once and cached."""
    code = DEFAULT_EDITION if code is None else code
    edition = _registered.get(code) or _loaded.get(code)
    if edition is not None:
        return edition
    with _lock:
        if code not in _loaded:
            path = _scan().get(code)
            if path is None:
                known = ", ".join(sorted(set(_scan()) | set(_registered)))
                raise FrameworkError("framework", "unknown_edition", edition=code, known=known)
            edition = load_edition(path)
            if edition.code != code:
                raise FrameworkError(str(path), "wrong_code", got=edition.code, expected=code)
            _loaded[code] = edition
        return _loaded[code]


def register_edition(edition: Edition) -> Edition:
    """Make an edition loaded from elsewhere (a test file, a draft revision) available by its code."""
    with _lock:
        if edition.code in _scan() and _registered.get(edition.code) is not edition:
            raise FrameworkError("framework", "exists", edition=edition.code)
        _registered[edition.code] = edition
    return edition
