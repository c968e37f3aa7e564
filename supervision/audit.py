"""The audit actions of the bureau (core.actions), and how their codes read."""

from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .models import RecheckDecision, RecheckOutcome

param("outcome", lambda code, params: RecheckOutcome(code).label)
param("recheck_decision", lambda code, params: RecheckDecision(code).label)

action("roster.import", _("导入试点企业名单"), _("导入试点企业名单：成功%(ok)s行，拒绝%(bad)s行"))
action("roster.add", _("加入试点名单"), _("加入试点名单：%(name)s"))
action("roster.service_provider", _("更新数字化转型服务商"), _("更新数字化转型服务商：%(name)s"))
action("roster.remove", _("移出试点名单"), _("移出试点名单：%(name)s"))
action("sample.draw", _("抽验抽样"), _("抽验抽样：总体%(population)s，样本%(size)s，种子%(seed)s"))
action("recheck.assign_agency", _("委托复核机构"), _("委托%(agency_name)s复核%(number)s"))
action("recheck.team", _("组建复核专家组"), _("组建复核专家组：%(names)s"))
action("recheck.outcome", _("抽验复核结论"), _("抽验复核结论：%(outcome)s"))
action(
    "recheck.decide",
    _("抽验复核处理决定"),
    _("抽验复核处理决定（%(certificate)s）：%(recheck_decision)s"),
)
action("supervision.photo_download", _("查看现场照片"), _("查看现场照片：%(name)s"))
action(
    "paper.configure",
    _("设置纸质材料报送要求"),
    _("设置纸质材料报送要求：%(address)s，提交后%(deadline_days)s天内"),
)
