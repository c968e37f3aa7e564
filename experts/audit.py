"""The audit actions of the expert review (core.actions), and how their codes read."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .models import CheckKind, ConflictKind, IntervieweeRole, VerdictChoice


def _when(value, params) -> str:
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


def _verdict(code, params) -> str:
    return str(VerdictChoice(code).label)


# Why a team was refused (ReviewError codes of form_team).
REFUSALS = {
    "service_provider": _("评测机构是该企业登记的数字化转型服务商"),
    "declared_conflict": _("专家已申报与该企业存在利益冲突"),
}

param("scheduled_for", _when)
param("refusal", lambda code, params: gettext(REFUSALS[code]))
param("conflict", lambda code, params: ConflictKind(code).label)
param("authenticity", _verdict)
param("completeness", _verdict)
param("compliance", _verdict)
param("interviewee_role", lambda code, params: IntervieweeRole(code).label)
param("check_kind", lambda code, params: CheckKind(code).label)

action("experts.profile", _("专家专业领域"), _("%(expert)s：专业领域"))
action("experts.assignment_refused", _("专家组建被拒绝"), _("专家组建被拒绝：%(refusal)s"))
action("experts.team", _("组建专家团队"), _("专家团队：组长 %(lead_name)s，共 %(size)s 人"))
action("experts.declaration", _("利益冲突声明"), _("利益冲突声明：%(conflict)s"))
action(
    "experts.verdict",
    _("佐证材料审核"),
    _("%(target)s %(name)s：真实性%(authenticity)s，完整性%(completeness)s，合规性%(compliance)s"),
)
action("experts.verification", _("专家核定"), _("%(code)s 核定"))
action("experts.supplement_requested", _("要求补充材料"), _("要求补充材料：%(codes)s，期限 %(deadline)s"))
action("experts.supplement_answered", _("企业补充材料"), _("企业补充材料 %(count)s 份"))
action("experts.inspection_scheduled", _("现场查验安排"), _("现场查验安排：%(scheduled_for)s %(place)s"))
action("experts.interview", _("访谈"), _("访谈 %(interviewee_role)s %(interviewee)s"))
action("experts.site_check", _("现场查验记录"), _("%(check_kind)s：%(subject)s"))
action("experts.finding", _("查验发现"), _("查验发现（%(codes)s）"))
action("experts.photo", _("上传现场照片"), _("现场照片 %(name)s"))
action("experts.photo_download", _("查看现场照片"), _("查看现场照片：%(name)s"))
action("experts.inspection_summary", _("现场查验小结"))
action("experts.opinion", _("综合评测意见"), _("综合评测意见，建议等级 %(level)s 级"))
action("experts.confirmed", _("确认评测建议"), _("确认评测建议（%(level)s 级）"))
