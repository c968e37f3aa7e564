"""Building a case (assessment, application, frozen version, proposal, grade) directly in the database."""

import hashlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.engine import grade_partial
from assessments.framework import get_edition
from assessments.models import Application, ApplicationState, ApplicationVersion, Assessment, Evidence
from experts.models import ConflictKind, MemberRole, Proposal, Team, TeamMember
from supervision.models import Grade

_seq = iter(range(1, 10**6))


def full_answers(edition=None, *, high: bool = True):
    ed = edition or get_edition()
    answers = {}
    for item in ed.items:
        n = len(item.options)
        if item.is_multi:
            answers[item.code] = list(range(1, n)) if high else [1]
        else:
            answers[item.code] = n - 1 if high else 1
    met = [True, True, True, False] if high else [True, True, False, False]
    scenarios = {s.code: met for s in ed.scenarios}
    return answers, scenarios


def make_case(enterprise, *, by, state=ApplicationState.SUBMITTED, agency=None, high=True, evidence=1):
    ed = get_edition()
    answers, scenarios = full_answers(ed, high=high)
    result = grade_partial(ed.code, answers, scenarios, {}).to_json()
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        edition=ed.code,
        answers=answers,
        scenarios=scenarios,
        data={},
        score=Decimal(result["score"]),
        level=result["level"],
    )
    now = timezone.now()
    app = Application.objects.create(
        number=f"SY2026-{next(_seq):05d}",
        enterprise=enterprise,
        kind="initial",
        assessment=assessment,
        state=state,
        self_level=result["level"],
        pledge_at=now,
        submitted_at=now,
        agency=agency,
    )
    files = []
    for i in range(evidence):
        data = f"佐证材料 {i} of {app.number}".encode()
        ev = Evidence(
            assessment=assessment,
            target="Q1",
            original_name=f"证明{i}.txt",
            content_type="text/plain",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by,
        )
        ev.file.save("x", ContentFile(data), save=True)
        files.append(
            {"id": ev.pk, "target": ev.target, "name": ev.original_name, "sha256": ev.sha256, "size": ev.size}
        )
    ApplicationVersion.objects.create(
        application=app,
        number=1,
        edition=ed.code,
        answers=answers,
        scenarios=scenarios,
        data={},
        result=result,
        evidence=files,
        profile={"name": enterprise.name},
        pledge_at=now,
        submitted_at=now,
        submitted_by=by,
    )
    return app


def add_proposal(app, *, admin, experts, level=None, opinion="企业数字化基础较好，建议认定。"):
    """A team, one verification that lowers Q1, a site inspection with a finding and an interview, and the
    proposal frozen the way the experts' workflow freezes it (their grading and comparison functions)."""
    from experts.models import Finding, Inspection, Interview, Verification
    from experts.selectors import comparison, grade_verified

    team = Team.objects.create(application=app, agency=admin.agency, created_by=admin)
    for n, expert in enumerate(experts):
        TeamMember.objects.create(
            team=team,
            expert=expert,
            role=MemberRole.LEAD if n == 0 else MemberRole.MEMBER,
            declared_at=timezone.now(),
            conflict=ConflictKind.NONE,
        )
    version = app.versions.order_by("-number").first()
    first = get_edition(version.edition).items[0]
    Verification.objects.create(
        team=team,
        code=first.code,
        value=[1] if first.is_multi else 1,
        reason="现场查验未见相应系统",
        by=experts[0],
    )
    inspection = Inspection.objects.create(
        team=team,
        scheduled_for=timezone.now(),
        place="企业生产车间",
        attendees="陈专家、刘专家",
        created_by=experts[0],
    )
    Finding.objects.create(inspection=inspection, text="MES系统仅覆盖一条产线", codes=["S06"], by=experts[0])
    Interview.objects.create(
        inspection=inspection,
        role="it",
        interviewee="张工 信息部经理",
        record="系统上线两年，数据按日采集。",
        by=experts[0],
    )
    verifications = list(team.verifications.all())
    verified = grade_verified(version, verifications)
    return Proposal.objects.create(
        application=app,
        team=team,
        level=level if level is not None else verified["level"],
        score=Decimal(verified["score"]),
        opinion=opinion,
        self_result=version.result,
        verified_result=verified,
        comparison=comparison(version, verifications, verified),
        submitted_at=timezone.now() - timedelta(minutes=1),
        submitted_by=admin,
    )


def approve(app, *, by, level=None):
    proposal = app.proposals.first()
    Application.objects.filter(pk=app.pk).update(state=ApplicationState.APPROVED)
    app.refresh_from_db()
    return Grade.objects.create(
        application=app,
        enterprise=app.enterprise,
        holder_name=app.enterprise.name,
        holder_credit_code=app.enterprise.credit_code,
        edition=app.assessment.edition,
        level=level or proposal.level,
        score=proposal.score,
        certificate_number=f"SYDL-2026-{app.pk:04d}",
        approved_at=timezone.now(),
        approved_by=by,
    )
