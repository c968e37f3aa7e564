import io

import pytest

from assessments.models import Application
from experts.models import InspectionPhoto, Proposal
from experts.selectors import case_record

pytestmark = pytest.mark.django_db


def test_demo_cases_are_created_once():
    from accounts import demo as accounts_demo
    from experts import demo

    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    demo.seed(out)
    states = dict(Application.objects.filter(number__in=demo.NUMBERS.values()).values_list("number", "state"))
    assert states == {number: stage for stage, number in demo.NUMBERS.items()}
    assert Proposal.objects.count() == 1 and Proposal.objects.get().level == 2
    assert InspectionPhoto.objects.count() == 6
    rec = case_record(Application.objects.get(number=demo.NUMBERS["on_site"]))
    inspection = rec["inspections"][0]
    assert len(inspection["interviews"]) == 4 and len(inspection["checks"]) == 3
    assert inspection["findings"][0]["codes"] == ["S01", "Q4"] and inspection["findings"][0]["photos"]
    assert rec["verdicts"] and all(m["declared_at"] for m in rec["members"])
