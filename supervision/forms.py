"""The bureau's forms. Field-level Chinese messages; the rules themselves live in the guards and services."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Role, User
from accounts.sme import Industry
from assessments.framework import get_edition
from assessments.models import PAPER_MATERIALS
from core.actions import label_of

from .models import RecheckDecision, RecheckOutcome, StratifyBy
from .revocation import REVOCATION_BASES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("名单文件（.xlsx）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的文件。"))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过5MB。"))
        return f


class RosterEntryForm(forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    name = forms.CharField(label=_("企业名称"), max_length=200)
    service_provider_name = forms.CharField(label=_("数字化转型服务商"), max_length=200, required=False)
    service_provider_credit_code = forms.CharField(
        label=_("服务商统一社会信用代码"), max_length=18, required=False
    )


class ServiceProviderForm(forms.Form):
    service_provider_name = forms.CharField(label=_("数字化转型服务商"), max_length=200, required=False)
    service_provider_credit_code = forms.CharField(
        label=_("服务商统一社会信用代码"), max_length=18, required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因（企业或机构可见）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写原因。")},
    )


class AcceptForm(forms.Form):
    received_on = forms.DateField(label=_("纸质材料收到日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in PAPER_MATERIALS:
            self.fields[f"paper_{code}"] = forms.BooleanField(label=label, required=False)
        self.fields["received_on"].initial = timezone.localdate()

    def checklist(self) -> dict:
        return {code: bool(self.cleaned_data.get(f"paper_{code}")) for code, _label in PAPER_MATERIALS}


class CommissionForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("评测机构"), queryset=Agency.objects.order_by("name"), empty_label=_("请选择")
    )
    review_due = forms.DateField(label=_("资料审核截止"), widget=DATE)
    site_due = forms.DateField(label=_("现场查验截止"), widget=DATE)
    proposal_due = forms.DateField(label=_("提交建议截止"), widget=DATE)
    provider_reason = forms.CharField(
        label=_("确认理由（仅当所选机构是企业登记的数字化转型服务商时填写）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def params(self) -> dict:
        fields = ("agency", "review_due", "site_due", "proposal_due", "provider_reason")
        return {k: self.cleaned_data.get(k, "") for k in fields}


class ReassignForm(CommissionForm):
    reason = forms.CharField(label=_("改派原因"), widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("撤销依据（第十二条）"),
        choices=[("", _("请选择")), *REVOCATION_BASES],
        error_messages={"required": _("请选择撤销依据。")},
    )
    basis_text = forms.CharField(
        label=_("具体情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写撤销依据的具体情况。")},
    )
    reason = forms.CharField(
        label=_("撤销原因（企业可见）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写撤销原因。")},
    )


# "%(n)d级" % n on a lazy string would translate once, at import, in the default language.
_level_label = lazy(lambda n: gettext("%(n)d级") % {"n": n}, str)


class SampleForm(forms.Form):
    start = forms.DateField(label=_("认定日期自"), widget=DATE, required=False)
    end = forms.DateField(label=_("认定日期至"), widget=DATE, required=False)
    levels = forms.TypedMultipleChoiceField(
        label=_("等级"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(i, _level_label(i)) for i in get_edition().level_numbers],
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("原评测机构"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    size = forms.IntegerField(label=_("样本量"), min_value=1, required=False)
    rate = forms.DecimalField(
        label=_("或抽样比例（%）"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        decimal_places=2,
        required=False,
    )
    stratify_by = forms.ChoiceField(label=_("分层"), choices=StratifyBy.choices, required=False)
    seed = forms.IntegerField(
        label=_("随机种子（留空则自动生成）"), min_value=0, max_value=2**62, required=False
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("size") is None and data.get("rate") is None:
            self.add_error("size", _("请填写样本量或抽样比例。"))
        if data.get("size") is not None and data.get("rate") is not None:
            self.add_error("rate", _("样本量和抽样比例只填一项。"))
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def population_filter(self) -> dict:
        d = self.cleaned_data
        return {
            "start": d["start"].isoformat() if d.get("start") else None,
            "end": d["end"].isoformat() if d.get("end") else None,
            "levels": sorted(d.get("levels") or []),
            "agencies": sorted(a.pk for a in d.get("agencies") or []),
        }


class RecheckAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("复核机构"), queryset=Agency.objects.order_by("name"), empty_label=_("请选择")
    )
    due_on = forms.DateField(label=_("复核期限"), widget=DATE, required=False)


class RecheckTeamForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("组长"), queryset=User.objects.none(), empty_label=_("请选择"))
    members = forms.ModelMultipleChoiceField(
        label=_("组员"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        experts = User.objects.filter(role=Role.EXPERT, agency=agency, is_active=True).order_by("full_name")
        self.fields["lead"].queryset = experts
        self.fields["members"].queryset = experts
        self.fields["lead"].label_from_instance = lambda u: u.display_name
        self.fields["members"].label_from_instance = lambda u: u.display_name


class RecheckOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("复核结论"), choices=[c for c in RecheckOutcome.choices if c[0]], widget=forms.RadioSelect
    )
    new_level = forms.TypedChoiceField(
        label=_("复核后等级（等级变更时）"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=lambda: [("", "—"), *get_edition().level_choices()],
    )
    notes = forms.CharField(label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 4}))


class RecheckDecisionForm(forms.Form):
    """The bureau's follow-up on a re-check's outcome; the revocation fields count only for 撤销."""

    decision = forms.ChoiceField(
        label=_("处理决定"),
        choices=[c for c in RecheckDecision.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理决定。")},
    )
    reason = forms.CharField(
        label=_("决定理由（企业可见）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写决定理由。")},
    )
    basis = forms.ChoiceField(
        label=_("撤销依据（第十二条，仅撤销时填写）"),
        choices=[("", _("请选择")), *REVOCATION_BASES],
        required=False,
    )
    basis_text = forms.CharField(
        label=_("具体情况（仅撤销时填写）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("提交日期自"), widget=DATE, required=False)
    end = forms.DateField(label=_("至"), widget=DATE, required=False)
    industry = forms.ChoiceField(label=_("行业"), required=False)
    agency = forms.ModelChoiceField(
        label=_("评测机构"), queryset=Agency.objects.order_by("name"), required=False, empty_label=_("全部")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The classification's own list (accounts.sme.Industry), not a DISTINCT over the enterprises.
        self.fields["industry"].choices = [("", _("全部")), *Industry.choices]
        _style(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "start": d.get("start"),
            "end": d.get("end"),
            "industry": d.get("industry") or "",
            "agency_id": d["agency"].pk if d.get("agency") else None,
        }


class ApplicationListFilterForm(DashboardFilterForm):
    """The filters of the bureau's 全部申请 list (and of the dashboard it can be reached from): what the page
    shows and what its export writes are the same `supervision.selectors.application_list(**filters())`."""

    state = forms.CharField(required=False, max_length=20)
    q = forms.CharField(required=False, max_length=100)
    overdue = forms.BooleanField(required=False)

    def filters(self) -> dict:
        self.is_valid()  # a field that does not parse is left out, the others still filter
        d = self.cleaned_data
        return {
            "start": d.get("start"),
            "end": d.get("end"),
            "industry": d.get("industry") or "",
            "agency_id": d["agency"].pk if d.get("agency") else None,
            "state": d.get("state") or "",
            "q": (d.get("q") or "").strip(),
            "overdue": bool(d.get("overdue")),
        }


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)
    application = forms.CharField(label=_("申请编号"), required=False)
    start = forms.DateField(label=_("日期自"), widget=DATE, required=False)
    end = forms.DateField(label=_("至"), widget=DATE, required=False)
    text = forms.CharField(label=_("关键词"), required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部"))] + [(a, label_of(a)) for a in actions]
        _style(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PaperInstructionsForm(forms.Form):
    """The bureau's 纸质材料报送要求 (supervision.paper)."""

    items = forms.CharField(
        label=_("材料清单（每行一项）"), widget=forms.Textarea(attrs={"rows": 6}), max_length=2000
    )
    address = forms.CharField(label=_("报送地址"), max_length=200)
    deadline_days = forms.IntegerField(label=_("报送期限（提交后天数）"), min_value=1, max_value=90)
    contact = forms.CharField(label=_("咨询电话"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
