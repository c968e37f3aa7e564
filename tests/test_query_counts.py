"""List pages keep a constant number of queries whatever the number of rows (issue 9 §6): each page is opened
with 1 and with 3 items, and the two counts must be the same (and stay under a ceiling)."""

# (issue 12's imports)
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import ApplicationState as S
from core.audit import record
from experts import services as expert_services
from experts import services as review
from experts.models import ConflictKind, TeamMember
from experts.rules import active_team
from supervision import services as bureau_services
from supervision import services as supervision_services
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


# ---- issue 12: the main pages at two data sizes (each measured after a warm-up request) ----------------


def warm_queries(client, url) -> int:
    client.get(url)  # warm the session and the caches of the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


_seq = iter(range(10_000))


def warm_warm_queries(client, url) -> int:
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


# Each bureau page also counts the menu's 待办 (supervision.todo.bureau_todo): three queries, whatever the data.
BUREAU_PAGES = [
    ("supervision:home", 14),
    ("supervision:applications", 9),
    ("supervision:audit", 9),
    ("supervision:commissioning", 14),
    ("supervision:intake", 9),
    ("supervision:approvals", 9),
    ("supervision:samples", 11),
]


@pytest.mark.parametrize(("name", "bound"), BUREAU_PAGES)
def test_bureau_pages(personas, client_for, name, bound):
    c = client_for(personas.bureau)
    add_bureau_cases(personas, 1)
    few = warm_queries(c, reverse(name))
    add_bureau_cases(personas, 3)
    assert warm_queries(c, reverse(name)) == few <= bound


def test_the_application_list_deep_and_filtered(personas, client_for):
    c = client_for(personas.bureau)
    add_bureau_cases(personas, 1)
    url = reverse("supervision:applications")
    few = [warm_queries(c, f"{url}?state=submitted&q=计数"), warm_queries(c, f"{url}?after=1.1")]
    add_bureau_cases(personas, 3)
    assert [warm_queries(c, f"{url}?state=submitted&q=计数"), warm_queries(c, f"{url}?after=1.1")] == few


def test_expert_and_agency_home_with_more_cases(personas, client_for):
    add_expert_cases(personas, 1)
    expert, admin = client_for(personas.expert), client_for(personas.agency_admin)
    url = reverse("experts:home")
    few = (warm_queries(expert, url), warm_queries(admin, url))
    add_expert_cases(personas, 4)
    assert (warm_queries(expert, url), warm_queries(admin, url)) == few
    assert few[0] <= 8


def test_enterprise_home_in_a_larger_platform(personas, client_for):
    """Constant in the platform's size (an enterprise's own few applications each add their rows)."""
    c = client_for(personas.owner)
    factories.application(personas.enterprise, state="withdrawn", level=2, by=personas.owner)
    add_other_enterprises(personas, 1)
    few = warm_queries(c, reverse("assessments:home"))
    add_other_enterprises(personas, 3)
    assert warm_queries(c, reverse("assessments:home")) == few


def test_sample_page_and_recheck_list(personas, client_for):
    bureau, other = client_for(personas.bureau), client_for(personas.other_agency_admin)
    small = add_samples(personas, 1)
    few = (
        warm_queries(bureau, reverse("supervision:sample", args=[small.pk])),
        warm_queries(other, reverse("recheck:list")),
    )
    large = add_samples(personas, 4)
    many = (
        warm_queries(bureau, reverse("supervision:sample", args=[large.pk])),
        warm_queries(other, reverse("recheck:list")),
    )
    assert many == few


def test_verify_page(personas, client):
    apps = [
        helpers.approved(ent(), agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau)
        for _ in range(3)
    ]
    counts = {warm_queries(client, reverse("verify:number", args=[a.grade.certificate_number])) for a in apps}
    assert counts == {1}  # the grade, its successor and its certificate files in one query


# ---- issue 11: each role's 待办 (supervision.todo), the box on the home and the menu count --------------------


def todo_queries(user) -> int:
    from supervision.todo import todo_for

    with CaptureQueriesContext(connection) as ctx:
        todo_for(user)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "add", "bound"),
    [("bureau", add_bureau_cases, 3), ("agency_admin", add_expert_cases, 4), ("expert", add_expert_cases, 2)],
)
def test_todo_counts_in_constant_queries(personas, who, add, bound):
    user = getattr(personas, who)
    add(personas, 1)
    few = todo_queries(user)
    add(personas, 3)
    assert todo_queries(user) == few <= bound


def test_the_filtered_dashboard(personas, client_for):
    """Filtered by an industry, by a period of whole months (the cells alone), by a period with ragged edges
    (the cells and one aggregate over the edges' grades): the same queries with 1 and with 4 times the cases."""
    c = client_for(personas.bureau)
    today = timezone.localdate()
    year = today.replace(month=1, day=1)
    # From the 15th of the month before last to a few days ahead: last month whole, both ends ragged.
    ragged = (
        (today.replace(day=1) - datetime.timedelta(days=45)).replace(day=15),
        today + datetime.timedelta(days=3),
    )
    url = reverse("supervision:home")
    paths = [
        f"{url}?industry=industrial",
        f"{url}?start={year.isoformat()}",
        f"{url}?start={ragged[0].isoformat()}&end={ragged[1].isoformat()}",
    ]
    add_bureau_cases(personas, 1)
    few = [warm_queries(c, p) for p in paths]
    add_bureau_cases(personas, 3)
    assert [warm_queries(c, p) for p in paths] == few
    assert few[2] == few[1] + 1 <= 15  # the edges' one aggregate
