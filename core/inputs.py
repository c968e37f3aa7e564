"""The one input policy: what a person may type, and how stored text is written where a program interprets it.

- `refuse_control_characters`: every text field of every form (applied to `forms.CharField` and its subclasses by
  `core.apps`) refuses control characters other than newline, carriage return (a browser's line break) and tab
  — NUL included — with a clear message.
- `InputPolicyMiddleware`: the same rule for the URL path and every query parameter: a 404, never a 500 (NUL in
  a query parameter reaches PostgreSQL, which refuses it).
- `spreadsheet_value` / `csv_value`: a cell that begins with = + - @, a tab or a carriage return is written as
  text, never a formula; characters that XML (and so .xlsx) cannot hold are replaced, so an export never fails on
  what was stored before this policy existed.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import Cell

# C0 controls except tab and newline (a carriage return only as the browser's CRLF line break); DEL; C1.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# What XML 1.0 cannot hold (openpyxl refuses it): C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


@deconstructible
class ControlCharacterValidator:
    message = gettext_lazy("不能包含控制字符（如 NUL 等不可见字符；换行和制表符除外），请删除后重试。")
    code = "control_characters"

    def __call__(self, value):
        if value is not None and has_control_characters(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator)


refuse_control_characters = ControlCharacterValidator()


def apply_to_form_fields() -> None:
    """Every `forms.CharField` (and EmailField, SlugField, … and model form fields) gets the validator."""
    if getattr(forms.CharField, "_input_policy", False):
        return
    original = forms.CharField.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if refuse_control_characters not in self.validators:
            self.validators.append(refuse_control_characters)

    forms.CharField.__init__ = __init__
    forms.CharField._input_policy = True


def _any_control(query_dict) -> bool:
    return any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in query_dict.lists()
    )


class InputPolicyMiddleware:
    """The policy for what reaches a view without a form: a URL path or query parameter (name or value) with a
    control character is a 404; a posted text field with one is refused (400, a clear message, nothing saved) —
    the views that read `request.POST` themselves (autosave, the experts' pages) get only clean text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path) or _any_control(request.GET):
            raise Http404(_("地址或查询参数包含控制字符。"))
        if request.method == "POST" and _any_control(request.POST):
            return render(
                request, "core/input_refused.html", {"message": refuse_control_characters.message}, status=400
            )
        return self.get_response(request)


def clean_text(value: str) -> str:
    """Stored text with the characters XML cannot hold replaced (U+FFFD)."""
    return XML_ILLEGAL.sub(REPLACEMENT, value)


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_START)


def csv_value(value):
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading single quote."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    return "'" + value if is_formula_like(value) else value


def spreadsheet_cell(sheet, value):
    """A value for `sheet.append`: text is cleaned, and text that Excel would run as a formula becomes a text
    cell (data type 's' and the quote prefix Excel itself uses for "'=…")."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if not is_formula_like(value):
        return value
    cell = Cell(sheet, row=1, column=1, value=value)  # placed by append(), in a write-only sheet too
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
