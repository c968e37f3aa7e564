"""The review's lifecycle guards and effects (named in assessments.lifecycle.TRANSITIONS).

- start_review (assigned → in_review): the team has a lead who has declared no conflict.
- start_site_visit (in_review → on_site): a site inspection is scheduled (date, place, attendees), every
  evidence file of the case (submitted and supplemented) has the team's verdict, and no request for
  supplementary material is still waiting for the enterprise. Verified answers may still change on site.
- propose (on_site → proposed): every item and scenario has a verified value, the lead has written the overall
  opinion with a proposed grade equal to the engine's grade of the verified answers, and every active member
  has confirmed it. The effect freezes the Proposal (self vs verified results and the comparison).
- return_to_agency (proposed → in_review): the latest proposal is marked returned; confirmations are cleared.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.lifecycle import TransitionRefused
from assessments.selectors import edition_of

from .models import ConflictKind, MemberRole, Proposal
from .rules import active_team, case_evidence_ids
from .selectors import comparison, grade_verified, latest_proposal


def _team_or_refuse(application):
    team = active_team(application)
    if team is None:
        raise TransitionRefused(_("尚未组建专家团队。"))
    return team


def check_team_ready(application, *, by, reason="", **params):
    team = _team_or_refuse(application)
    lead = team.members.live().filter(role=MemberRole.LEAD).select_related("expert").first()
    if lead is None:
        raise TransitionRefused(_("专家团队尚未指定组长。"))
    if lead.declared_at is None or lead.conflict != ConflictKind.NONE:
        raise TransitionRefused(
            _("组长 %(n)s 尚未声明与该企业无利益冲突。") % {"n": lead.expert.display_name}
        )


def check_site_visit_ready(application, *, by, reason="", **params):
    team = _team_or_refuse(application)
    problems = []
    if not team.inspections.exists():
        problems.append(_("尚未安排现场查验（时间、地点、参加人员）"))
    files = case_evidence_ids(application, team)
    judged = set(team.verdicts.filter(evidence_id__in=files).values_list("evidence_id", flat=True))
    if len(files - judged):
        problems.append(_("还有 %(k)s 份佐证材料未给出审核结论") % {"k": len(files - judged)})
    open_requests = team.supplements.filter(answered_at__isnull=True).count()
    if open_requests:
        problems.append(_("还有 %(k)s 项补充材料要求企业尚未答复") % {"k": open_requests})
    if problems:
        raise TransitionRefused(_("不能开始现场查验：") + "；".join(problems) + "。")


def check_proposal_ready(application, *, by, reason="", **params):
    team = _team_or_refuse(application)
    version = application.latest_version
    ed = edition_of(version)
    verifications = list(team.verifications.all())
    verified = {v.code for v in verifications}
    problems = []
    missing = [c for c in (*ed.item_codes, *ed.scenario_codes) if c not in verified]
    if missing:
        problems.append(
            _("还有 %(k)s 项指标或场景未核定（%(c)s）") % {"k": len(missing), "c": "、".join(missing[:8])}
        )
    opinion = getattr(team, "opinion", None) if hasattr(team, "opinion") else None
    if opinion is None:
        problems.append(_("组长尚未填写综合评测意见和建议等级"))
    elif not missing:
        level = grade_verified(version, verifications)["level"]
        if opinion.level != level:
            problems.append(_("建议等级与核定结果（%(l)s 级）不一致") % {"l": level})
    unconfirmed = team.members.live().filter(confirmed_at__isnull=True).select_related("expert")
    names = [m.expert.display_name for m in unconfirmed]
    if names:
        problems.append(_("以下专家尚未确认：%(n)s") % {"n": "、".join(names)})
    if problems:
        raise TransitionRefused(_("不能提交评测建议：") + "；".join(problems) + "。")


def freeze_proposal(application, *, by, reason="", **params):
    team = active_team(application)
    version = application.latest_version
    verifications = list(team.verifications.all())
    verified_result = grade_verified(version, verifications)
    Proposal.objects.create(
        application=application,
        team=team,
        level=team.opinion.level,
        score=verified_result["score"],
        opinion=team.opinion.text,
        self_result=version.result,
        verified_result=verified_result,
        comparison=comparison(version, verifications, verified_result),
        submitted_at=timezone.now(),
        submitted_by=by,
    )


def reopen_proposal(application, *, by, reason="", **params):
    proposal = latest_proposal(application)
    if proposal is not None and proposal.returned_at is None:
        proposal.returned_at = timezone.now()
        proposal.returned_reason = reason
        proposal.save(update_fields=["returned_at", "returned_reason"])
    team = active_team(application)
    if team is not None:
        team.members.filter(confirmed_at__isnull=False).update(confirmed_at=None)
