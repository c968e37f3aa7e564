"""Official documents show Beijing time (Asia/Shanghai) and points as decimals. The clock is frozen at 19:30 UTC,
when it is already the next day in Beijing: a UTC date would be one day early."""

import hashlib
import io
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
