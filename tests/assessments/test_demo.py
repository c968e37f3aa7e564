import io

import pytest

from assessments import demo, selectors
from assessments.framework import get_edition
from assessments.models import Application, ApplicationState


@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
def test_answer_sets_really_grade_to_their_level(level):
    answers, scenarios, data = demo.answer_set(level)
    result = selectors.evaluate_parts("shunyi-2024", answers, scenarios, data)
    assert result.complete and not result.errors
    assert result.level == level
    assert result.inconsistencies == []
    assert set(result.derived) == {"Q2", "Q3", "Q11", "Q12", "Q13", "Q14", "Q15"}


@pytest.mark.django_db
def test_seed_is_idempotent_and_covers_every_step():
    from accounts import demo as accounts_demo

    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    first = Application.objects.count()
    demo.seed(out)
    assert Application.objects.count() == first
    states = set(Application.objects.values_list("state", flat=True))
    assert {
        ApplicationState.DRAFT,
        ApplicationState.SUBMITTED,
        ApplicationState.RETURNED,
        ApplicationState.WITHDRAWN,
    } <= states
    accepted = Application.objects.get(state=ApplicationState.ACCEPTED)
    assert accepted.paper_status == "received"
    returned = Application.objects.get(state=ApplicationState.RETURNED)
    assert returned.versions.count() == 2
    levels = {selectors.latest_assessment(accounts_demo.enterprise(i)).level for i in range(6)}
    assert levels == {0, 1, 2, 3, 4}
    from accounts.models import RosterEntry

    assert not RosterEntry.objects.filter(credit_code=accounts_demo.enterprise(5).credit_code).exists()
    assert get_edition().code == "shunyi-2024"
