"""The enterprise's home says what to do next: a pending supplement request (with its deadline and where to
answer), and after a revocation what happened and why — not only "不在试点名单中"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RosterEntry
from assessments.lifecycle import transition
from assessments.models import ApplicationState
from experts.models import SupplementRequest, Team
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def test_a_pending_supplement_request_is_on_the_home_s_todo(personas, client_for):
    app = helpers.application(personas.enterprise, state=ApplicationState.IN_REVIEW, agency=personas.agency)
    team = Team.objects.create(application=app, agency=personas.agency, created_by=personas.agency_admin)
    due = timezone.localdate() + datetime.timedelta(days=7)
    s = SupplementRequest.objects.create(
        team=team,
        application=app,
        codes=["Q2"],
        message="请补充设备台账",
        deadline=due,
        requested_by=personas.expert,
    )
    body = client_for(personas.owner).get(reverse("assessments:home")).content.decode()
    assert 'data-testid="todo-supplement"' in body and "请补充设备台账" in body
    assert due.strftime("%Y-%m-%d") in body and reverse("experts:supplement_reply", args=[s.pk]) in body
    assert '<span class="badge text-bg-primary" data-testid="todo-count">1</span>' in body


def test_after_revocation_the_home_says_what_happened_and_why(personas, client_for):
    RosterEntry.objects.create(credit_code=personas.enterprise.credit_code, name=personas.enterprise.name)
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    transition(
        app, "revoke", by=personas.bureau, reason="提供虚假材料", basis="false_material", basis_text="x"
    )
    body = client_for(personas.owner).get(reverse("assessments:home")).content.decode()
    assert 'data-testid="revoked"' in body and "已被撤销" in body and "提供虚假材料" in body
    assert 'data-testid="not-on-roster"' not in body
