"""List pages keep a constant number of queries whatever the number of rows (issue 9 §6): each page is opened
with 1 and with 3 items, and the two counts must be the same (and stay under a ceiling)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experts import services as review
from experts.models import ConflictKind
from experts.rules import active_team
from supervision import services as bureau_services
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def assert_constant(counts: dict[int, int], ceiling: int) -> None:
    assert counts[1] == counts[3], counts
    assert counts[3] <= ceiling, counts


def _assigned_case(personas, n):
    ent = factories.enterprise(f"查询计数企业{n}")
    app = factories.application(ent, state="assigned", agency=personas.agency)
    review.form_team(
        application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
    )
    return app


def test_expert_home(personas, client_for):
    counts = {}
    made = 0
    for n in (1, 3):
        while made < n:
            app = _assigned_case(personas, made)
            # One declared (waiting), one not: the rows differ in what is pending.
            if made % 2 == 0:
                member = active_team(app).members.get(expert=personas.expert)
                review.declare(member=member, by=personas.expert, kind=ConflictKind.NONE)
            made += 1
        counts[n] = queries(client_for(personas.expert), reverse("experts:home"))
    assert_constant(counts, ceiling=25)


def test_agency_home(personas, client_for):
    counts = {}
    made = 0
    for n in (1, 3):
        while made < n:
            _assigned_case(personas, made)
            made += 1
        counts[n] = queries(client_for(personas.agency_admin), reverse("experts:home"))
    assert_constant(counts, ceiling=25)


def test_enterprise_home(personas, client_for):
    """Each application row shows its reports (documents' case_reports): read for all rows at once. Beside one
    approved application (a grade, a certificate), 1 and then 3 finished ones."""
    helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    counts = {}
    made = 0
    for n in (1, 3):
        while made < n:
            factories.application(personas.enterprise, state="withdrawn", by=personas.owner)
            made += 1
        counts[n] = queries(client_for(personas.owner), reverse("assessments:home"))
    assert_constant(counts, ceiling=60)


def _graded(personas, n):
    for i in range(n):
        helpers.approved(
            factories.enterprise(f"抽验计数企业{i}"),
            agency=personas.agency,
            admin=personas.agency_admin,
            bureau=personas.bureau,
        )


def _sampled(personas, size, *, team=False):
    sample = bureau_services.draw_sample(by=personas.bureau, population_filter={}, size=size, seed=size)
    for recheck in sample.rechecks.all():
        bureau_services.assign_recheck_agency(
            recheck=recheck, agency=personas.other_agency, by=personas.bureau
        )
        if team:
            bureau_services.form_recheck_team(
                recheck=recheck, by=personas.other_agency_admin, lead=personas.other_expert
            )
    return sample


def test_sample_page(personas, client_for):
    _graded(personas, 3)
    bureau = client_for(personas.bureau)
    counts = {
        n: queries(bureau, reverse("supervision:sample", args=[_sampled(personas, n).pk])) for n in (1, 3)
    }
    assert_constant(counts, ceiling=30)


@pytest.mark.parametrize("who", ["other_agency_admin", "other_expert"])
def test_recheck_list(personas, client_for, who):
    _graded(personas, 3)
    c = client_for(getattr(personas, who))
    counts = {}
    _sampled(personas, 1, team=True)
    counts[1] = queries(c, reverse("recheck:list"))
    _sampled(personas, 2, team=True)
    counts[3] = queries(c, reverse("recheck:list"))
    assert_constant(counts, ceiling=25)
