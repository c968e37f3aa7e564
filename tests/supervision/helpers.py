"""Building cases for the bureau's tests: applications in any state, with the engine's real results."""

import datetime
import io
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.engine import grade_json
from assessments.models import Application, ApplicationState
from core.models import BackgroundJob, JobState
from experts.models import MemberRole, Team, TeamMember, TeamPurpose
from tests import factories


def result(level: int) -> dict:
    return grade_json(factories.answer_set(level))


def application(
    enterprise, *, state=ApplicationState.SUBMITTED, level=2, agency=None, by=None
) -> Application:
    """The shared factory's application, with due dates when it is with an agency (test set-up only)."""
    app = factories.application(enterprise, state=state, level=level, agency=agency, by=by)
    app.submitted_at = app.pledge_at = timezone.now() - datetime.timedelta(days=3)
    if agency is not None:
        today = timezone.localdate()
        app.review_due, app.site_due, app.proposal_due = (
            today + datetime.timedelta(days=d) for d in (5, 10, 15)
        )
    app.save()
    return app


def proposal(app, *, admin, level=None, lead=None):
    """A review team and its submitted proposal, in the shape the experts app freezes (RULES.md §6 results)."""
    from experts.models import Proposal

    self_result = app.versions.get(number=1).result
    verified_level = level if level is not None else self_result["level"]
    verified = result(verified_level)
    team = Team.objects.create(
        application=app, agency_id=app.agency_id, purpose=TeamPurpose.REVIEW, created_by=admin
    )
    if lead is not None:
        TeamMember.objects.create(
            team=team, expert=lead, role=MemberRole.LEAD, declared_at=timezone.now(), conflict="none"
        )
    items = [
        {
            "code": c,
            "title": c,
            "self_answer": None,
            "verified_answer": None,
            "self_points": self_result["items"][c],
            "verified_points": verified["items"][c],
            "changed": self_result["items"][c] != verified["items"][c],
            "reason": "现场核实" if self_result["items"][c] != verified["items"][c] else "",
        }
        for c in self_result["items"]
    ]
    scen = [
        {
            "code": c,
            "name": c,
            "constrained": False,
            "self_level": self_result["scenario_levels"][c],
            "verified_level": verified["scenario_levels"][c],
            "changed": self_result["scenario_levels"][c] != verified["scenario_levels"][c],
            "reason": "现场核实"
            if self_result["scenario_levels"][c] != verified["scenario_levels"][c]
            else "",
        }
        for c in self_result["scenario_levels"]
    ]
    return Proposal.objects.create(
        application=app,
        team=team,
        level=verified["level"],
        score=Decimal(verified["score"]),
        opinion="资料齐全，现场查验属实。",
        self_result=self_result,
        verified_result=verified,
        comparison={
            "items": items,
            "scenarios": scen,
            "totals": {
                "self_score": self_result["score"],
                "verified_score": verified["score"],
                "self_level": self_result["level"],
                "verified_level": verified["level"],
                "dimensions": {
                    d: {"self": self_result["dimensions"][d], "verified": verified["dimensions"][d]}
                    for d in self_result["dimensions"]
                },
            },
        },
        submitted_at=timezone.now(),
        submitted_by=admin,
    )


def approved(enterprise, *, agency, admin, bureau, level=2):
    """An application approved through the lifecycle (so it has a real Grade and certificate number)."""
    from assessments.lifecycle import transition

    app = application(enterprise, state=ApplicationState.PROPOSED, level=level, agency=agency)
    proposal(app, admin=admin)
    transition(app, "approve", by=bureau)
    app.refresh_from_db()
    return app


def export_book(client, name: str, params: dict | None = None):
    """Start the background export `name` from a page with these filters, as the client's user (the task runs
    in process at the commit), and open the workbook it stored."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("documents:export", args=[name]), params or {})
    assert response.status_code == 302, response.status_code
    job = BackgroundJob.objects.filter(kind="export").latest("id")
    assert job.state == JobState.DONE, job.message
    download = client.get(reverse("documents:export_download", args=[job.pk]))
    assert download.status_code == 200
    return load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def export_bytes(client, name: str, params: dict | None = None) -> bytes:
    """The stored file of a background export (see export_book), as bytes."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("documents:export", args=[name]), params or {})
    job = BackgroundJob.objects.filter(kind="export").latest("id")
    return b"".join(client.get(reverse("documents:export_download", args=[job.pk])).streaming_content)
