"""Issue 12: the agency home lists the open work first (cases without a team, then those with an overdue stage)
a page at a time, and its 待办 counts come from one query that agrees with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experts import services as review
from experts.selectors import agency_cases, agency_open_counts, agency_queue
from supervision.todo import agency_todo
from tests import factories

pytestmark = pytest.mark.django_db


def _case(personas, name, *, team=False, late=False):
    app = factories.application(factories.enterprise(name), state="assigned", agency=personas.agency)
    if team:
        review.form_team(
            application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
        )
    if late:
        app.review_due = timezone.localdate() - datetime.timedelta(days=3)
        app.save(update_fields=["review_due"])
    return app


def test_open_work_first_and_counts_agree(personas, client_for):
    calm = _case(personas, "排序企业甲", team=True)
    late = _case(personas, "排序企业乙", team=True, late=True)
    bare = _case(personas, "排序企业丙")
    user = personas.agency_admin
    assert [a.pk for a in agency_cases(user)] == [bare.pk, late.pk, calm.pk]
    rows = agency_queue(user, agency_cases(user))
    counts = agency_open_counts(user)
    assert counts["total"] == len(rows) == 3
    assert counts["no_team"] == sum(1 for r in rows if r["team"] is None) == 1
    assert counts["overdue"] == sum(1 for r in rows if r["overdue"]) == 1
    todo = {i["kind"]: i["count"] for i in agency_todo(user)}
    assert todo["team"] == 1 and todo["overdue"] == 1
    body = client_for(user).get(reverse("experts:home")).content.decode()
    assert body.index("排序企业丙") < body.index("排序企业乙") < body.index("排序企业甲")


def test_recheck_list_is_paged(personas, client_for, monkeypatch):
    from supervision.views import recheck
    from tests.test_query_counts import add_samples

    monkeypatch.setattr(recheck, "RECHECKS_PER_PAGE", 2)
    add_samples(personas, 3)
    c = client_for(personas.other_agency_admin)
    first = c.get(reverse("recheck:list"))
    assert len(first.context["rechecks"]) == 2
    assert first.context["page"].paginator.count == 3
    assert 'data-testid="recheck-total"' in first.content.decode()
    second = c.get(reverse("recheck:list"), {"page": 2})
    assert len(second.context["rechecks"]) == 1
