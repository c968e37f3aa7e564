"""Small template helpers of the questionnaire (no logic: ids and lookups)."""

from django import template

register = template.Library()


@register.filter
def domid(key: str) -> str:
    """A field key (``data.prev_year.revenue``, ``S05.2``) as an HTML id fragment."""
    return str(key).replace(".", "-").replace("_", "-")


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def dotted(code, level) -> str:
    """``S05`` and ``2`` → ``S05.2`` (a scenario level's field key and evidence target)."""
    return f"{code}.{level}"
