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
    names = [name for _code, name, *_rest in demo.ENTERPRISES]
    states = [Application.objects.get(enterprise__name=name).state for name in names]
    assert states == demo.STAGES
    proposal = Proposal.objects.get()
    assert proposal.level == 2 and proposal.comparison["totals"]["self_level"] == 3
    assert InspectionPhoto.objects.count() == 6
    rec = case_record(Application.objects.get(enterprise__name=names[2]))
    inspection = rec["inspections"][0]
    assert len(inspection["interviews"]) == 4 and len(inspection["checks"]) == 3
    assert inspection["findings"][0]["codes"] == ["S01", "Q4"] and inspection["findings"][0]["photos"]
    assert rec["verdicts"] and all(m["declared_at"] for m in rec["members"])
