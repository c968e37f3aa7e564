"""Regrading an edition in chunks (issue 12): a task per chunk of consecutive ids, each one read, graded by
the engine and written back with a bulk update; the job follows the chunks and is done when all are."""

from decimal import Decimal

import pytest

from assessments import tasks
from assessments.models import Assessment
from assessments.regrade import request_regrade
from core.models import JobState
from tests import factories
from tests.documents.cases import make_case

pytestmark = pytest.mark.django_db


def test_an_edition_is_regraded_chunk_by_chunk(personas, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(tasks, "CHUNK", 2)
    for i in range(5):
        ent = factories.enterprise(f"重评企业{i}")
        make_case(ent, by=factories.enterprise_user(f"regrade-{i}", ent))
    Assessment.objects.update(score=Decimal("1.0000"), level=0)
    assert len(tasks.chunk_bounds("shunyi-2024", 2)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        job = request_regrade(by=personas.bureau, edition="shunyi-2024")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.percent == 100 and "5" in job.message
    assert set(Assessment.objects.values_list("level", flat=True)) == {3}


def test_a_chunk_writes_only_what_changed(personas, django_assert_num_queries):
    cases = [make_case(personas.enterprise, by=personas.owner) for _ in range(3)]
    Assessment.objects.filter(pk=cases[1].assessment_id).update(level=0)
    ids = sorted(c.assessment_id for c in cases)
    with django_assert_num_queries(2):  # one read, one bulk update of the one that changed
        graded, changed = tasks.regrade_range("shunyi-2024", ids[0], ids[-1])
    assert (graded, changed) == (3, 1)
