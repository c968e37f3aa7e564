from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency

from .models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("使用该令牌的系统，例如“市经信局数据平台”")
    )
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices)
    agency = forms.ModelChoiceField(
        label=_("评测机构"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text=_("评测机构令牌只能读取该机构承担的评测案件"),
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == TokenScope.AGENCY and not data.get("agency"):
            self.add_error("agency", _("评测机构令牌须选择评测机构。"))
        if data.get("scope") == TokenScope.BUREAU:
            data["agency"] = None
        return data
