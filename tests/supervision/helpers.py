"""Building cases for the bureau's tests: applications in any state, with the engine's real results."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.engine import grade_json
from assessments.models import Application, ApplicationState, ApplicationVersion, Assessment
from experts.models import MemberRole, Team, TeamMember, TeamPurpose

_numbers = itertools.count(1)
EDITION = "shunyi-2024"


@pytest.fixture(autouse=True)
def application_url(settings):
    try:
        reverse("assessments:application", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.supervision.urls"


def answers(level: int) -> dict:
    """Complete answers that the engine grades at `level` (2..4) with all scenarios at that level."""
    ans = {f"Q{i}": min(level, 2) if i >= 12 else level for i in range(1, 16)}
    for code in ("Q1", "Q6", "Q7", "Q9", "Q10"):
        ans[code] = list(range(1, level + 1))
    ans["Q4"] = list(range(1, level * 3 + 1))
    return ans


def scenarios(level: int) -> dict:
    return {f"S{i:02d}": [n < level for n in range(4)] for i in range(1, 17)}


def result(level: int) -> dict:
    return grade_json({"framework": EDITION, "answers": answers(level), "scenarios": scenarios(level)})


def application(enterprise, *, state=ApplicationState.SUBMITTED, level=2, agency=None, by=None,
                submitted_at=None) -> Application:
    """An application already in `state` (test set-up only; the code under test changes states with transition)."""
    res = result(level)
    assessment = Assessment.objects.create(enterprise=enterprise, edition=EDITION, answers=answers(level),
                                           scenarios=scenarios(level), data={}, score=Decimal(res["score"]),
                                           level=res["level"])
    now = submitted_at or timezone.now() - datetime.timedelta(days=3)
    app = Application.objects.create(
        number=f"SY2026{next(_numbers):04d}", enterprise=enterprise, kind="initial", assessment=assessment,
        state=state, self_level=res["level"], pledge_at=now, submitted_at=now, agency=agency,
    )
    if agency is not None:
        today = timezone.localdate()
        app.review_due, app.site_due, app.proposal_due = (today + datetime.timedelta(days=d) for d in (5, 10, 15))
        app.save()
    submitter = by or enterprise.staff.first()
    if submitter is None:
        from tests import factories

        submitter = factories.enterprise_user(f"staff-{app.number}", enterprise)
    ApplicationVersion.objects.create(
        application=app, number=1, edition=EDITION, answers=answers(level), scenarios=scenarios(level), data={},
        result=res, evidence=[], profile={"name": enterprise.name}, pledge_at=now, submitted_at=now,
        submitted_by=submitter,
    )
    return app


def proposal(app, *, admin, level=None, lead=None):
    """A review team and its submitted proposal, in the shape the experts app freezes (RULES.md §6 results)."""
    from experts.models import Proposal

    self_result = app.versions.get(number=1).result
    verified_level = level if level is not None else self_result["level"]
    verified = result(verified_level)
    team = Team.objects.create(application=app, agency_id=app.agency_id, purpose=TeamPurpose.REVIEW,
                               created_by=admin)
    if lead is not None:
        TeamMember.objects.create(team=team, expert=lead, role=MemberRole.LEAD, declared_at=timezone.now(),
                                  conflict="none")
    items = [{"code": c, "title": c, "self_answer": None, "verified_answer": None,
              "self_points": self_result["items"][c], "verified_points": verified["items"][c],
              "changed": self_result["items"][c] != verified["items"][c], "reason": "现场核实" if
              self_result["items"][c] != verified["items"][c] else ""} for c in self_result["items"]]
    scen = [{"code": c, "name": c, "constrained": False, "self_level": self_result["scenario_levels"][c],
             "verified_level": verified["scenario_levels"][c],
             "changed": self_result["scenario_levels"][c] != verified["scenario_levels"][c], "reason": ""}
            for c in self_result["scenario_levels"]]
    return Proposal.objects.create(
        application=app, team=team, level=verified["level"], score=Decimal(verified["score"]),
        opinion="资料齐全，现场查验属实。", self_result=self_result, verified_result=verified,
        comparison={"items": items, "scenarios": scen, "totals": {
            "self_score": self_result["score"], "verified_score": verified["score"],
            "self_level": self_result["level"], "verified_level": verified["level"],
            "dimensions": {d: {"self": self_result["dimensions"][d], "verified": verified["dimensions"][d]}
                           for d in self_result["dimensions"]}}},
        submitted_at=timezone.now(), submitted_by=admin,
    )


def approved(enterprise, *, agency, admin, bureau, level=2):
    """An application approved through the lifecycle (so it has a real Grade and certificate number)."""
    from assessments.lifecycle import transition

    app = application(enterprise, state=ApplicationState.PROPOSED, level=level, agency=agency)
    proposal(app, admin=admin)
    transition(app, "approve", by=bureau)
    app.refresh_from_db()
    return app
