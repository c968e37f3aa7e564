"""Demo reports: for a few demo cases, the reports each one holds (自评报告 once submitted, 评测报告 once
proposed, 等级证书 once approved), rendered in process (the same task, run with `.apply`), so the demo shows
them whether or not a worker runs. Idempotent: a report is keyed by its content, a second run adds nothing.
The cases are the earlier apps' demo cases (assessments, experts, supervision)."""

from assessments.models import Application
from supervision.models import Grade

from .models import ReportKind
from .reports import current_proposal
from .tasks import render_report

MAX_CASES = 4


def seed(out) -> None:

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
