"""`{{ value|css_string }}`: a value as the inside of a CSS string ("…"), for @page margin box content."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return mark_safe(text)  # noqa: S308 - escaped for a CSS string inside a <style> element


@register.filter
def css_pager(value) -> str:
    """A translated page footer such as "第 {page} 页 / 共 {pages} 页" as CSS content with page counters."""
    text = css_string(value)
    text = text.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
    return mark_safe(text)  # noqa: S308 - the text was escaped by css_string
