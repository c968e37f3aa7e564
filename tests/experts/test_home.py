"""The experts' home: experts see their assignments (declaration first), agency admins the agency's queue with
due dates and overdue stages; the enterprise sees its supplement requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts import services
from experts.models import ConflictKind, TeamMember

pytestmark = pytest.mark.django_db


def test_expert_home_lists_declaration_first_without_the_name(personas, team_case, client_for):
    body = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert team_case.number in body and "请先作利益冲突声明" in body
    assert personas.enterprise.name not in body
    services.declare(
        member=TeamMember.objects.get(expert=personas.expert), by=personas.expert, kind=ConflictKind.NONE
    )
    body = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert personas.enterprise.name in body and "等待机构启动资料审核" in body
    assert (
        team_case.number
        not in client_for(personas.other_expert).get(reverse("experts:home")).content.decode()
    )


def test_agency_queue_shows_overdue_stages(personas, team_case, client_for, django_assert_max_num_queries):
    team_case.review_due = timezone.localdate() - timedelta(days=1)
    team_case.proposal_due = timezone.localdate() + timedelta(days=9)
    team_case.save()
    c = client_for(personas.agency_admin)
    with django_assert_max_num_queries(12):
        body = c.get(reverse("experts:home")).content.decode()
    assert personas.enterprise.name in body and "资料审核已逾期" in body and "陈专家" in body
    other = client_for(personas.other_agency_admin).get(reverse("experts:home")).content.decode()
    assert team_case.number not in other


def test_enterprise_sees_its_supplement_requests(personas, team_case, client_for):
    from assessments.lifecycle import transition
    from experts.rules import get_case

    for e in (personas.expert, personas.expert2):
        services.declare(member=TeamMember.objects.get(expert=e), by=e, kind=ConflictKind.NONE)
    transition(team_case, "start_review", by=personas.agency_admin)
    services.request_supplement(
        case=get_case(personas.expert, team_case.pk),
        by=personas.expert,
        codes=["Q5"],
        message="请补充ERP系统截图",
        deadline=timezone.localdate() + timedelta(days=2),
    )
    body = client_for(personas.colleague).get(reverse("experts:enterprise_supplements")).content.decode()
    assert "请补充ERP系统截图" in body and "待补充" in body
    assert (
        "请补充ERP系统截图"
        not in client_for(personas.outsider).get(reverse("experts:enterprise_supplements")).content.decode()
    )
    assert client_for(personas.expert).get(reverse("experts:enterprise_supplements")).status_code == 404
