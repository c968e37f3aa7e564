"""Demo reports: for a few demo cases, the reports each one holds (自评报告 once submitted, 评测报告 once
proposed, 等级证书 once approved), rendered in process (the same task, run with `.apply`), so the demo shows
them whether or not a worker runs. Idempotent: a report is keyed by its content, a second run adds nothing.

If the earlier apps' demos made no submitted case for demo-enterprise, one is made here (an application with
a frozen version graded by the engine), so the enterprise home has a 自评报告 to download."""

from django.utils import timezone

from .models import ReportKind

MAX_CASES = 4


def _ensure_case(out):
    from accounts.demo import enterprise
    from accounts.models import User
    from assessments.engine import grade_partial
    from assessments.framework import get_edition
    from assessments.models import Application, ApplicationState, ApplicationVersion, Assessment

    ent = enterprise(0)
    if Application.objects.filter(enterprise=ent, versions__isnull=False).exists():
        return
    owner = User.objects.filter(enterprise=ent, is_active=True).order_by("pk").first()
    if owner is None:
        return
    ed = get_edition()
    answers = {
        i.code: (list(range(1, len(i.options) - 1)) if i.is_multi else len(i.options) - 2) for i in ed.items
    }
    scenarios = {s.code: [True, True, n % 4 != 0, False] for n, s in enumerate(ed.scenarios)}
    result = grade_partial(ed.code, answers, scenarios, {}).to_json()
    now = timezone.now()
    assessment = Assessment.objects.create(
        enterprise=ent,
        edition=ed.code,
        answers=answers,
        scenarios=scenarios,
        data={},
        score=result["score"],
        level=result["level"],
        updated_by=owner,
    )
    app = Application.objects.create(
        number=f"DEMO-{now:%Y}-0001",
        enterprise=ent,
        kind="initial",
        assessment=assessment,
        state=ApplicationState.SUBMITTED,
        self_level=result["level"],
        pledge_at=now,
        submitted_at=now,
    )
    ApplicationVersion.objects.create(
        application=app,
        number=1,
        edition=ed.code,
        answers=answers,
        scenarios=scenarios,
        data={},
        result=result,
        evidence=[],
        profile={"name": ent.name},
        pledge_at=now,
        submitted_at=now,
        submitted_by=owner,
    )
    out.write(f"  documents: demo case {app.number} for {ent.name}")


def seed(out) -> None:
    from assessments.models import Application
    from supervision.models import Grade

    from .reports import current_proposal
    from .tasks import render_report

    _ensure_case(out)
    made = 0
    cases = (
        Application.objects.filter(versions__isnull=False)
        .distinct()
        .select_related("enterprise")
        .order_by("pk")
    )
    for app in cases[:MAX_CASES]:
        kinds = [ReportKind.SELF]
        if current_proposal(app) is not None:
            kinds.append(ReportKind.REVIEW)
        if Grade.objects.filter(application=app, revoked_at__isnull=True).exists():
            kinds.append(ReportKind.CERTIFICATE)
        for kind in kinds:
            before = app.reports.filter(kind=kind).count()
            render_report.apply(kwargs={"application_id": app.pk, "kind": kind})
            made += app.reports.filter(kind=kind).count() - before
    out.write(f"  documents: {made} demo report(s) rendered")
