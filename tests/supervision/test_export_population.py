"""Every export holds exactly the rows of the page it is started from (issue 12): the page and its export read
one selector, so an enterprise's draft — not on the bureau's list — is not in the list's export either."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import RosterEntry
from assessments.models import ApplicationState as S
from core.models import BackgroundJob
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(personas):
    apps = []
    for i, state in enumerate([S.DRAFT, S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.RETURNED, S.SUBMITTED]):
        ent = factories.enterprise(f"{'甲乙'[i % 2]}名单企业{i}")
        apps.append(helpers.application(ent, state=state))
    apps.append(
        helpers.approved(
            factories.enterprise("甲名单企业已认定"),
            agency=personas.agency,
            admin=personas.agency_admin,
            bureau=personas.bureau,
        )
    )
    return apps


def page_numbers(client, params) -> list[str]:
    response = client.get(reverse("supervision:applications"), params)
    assert response.status_code == 200
    return [a.number for a in response.context["page"]]


def background_export_numbers(client, params, capture) -> list[str]:
    with capture(execute=True):
        client.post(reverse("documents:export", args=["applications"]), params)
    job = BackgroundJob.objects.latest("id")
    download = client.get(reverse("documents:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    return [r[0] for r in rows[1:]]


@pytest.mark.parametrize(
    "params", [{}, {"state": S.SUBMITTED}, {"q": "甲"}, {"q": "甲", "state": S.SUBMITTED}]
)
def test_the_application_list_and_its_export_have_the_same_rows(
    cases, personas, client_for, django_capture_on_commit_callbacks, params
):
    bureau = client_for(personas.bureau)
    shown = page_numbers(bureau, params)
    drafts = {a.number for a in cases if a.state == S.DRAFT}
    assert shown and not drafts & set(shown)
    page = bureau.get(reverse("supervision:applications"), params).content.decode()
    for key, value in params.items():  # the export button carries the page's filters
        assert f'<input type="hidden" name="{key}" value="{value}">' in page
    assert background_export_numbers(bureau, params, django_capture_on_commit_callbacks) == shown


def test_the_dashboard_export_has_the_dashboard_population(cases, personas, client_for):
    bureau = client_for(personas.bureau)
    dashboard = bureau.get(reverse("supervision:home")).context["data"]
    response = bureau.get(reverse("supervision:export_applications"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)[1:]
    assert len(rows) == dashboard["total"] == len(page_numbers(bureau, {}))
    assert {r[0] for r in rows} == set(page_numbers(bureau, {}))


def test_the_roster_export_follows_the_roster_filters(personas, client_for):
    for i in range(4):
        RosterEntry.objects.create(
            credit_code=factories.credit_code(), name=f"{'甲乙'[i % 2]}试点{i}", active=i != 2
        )
    bureau = client_for(personas.bureau)
    for params in ({}, {"q": "甲"}, {"status": "cancelled"}):
        shown = [e.credit_code for e in bureau.get(reverse("supervision:roster"), params).context["page"]]
        response = bureau.get(reverse("supervision:roster_export"), params)
        exported = [r[0] for r in list(load_workbook(io.BytesIO(response.content)).active.values)[1:]]
        assert exported == shown and shown
