import io

import pytest
from django.core.management import call_command

from documents.models import Report

pytestmark = pytest.mark.django_db


def test_demo_reports_are_rendered_and_a_second_run_adds_none(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    first = set(Report.objects.values_list("application__number", "kind", "content_sha256"))
    assert first and {kind for _n, kind, _h in first} >= {"self"}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(Report.objects.values_list("application__number", "kind", "content_sha256")) == first
