"""Report content (plain data) → what the templates print: labels from the framework edition, rows, charts."""

from decimal import Decimal
from fractions import Fraction

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .charts import radar_svg


def edition_of(code: str | None):
    from assessments.framework import get_edition

    return get_edition(code)


def level_name(edition, level: int) -> str:
    for spec in edition.levels:
        if spec.level == level:
            return spec.name
    return _("未达到一级")


def _points(value) -> str:
    from assessments.engine import format_points

    return format_points(value if isinstance(value, Fraction | Decimal) else Decimal(str(value)))


def dimension_rows(edition, result: dict) -> list[dict]:
    rows = []
    for dim in edition.dimensions:
        rows.append(
            {
                "code": dim.code,
                "name": dim.name,
                "points": result.get("dimensions", {}).get(dim.code, "0.00"),
                "max": _points(dim.points),
            }
        )
    return rows


def secondary_axes(edition, result: dict) -> list[tuple]:
    """Radar axes: each 二级指标 with the sum of its items' points (as the engine rounded them) and its maximum."""
    items = result.get("items", {})
    axes = []
    for dim in edition.dimensions:
        for sec in dim.secondaries:
            total = sum((Decimal(str(items.get(i.code, "0"))) for i in sec.items), Decimal(0))
            axes.append((sec.name, _points(total), _points(sec.points)))
    return axes


def radar_for(edition, result: dict, title: str) -> str:
    return mark_safe(radar_svg(secondary_axes(edition, result), title=title))  # noqa: S308 - built from numbers and escaped labels


def item_rows(edition, result: dict) -> list[dict]:
    items = result.get("items", {})
    rows = []
    for dim in edition.dimensions:
        for sec in dim.secondaries:
            for item in sec.items:
                rows.append(
                    {
                        "code": item.code,
                        "dimension": dim.name,
                        "secondary": sec.name,
                        "name": item.name,
                        "points": items.get(item.code, "0.00"),
                        "max": _points(item.points),
                    }
                )
    return rows


def scenario_rows(edition, result: dict) -> list[dict]:
    levels = result.get("scenario_levels", {})
    groups = {g.code: g.name for g in edition.scenario_groups} if hasattr(edition, "scenario_groups") else {}
    return [
        {
            "code": s.code,
            "group": groups.get(s.group, s.group),
            "name": s.name,
            "constrained": s.constrained,
            "level": levels.get(s.code, 0),
        }
        for s in edition.scenarios
    ]


def next_level_text(edition, result: dict) -> str:
    nxt = result.get("next_level")
    if not nxt:
        return _("已达到最高等级（四级），无更高等级。")
    parts = []
    if Decimal(str(nxt.get("score_needed", "0"))) > 0:
        parts.append(_("得分还需提高 %(points)s 分") % {"points": nxt["score_needed"]})
    if nxt.get("scenarios_needed"):
        parts.append(
            _("还需 %(n)s 个应用场景达到%(level)s（其中约束性场景 %(c)s 个）")
            % {
                "n": nxt["scenarios_needed"],
                "level": level_name(edition, nxt["level"]),
                "c": nxt.get("constrained_needed", 0),
            }
        )
    if not parts:
        return _("已满足%(level)s的条件。") % {"level": level_name(edition, nxt["level"])}
    return _("距%(level)s：") % {"level": level_name(edition, nxt["level"])} + "；".join(parts) + "。"


def self_context(content: dict) -> dict:
    edition = edition_of(content["edition"])
    result = content["result"]
    return {
        "c": content,
        "edition": edition,
        "title": _("数字化水平自评报告"),
        "header_right": f"{content['profile']['name']} · {content['number']}",
        "level": result.get("level", 0),
        "level_name": level_name(edition, result.get("level", 0)),
        "score": result.get("score", "0.00"),
        "dimensions": dimension_rows(edition, result),
        "radar": radar_for(edition, result, _("各二级指标得分")),
        "items": item_rows(edition, result),
        "scenarios": scenario_rows(edition, result),
        "next_level": next_level_text(edition, result),
        "complete": result.get("complete", True),
    }


def review_context(content: dict) -> dict:
    edition = edition_of((content.get("verified_result") or {}).get("framework"))
    comparison = content.get("comparison") or {}
    return {
        "c": content,
        "edition": edition,
        "title": _("数字化水平评测报告"),
        "header_right": f"{content['profile']['name']} · {content['number']}",
        "level_name": level_name(edition, content["level"]),
        "self_level_name": level_name(edition, (content.get("self_result") or {}).get("level", 0)),
        "items": comparison.get("items", []),
        "scenarios": comparison.get("scenarios", []),
        "totals": comparison.get("totals", {}),
        "self_dimensions": dimension_rows(edition, content.get("self_result") or {}),
        "verified_dimensions": dimension_rows(edition, content.get("verified_result") or {}),
        "radar": radar_for(edition, content.get("verified_result") or {}, _("核定后各二级指标得分")),
    }


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=6, border=1)


def certificate_context(content: dict) -> dict:
    edition = edition_of(content.get("edition"))
    return {
        "c": content,
        "title": _("数字化水平等级证书"),
        "header_right": content["certificate_number"],
        "level_name": level_name(edition, content["level"]),
        "qr": qr_data_uri(content["verify_url"]),
    }


PRESENTERS = {"self": self_context, "review": review_context, "certificate": certificate_context}
