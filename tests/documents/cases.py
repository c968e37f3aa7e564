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
    team = Team.objects.create(application=app, agency=admin.agency, created_by=admin)
    for n, expert in enumerate(experts):
        TeamMember.objects.create(
            team=team,
            expert=expert,
            role=MemberRole.LEAD if n == 0 else MemberRole.MEMBER,
            declared_at=timezone.now(),
            conflict=ConflictKind.NONE,
        )
    version = app.versions.get(number=1)
    ed = get_edition(version.edition)
    verified_answers = dict(version.answers)
    first = ed.items[0]
    verified_answers[first.code] = [1] if first.is_multi else 1
    verified = grade_partial(ed.code, verified_answers, version.scenarios, {}).to_json()
    items = [
        {
            "code": i.code,
            "title": i.name,
            "self_answer": str(version.answers[i.code]),
            "verified_answer": str(verified_answers[i.code]),
            "self_points": version.result["items"][i.code],
            "verified_points": verified["items"][i.code],
            "changed": version.answers[i.code] != verified_answers[i.code],
            "reason": "现场查验未见相应系统" if version.answers[i.code] != verified_answers[i.code] else "",
        }
        for i in ed.items
    ]
    scenarios = [
        {
            "code": s.code,
            "name": s.name,
            "constrained": s.constrained,
            "self_level": version.result["scenario_levels"][s.code],
            "verified_level": verified["scenario_levels"][s.code],
            "changed": False,
            "reason": "",
        }
        for s in ed.scenarios
    ]
    return Proposal.objects.create(
        application=app,
        team=team,
        level=level if level is not None else verified["level"],
        score=Decimal(verified["score"]),
        opinion=opinion,
        self_result=version.result,
        verified_result=verified,
        comparison={
            "items": items,
            "scenarios": scenarios,
            "totals": {"self": version.result["score"], "verified": verified["score"]},
        },
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
        level=level or proposal.level,
        score=proposal.score,
        certificate_number=f"SYDL-2026-{app.pk:04d}",
        approved_at=timezone.now(),
        approved_by=by,
    )
