from django import template
from django.utils.html import json_script

from assessments.framework import get_edition

register = template.Library()


@register.simple_tag(takes_context=True)
def drafts_cleared(context):
    """The draft keys the server saved since the last page, for drafts.js to drop from localStorage."""
    request = context.get("request")
    keys = request.session.pop("drafts_cleared", []) if request is not None else []
    return json_script(keys, "drafts-cleared")


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def getlist(querydict, key):
    if querydict is None or not hasattr(querydict, "getlist"):
        return []
    return querydict.getlist(key)


@register.filter
def stringify(values):
    return [str(v) for v in (values if isinstance(values, (list, tuple)) else [values])]


@register.filter
def get_index(values, level):
    """values[level - 1] for the four criteria booleans (levels count from 1)."""
    try:
        return values[int(level) - 1]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def area_names(codes):
    """The names of an expert's areas (dimension and scenario-group codes of the current edition)."""
    ed = get_edition()
    names = {d.code: d.name for d in ed.dimensions} | {g.code: g.name for g in ed.scenario_groups}
    return "、".join(names.get(c, c) for c in (codes or []))
