"""The review's lifecycle: guards refuse with a reason and change nothing; the proposal freezes the engine's
results for both sides."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import RosterEntry
from assessments.framework import get_edition
from assessments.lifecycle import TransitionRefused, transition
from assessments.models import Application, Evidence
from core.models import AuditEvent
from experts import services
from experts.models import ConflictKind, Proposal, TeamMember
from experts.rules import get_case
from experts.samples import PNG
from tests.experts.conftest import LOWERED

pytestmark = pytest.mark.django_db


def snapshot(app):
    app.refresh_from_db()
    return (
        app.state,
        AuditEvent.objects.count(),
        Proposal.objects.count(),
        list(TeamMember.objects.values_list("confirmed_at", flat=True)),
    )


def refuse(app, action, by, text):
    before = snapshot(app)
    with pytest.raises(TransitionRefused) as exc:
        transition(app, action, by=by)
    assert text in exc.value.message
    assert snapshot(app) == before
    return exc.value.message


def declare_all(personas):
    for e in (personas.expert, personas.expert2):
        m = TeamMember.objects.get(expert=e, removed_at__isnull=True)
        services.declare(member=m, by=e, kind=ConflictKind.NONE)


def verify_everything(app, expert, *, lower=()):
    case = get_case(expert, app.pk)
    version = app.latest_version
    ed = get_edition(version.edition)
    for code in ed.item_codes:
        services.save_verification(case=case, code=code, by=expert, value=version.answers[code])
    for code in ed.scenario_codes:
        value = version.scenarios[code]
        reason = ""
        if code in lower:
            value = [True, True, False, False]
            reason = "现场未见设计知识库"
        services.save_verification(case=case, code=code, by=expert, value=value, reason=reason)


def judge_all_files(app, expert):
    case = get_case(expert, app.pk)
    from experts.rules import case_evidence_ids

    for ev in Evidence.objects.filter(pk__in=case_evidence_ids(app, case.team)):
        services.save_verdict(
            case=case, evidence=ev, by=expert, authenticity="pass", completeness="pass", compliance="pass"
        )


def test_start_review_needs_a_lead_who_declared(personas, team_case):
    refuse(team_case, "start_review", personas.agency_admin, "尚未声明")
    declare_all(personas)
    transition(team_case, "start_review", by=personas.agency_admin)
    assert Application.objects.get(pk=team_case.pk).state == "in_review"


def test_start_review_without_team_is_refused(personas, app_assigned):
    refuse(app_assigned, "start_review", personas.agency_admin, "尚未组建专家团队")


def test_site_visit_needs_verdicts_schedule_and_answered_supplements(personas, team_case):
    declare_all(personas)
    transition(team_case, "start_review", by=personas.agency_admin)
    msg = refuse(team_case, "start_site_visit", personas.expert, "不能开始现场查验")
    assert "尚未安排现场查验" in msg and "份佐证材料未给出审核结论" in msg
    case = get_case(personas.expert, team_case.pk)
    req = services.request_supplement(
        case=case,
        by=personas.expert,
        codes=["Q2"],
        message="请补充设备台账原件照片",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    judge_all_files(team_case, personas.expert)
    services.schedule_inspection(
        case=case,
        by=personas.expert,
        scheduled_for=timezone.now() + timedelta(days=1),
        place="二号车间",
        attendees="陈专家、刘专家、企业王经理",
    )
    refuse(team_case, "start_site_visit", personas.expert, "补充材料要求企业尚未答复")
    services.answer_supplement(
        request=req,
        by=personas.owner,
        reply="已补充",
        files=[("Q2", SimpleUploadedFile("台账.png", PNG, content_type="image/png"))],
    )
    # The supplemented file needs a verdict too.
    refuse(team_case, "start_site_visit", personas.expert, "1 份佐证材料未给出审核结论")
    judge_all_files(team_case, personas.expert)
    transition(team_case, "start_site_visit", by=personas.expert)
    assert Application.objects.get(pk=team_case.pk).state == "on_site"


def on_site(personas, app):
    declare_all(personas)
    transition(app, "start_review", by=personas.agency_admin)
    case = get_case(personas.expert, app.pk)
    judge_all_files(app, personas.expert)
    services.schedule_inspection(
        case=case, by=personas.expert, scheduled_for=timezone.now(), place="车间", attendees="全体"
    )
    transition(app, "start_site_visit", by=personas.agency_admin)


def test_no_proposal_without_every_item_verified_and_every_confirmation(personas, team_case):
    on_site(personas, team_case)
    msg = refuse(team_case, "propose", personas.agency_admin, "项指标或场景未核定")
    assert "组长尚未填写综合评测意见" in msg
    verify_everything(team_case, personas.expert, lower=LOWERED)
    case = get_case(personas.expert, team_case.pk)
    with pytest.raises(
        services.ReviewError
    ):  # the proposed grade must be the engine's grade of the verified answers
        services.save_opinion(case=case, by=personas.expert, text="总体良好", level=3)
    services.save_opinion(case=case, by=personas.expert, text="总体良好，产品设计场景降为二级。", level=2)
    msg = refuse(team_case, "propose", personas.agency_admin, "尚未确认")
    assert "陈专家" in msg and "刘专家" in msg
    services.confirm(case=case, by=personas.expert)
    refuse(team_case, "propose", personas.agency_admin, "刘专家")
    services.confirm(case=get_case(personas.expert2, team_case.pk), by=personas.expert2)
    # A change to a verified answer after confirming asks everyone to confirm again.
    services.save_verification(
        case=case, code="Q1", by=personas.expert, value=team_case.latest_version.answers["Q1"]
    )
    refuse(team_case, "propose", personas.agency_admin, "尚未确认")
    services.confirm(case=case, by=personas.expert)
    services.confirm(case=get_case(personas.expert2, team_case.pk), by=personas.expert2)
    # The lead may not submit: only the agency admin proposes.
    refuse(team_case, "propose", personas.expert, "无权")
    transition(team_case, "propose", by=personas.agency_admin)
    p = Proposal.objects.get(application=team_case)
    assert p.level == 2 and p.self_result["level"] == 3 and p.verified_result["level"] == 2
    assert set(p.comparison) == {"items", "scenarios", "totals"}
    row = next(r for r in p.comparison["scenarios"] if r["code"] == "S01")
    assert row == {
        "code": "S01",
        "name": "产品设计",
        "constrained": True,
        "self_level": 3,
        "verified_level": 2,
        "changed": True,
        "reason": "现场未见设计知识库",
    }
    assert set(p.comparison["items"][0]) == {
        "code",
        "title",
        "self_answer",
        "verified_answer",
        "self_points",
        "verified_points",
        "changed",
        "reason",
    }
    assert set(p.comparison["totals"]) == {
        "self_score",
        "verified_score",
        "self_level",
        "verified_level",
        "dimensions",
    }
    assert p.comparison["totals"]["dimensions"]["foundation"] == {"self": "50.00", "verified": "50.00"}
    # The bureau returns it: the proposal is marked, confirmations are cleared.
    transition(team_case, "return_to_agency", by=personas.bureau, reason="请补充说明S01调整依据")
    p.refresh_from_db()
    assert p.returned_at is not None and p.returned_reason == "请补充说明S01调整依据"
    assert not TeamMember.objects.filter(confirmed_at__isnull=False).exists()
    # Back on site after review, confirmed again: a second proposal, the first one stays returned.
    refuse(team_case, "propose", personas.agency_admin, "申请当前状态为“资料审核”")
    transition(team_case, "start_site_visit", by=personas.expert)
    refuse(team_case, "propose", personas.agency_admin, "尚未确认")
    for e in (personas.expert, personas.expert2):
        services.confirm(case=get_case(e, team_case.pk), by=e)
    transition(team_case, "propose", by=personas.agency_admin)
    assert [p.returned_at is None for p in Proposal.objects.order_by("id")] == [False, True]


def test_adjusted_answer_needs_a_reason(personas, team_case):
    declare_all(personas)
    transition(team_case, "start_review", by=personas.agency_admin)
    case = get_case(personas.expert, team_case.pk)
    count = AuditEvent.objects.count()
    with pytest.raises(services.ReviewError) as exc:
        services.save_verification(case=case, code="Q2", by=personas.expert, value=2)
    assert exc.value.field == "reason" and "调整理由" in exc.value.message
    assert AuditEvent.objects.count() == count
    services.save_verification(
        case=case, code="Q2", by=personas.expert, value=2, reason="台账显示数字化设备仅18台"
    )
    assert AuditEvent.objects.filter(action="experts.verification").count() == 1


def test_conflict_declaration_removes_and_notifies(personas, team_case):
    from accounts.models import Notification

    m = TeamMember.objects.get(expert=personas.expert2)
    with pytest.raises(services.ReviewError):
        services.declare(member=m, by=personas.expert2, kind=ConflictKind.OTHER, text="")
    services.declare(member=m, by=personas.expert2, kind=ConflictKind.CONSULTING, text="曾为该企业提供咨询")
    m.refresh_from_db()
    assert m.removed_at is not None and "咨询服务关系" in m.removed_reason
    assert Notification.objects.filter(user=personas.agency_admin, title__contains="利益冲突").exists()
    assert AuditEvent.objects.filter(action="experts.declaration", detail__removed=True).exists()
    # Cannot be put back on the team.
    with pytest.raises(services.ReviewError):
        services.form_team(
            application=team_case, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
        )
    assert AuditEvent.objects.filter(action="experts.assignment_refused").count() == 1


def test_service_provider_agency_is_refused(personas, app_assigned):
    RosterEntry.objects.create(
        credit_code=personas.enterprise.credit_code,
        name=personas.enterprise.name,
        service_provider_name=personas.agency.name,
        service_provider_credit_code=personas.agency.credit_code,
    )
    with pytest.raises(services.ReviewError) as exc:
        services.form_team(
            application=app_assigned, by=personas.agency_admin, lead=personas.expert, members=[]
        )
    assert "数字化转型服务商" in exc.value.message
    assert not app_assigned.teams.exists()
    ev = AuditEvent.objects.get(action="experts.assignment_refused")
    assert ev.detail["refusal"] == "service_provider" and "数字化转型服务商" in ev.text


def test_team_change_keeps_one_lead(personas, team_case):
    services.form_team(
        application=team_case, by=personas.agency_admin, lead=personas.expert2, members=[personas.expert]
    )
    roles = dict(TeamMember.objects.filter(removed_at__isnull=True).values_list("expert__username", "role"))
    assert roles == {"expert2": "lead", "expert": "member"}
    with pytest.raises(services.ReviewError):
        services.form_team(
            application=team_case, by=personas.agency_admin, lead=personas.other_expert, members=[]
        )


def test_undeclared_member_gets_no_notification_naming_the_enterprise(personas, team_case):
    from accounts.models import Notification

    m = TeamMember.objects.get(expert=personas.expert)
    services.declare(member=m, by=personas.expert, kind=ConflictKind.NONE)
    transition(team_case, "start_review", by=personas.agency_admin)
    assert Notification.objects.filter(
        user=personas.expert, title__contains=personas.enterprise.name
    ).exists()
    notes = Notification.objects.filter(user=personas.expert2)
    assert notes.exists()  # told about the assignment …
    assert not any(personas.enterprise.name in n.title + n.body for n in notes)  # … but not whose it is
