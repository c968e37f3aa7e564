"""Forms of the enterprise portal: one questionnaire field at a time (autosave), evidence uploads, submission.

A questionnaire field is named by a key that says where its value lives in the grading contract (RULES.md §6):

* ``Q2`` — an item's answer (single: one option index; multi: a list of indexes);
* ``S05.2`` — scenario S05, level 2 criteria met (a tick); ``S05.none`` — none of the four levels is met;
* ``data.equipment_total`` / ``data.prev_year.revenue`` — a figure; ``data.investment_by_year.1`` — the second
  year of a per-year list; ``data.prev_year.energy.electricity`` — one energy source's amount in its own unit.

This module only reads the posted text into a value (is it a number, an option index, a tick). Whether the value
makes sense (无 with other options, a part above its total, a rate above 100%) is the grading engine's call:
services.save_field asks it and refuses the save with the engine's Chinese message.
"""

import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import uploads

from .framework import Edition

SCALAR_KINDS = ("count", "amount", "fraction")


class FieldInputError(ValueError):
    """Posted text that cannot be read as the field's value. `message` is Chinese, for beside the field."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class FieldKey:
    key: str
    kind: str  # "item" | "criterion" | "scenario_none" | "figure" | "year" | "energy"
    code: str = ""  # item / scenario code, or figure path
    index: int = 0  # scenario level (1-4) or year position (0-2)
    source: str = ""  # energy source code


def field_key(edition: Edition, key: str) -> FieldKey:
    """Read a field key, checking it against the edition; unknown keys raise FieldInputError."""
    unknown = FieldInputError(key, _("未知的问卷项：%(key)s") % {"key": key})
    if key in edition.item_codes:
        return FieldKey(key, "item", key)
    if key.startswith("data."):
        path = key[5:]
        fields = {f.path: f for f in edition.fields}
        f = fields.get(path)
        if f is not None and f.kind in SCALAR_KINDS:
            return FieldKey(key, "figure", path)
        head, _sep, tail = path.rpartition(".")
        f = fields.get(head)
        if f is not None and f.kind == "amounts" and tail.isdigit() and int(tail) < (f.max_length or 1):
            return FieldKey(key, "year", head, index=int(tail))
        if f is not None and f.kind == "energy_list" and tail in {s.code for s in edition.energy_sources}:
            return FieldKey(key, "energy", head, source=tail)
        raise unknown
    code, _sep, tail = key.partition(".")
    if code in edition.scenario_codes:
        scenario = edition.scenario(code)
        if tail == "none":
            return FieldKey(key, "scenario_none", code)
        if tail.isdigit() and 1 <= int(tail) <= len(scenario.criteria):
            return FieldKey(key, "criterion", code, index=int(tail))
    raise unknown


FIGURE_CAP = 1_000_000_000  # the largest figure a questionnaire field accepts (any unit)


def _number(key: str, text: str) -> str | None:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldInputError(key, _("请输入数字，例如 120 或 35.5。")) from None
    if not value.is_finite():
        raise FieldInputError(key, _("请输入数字，例如 120 或 35.5。"))
    if abs(value) > FIGURE_CAP:
        # No enterprise of the pilot reports figures like 999,999,999,999,999 万元: a slipped key or a wrong unit.
        raise FieldInputError(
            key,
            _("数值过大（不超过 %(cap)s）：请核对数值和单位（金额以万元填写）。")
            % {"cap": f"{FIGURE_CAP:,}"},
        )
    return text


def parse_value(edition: Edition, fk: FieldKey, values: list[str]):
    """The posted text of one field (all values of its name) → the value to store (None = cleared)."""
    if fk.kind == "item":
        item = edition.item(fk.code)
        picked = [v for v in values if v != ""]
        try:
            indexes = [int(v) for v in picked]
        except ValueError:
            raise FieldInputError(fk.key, _("请选择列出的选项。")) from None
        if any(i < 0 or i >= len(item.options) for i in indexes):
            raise FieldInputError(fk.key, _("请选择列出的选项。"))
        if not indexes:
            return None
        if item.is_multi:
            return sorted(indexes)
        if len(indexes) > 1:
            raise FieldInputError(fk.key, _("该题为单选题，只能选择一个选项。"))
        return indexes[0]
    if fk.kind in ("criterion", "scenario_none"):
        return bool(values and values[-1] in ("on", "true", "1"))
    return _number(fk.key, values[-1] if values else "")


def get_value(edition: Edition, answers: dict, scenarios: dict, data: dict, fk: FieldKey):
    """The stored value of one field, in the same form parse_value returns."""
    if fk.kind == "item":
        return answers.get(fk.code)
    if fk.kind == "criterion":
        met = scenarios.get(fk.code)
        return bool(met[fk.index - 1]) if isinstance(met, list) else False
    if fk.kind == "scenario_none":
        met = scenarios.get(fk.code)
        return isinstance(met, list) and not any(met)
    node = _node(data, fk.code)
    if fk.kind == "figure":
        return None if node is None else str(node)
    if fk.kind == "year":
        return str(node[fk.index]) if isinstance(node, list) and fk.index < len(node) else None
    for row in node or []:
        if row.get("source") == fk.source:
            return str(row.get("amount"))
    return None


def _node(data: dict, path: str):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set_node(data: dict, path: str, value) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is None or value == []:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    if len(parts) > 1 and not node:
        data.pop(parts[0], None)


def apply_value(edition: Edition, answers: dict, scenarios: dict, data: dict, fk: FieldKey, value):
    """New (answers, scenarios, data) with one field set; the inputs are not changed."""
    answers, scenarios, data = copy.deepcopy(answers), copy.deepcopy(scenarios), copy.deepcopy(data)
    if fk.kind == "item":
        if value is None:
            answers.pop(fk.code, None)
        else:
            answers[fk.code] = value
    elif fk.kind == "criterion":
        levels = len(edition.scenario(fk.code).criteria)
        met = list(scenarios.get(fk.code) or [False] * levels)
        met[fk.index - 1] = value
        scenarios[fk.code] = met
    elif fk.kind == "scenario_none":
        levels = len(edition.scenario(fk.code).criteria)
        if value:
            scenarios[fk.code] = [False] * levels
        elif isinstance(scenarios.get(fk.code), list) and not any(scenarios[fk.code]):
            scenarios.pop(fk.code)
    elif fk.kind == "figure":
        _set_node(data, fk.code, value)
    elif fk.kind == "year":
        years = list(_node(data, fk.code) or [])
        if value is None:
            if fk.index < len(years) - 1:
                raise FieldInputError(fk.key, _("请先清空后面年份的数据。"))
            years = years[: fk.index]
        elif fk.index < len(years):
            years[fk.index] = value
        elif fk.index == len(years):
            years.append(value)
        else:
            raise FieldInputError(fk.key, _("请按年份顺序填写：先填写前面年份的数据。"))
        _set_node(data, fk.code, years)
    else:  # energy: rows in the edition's order of sources
        rows = {row["source"]: row["amount"] for row in (_node(data, fk.code) or [])}
        if value is None:
            rows.pop(fk.source, None)
        else:
            rows[fk.source] = value
        ordered = [
            {"source": s.code, "amount": rows[s.code]} for s in edition.energy_sources if s.code in rows
        ]
        _set_node(data, fk.code, ordered)
    return answers, scenarios, data


def display_value(edition: Edition, fk: FieldKey, value) -> str:
    """A stored value as a person reads it (for conflict messages and the audit trail)."""
    if value is None:
        return _("（空）")
    if fk.kind == "item":
        item = edition.item(fk.code)
        indexes = value if isinstance(value, list) else [value]
        return "；".join(item.options[i].text for i in indexes if 0 <= i < len(item.options))
    if fk.kind in ("criterion", "scenario_none"):
        return _("已勾选") if value else _("未勾选")
    return str(value)


# --------------------------------------------------------------------------------------------------------
# Evidence uploads
# --------------------------------------------------------------------------------------------------------

# The checks live with the other uploads (accounts.uploads: verification documents use them too).
OLE, ZIP = uploads.OLE, uploads.ZIP
EVIDENCE_TYPES = uploads.EVIDENCE_TYPES
sniff_evidence = uploads.sniff_evidence


class EvidenceUploadForm(forms.Form):
    target = forms.CharField(max_length=12)
    file = forms.FileField(
        label=_lazy("佐证材料"), error_messages={"required": _lazy("请选择要上传的文件。")}
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target in self.edition.item_codes:
            return target
        code, _sep, level = target.partition(".")
        scenario = self.edition.scenario(code) if code in self.edition.scenario_codes else None
        if scenario is not None and level.isdigit() and 1 <= int(level) <= len(scenario.criteria):
            return target
        raise forms.ValidationError(_("请选择佐证材料对应的指标或场景等级。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["content_type"] = sniff_evidence(upload)
        return upload


class SubmitForm(forms.Form):
    pledge = forms.BooleanField(
        label=_lazy(
            "本企业承诺：所填报的自评数据和提交的佐证材料真实、准确、完整，如有虚假，愿承担相应责任。"
        ),
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("原因"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
