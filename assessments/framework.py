"""Framework editions (评测指标版本): the rules of an assessment as data, loaded, checked and compiled.

An edition file (``assessments/frameworks/<code>.json``) holds everything the seed's 附件1-3 say: the
dimensions with their secondary indicators and items (采集项) with per-option scores, the figures an item
asks for and how its option is derived from them, the scenarios (应用场景) with the text of every level,
the level thresholds of 第六条, the rate bands, the energy coefficients (表1) and the glossary (附件3).

Loading validates the file loudly (:class:`FrameworkError` names exactly what is wrong) and compiles it
once into integer tables over a common denominator, so that :mod:`assessments.engine` grades with
integer additions and comparisons only. This module is pure: no Django import.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import lcm
from operator import itemgetter
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_EDITION",
    "FRAMEWORKS_DIR",
    "Compiled",
    "Derivation",
    "Dimension",
    "Edition",
    "EnergySource",
    "FigureField",
    "FrameworkError",
    "Item",
    "Level",
    "Option",
    "RateBand",
    "Ratio",
    "Scenario",
    "ScenarioGroup",
    "ScenarioLevel",
    "Secondary",
    "Term",
    "available_editions",
    "get_edition",
    "load_edition",
    "register_edition",
    "reset_editions",
    "scenario_level",
]

DEFAULT_EDITION = "shunyi-2024"
FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"

HUNDRED = Fraction(100)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FIELD_SEGMENT = re.compile(r"^[a-z][a-z0-9_]*$")
_FRACTION_TEXT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*$")

ITEM_KINDS = ("single", "multi")
FIELD_KINDS = ("count", "amount", "fraction", "amounts", "energy_list", "tce")
NUMERIC_FIELD_KINDS = ("count", "amount", "fraction", "amounts", "tce")
DIRECTIONS = ("up", "same", "down")


def scenario_level(met) -> int:
    """附件2 备注2, the progression rule: the highest L such that the criteria of every level 1..L are met.

    ``[True, False, True, True]`` → 1; ``[False, True, True, True]`` → 0; all True → 4."""
    level = 0
    for ok in met:
        if ok is not True:
            break
        level += 1
    return level


class FrameworkError(ValueError):
    """A framework edition is malformed; the message names the edition and the exact place."""


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
    """How an item's option follows from the figures (RULES.md §5).

    ``rate_band``: part / total (sums when both are per-year lists) falls into one of the rate bands,
    band i = option i. ``trend``: ``after`` compared with ``before``; ``direction_options`` maps
    up / same / down to the option index, and ``better`` says which way is the improvement.
    """

    kind: str
    part: str | None = None
    total: str | None = None
    before: Ratio | None = None
    after: Ratio | None = None
    better: str | None = None  # "lower" | "higher"
    up: int | None = None
    same: int | None = None
    down: int | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        if self.kind == "rate_band":
            return (self.part, self.total)
        return self.before.paths + self.after.paths


@dataclass(frozen=True)
class Item:
    """A collected item (采集项), ``Q1``..``Q15`` in the Shunyi edition."""

    code: str
    number: int  # 序号
    name: str  # 采集项
    weight: Fraction  # within its secondary indicator
    points: Fraction  # 分值: the most the item can add to the total
    question: str
    kind: str  # "single" | "multi"
    options: tuple[Option, ...]
    dimension: str
    secondary: str
    factor: Fraction  # 采集项 weight × 二级 weight × 一级 weight: points per option-score point
    scoring: str = "explicit"  # "linear" when the options follow 附件1 评分逻辑 (checked at load)
    cap: Fraction | None = None  # multi only: the option scores add up to at most this
    fields: tuple[str, ...] = ()
    derivation: Derivation | None = None
    figures_prompt: str = ""

    @property
    def is_multi(self) -> bool:
        return self.kind == "multi"

    @property
    def none_index(self) -> int | None:
        for option in self.options:
            if option.none:
                return option.index
        return None

    def option_points(self, index: int) -> Fraction:
        return self.options[index].score * self.factor

    def points_for(self, answer: int | tuple[int, ...] | None) -> Fraction:
        """Exact points of an answer (slow path, for display; the engine uses the compiled tables)."""
        if answer is None:
            return Fraction(0)
        if self.kind == "single":
            return self.options[answer].score * self.factor
        total = sum((self.options[i].score for i in answer), Fraction(0))
        if self.cap is not None:
            total = min(total, self.cap)
        return total * self.factor


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
    kind: str  # one of FIELD_KINDS
    help: str = ""
    min_length: int | None = None  # amounts
    max_length: int | None = None  # amounts
    same_length_as: str | None = None  # amounts
    from_list: str | None = None  # tce: computed from this energy_list field …
    minus: tuple[str, ...] = ()  # … less these amounts (already in tce)

    @property
    def key(self) -> str:
        """The output key of a computed tce (``prev_year``), or the last path segment."""
        parts = self.path.split(".")
        return parts[0] if len(parts) > 1 else parts[-1]


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

    @property
    def upper_percent(self) -> Fraction:
        return self.upper * 100


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


@dataclass(frozen=True)
class Compiled:
    """The edition as integers over one common denominator ``den`` (the engine's hot path)."""

    den: int
    item_codes: tuple[str, ...]
    tables: tuple[dict, ...]  # per item: answer key (option index, or bit mask for multi) -> units
    multi: tuple[bool, ...]
    dim_codes: tuple[str, ...]
    dim_ranges: tuple[tuple[int, int], ...]
    scenario_codes: tuple[str, ...]
    constrained_positions: tuple[int, ...]
    constrained_getter: Any
    max_scenario_level: int
    thresholds: tuple[tuple[int, int, int, int], ...]  # (level, min units, min scenarios, min constrained)
    thresholds_desc: tuple[tuple[int, int, int, int], ...]
    bands: tuple[tuple[int, int], ...]  # inclusive upper bounds as (numerator, denominator)
    # rate r = num/den falls in band_exact[q] when num × band_scale = q × den exactly, else in band_open[q]
    # with q = num × band_scale // den (band_scale: the LCD of the band bounds, 10 for 10/20/40/60/100%)
    band_scale: int
    band_exact: tuple[int, ...]
    band_open: tuple[int, ...]
    criteria_table: dict
    fmt_cache: dict
    field_tree: dict  # top-level data key -> FigureField, or {sub key -> FigureField} for a group
    tce_fields: tuple[FigureField, ...]
    derivations: tuple[tuple[int, Derivation], ...]  # (item position, derivation) in item order


class _MaskTable(dict):
    """Points (in units) of every subset of a multiple-choice item's options, filled on first use."""

    __slots__ = ("_units", "_cap")

    def __init__(self, option_units: tuple[int, ...], cap_units: int | None):
        super().__init__()
        self._units = option_units
        self._cap = cap_units
        self[None] = 0

    def __missing__(self, mask: int) -> int:
        total = 0
        for i, units in enumerate(self._units):
            if mask >> i & 1:
                total += units
        if self._cap is not None and total > self._cap:
            total = self._cap
        self[mask] = total
        return total


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
    compiled: Compiled | None = field(default=None, compare=False, repr=False)
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    # lookups -------------------------------------------------------------------------------------------
    def item(self, code: str) -> Item:
        try:
            return self._index["items"][code]
        except KeyError:
            raise KeyError(f"{self.code}: unknown item {code!r}") from None

    def scenario(self, code: str) -> Scenario:
        try:
            return self._index["scenarios"][code]
        except KeyError:
            raise KeyError(f"{self.code}: unknown scenario {code!r}") from None

    def figure_field(self, path: str) -> FigureField:
        try:
            return self._index["fields"][path]
        except KeyError:
            raise KeyError(f"{self.code}: unknown figure field {path!r}") from None

    def energy_source(self, code: str) -> EnergySource:
        try:
            return self._index["energy"][code]
        except KeyError:
            raise KeyError(f"{self.code}: unknown energy source {code!r}") from None

    def dimension(self, code: str) -> Dimension:
        for dim in self.dimensions:
            if dim.code == code:
                return dim
        raise KeyError(f"{self.code}: unknown dimension {code!r}")

    def level(self, level: int) -> Level:
        for lv in self.levels:
            if lv.level == level:
                return lv
        raise KeyError(f"{self.code}: unknown level {level!r}")

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @property
    def scenario_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.scenarios)

    @property
    def constrained_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.scenarios if s.constrained)

    @property
    def max_level(self) -> int:
        """The number of enterprise levels (4 in shunyi-2024); levels run 0 (none) .. max_level."""
        return len(self.levels)

    @property
    def level_numbers(self) -> tuple[int, ...]:
        """The enterprise levels an assessment can reach, 1..max_level."""
        return tuple(lv.level for lv in self.levels)

    @property
    def scenario_level_numbers(self) -> tuple[int, ...]:
        """The levels a scenario is judged on (附件2), 1..K; a scenario's level runs 0..K."""
        return tuple(sl.level for sl in self.scenario_levels)

    def level_choices(self, *, zero: bool = True) -> list[tuple[int, str]]:
        """[(level, name)] for a form: 0 (未达到一级) first unless ``zero`` is False."""
        return [(n, self.level_name(n)) for n in ((0,) if zero else ()) + self.level_numbers]

    def is_item(self, code: str) -> bool:
        return code in self._index["items"]

    def is_scenario(self, code: str) -> bool:
        return code in self._index["scenarios"]

    def scenario_level(self, met) -> int:
        """The level of a scenario from its criteria met per level (the progression rule of 附件2)."""
        return scenario_level(met)

    def criteria_met(self, value) -> list[bool]:
        """A scenario's answer as K booleans (criteria met per level), whether given as a level or booleans."""
        k = len(self.scenario_levels)
        if isinstance(value, int) and not isinstance(value, bool):
            return [i < value for i in range(k)]
        met = [bool(v) for v in (value or [])]
        return (met + [False] * k)[:k]

    def level_name(self, level: int) -> str:
        """``一级（初始级）`` …, or ``未达到一级`` for level 0."""
        if level == 0:
            return "未达到" + self.levels[0].name.split("（")[0]
        return self.level(level).name

    def fields_of(self, item_code: str) -> tuple[FigureField, ...]:
        return tuple(self.figure_field(p) for p in self.item(item_code).fields)


# --------------------------------------------------------------------------------------------------------
# Reading and validating
# --------------------------------------------------------------------------------------------------------


class _Reader:
    """Collects helpers that fail with the edition code and the exact place in the message."""

    def __init__(self, code: str):
        self.code = code

    def fail(self, where: str, what: str) -> None:
        raise FrameworkError(f"edition {self.code!r}: {where}: {what}")

    def obj(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {type(value).__name__}")
        missing = [k for k in required if k not in value]
        if missing:
            self.fail(where, "missing " + ", ".join(repr(k) for k in missing))
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            self.fail(where, "unknown key " + ", ".join(repr(k) for k in unknown))
        return value

    def seq(self, value: Any, where: str, *, non_empty: bool = True) -> list:
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {type(value).__name__}")
        if non_empty and not value:
            self.fail(where, "must not be empty")
        return value

    def text(self, value: Any, where: str, *, chinese: bool = False, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected text, got {type(value).__name__}")
        if not value.strip() and not allow_empty:
            self.fail(where, "missing text")
        if chinese and not _CJK.search(value):
            self.fail(where, f"missing Chinese text (got {value!r})")
        return value

    def code_(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _CODE.match(value):
            self.fail(where, f"invalid code {value!r}")
        return value

    def integer(self, value: Any, where: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"expected an integer, got {value!r}")
        if value < minimum:
            self.fail(where, f"must be at least {minimum}, got {value}")
        return value

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            self.fail(where, f"expected true or false, got {value!r}")
        return value

    def exact(self, value: Any, where: str, *, percent_ok: bool = False) -> Fraction:
        """An exact number: an integer, a decimal string (``"7.5"``), a fraction (``"100/14"``) or
        (where weights are read) a percentage (``"40%"``). Binary floats are refused."""
        if isinstance(value, bool):
            self.fail(where, f"expected a number, got {value!r}")
        if isinstance(value, int):
            return Fraction(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                self.fail(where, f"not a finite number: {value!r}")
            return Fraction(value)
        if isinstance(value, float):
            self.fail(where, f"write {value!r} as a string (exact decimal), not a float")
        if not isinstance(value, str):
            self.fail(where, f"expected a number, got {type(value).__name__}")
        text = value.strip()
        scale = Fraction(1)
        if percent_ok and text.endswith("%"):
            text = text[:-1].strip()
            scale = Fraction(1, 100)
        m = _FRACTION_TEXT.match(text)
        try:
            if m:
                den = Fraction(Decimal(m.group(2)))
                if den == 0:
                    self.fail(where, f"division by zero in {value!r}")
                return Fraction(Decimal(m.group(1))) / den * scale
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.fail(where, f"not an exact number: {value!r}")
        return Fraction(number) * scale

    def decimal(self, value: Any, where: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            self.fail(where, f"write the number as a decimal string, got {value!r}")
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.fail(where, f"not a decimal number: {value!r}")
        return number


def _fmt(value: Fraction) -> str:
    """Short exact text of a Fraction for error messages (``7.5``, ``100/14`` → ``50/7``)."""
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return f"{value.numerator}/{value.denominator}"


def _pct(value: Fraction) -> str:
    return _fmt(value * 100) + "%"


TOP_REQUIRED = ("code", "title", "dimensions", "scenario_levels", "scenarios", "levels")
TOP_OPTIONAL = (
    "schema",
    "application_level",
    "source",
    "part_names",
    "scoring_notes",
    "scenario_notes",
    "scenario_groups",
    "rate_bands",
    "fields",
    "energy_sources",
    "energy_note",
    "energy_examples",
    "terms",
)


def load_edition(source: str | Path | dict) -> Edition:
    """Load, validate and compile an edition from a JSON file path or an already decoded dict."""
    if isinstance(source, dict):
        raw = source
        origin = "<dict>"
    else:
        path = Path(source)
        origin = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FrameworkError(f"cannot read edition file {origin}: {exc}") from exc
        try:
            raw = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise FrameworkError(f"edition file {origin} is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise FrameworkError(f"edition {origin}: expected a JSON object at the top")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise FrameworkError(f"edition {origin}: missing or invalid 'code' ({code!r})")
    return _build(raw, _Reader(code))


def _build(raw: dict, r: _Reader) -> Edition:
    r.obj(raw, "top level", TOP_REQUIRED, TOP_OPTIONAL)
    title = r.text(raw["title"], "title", chinese=True)
    source = r.text(raw.get("source", ""), "source", allow_empty=True)

    # scenario levels, groups and scenarios come first: items may refer to scenarios -------------------
    scenario_levels = []
    for i, entry in enumerate(r.seq(raw["scenario_levels"], "scenario_levels")):
        where = f"scenario_levels[{i}]"
        r.obj(entry, where, ("level", "name", "description"))
        level = r.integer(entry["level"], f"{where}.level", minimum=1)
        if level != i + 1:
            r.fail(where, f"levels must be numbered 1, 2, … in order; got {level} at position {i + 1}")
        scenario_levels.append(
            ScenarioLevel(
                level=level,
                name=r.text(entry["name"], f"{where}.name", chinese=True),
                description=r.text(entry["description"], f"{where}.description", chinese=True),
            )
        )
    n_levels = len(scenario_levels)

    groups: dict[str, ScenarioGroup] = {}
    for i, entry in enumerate(r.seq(raw.get("scenario_groups", []), "scenario_groups", non_empty=False)):
        where = f"scenario_groups[{i}]"
        r.obj(entry, where, ("code", "name"))
        gcode = r.code_(entry["code"], f"{where}.code")
        if gcode in groups:
            r.fail(where, f"duplicate scenario group code {gcode!r}")
        groups[gcode] = ScenarioGroup(gcode, r.text(entry["name"], f"{where}.name", chinese=True))

    scenarios: dict[str, Scenario] = {}
    for i, entry in enumerate(r.seq(raw["scenarios"], "scenarios")):
        where = f"scenarios[{i}]"
        r.obj(entry, where, ("code", "name", "constrained", "criteria"), ("group",))
        scode = r.code_(entry["code"], f"{where}.code")
        where = f"scenario {scode}"
        if scode in scenarios:
            r.fail(where, f"duplicate scenario code {scode!r}")
        group = entry.get("group", "")
        if (groups or group) and group not in groups:
            r.fail(f"{where}.group", f"unknown scenario group {group!r}")
        criteria = r.seq(entry["criteria"], f"{where}.criteria")
        if len(criteria) != n_levels:
            r.fail(
                f"{where}.criteria",
                f"has {len(criteria)} level texts but the edition has {n_levels} scenario levels",
            )
        scenarios[scode] = Scenario(
            code=scode,
            group=group,
            name=r.text(entry["name"], f"{where}.name", chinese=True),
            constrained=r.boolean(entry["constrained"], f"{where}.constrained"),
            criteria=tuple(
                r.text(t, f"{where}.criteria[{k}] (level {k + 1})", chinese=True)
                for k, t in enumerate(criteria)
            ),
        )
    n_constrained = sum(s.constrained for s in scenarios.values())

    # rate bands -----------------------------------------------------------------------------------------
    bands = []
    previous = Fraction(0)
    for i, entry in enumerate(r.seq(raw.get("rate_bands", []), "rate_bands", non_empty=False)):
        where = f"rate_bands[{i}]"
        r.obj(entry, where, ("upper_percent", "label"))
        upper = r.exact(entry["upper_percent"], f"{where}.upper_percent") / 100
        if upper <= previous:
            r.fail(where, f"upper bound {_pct(upper)} must be above the previous one ({_pct(previous)})")
        previous = upper
        bands.append(RateBand(upper, r.text(entry["label"], f"{where}.label")))
    if bands and bands[-1].upper != 1:
        r.fail("rate_bands", f"the last band must end at 100%, not {_pct(bands[-1].upper)}")

    # energy sources ---------------------------------------------------------------------------------------
    energy: dict[str, EnergySource] = {}
    for i, entry in enumerate(r.seq(raw.get("energy_sources", []), "energy_sources", non_empty=False)):
        where = f"energy_sources[{i}]"
        r.obj(entry, where, ("code", "name", "unit", "coefficient"), ("coefficient_text",))
        ecode = r.code_(entry["code"], f"{where}.code")
        if ecode in energy:
            r.fail(where, f"duplicate energy source code {ecode!r}")
        coefficient = r.decimal(entry["coefficient"], f"energy source {ecode}.coefficient")
        if coefficient <= 0:
            r.fail(f"energy source {ecode}.coefficient", f"must be positive, got {coefficient}")
        energy[ecode] = EnergySource(
            code=ecode,
            name=r.text(entry["name"], f"energy source {ecode}.name", chinese=True),
            unit=r.text(entry["unit"], f"energy source {ecode}.unit", chinese=True),
            coefficient=coefficient,
            coefficient_text=r.text(
                entry.get("coefficient_text", ""), f"{where}.coefficient_text", allow_empty=True
            ),
        )

    # figure fields --------------------------------------------------------------------------------------
    fields: dict[str, FigureField] = {}
    raw_fields = r.seq(raw.get("fields", []), "fields", non_empty=False)
    for i, entry in enumerate(raw_fields):
        where = f"fields[{i}]"
        r.obj(
            entry,
            where,
            ("path", "label", "kind"),
            ("unit", "help", "min_length", "max_length", "same_length_as", "from_list", "minus"),
        )
        path = entry["path"]
        if not isinstance(path, str) or not all(_FIELD_SEGMENT.match(s) for s in path.split(".")):
            r.fail(where, f"invalid field path {path!r}")
        if path.count(".") > 1:
            r.fail(where, f"field path {path!r} is nested deeper than one group")
        where = f"field {path}"
        if path in fields:
            r.fail(where, f"duplicate field path {path!r}")
        kind = entry["kind"]
        if kind not in FIELD_KINDS:
            r.fail(f"{where}.kind", f"unknown kind {kind!r} (expected one of {', '.join(FIELD_KINDS)})")
        extra = {}
        if kind == "amounts":
            lo = r.integer(entry.get("min_length", 1), f"{where}.min_length", minimum=1)
            hi = r.integer(entry.get("max_length", lo), f"{where}.max_length", minimum=lo)
            extra = {"min_length": lo, "max_length": hi, "same_length_as": entry.get("same_length_as")}
        elif kind == "tce":
            if "from_list" in entry:
                extra["from_list"] = entry["from_list"]
            minus = r.seq(entry.get("minus", []), f"{where}.minus", non_empty=False)
            extra["minus"] = tuple(minus)
        for key in ("min_length", "max_length", "same_length_as", "from_list", "minus"):
            if key in entry and key not in extra:
                r.fail(where, f"{key!r} does not apply to a field of kind {kind!r}")
        fields[path] = FigureField(
            path=path,
            label=r.text(entry["label"], f"{where}.label", chinese=True),
            unit=r.text(entry.get("unit", ""), f"{where}.unit", allow_empty=True),
            kind=kind,
            help=r.text(entry.get("help", ""), f"{where}.help", allow_empty=True),
            **extra,
        )
    # a field path is either a leaf or a group, never both
    for path in fields:
        if "." not in path and any(p.startswith(path + ".") for p in fields):
            r.fail(f"field {path}", "is both a figure and a group of figures")
    for f in fields.values():
        where = f"field {f.path}"
        if f.same_length_as is not None:
            other = fields.get(f.same_length_as)
            if other is None or other.kind != "amounts":
                r.fail(f"{where}.same_length_as", f"unknown per-year list field {f.same_length_as!r}")
        if f.kind == "tce":
            if f.from_list is not None:
                lst = fields.get(f.from_list)
                if lst is None or lst.kind != "energy_list":
                    r.fail(f"{where}.from_list", f"unknown energy list field {f.from_list!r}")
                if not energy:
                    r.fail(f"{where}.from_list", "the edition has no energy_sources to compute from")
            for m in f.minus:
                other = fields.get(m)
                if other is None or other.kind != "amount":
                    r.fail(f"{where}.minus", f"unknown amount field {m!r}")
                if f.from_list is None:
                    r.fail(f"{where}.minus", "subtractions need 'from_list'")
        if f.kind == "energy_list" and not energy:
            r.fail(where, "an energy list needs energy_sources in the edition")

    # dimensions, secondaries, items -------------------------------------------------------------------------
    dims_raw = r.seq(raw["dimensions"], "dimensions")
    dimensions = []
    items: list[Item] = []
    item_codes: set[str] = set()
    sec_codes: set[str] = set()
    dim_codes: set[str] = set()
    for di, draw in enumerate(dims_raw):
        where = f"dimensions[{di}]"
        r.obj(draw, where, ("code", "name", "weight", "points", "secondaries"))
        dcode = r.code_(draw["code"], f"{where}.code")
        where = f"dimension {dcode}"
        if dcode in dim_codes:
            r.fail(where, f"duplicate dimension code {dcode!r}")
        dim_codes.add(dcode)
        dname = r.text(draw["name"], f"{where}.name", chinese=True)
        dweight = r.exact(draw["weight"], f"{where}.weight", percent_ok=True)
        dpoints = r.exact(draw["points"], f"{where}.points")
        _check_weight(r, where, dweight)
        if dpoints != HUNDRED * dweight:
            r.fail(where, f"points {_fmt(dpoints)} do not match its weight {_pct(dweight)} of 100")
        secondaries = []
        for si, sraw in enumerate(r.seq(draw["secondaries"], f"{where}.secondaries")):
            swhere = f"{where} secondaries[{si}]"
            r.obj(sraw, swhere, ("code", "name", "weight", "points", "items"))
            scode = r.code_(sraw["code"], f"{swhere}.code")
            swhere = f"secondary {scode}"
            if scode in sec_codes:
                r.fail(swhere, f"duplicate secondary indicator code {scode!r}")
            sec_codes.add(scode)
            sname = r.text(sraw["name"], f"{swhere}.name", chinese=True)
            sweight = r.exact(sraw["weight"], f"{swhere}.weight", percent_ok=True)
            spoints = r.exact(sraw["points"], f"{swhere}.points")
            _check_weight(r, swhere, sweight)
            if spoints != dpoints * sweight:
                r.fail(
                    swhere,
                    f"points {_fmt(spoints)} do not match {_pct(sweight)} of dimension {dcode}'s {_fmt(dpoints)}",
                )
            sitems = []
            for ii, iraw in enumerate(r.seq(sraw["items"], f"{swhere}.items")):
                item = _build_item(
                    r,
                    iraw,
                    f"{swhere} items[{ii}]",
                    dcode,
                    scode,
                    dweight * sweight,
                    spoints,
                    scenarios,
                    fields,
                    bands,
                )
                if item.code in item_codes:
                    r.fail(f"item {item.code}", f"duplicate item code {item.code!r}")
                item_codes.add(item.code)
                if item.number != len(items) + 1:
                    r.fail(
                        f"item {item.code}",
                        f"number (序号) {item.number} out of order: expected {len(items) + 1}",
                    )
                items.append(item)
                sitems.append(item)
            _check_sum(r, f"secondary {scode}: item weights", [(i.code, i.weight) for i in sitems])
            secondaries.append(Secondary(scode, sname, sweight, spoints, tuple(sitems)))
        _check_sum(
            r, f"dimension {dcode}: secondary indicator weights", [(s.code, s.weight) for s in secondaries]
        )
        dimensions.append(Dimension(dcode, dname, dweight, dpoints, tuple(secondaries)))
    _check_sum(r, "dimension weights", [(d.code, d.weight) for d in dimensions])

    # level thresholds (第六条) ------------------------------------------------------------------------------
    levels = []
    prev = None
    for i, entry in enumerate(r.seq(raw["levels"], "levels")):
        where = f"levels[{i}]"
        r.obj(entry, where, ("level", "name", "min_score", "min_scenarios", "min_constrained"), ("rule",))
        level = r.integer(entry["level"], f"{where}.level", minimum=1)
        if level != i + 1:
            r.fail(where, f"levels must be numbered 1, 2, … in order; got {level} at position {i + 1}")
        where = f"level {level}"
        lv = Level(
            level=level,
            name=r.text(entry["name"], f"{where}.name", chinese=True),
            min_score=r.exact(entry["min_score"], f"{where}.min_score"),
            min_scenarios=r.integer(entry["min_scenarios"], f"{where}.min_scenarios"),
            min_constrained=r.integer(entry["min_constrained"], f"{where}.min_constrained"),
            rule=r.text(entry.get("rule", ""), f"{where}.rule", allow_empty=True),
        )
        if not 0 <= lv.min_score <= 100:
            r.fail(f"{where}.min_score", f"must be within 0..100, got {_fmt(lv.min_score)}")
        if lv.min_scenarios > len(scenarios):
            r.fail(
                f"{where}.min_scenarios",
                f"needs {lv.min_scenarios} scenarios but the edition has only {len(scenarios)}",
            )
        if lv.min_constrained > lv.min_scenarios:
            r.fail(
                f"{where}.min_constrained",
                f"{lv.min_constrained} is more than min_scenarios {lv.min_scenarios}",
            )
        if lv.min_constrained > n_constrained:
            r.fail(
                f"{where}.min_constrained",
                f"needs {lv.min_constrained} constrained scenarios but the edition has only {n_constrained}",
            )
        if prev is not None and (
            lv.min_score < prev.min_score
            or lv.min_scenarios < prev.min_scenarios
            or lv.min_constrained < prev.min_constrained
        ):
            r.fail(where, f"its conditions are lower than those of level {prev.level}")
        prev = lv
        levels.append(lv)
    if len(levels) > n_levels:
        r.fail(
            "levels", f"{len(levels)} enterprise levels but scenarios are judged on only {n_levels} levels"
        )

    # energy examples are checked: they guard the coefficients against transcription errors --------------
    for i, entry in enumerate(r.seq(raw.get("energy_examples", []), "energy_examples", non_empty=False)):
        where = f"energy_examples[{i}]"
        r.obj(entry, where, ("energy", "tce"), ("text",))
        total = Decimal(0)
        for k, row in enumerate(r.seq(entry["energy"], f"{where}.energy")):
            rwhere = f"{where}.energy[{k}]"
            r.obj(row, rwhere, ("source", "amount"))
            src = energy.get(row["source"])
            if src is None:
                r.fail(f"{rwhere}.source", f"unknown energy source {row['source']!r}")
            total += r.decimal(row["amount"], f"{rwhere}.amount") * src.coefficient
        expected = r.decimal(entry["tce"], f"{where}.tce")
        if total != expected:
            r.fail(where, f"the coefficients give {total.normalize():f} tce, the example says {expected:f}")

    terms = []
    seen_terms = set()
    for i, entry in enumerate(r.seq(raw.get("terms", []), "terms", non_empty=False)):
        where = f"terms[{i}]"
        r.obj(entry, where, ("term", "definition"))
        term = r.text(entry["term"], f"{where}.term", chinese=True)
        if term in seen_terms:
            r.fail(where, f"duplicate term {term!r}")
        seen_terms.add(term)
        terms.append(Term(term, r.text(entry["definition"], f"{where}.definition", chinese=True)))

    application_level = r.integer(raw.get("application_level", 1), "application_level", minimum=1)
    if application_level > len(levels):
        r.fail("application_level", f"{application_level} is above the top level {len(levels)}")
    notes = {
        k: raw[k]
        for k in ("schema", "part_names", "scoring_notes", "scenario_notes", "energy_note")
        if k in raw
    }
    edition = Edition(
        code=r.code,
        title=title,
        source=source,
        dimensions=tuple(dimensions),
        items=tuple(items),
        fields=tuple(fields.values()),
        scenario_groups=tuple(groups.values()),
        scenario_levels=tuple(scenario_levels),
        scenarios=tuple(scenarios.values()),
        levels=tuple(levels),
        rate_bands=tuple(bands),
        energy_sources=tuple(energy.values()),
        terms=tuple(terms),
        application_level=application_level,
        notes=notes,
        _index={
            "items": {i.code: i for i in items},
            "scenarios": dict(scenarios),
            "fields": dict(fields),
            "energy": dict(energy),
        },
    )
    object.__setattr__(edition, "compiled", _compile(edition))
    return edition


def _check_weight(r: _Reader, where: str, weight: Fraction) -> None:
    if not 0 < weight <= 1:
        r.fail(where, f"weight must be above 0% and at most 100%, got {_pct(weight)}")


def _check_sum(r: _Reader, where: str, parts: list[tuple[str, Fraction]]) -> None:
    total = sum((w for _, w in parts), Fraction(0))
    if total != 1:
        listed = ", ".join(f"{code} {_pct(w)}" for code, w in parts)
        r.fail(where, f"sum to {_pct(total)}, not 100% ({listed})")


def _build_item(
    r: _Reader,
    iraw: Any,
    where: str,
    dcode: str,
    scode: str,
    outer: Fraction,
    spoints: Fraction,
    scenarios: dict[str, Scenario],
    fields: dict[str, FigureField],
    bands: list[RateBand],
) -> Item:
    r.obj(
        iraw,
        where,
        ("code", "number", "name", "weight", "points", "question", "kind", "options"),
        ("scoring", "cap", "fields", "derivation", "figures_prompt"),
    )
    code = r.code_(iraw["code"], f"{where}.code")
    where = f"item {code}"
    number = r.integer(iraw["number"], f"{where}.number", minimum=1)
    name = r.text(iraw["name"], f"{where}.name", chinese=True)
    weight = r.exact(iraw["weight"], f"{where}.weight", percent_ok=True)
    _check_weight(r, where, weight)
    points = r.exact(iraw["points"], f"{where}.points")
    if points != spoints * weight:
        r.fail(where, f"points {_fmt(points)} do not match {_pct(weight)} of its secondary's {_fmt(spoints)}")
    question = r.text(iraw["question"], f"{where}.question", chinese=True)
    kind = iraw["kind"]
    if kind not in ITEM_KINDS:
        r.fail(f"{where}.kind", f"must be 'single' or 'multi', got {kind!r}")
    scoring = iraw.get("scoring", "explicit")
    if scoring not in ("linear", "explicit"):
        r.fail(f"{where}.scoring", f"must be 'linear' or 'explicit', got {scoring!r}")

    raw_options = r.seq(iraw["options"], f"{where}.options")
    n = len(raw_options)
    if n < 2:
        r.fail(f"{where}.options", f"needs at least 2 options, has {n}")
    options = []
    for k, oraw in enumerate(raw_options):
        owhere = f"{where} option {k}"
        r.obj(oraw, owhere, ("text", "score"), ("none", "scenario"))
        score = r.exact(oraw["score"], f"{owhere}.score")
        if score < 0:
            r.fail(f"{owhere}.score", f"negative score {_fmt(score)}")
        is_none = r.boolean(oraw.get("none", False), f"{owhere}.none")
        scen = oraw.get("scenario")
        if scen is not None and scen not in scenarios:
            r.fail(f"{owhere}.scenario", f"unknown scenario code {scen!r}")
        if is_none:
            if kind != "multi":
                r.fail(owhere, "only a multiple-choice item has a “无” (none) option")
            if k != 0:
                r.fail(owhere, "the “无” (none) option must be the first option (index 0)")
            if score != 0:
                r.fail(f"{owhere}.score", f"the “无” (none) option must score 0, not {_fmt(score)}")
        options.append(
            Option(
                index=k, text=r.text(oraw["text"], f"{owhere}.text"), score=score, none=is_none, scenario=scen
            )
        )
    cap = None
    if "cap" in iraw:
        if kind != "multi":
            r.fail(f"{where}.cap", "only a multiple-choice item can have a cap")
        cap = r.exact(iraw["cap"], f"{where}.cap")
    if kind == "multi":
        positive = [o for o in options if not o.none]
        best = sum((o.score for o in positive), Fraction(0))
        if cap is not None:
            best = min(best, cap)
    else:
        best = max(o.score for o in options)
    if best != 100:
        scores = ", ".join(_fmt(o.score) for o in options)
        r.fail(where, f"the highest achievable score is {_fmt(best)}, not 100 (option scores: {scores})")

    if scoring == "linear":
        none_count = 1 if options[0].none else 0
        for o in options:
            if kind == "single":
                expected = Fraction(o.index * 100, n - 1)
            elif o.none:
                expected = Fraction(0)
            else:
                expected = Fraction(100, n - none_count)
            if o.score != expected:
                r.fail(
                    f"{where} option {o.index}",
                    f"score {_fmt(o.score)} does not follow the linear rule of 附件1 for {n} options "
                    f"(expected {_fmt(expected)})",
                )

    item_fields = tuple(r.seq(iraw.get("fields", []), f"{where}.fields", non_empty=False))
    for p in item_fields:
        if p not in fields:
            r.fail(f"{where}.fields", f"unknown figure field {p!r}")

    derivation = None
    if "derivation" in iraw:
        derivation = _build_derivation(
            r, iraw["derivation"], f"{where}.derivation", kind, options, fields, bands
        )

    return Item(
        code=code,
        number=number,
        name=name,
        weight=weight,
        points=points,
        question=question,
        kind=kind,
        options=tuple(options),
        dimension=dcode,
        secondary=scode,
        factor=outer * weight,
        scoring=scoring,
        cap=cap,
        fields=item_fields,
        derivation=derivation,
        figures_prompt=r.text(iraw.get("figures_prompt", ""), f"{where}.figures_prompt", allow_empty=True),
    )


def _build_derivation(r, draw, where, kind, options, fields, bands) -> Derivation:
    if not isinstance(draw, dict) or draw.get("kind") not in ("rate_band", "trend"):
        r.fail(where, "expected an object with kind 'rate_band' or 'trend'")
    if kind != "single":
        r.fail(where, "only a single-choice item can be derived from figures")

    def numeric(path, pwhere):
        f = fields.get(path) if isinstance(path, str) else None
        if f is None:
            r.fail(pwhere, f"unknown figure field {path!r}")
        if f.kind not in NUMERIC_FIELD_KINDS:
            r.fail(pwhere, f"field {path!r} of kind {f.kind!r} is not a number")
        return f

    if draw["kind"] == "rate_band":
        r.obj(draw, where, ("kind", "part", "total"))
        if not bands:
            r.fail(where, "the edition has no rate_bands")
        if len(options) != len(bands):
            r.fail(where, f"option count {len(options)} does not match the {len(bands)} rate bands")
        part = numeric(draw["part"], f"{where}.part")
        total = numeric(draw["total"], f"{where}.total")
        if (part.kind == "amounts") != (total.kind == "amounts"):
            r.fail(where, "part and total must both be per-year lists or both single figures")
        return Derivation(kind="rate_band", part=part.path, total=total.path)

    r.obj(draw, where, ("kind", "before", "after", "better", "direction_options"))
    if len(options) != 3:
        r.fail(where, f"a trend needs 3 options (worse, equal, better), the item has {len(options)}")

    def ratio(value, rwhere):
        r.obj(value, rwhere, ("value",), ("per",))
        numeric(value["value"], f"{rwhere}.value")
        if value.get("per") is not None:
            numeric(value["per"], f"{rwhere}.per")
        return Ratio(value["value"], value.get("per"))

    before = ratio(draw["before"], f"{where}.before")
    after = ratio(draw["after"], f"{where}.after")
    better = draw["better"]
    if better not in ("lower", "higher"):
        r.fail(f"{where}.better", f"must be 'lower' or 'higher', got {better!r}")
    dmap = r.obj(draw["direction_options"], f"{where}.direction_options", DIRECTIONS)
    for d in DIRECTIONS:
        r.integer(dmap[d], f"{where}.direction_options.{d}")
    if sorted(dmap.values()) != [0, 1, 2]:
        r.fail(
            f"{where}.direction_options", f"must map up/same/down to options 0, 1, 2 once each, got {dmap}"
        )
    good, bad = ("down", "up") if better == "lower" else ("up", "down")
    if not options[dmap[good]].score > options[dmap["same"]].score > options[dmap[bad]].score:
        r.fail(
            where,
            f"with {better} being better, option {dmap[good]} ({options[dmap[good]].text}) must score most "
            f"and option {dmap[bad]} ({options[dmap[bad]].text}) least",
        )
    return Derivation(
        kind="trend",
        before=before,
        after=after,
        better=better,
        up=dmap["up"],
        same=dmap["same"],
        down=dmap["down"],
    )


def _compile(edition: Edition) -> Compiled:
    den = 1
    for item in edition.items:
        for option in item.options:
            den = lcm(den, (option.score * item.factor).denominator)
        if item.cap is not None:
            den = lcm(den, (item.cap * item.factor).denominator)
    for lv in edition.levels:
        den = lcm(den, lv.min_score.denominator)

    def units(value: Fraction) -> int:
        scaled = value * den
        assert scaled.denominator == 1
        return scaled.numerator

    tables = []
    for item in edition.items:
        per_option = tuple(units(o.score * item.factor) for o in item.options)
        if item.kind == "single":
            table = dict(enumerate(per_option))
            table[None] = 0
        else:
            table = _MaskTable(per_option, None if item.cap is None else units(item.cap * item.factor))
        tables.append(table)

    dim_ranges = []
    start = 0
    for dim in edition.dimensions:
        count = len(dim.items)
        dim_ranges.append((start, start + count))
        start += count

    positions = tuple(i for i, s in enumerate(edition.scenarios) if s.constrained)
    if len(positions) >= 2:
        getter = itemgetter(*positions)
    elif len(positions) == 1:
        only = positions[0]

        def getter(levels, _i=only):
            return (levels[_i],)
    else:

        def getter(levels):
            return ()

    k = len(edition.scenario_levels)
    criteria_table = {}
    for mask in range(1 << k):
        met = tuple(bool(mask >> b & 1) for b in range(k))
        criteria_table[met] = scenario_level(met)

    band_scale = 1
    for b in edition.rate_bands:
        band_scale = lcm(band_scale, b.upper.denominator)
    band_exact, band_open = [], []
    for q in range(band_scale + 1):
        point, above = Fraction(q, band_scale), Fraction(q + 1, band_scale)
        band_exact.append(next((i for i, b in enumerate(edition.rate_bands) if point <= b.upper), -1))
        band_open.append(next((i for i, b in enumerate(edition.rate_bands) if above <= b.upper), -1))

    tree: dict = {}
    for f in edition.fields:
        head, _, tail = f.path.partition(".")
        if tail:
            tree.setdefault(head, {})[tail] = f
        else:
            tree[head] = f

    thresholds = tuple(
        (lv.level, units(lv.min_score), lv.min_scenarios, lv.min_constrained) for lv in edition.levels
    )
    return Compiled(
        den=den,
        item_codes=tuple(i.code for i in edition.items),
        tables=tuple(tables),
        multi=tuple(i.kind == "multi" for i in edition.items),
        dim_codes=tuple(d.code for d in edition.dimensions),
        dim_ranges=tuple(dim_ranges),
        scenario_codes=tuple(s.code for s in edition.scenarios),
        constrained_positions=positions,
        constrained_getter=getter,
        max_scenario_level=k,
        thresholds=thresholds,
        thresholds_desc=tuple(reversed(thresholds)),
        bands=tuple((b.upper.numerator, b.upper.denominator) for b in edition.rate_bands),
        band_scale=band_scale,
        band_exact=tuple(band_exact),
        band_open=tuple(band_open),
        criteria_table=criteria_table,
        fmt_cache={},
        field_tree=tree,
        tce_fields=tuple(f for f in edition.fields if f.kind == "tce"),
        derivations=tuple((i, item.derivation) for i, item in enumerate(edition.items) if item.derivation),
    )


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
                code = json.loads(path.read_text(encoding="utf-8")).get("code")
            except (OSError, ValueError, AttributeError) as exc:
                raise FrameworkError(f"edition file {path} cannot be read: {exc}") from exc
            if not isinstance(code, str):
                raise FrameworkError(f"edition file {path}: missing 'code'")
            if code in found:
                raise FrameworkError(f"duplicate edition code {code!r} in {found[code].name} and {path.name}")
            found[code] = path
        _files = found
    return _files


def available_editions() -> list[str]:
    """Codes of the editions that can be loaded: the files in assessments/frameworks/ and any registered."""
    with _lock:
        return sorted(set(_scan()) | set(_registered))


def get_edition(code: str | None = None) -> Edition:
    """The edition with this code (None: the current default, ``shunyi-2024``), loaded once and cached."""
    if code is None:
        code = DEFAULT_EDITION
    edition = _registered.get(code) or _loaded.get(code)
    if edition is not None:
        return edition
    with _lock:
        if code in _loaded:
            return _loaded[code]
        path = _scan().get(code) if isinstance(code, str) else None
        if path is None:
            known = ", ".join(sorted(set(_scan()) | set(_registered))) or "none"
            raise FrameworkError(f"unknown framework edition {code!r} (available: {known})")
        edition = load_edition(path)
        if edition.code != code:
            raise FrameworkError(f"edition file {path} declares code {edition.code!r}, expected {code!r}")
        _loaded[code] = edition
        return edition


def register_edition(edition: Edition) -> Edition:
    """Make an edition loaded from elsewhere (a test file, a draft revision) available by its code."""
    with _lock:
        if edition.code in _scan() and _registered.get(edition.code) is not edition:
            raise FrameworkError(f"edition {edition.code!r} already exists in {FRAMEWORKS_DIR}")
        _registered[edition.code] = edition
    return edition


def reset_editions() -> None:
    """Forget cached and registered editions (tests; a deployment that adds an edition file)."""
    global _files
    with _lock:
        _loaded.clear()
        _registered.clear()
        _files = None
