"""The two 500s of the attack run (issue 10 §9), reproduced first: the agencies' re-check list, and four
concurrent "start application" requests."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessments import submission
from assessments.demo import ensure_roster
from assessments.models import Application
from assessments.services import working_assessment
from supervision import services
from tests import factories
from tests.assessments.conftest import fill
from tests.supervision import helpers


@pytest.mark.django_db
def test_the_recheck_list_opens_for_the_rechecking_agency_and_its_experts(personas, client_for):
    graded = [
        helpers.approved(
            factories.enterprise(f"复核列表企业{i}"),
            agency=personas.agency,
            admin=personas.agency_admin,
            bureau=personas.bureau,
            level=3,
        )
        for i in range(3)
    ]
    sample = services.draw_sample(
        by=personas.bureau, population_filter={"agencies": [personas.agency.pk]}, size=2, seed=7
    )
    first, second = sample.rechecks.order_by("position")
    bureau = client_for(personas.bureau)
    for r in (first, second):
        bureau.post(reverse("supervision:recheck_assign", args=[r.pk]), {"agency": personas.other_agency.pk})
    admin = client_for(personas.other_agency_admin)
    admin.post(
        reverse("recheck:detail", args=[first.pk]), {"action": "team", "lead": personas.other_expert.pk}
    )
    names = {r.grade.enterprise.name for r in (first, second)}
    assert len(graded) == 3 and len(names) == 2

    r = admin.get(reverse("recheck:list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert all(name in body for name in names)
    expert = client_for(personas.other_expert)
    r = expert.get(reverse("recheck:list"))
    assert r.status_code == 200
    # Before the conflict-of-interest declaration the expert sees the task, not whose grade it is.
    assert not any(name in r.content.decode() for name in names)
    expert.post(reverse("recheck:declare", args=[first.pk]), {"conflict": "none"})
    r = expert.get(reverse("recheck:list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert first.grade.enterprise.name in body and second.grade.enterprise.name not in body
    # The grading agency's admin has nothing to re-check: an empty list, not an error.
    r = client_for(personas.agency_admin).get(reverse("recheck:list"))
    assert r.status_code == 200 and not any(name in r.content.decode() for name in names)


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks; CI runs this on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_four_concurrent_starts_make_one_draft_and_no_error(personas):
    ensure_roster(personas.enterprise)
    fill(personas, 3)
    assessment = working_assessment(enterprise=personas.enterprise, by=personas.owner)
    assert submission.start_problems(assessment, by=personas.owner) == []
    statuses, errors = [], []
    barrier = threading.Barrier(4)

    def start():
        try:
            c = Client(raise_request_exception=True)
            c.force_login(personas.owner)
            barrier.wait()
            statuses.append(c.post(reverse("assessments:application_start")).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert statuses == [302] * 4
    assert Application.objects.filter(enterprise=personas.enterprise).count() == 1
