"""The bureau's long lists page by seek (core.pages) and keep their filters on every page."""

import pytest
from django.urls import reverse

from assessments.models import ApplicationState as S
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def test_the_application_list_pager_keeps_state_and_search(personas, client_for):
    for i in range(55):
        helpers.application(factories.enterprise(f"翻页企业{i}"), state=S.SUBMITTED)
    helpers.application(factories.enterprise("别的企业"), state=S.SUBMITTED)
    helpers.application(factories.enterprise("翻页企业已受理"), state=S.ACCEPTED)
    c = client_for(personas.bureau)
    first = c.get(reverse("supervision:applications"), {"state": "submitted", "q": "翻页"})
    page = first.context["page"]
    assert len(page.rows) == 50 and page.older
    html = first.content.decode()
    assert f"after={page.older}" in html and "state=submitted" in html and "q=%E7%BF%BB%E9%A1%B5" in html
    second = c.get(
        reverse("supervision:applications"), {"state": "submitted", "q": "翻页", "after": page.older}
    ).context["page"]
    assert len(second.rows) == 5 and all(
        a.state == S.SUBMITTED and "翻页" in a.enterprise.name for a in second
    )
    assert not {a.pk for a in page} & {a.pk for a in second}


def test_a_garbled_key_gives_the_first_page(personas, client_for):
    helpers.application(factories.enterprise(), state=S.SUBMITTED)
    response = client_for(personas.bureau).get(reverse("supervision:applications"), {"after": "x.y"})
    assert response.status_code == 200 and len(response.context["page"].rows) == 1
