"""The questionnaire's guidance, read off the engine's result: how far each section is filled in, and the
next-level gap as concrete suggestions (the scenarios closest to the next level, the items that would add the
most points). Nothing here scores: every number comes from the engine's result or the edition's data."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from assessments import engine
from assessments.framework import Edition, Item, Scenario


@dataclass(frozen=True)
class Section:
    anchor: str  # the page anchor of the section's heading
    name: str
    answered: int
    total: int
    first_unanswered: str  # the anchor of its first unanswered question, "" when all are answered

    @property
    def percent(self) -> int:
        return 100 if not self.total else (100 * self.answered) // self.total


@dataclass(frozen=True)
class ScenarioSuggestion:
    scenario: Scenario
    level: int  # where it stands
    missing: tuple[tuple[int, str], ...]  # (level, criterion text) still to meet, lowest first


@dataclass(frozen=True)
class ItemSuggestion:
    item: Item
    gain: str  # the points it could still add, as a decimal text


def sections(edition: Edition, result) -> list[Section]:
    """One section per dimension (基础 / 管理 / 成效) and one for the scenarios (经营场景), in page order."""
    unanswered_items = set(result.unanswered_items)
    unanswered_scenarios = set(result.unanswered_scenarios)
    out = []
    for dim in edition.dimensions:
        codes = [i.code for s in dim.secondaries for i in s.items]
        missing = [c for c in codes if c in unanswered_items]
        out.append(
            Section(
                anchor=f"section-{dim.code}",
                name=dim.name,
                answered=len(codes) - len(missing),
                total=len(codes),
                first_unanswered=f"item-{missing[0]}" if missing else "",
            )
        )
    codes = [s.code for s in edition.scenarios]
    missing = [c for c in codes if c in unanswered_scenarios]
    out.append(
        Section(
            anchor="section-scenarios",
            name=(edition.notes or {}).get("part_names", {}).get("scenarios") or _("数字化经营"),
            answered=len(codes) - len(missing),
            total=len(codes),
            first_unanswered=f"scenario-{missing[0]}" if missing else "",
        )
    )
    return out


def closest_scenarios(edition: Edition, result, limit: int = 5) -> list[ScenarioSuggestion]:
    """The scenarios below the next level that need the fewest criteria to reach it (constrained ones first
    when the next level still needs constrained scenarios). Levels are progressive, so a scenario at level k
    still needs the criteria k+1 … target."""
    nxt = result.next_level
    if nxt is None or (nxt.scenarios_needed == 0 and nxt.constrained_needed == 0):
        return []
    levels = result.scenario_levels
    below = [s for s in edition.scenarios if levels.get(s.code, 0) < nxt.level]
    if nxt.scenarios_needed == 0:
        below = [s for s in below if s.constrained]

    def distance(s):
        return (
            nxt.level - levels.get(s.code, 0),
            not (s.constrained and nxt.constrained_needed),
            edition.scenarios.index(s),
        )

    out = []
    for s in sorted(below, key=distance)[:limit]:
        level = levels.get(s.code, 0)
        missing = tuple(
            (k, s.criteria[k - 1]) for k in range(level + 1, nxt.level + 1) if k <= len(s.criteria)
        )
        out.append(ScenarioSuggestion(s, level, missing))
    return out


def best_items(edition: Edition, result, limit: int = 5) -> list[ItemSuggestion]:
    """The items with the most points still to gain (their full points less what they score now)."""
    nxt = result.next_level
    if nxt is None or nxt.score_needed <= 0:
        return []
    earned = result.items
    gains = [
        (item.points - earned.get(item.code, Fraction(0)), n, item) for n, item in enumerate(edition.items)
    ]
    gains = [(g, n, item) for g, n, item in gains if g > 0]
    gains.sort(key=lambda t: (-t[0], t[1]))
    return [ItemSuggestion(item, engine.format_points(g)) for g, _n, item in gains[:limit]]


def guidance(edition: Edition, result) -> dict:
    """What the questionnaire's section navigation and suggestions show."""
    secs = sections(edition, result)
    first = next((s.first_unanswered for s in secs if s.first_unanswered), "")
    return {
        "sections": secs,
        "next_unanswered": first,
        "closest_scenarios": closest_scenarios(edition, result),
        "best_items": best_items(edition, result),
    }
