"""The 办事进度 stepper on every role's case page: the stages, where the case is, who holds it, since when and
the due date (with overdue days)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import selectors
from assessments.models import ApplicationState as S
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def test_stepper_says_where_the_case_is_who_holds_it_and_the_due_date(personas):
    app = helpers.application(personas.enterprise, state=S.IN_REVIEW, agency=personas.agency)
    app.review_due = timezone.localdate() - datetime.timedelta(days=2)
    app.save()
    s = selectors.stepper(app)
    assert [x["status"] for x in s["steps"]] == ["done", "done", "done", "current", "todo", "todo", "todo"]
    assert s["current"]["holder"] == personas.agency.name and s["current"]["overdue"] == 2
    assert selectors.stepper(helpers.application(personas.other_enterprise))["current"]["key"] == "intake"


def test_the_stepper_is_on_the_enterprise_and_bureau_case_pages(personas, client_for):
    app = helpers.application(personas.enterprise, state=S.ACCEPTED)
    for user, url in [
        (personas.owner, reverse("assessments:application", args=[app.pk])),
        (personas.bureau, reverse("supervision:application", args=[app.pk])),
    ]:
        body = client_for(user).get(url).content.decode()
        assert 'data-testid="stepper"' in body, url
        assert 'data-testid="step-commission" aria-current="step"' in body.replace(
            'class="step step-current" ', ""
        )
        assert "由区经信局办理" in body
