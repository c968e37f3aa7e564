"""Official documents show Beijing time (Asia/Shanghai) and points as decimals. The clock is frozen at 19:30 UTC,
when it is already the next day in Beijing: a UTC date would be one day early."""

import hashlib
import io
import re
import zipfile
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.models import Report
from tests.documents.cases import add_proposal, approve, make_case
from tests.documents.test_reports import generate, pdf_text

pytestmark = pytest.mark.django_db

FROZEN = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)  # = 2026-12-02 03:30 in Beijing


@pytest.fixture
def frozen_clock():
    with mock.patch("django.utils.timezone.now", return_value=FROZEN):
        yield FROZEN


@pytest.fixture
def approved_case(frozen_clock, personas):
    case = make_case(personas.enterprise, by=personas.owner, agency=personas.agency)
    add_proposal(case, admin=personas.agency_admin, experts=[personas.expert, personas.expert2])
    approve(case, by=personas.bureau)
    return case


def test_certificate_and_review_report_carry_the_beijing_date(
    approved_case, personas, client_for, django_capture_on_commit_callbacks
):
    generate(personas.bureau, approved_case, "certificate", client_for, django_capture_on_commit_callbacks)
    generate(personas.bureau, approved_case, "review", client_for, django_capture_on_commit_callbacks)
    certificate = pdf_text(Report.objects.get(kind="certificate"))
    assert "认定日期：2026-12-02" in certificate and "2026-12-01" not in certificate
    review = Report.objects.get(kind="review")
    text = pdf_text(review)
    assert "2026-12-02" in text and "2026-12-01" not in text
    # The file name's stamp is Beijing time too.
    assert review.download_name.endswith("-202612020330.pdf")


def test_review_report_shows_points_as_decimals(
    approved_case, personas, client_for, django_capture_on_commit_callbacks
):
    generate(personas.bureau, approved_case, "review", client_for, django_capture_on_commit_callbacks)
    text = pdf_text(Report.objects.get(kind="review"))
    proposal = approved_case.proposals.get()
    assert f"{proposal.score:.2f}" in text
    assert "15/2" not in text and "/2" not in text


def test_dossier_times_have_the_zone_scores_are_decimals_and_the_photos_are_inside(
    approved_case, personas, client_for, django_capture_on_commit_callbacks
):
    from experts.models import Inspection, InspectionPhoto

    inspection = Inspection.objects.get(team__application=approved_case)
    jpeg = b"\xff\xd8\xff\xe0" + b"site photo" * 20
    photo = InspectionPhoto(
        inspection=inspection,
        caption="车间看板",
        original_name="board.jpg",
        content_type="image/jpeg",
        size=len(jpeg),
        sha256=hashlib.sha256(jpeg).hexdigest(),
        by=personas.expert,
    )
    photo.file.save("board.jpg", ContentFile(jpeg), save=True)
    generate(personas.bureau, approved_case, "dossier", client_for, django_capture_on_commit_callbacks)
    dossier = Report.objects.get(kind="dossier")
    response = client_for(personas.bureau).get(reverse("documents:download", args=[dossier.pk]))
    z = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    decisions = z.read("decisions.csv").decode("utf-8-sig")
    assert "2026-12-02T03:" in decisions and "+08:00" in decisions and "+00:00" not in decisions
    proposals = z.read("review/proposals.json").decode()
    score = approved_case.proposals.get().score
    assert f'"score": "{score:.2f}"' in proposals and f"{score:.4f}" not in proposals
    assert z.read(f"review/photos/{photo.pk}.jpg") == jpeg
    assert photo.sha256 in z.read("review/photos/manifest.csv").decode("utf-8-sig")
    assert "2026-12-02 03:30" in z.read("summary.txt").decode()


def _dossier(personas, case, client_for, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    generate(personas.bureau, case, "dossier", client_for, django_capture_on_commit_callbacks)
    dossier = Report.objects.get(kind="dossier")
    response = client_for(personas.bureau).get(reverse("documents:download", args=[dossier.pk]))
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_no_time_in_the_dossier_is_utc_even_a_recorded_event_s_own(
    frozen_clock, personas, client_for, django_capture_on_commit_callbacks
):
    """A case on site, its inspection scheduled through the experts' service (which was given a UTC time): every
    text file of the dossier — the audit trail's stored details included — carries Beijing time with its zone,
    and the summary's decision lines say they are Beijing time."""
    from assessments.lifecycle import transition
    from experts import services
    from experts.rules import get_case
    from tests.experts.test_workflow import declare_all, judge_all_files

    app = _case_with_a_team(personas)
    declare_all(personas)
    transition(app, "start_review", by=personas.agency_admin)
    judge_all_files(app, personas.expert)
    services.schedule_inspection(
        case=get_case(personas.expert, app.pk),
        by=personas.expert,
        scheduled_for=FROZEN,
        place="车间",
        attendees="陈专家",
    )
    z = _dossier(personas, app, client_for, django_capture_on_commit_callbacks)
    audit = z.read("audit/audit.json").decode()
    assert '"scheduled_for": "2026-12-02T03:30:00+08:00"' in audit
    for name in z.namelist():
        if name.endswith((".json", ".csv", ".txt")):
            text = z.read(name).decode("utf-8-sig")
            assert "+00:00" not in text and "2026-12-01T19:30" not in text, name
            assert not re.search(r'"-?\d+\.\d{3,}"', text), name  # scores as 65.63, never 65.6300
    summary = z.read("summary.txt").decode()
    assert "审核与决定（北京时间）" in summary and "T03:" not in summary


def _case_with_a_team(personas):
    """Commissioned to the agency, with evidence and a team (expert leads, expert2 a member)."""
    from experts import services
    from experts.samples import attach_evidence
    from tests import factories

    app = factories.application(
        personas.enterprise, state="assigned", level=3, agency=personas.agency, by=personas.owner
    )
    attach_evidence(app, by=personas.owner)
    services.form_team(
        application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
    )
    return app


def test_a_tampered_site_photo_fails_the_dossier(
    approved_case, personas, client_for, django_capture_on_commit_callbacks
):
    from core.models import BackgroundJob, JobState
    from experts.models import Inspection, InspectionPhoto

    jpeg = b"\xff\xd8\xff\xe0" + b"site photo" * 20
    photo = InspectionPhoto(
        inspection=Inspection.objects.get(team__application=approved_case),
        original_name="board.jpg",
        content_type="image/jpeg",
        size=len(jpeg),
        sha256=hashlib.sha256(jpeg).hexdigest(),
        by=personas.expert,
    )
    photo.file.save("board.jpg", ContentFile(b"\xff\xd8\xff\xe0 swapped after upload"), save=True)
    generate(personas.bureau, approved_case, "dossier", client_for, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.latest("id")
    assert job.state == JobState.FAILED and "现场照片“board.jpg”与上传时的校验值不一致" in job.message
    assert not Report.objects.filter(kind="dossier").exists()
