"""Every main page asks the database a fixed number of questions, whatever the amount of data (issue 12):
each page is measured with a few items, then with more, and the count must not move (nor pass its bound)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import ApplicationState as S
from core.audit import record
from experts import services as expert_services
from experts.models import ConflictKind, TeamMember
from supervision import services as supervision_services
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db

_seq = iter(range(10_000))


def queries(client, url) -> int:
    client.get(url)  # warm the session and the caches of the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def ent():
    return factories.enterprise(f"计数企业{next(_seq)}", industry="industrial")


def add_bureau_cases(personas, n):
    for _ in range(n):
        helpers.application(ent(), state=S.SUBMITTED)
        helpers.application(ent(), state=S.ACCEPTED)
        late = helpers.application(ent(), state=S.IN_REVIEW, agency=personas.agency)
        late.review_due = timezone.localdate() - datetime.timedelta(days=2)
        late.save()
        helpers.approved(ent(), agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)
        record(actor=personas.bureau, action="roster.add", params={"name": "企业"})


def add_expert_cases(personas, n):
    for _ in range(n):
        app = factories.application(ent(), state="assigned", level=3, agency=personas.agency)
        expert_services.form_team(
            application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
        )
        member = TeamMember.objects.get(team__application=app, expert=personas.expert)
        expert_services.declare(member=member, by=personas.expert, kind=ConflictKind.NONE)


def add_other_enterprises(personas, n):
    for _ in range(n):
        helpers.application(ent(), state=S.SUBMITTED)
        helpers.approved(ent(), agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)


def add_samples(personas, n):
    for _ in range(n):
        helpers.approved(ent(), agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)
    sample = supervision_services.draw_sample(by=personas.bureau, population_filter={}, size=n, seed=n)
    for recheck in sample.rechecks.all():
        supervision_services.assign_recheck_agency(
            recheck=recheck, agency=personas.other_agency, by=personas.bureau
        )
    return sample


BUREAU_PAGES = [
    ("supervision:home", 11),
    ("supervision:applications", 6),
    ("supervision:audit", 6),
    ("supervision:commissioning", 11),
    ("supervision:intake", 6),
    ("supervision:approvals", 6),
    ("supervision:samples", 8),
]


@pytest.mark.parametrize(("name", "bound"), BUREAU_PAGES)
def test_bureau_pages(personas, client_for, name, bound):
    c = client_for(personas.bureau)
    add_bureau_cases(personas, 1)
    few = queries(c, reverse(name))
    add_bureau_cases(personas, 3)
    assert queries(c, reverse(name)) == few <= bound


def test_the_application_list_deep_and_filtered(personas, client_for):
    c = client_for(personas.bureau)
    add_bureau_cases(personas, 1)
    url = reverse("supervision:applications")
    few = [queries(c, f"{url}?state=submitted&q=计数"), queries(c, f"{url}?after=1.1")]
    add_bureau_cases(personas, 3)
    assert [queries(c, f"{url}?state=submitted&q=计数"), queries(c, f"{url}?after=1.1")] == few


def test_expert_and_agency_home(personas, client_for):
    add_expert_cases(personas, 1)
    expert, admin = client_for(personas.expert), client_for(personas.agency_admin)
    url = reverse("experts:home")
    few = (queries(expert, url), queries(admin, url))
    add_expert_cases(personas, 4)
    assert (queries(expert, url), queries(admin, url)) == few
    assert few[0] <= 8


def test_enterprise_home(personas, client_for):
    """Constant in the platform's size (an enterprise's own few applications each add their rows)."""
    c = client_for(personas.owner)
    factories.application(personas.enterprise, state="withdrawn", level=2, by=personas.owner)
    add_other_enterprises(personas, 1)
    few = queries(c, reverse("assessments:home"))
    add_other_enterprises(personas, 3)
    assert queries(c, reverse("assessments:home")) == few


def test_sample_page_and_recheck_list(personas, client_for):
    bureau, other = client_for(personas.bureau), client_for(personas.other_agency_admin)
    small = add_samples(personas, 1)
    few = (
        queries(bureau, reverse("supervision:sample", args=[small.pk])),
        queries(other, reverse("recheck:list")),
    )
    large = add_samples(personas, 4)
    many = (
        queries(bureau, reverse("supervision:sample", args=[large.pk])),
        queries(other, reverse("recheck:list")),
    )
    assert many == few


def test_verify_page(personas, client):
    apps = [
        helpers.approved(ent(), agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)
        for _ in range(3)
    ]
    counts = {queries(client, reverse("verify:number", args=[a.grade.certificate_number])) for a in apps}
    assert len(counts) == 1 and counts.pop() <= 3
