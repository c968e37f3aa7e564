"""`{{ value|points }}`: points always as a decimal with two places (``15/2`` → ``7.50``, ``65.6300`` →
``65.63``), rounded as the engine rounds. A builtin library: every template has it without `{% load %}`."""

from django import template

from assessments.engine import GradingInputError, format_points

register = template.Library()


@register.filter
def points(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return format_points(value)
    except (GradingInputError, TypeError, ValueError):  # not a number: shown as it is, never a page error
        return str(value)
