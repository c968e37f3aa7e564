"""The bureau's demo data: loaded twice (idempotent), every bureau state, a sample with re-checks, a revoked grade."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import RosterEntry
from assessments.models import Application, PaperInstructions
from assessments.models import ApplicationState as S
from supervision.models import Grade, Recheck, RecheckOutcome, Sample


@pytest.mark.django_db
def test_demo_data(settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    states = set(Application.objects.values_list("state", flat=True))
    assert {S.SUBMITTED, S.NOT_ACCEPTED, S.ACCEPTED, S.ASSIGNED, S.APPROVED, S.REVOKED} <= states
    assert Grade.objects.filter(revoked_at__isnull=False, superseded_by__isnull=True).count() == 1
    assert Grade.objects.filter(revoked_at__isnull=True).count() == 5
    # The re-check that changed the grade: the old certificate superseded by a reissued one, one level lower.
    old = Grade.objects.get(superseded_by__isnull=False)
    assert old.superseded_by.level == old.level - 1 and old.superseded_by.is_valid
    assert sorted(r.decision for r in Recheck.objects.all()) == ["change", "confirm", "revoke"]
    assert PaperInstructions.current().address
    sample = Sample.objects.get()
    assert sample.seed == 20241101
    outcomes = sorted(r.outcome for r in sample.rechecks.all())
    assert outcomes == sorted([RecheckOutcome.CONFIRMED, RecheckOutcome.CHANGED, RecheckOutcome.REVOKE])
    for r in sample.rechecks.select_related("grade__application"):
        assert r.agency_id != r.grade.case.agency_id and r.team.purpose == "recheck"
    assert RosterEntry.objects.filter(active=False).count() == 1
    assert not RosterEntry.objects.filter(service_provider_credit_code="").exists()
    assert "supervision: demo data already there" in out.getvalue()


@pytest.mark.django_db
def test_the_approval_page_shows_the_experts_findings_and_photos(settings, client_for):
    """The experts' demo case at 待审定: its findings, interviews and photos are on the bureau's page."""
    from accounts.models import User
    from core.models import AuditEvent
    from experts.models import InspectionPhoto

    call_command("seed_demo", stdout=StringIO())
    app = Application.objects.filter(state=S.PROPOSED).exclude(number__startswith="DEMO-SV").first()
    bureau = client_for(User.objects.get(username="demo-bureau"))
    body = bureau.get(f"/bureau/applications/{app.pk}/").content.decode()
    assert 'data-testid="case-record"' in body and 'data-testid="findings"' in body
    photo = InspectionPhoto.objects.filter(inspection__team__application=app).first()
    assert f"/bureau/applications/{app.pk}/photos/{photo.pk}/" in body
    response = bureau.get(f"/bureau/applications/{app.pk}/photos/{photo.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] in (
        b"\x89PNG",
        b"\xff\xd8\xff\xe0",
    )
    assert AuditEvent.objects.filter(action="supervision.photo_download", application=app).exists()
    other = Application.objects.exclude(pk=app.pk).filter(state=S.APPROVED).first()
    assert bureau.get(f"/bureau/applications/{other.pk}/photos/{photo.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_demo_re_check_with_a_changed_grade_shows_everywhere(settings, client_for):
    """The demo's changed grade: the bureau's lists and case page, the public verify page of both numbers."""
    from django.urls import reverse

    from accounts.models import User

    call_command("seed_demo", stdout=StringIO())
    old = Grade.objects.get(superseded_by__isnull=False)
    new = old.superseded_by
    bureau = client_for(User.objects.get(username="demo-bureau"))
    grades = bureau.get(reverse("supervision:grades")).content.decode()
    assert old.certificate_number in grades and new.certificate_number in grades
    recheck = Recheck.objects.get(grade=old)
    sample = bureau.get(reverse("supervision:sample", args=[recheck.sample_id])).content.decode()
    assert 'data-testid="recheck-decision"' in sample
    case = bureau.get(reverse("supervision:application", args=[new.application_id])).content.decode()
    assert new.certificate_number in case and old.certificate_number in case
    anyone = client_for(None)
    assert "已被替换" in anyone.get(reverse("verify:number", args=[old.certificate_number])).content.decode()
    assert "有效" in anyone.get(reverse("verify:number", args=[new.certificate_number])).content.decode()
    owner = client_for(new.enterprise.staff.first())
    assert owner.get(reverse("assessments:home")).status_code == 200
