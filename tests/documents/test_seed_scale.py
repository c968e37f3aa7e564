"""`manage.py seed_scale` (issue 12) on a small scale: every state present, the cached scores agree with the
engine (a regrade changes nothing), the audit chain holds, the counters follow the numbers, and a database with
real accounts is refused."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments import tasks
from assessments.models import Application, Assessment
from core.audit import verify_trail
from core.models import SerialCounter
from supervision.models import Grade
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_database_with_real_accounts_is_refused(personas):
    # The personas are no demo accounts: the command refuses the database until only demo accounts are left.
    with pytest.raises(CommandError, match="non-demo data"):
        call_command("seed_scale", "--enterprises", "5", stdout=StringIO())


@pytest.fixture
def demo_only(db):
    factories.bureau("demo-bureau")


def test_seed_scale_makes_consistent_cases(demo_only):
    call_command("seed_scale", "--enterprises", "120", "--seed", "3", stdout=StringIO())
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "approved", "in_review"} <= states and Application.objects.count() == 120
    assert verify_trail().ok
    ids = sorted(Assessment.objects.values_list("pk", flat=True))
    assert tasks.regrade_range("shunyi-2024", ids[0], ids[-1]) == (
        120,
        0,
    )  # the engine agrees with every cache
    top = max(int(n.rsplit("-", 1)[1]) for n in Application.objects.values_list("number", flat=True))
    assert SerialCounter.objects.get(kind="application").last == top
    grades = Grade.objects.count()
    assert grades and SerialCounter.objects.get(kind="certificate").last == grades
    assert not Grade.objects.filter(scenario_levels="").exists()
