"""Every role's 待办 (issue 11): the box on the home and the count in the menu (supervision.todo)."""

import pytest
from django.urls import reverse

from assessments.models import ApplicationState as S
from experts import services as review
from supervision import services
from supervision.models import RecheckOutcome
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def _count(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[page.index(">", start) + 1 : page.index("<", start)].strip()


def test_the_bureau_sees_intake_approvals_and_rechecks_to_decide(personas, client_for):
    helpers.application(factories.enterprise("待受理企业"), state=S.SUBMITTED)
    helpers.application(factories.enterprise("待受理企业二"), state=S.SUBMITTED)
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    sample = services.draw_sample(by=personas.bureau, population_filter={}, size=1, seed=3)
    recheck = sample.rechecks.get()
    services.record_recheck_outcome(
        recheck=recheck, by=personas.other_expert, outcome=RecheckOutcome.CONFIRMED, notes="一致"
    )
    page = client_for(personas.bureau).get(reverse("supervision:home")).content.decode()
    assert 'data-testid="todo-intake"' in page and 'data-testid="todo-recheck"' in page
    assert reverse("supervision:sample", args=[sample.pk]) in page
    assert _count(page, "todo-count") == "3" and _count(page, "nav-todo-count") == "3"
    services.decide_recheck(recheck=recheck, by=personas.bureau, decision="confirm", reason="一致")
    page = client_for(personas.bureau).get(reverse("supervision:intake")).content.decode()
    assert _count(page, "nav-todo-count") == "2"  # the menu count on every page
    assert app.grade.is_valid


def test_the_agency_sees_teams_to_form_and_the_expert_declarations_to_make(personas, client_for):
    waiting = factories.application(
        factories.enterprise("待组建企业"), state="assigned", agency=personas.agency
    )
    page = client_for(personas.agency_admin).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-team"' in page and _count(page, "nav-todo-count") == "1"
    review.form_team(application=waiting, by=personas.agency_admin, lead=personas.expert, members=[])
    page = client_for(personas.agency_admin).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-team"' not in page and 'data-testid="nav-todo-count"' not in page
    page = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-declare"' in page and _count(page, "nav-todo-count") == "1"
    assert (
        "当前没有需要您办理的事项"
        in client_for(personas.expert2).get(reverse("experts:home")).content.decode()
    )


def test_an_expert_who_confirmed_the_proposal_has_nothing_left_on_the_case(personas, client_for):
    from assessments.lifecycle import transition
    from experts.models import ConflictKind, TeamMember
    from experts.rules import get_case

    app = helpers.application(
        personas.enterprise, state=S.ASSIGNED, level=3, agency=personas.agency, by=personas.owner
    )
    review.form_team(
        application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
    )
    for e in (personas.expert, personas.expert2):
        review.declare(member=TeamMember.objects.get(expert=e), by=e, kind=ConflictKind.NONE)
    transition(app, "start_review", by=personas.agency_admin)
    review.save_opinion(case=get_case(personas.expert, app.pk), by=personas.expert, text="属实", level=3)
    page = client_for(personas.expert2).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-confirm"' in page and _count(page, "nav-todo-count") == "1"
    review.confirm(case=get_case(personas.expert2, app.pk), by=personas.expert2)
    page = client_for(personas.expert2).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-' not in page.replace('data-testid="todo-count"', "")
    assert 'data-testid="nav-todo-count"' not in page
    # The lead, who has not confirmed yet, still has it to do.
    page = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-confirm"' in page


def test_an_experts_review_becomes_an_inspection_on_site(personas, client_for):
    """The 待办 counts (one grouped query) follow the case: review while in review, inspection on site; the home's
    rows say the same."""
    from assessments.lifecycle import transition
    from experts.models import ConflictKind, TeamMember

    app = helpers.application(
        personas.enterprise, state=S.ASSIGNED, level=3, agency=personas.agency, by=personas.owner
    )
    review.form_team(application=app, by=personas.agency_admin, lead=personas.expert, members=[])
    review.declare(
        member=TeamMember.objects.get(expert=personas.expert), by=personas.expert, kind=ConflictKind.NONE
    )
    page = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-' not in page.replace('data-testid="todo-count"', "")  # waiting for the agency
    assert "等待机构启动资料审核" in page
    transition(app, "start_review", by=personas.agency_admin)
    page = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-review"' in page and _count(page, "nav-todo-count") == "1"
    assert "待审核、核定" in page
    type(app).objects.filter(pk=app.pk).update(
        state=S.ON_SITE
    )  # the site visit set up (its guard: not tested here)
    page = client_for(personas.expert).get(reverse("experts:home")).content.decode()
    assert 'data-testid="todo-inspection"' in page and 'data-testid="todo-review"' not in page
    assert _count(page, "nav-todo-count") == "1"
