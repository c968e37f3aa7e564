"""One form per action of the experts' pages (and the enterprise's answer to a supplement request).

A form reads what was posted: choices come from the framework edition and the agency, integers, dates and times
are parsed here, labels are translated. What must hold for the step (a reason where an answer differs, the
team's state, …) is the services' to say: a refusal (ReviewError) is put back on the form with `refuse()`.
The pages keep their own markup; `errors()` gives them the first message per field.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckKind, ConflictKind, IntervieweeRole, VerdictChoice
from .services import ReviewError, parse_item_value

CHOOSE_OPTION = _("请选择核定选项。")


def code_choices(edition) -> list[tuple[str, str]]:
    """Every item and scenario of the edition, as "Q2 名称" (what a supplement request or a finding names)."""
    return [(i.code, f"{i.code} {i.name}") for i in edition.items] + [
        (s.code, f"{s.code} {s.name}") for s in edition.scenarios
    ]


def area_choices(edition) -> list[tuple[str, str]]:
    """The areas an expert may judge: the edition's dimensions and scenario groups."""
    return [(d.code, d.name) for d in edition.dimensions] + [
        (g.code, g.name) for g in edition.scenario_groups
    ]


def _text(label, *, max_length=None, required=False):
    return forms.CharField(label=label, max_length=max_length, required=required, strip=True)


class ExpertForm(forms.Form):
    """The experts' pages show one message per field (and `__all__` for the form)."""

    def errors_for(self, prefix: str = "") -> dict[str, str]:
        return {f"{prefix}{field}": messages[0] for field, messages in self.errors.items()}

    def refuse(self, exc) -> None:
        """A service's refusal, on the field it names (or on the form)."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class ProfileForm(ExpertForm):
    title = _text(_("职称"), max_length=50)
    areas = forms.MultipleChoiceField(label=_("专业领域"), required=False)
    note = _text(_("备注"), max_length=200)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = area_choices(edition)


class TeamForm(ExpertForm):
    """The agency admin's team: a lead, members, a due date; only the agency's active experts can be chosen."""

    lead = forms.ModelChoiceField(
        label=_("组长"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("只能选择本机构的专家。")},
    )
    members = forms.ModelMultipleChoiceField(
        label=_("组员"),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("只能选择本机构的专家。"),
            "invalid_pk_value": _("只能选择本机构的专家。"),
        },
    )
    due_on = forms.DateField(label=_("完成期限"), required=False)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = experts
        self.fields["members"].queryset = experts


class DeclarationForm(ExpertForm):
    """利益冲突声明."""

    conflict = forms.ChoiceField(
        label=_("利益关系"),
        choices=ConflictKind.choices,
        error_messages={"required": _("请选择利益关系。"), "invalid_choice": _("请选择利益关系。")},
    )
    conflict_text = _text(_("说明"))


class ReasonForm(ExpertForm):
    """A workflow step's optional reason."""

    reason = _text(_("原因"))


class VerificationForm(ExpertForm):
    """The team's verified answer for one item (its options) or scenario (the criteria met per level), and the
    reason where it differs from the enterprise's."""

    value = forms.TypedMultipleChoiceField(
        label=_("核定答案"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": CHOOSE_OPTION},
    )
    met = forms.TypedMultipleChoiceField(label=_("达到的等级要求"), coerce=int, required=False)
    reason = _text(_("调整理由"))

    def __init__(self, *args, row, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.row, self.edition = row, edition
        if row["kind"] == "item":
            self.fields["value"].choices = [(str(i), str(i)) for i in range(len(row["item"].options))]
        else:
            self.fields["met"].choices = [(str(n), str(n)) for n in edition.scenario_level_numbers]

    def clean(self):
        data = super().clean()
        if self.row["kind"] == "item" and "value" in data:
            try:
                data["answer"] = parse_item_value(self.row["item"], data["value"])
            except ReviewError as exc:
                self.add_error("value", exc.message)
        elif self.row["kind"] != "item":
            met = set(data.get("met") or [])
            data["answer"] = [n in met for n in self.edition.scenario_level_numbers]
        return data


class VerdictForm(ExpertForm):
    """The verdict on one evidence file: 真实性 / 完整性 / 合规性 and a comment."""

    _choice = {"required": _("请选择审核结论。"), "invalid_choice": _("请选择审核结论。")}
    authenticity = forms.ChoiceField(label=_("真实性"), choices=VerdictChoice.choices, error_messages=_choice)
    completeness = forms.ChoiceField(label=_("完整性"), choices=VerdictChoice.choices, error_messages=_choice)
    compliance = forms.ChoiceField(label=_("合规性"), choices=VerdictChoice.choices, error_messages=_choice)
    comment = _text(_("审核意见"))


class SupplementForm(ExpertForm):
    """A request for supplementary material (补充材料): the items it is about, what is asked, by when."""

    codes = forms.MultipleChoiceField(
        label=_("涉及指标"), required=False, error_messages={"invalid_choice": _("未知的指标。")}
    )
    message = _text(_("补充要求"))
    deadline = forms.DateField(
        label=_("补充期限"), required=False, error_messages={"invalid": _("补充期限不能早于今天。")}
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = code_choices(edition)


class SupplementReplyForm(ExpertForm):
    """The enterprise's answer: a reply and files, each file under the item it supports (`files_<code>`)."""

    reply = _text(_("企业答复"))

    def __init__(self, *args, request_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_codes = list(request_codes)

    def uploads(self) -> list[tuple[str, object]]:
        files = self.files or {}
        return [(code, f) for code in self.request_codes for f in files.getlist(f"files_{code}")]


class ScheduleForm(ExpertForm):
    """现场查验 time, place and attendees."""

    scheduled_for = forms.DateTimeField(
        label=_("查验时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": _("请填写查验时间。")},
    )
    place = _text(_("查验地点"), max_length=200)
    attendees = _text(_("参加人员"))


class InterviewForm(ExpertForm):
    role = forms.ChoiceField(
        label=_("访谈对象"),
        choices=IntervieweeRole.choices,
        error_messages={"required": _("请选择访谈对象类别。"), "invalid_choice": _("请选择访谈对象类别。")},
    )
    interviewee = _text(_("姓名及职务"), max_length=100)
    record = _text(_("访谈记录"))


class CheckForm(ExpertForm):
    kind = forms.ChoiceField(
        label=_("查验方式"),
        choices=CheckKind.choices,
        error_messages={"required": _("请选择查验方式。"), "invalid_choice": _("请选择查验方式。")},
    )
    subject = _text(_("查验对象"), max_length=200)
    record = _text(_("查验记录"))


class FindingForm(ExpertForm):
    text = _text(_("查验发现"))
    codes = forms.MultipleChoiceField(
        label=_("涉及指标"), required=False, error_messages={"invalid_choice": _("未知的指标。")}
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = code_choices(edition)


class PhotoForm(ExpertForm):
    photo = forms.FileField(label=_("现场照片"), required=False)
    caption = _text(_("说明"), max_length=200)
    finding = forms.ModelChoiceField(
        label=_("查验发现"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("请选择本次查验的发现。")},
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = inspection.findings.all()


class SummaryForm(ExpertForm):
    summary = _text(_("查验小结"))


#: The forms of the site-inspection page, by the name its posts carry (`form=`).
INSPECTION_FORMS = {
    "schedule": ScheduleForm,
    "interview": InterviewForm,
    "check": CheckForm,
    "finding": FindingForm,
    "photo": PhotoForm,
    "summary": SummaryForm,
}


class OpinionForm(ExpertForm):
    """The lead's 综合评测意见 and proposed level (the edition's levels)."""

    text = _text(_("综合评测意见"))
    level = forms.TypedChoiceField(
        label=_("建议等级"),
        coerce=int,
        error_messages={"required": _("请选择建议等级。"), "invalid_choice": _("请选择建议等级。")},
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(str(n), name) for n, name in edition.level_choices()]
