"""Report content (plain data) → what the templates print: labels from the framework edition, rows, charts."""

import base64
from decimal import Decimal
from fractions import Fraction
from html import escape

import segno
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.engine import format_points
from assessments.selectors import edition_of
from supervision.charts import radar
from supervision.selectors import comparison_radar as chart


def level_name(edition, level: int) -> str:
    return edition.level_name(level)


def _points(value) -> str:
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


def chart_image(svg: str, title: str) -> str:
    """A chart's SVG as the PDF embeds it: an <img> of a data: URI, drawn by WeasyPrint's SVG renderer alone. Inline
    in the HTML, each of the chart's elements would also go through the HTML parser, the CSS cascade and the box
    tree before being serialised again for that renderer (about a tenth of the report's elements)."""
    if not svg:
        return ""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    return mark_safe(f'<img src="{uri}" alt="{escape(title)}">')  # noqa: S308 - base64 and an escaped title


def secondary_radar(edition, result: dict, title: str) -> str:
    """The 二级指标 radar of one result: each secondary's points (the sum of its items' points as the engine
    rounded them) against its maximum. Drawn by the bureau's chart module, like every chart of the site."""
    items = result.get("items", {})
    axes, values = [], []
    for dim in edition.dimensions:
        for sec in dim.secondaries:
            axes.append((sec.name, float(sec.points)))
            values.append(float(sum((Decimal(str(items.get(i.code, "0"))) for i in sec.items), Decimal(0))))
    return chart_image(radar(axes, [(_("自评"), values)], title=title), title)


def comparison_radar(comparison: dict) -> str:
    """Self vs verified by dimension: the very chart the bureau's case page shows for the proposal."""
    return chart_image(chart(comparison) or "", _("自评与核定（各维度）"))


def answer_text(edition, code: str, answer) -> str:
    """An item's answer as its option text(s), for people."""
    try:
        options = edition.item(code).options
    except (KeyError, LookupError, AttributeError):
        return str(answer)
    picked = answer if isinstance(answer, list | tuple) else [answer]
    texts = []
    for index in picked:
        if isinstance(index, int) and 0 <= index < len(options):
            texts.append(options[index].text)
        elif index is not None:
            texts.append(str(index))
    return "、".join(texts) or "—"


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
        return _("已达到最高等级%(level)s，无更高等级。") % {"level": edition.level_name(edition.max_level)}
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
        "radar": secondary_radar(edition, result, _("各二级指标得分")),
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
        "items": [
            dict(
                row,
                self_text=answer_text(edition, row["code"], row.get("self_answer")),
                verified_text=answer_text(edition, row["code"], row.get("verified_answer")),
            )
            for row in comparison.get("items", [])
        ],
        "scenarios": comparison.get("scenarios", []),
        "totals": comparison.get("totals", {}),
        "self_dimensions": dimension_rows(edition, content.get("self_result") or {}),
        "verified_dimensions": dimension_rows(edition, content.get("verified_result") or {}),
        "radar": comparison_radar(comparison),
    }


def qr_data_uri(url: str) -> str:
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
