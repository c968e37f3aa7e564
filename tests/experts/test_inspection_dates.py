"""现场查验 records are dated when they are made: none may be made before the scheduled visit, and the visit cannot
be moved after a record already made. The page says which field and why, in Chinese and in English."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from assessments.lifecycle import transition
from core.models import AuditEvent
from experts import services
from experts.models import Finding, Inspection, InspectionPhoto, Interview, SiteCheck
from experts.rules import get_case
from experts.samples import PNG
from tests.experts.test_workflow import declare_all, judge_all_files
from tests.test_english import english

pytestmark = pytest.mark.django_db


def minute(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def on_site_tomorrow(personas, app, client):
    """Scheduled (on the page) for tomorrow, and already started on site: the team came early."""
    declare_all(personas)
    transition(app, "start_review", by=personas.agency_admin)
    judge_all_files(app, personas.expert)
    tomorrow = timezone.now() + timedelta(days=1)
    response = client.post(
        reverse("experts:inspection", args=[app.pk]),
        {"form": "schedule", "scheduled_for": minute(tomorrow), "place": "二号车间", "attendees": "陈专家"},
    )
    assert response.status_code == 302
    transition(app, "start_site_visit", by=personas.expert)
    return Inspection.objects.get(team__application=app)


def post(client, app, **data):
    return client.post(reverse("experts:inspection", args=[app.pk]), data)


def test_no_record_before_the_scheduled_visit_and_the_page_says_why(personas, team_case, client_for):
    c = client_for(personas.expert)
    inspection = on_site_tomorrow(personas, team_case, c)
    when = timezone.localtime(inspection.scheduled_for).strftime("%Y-%m-%d %H:%M")
    response = post(c, team_case, form="interview", role="it", interviewee="张工", record="演示了MES后台")
    body = response.content.decode()
    assert response.status_code == 400 or response.status_code == 200
    assert 'data-testid="form-errors"' in body
    assert f"现场查验安排在 {when}（北京时间），查验记录不能早于查验时间" in body
    assert "查验安排" in body  # where to change it
    assert not Interview.objects.exists()
    english_body = post(
        english(client_for(personas.expert)),
        team_case,
        form="check",
        kind="records",
        subject="台账",
        record="x",
    ).content.decode()
    assert f"The site inspection is scheduled for {when} (Beijing time)" in english_body
    assert "现场查验安排在" not in english_body
    translation.activate("zh-hans")  # the English request left English active in this thread

    # Every kind of record, and the summary, is refused the same way; nothing is written, nothing audited.
    case = get_case(personas.expert, team_case.pk)
    events = AuditEvent.objects.count()
    for add in (
        lambda: services.add_check(
            case=case,
            inspection=inspection,
            by=personas.expert,
            kind="records",
            subject="台账",
            record_text="x",
        ),
        lambda: services.add_finding(
            case=case, inspection=inspection, by=personas.expert, text="x", codes=["Q2"]
        ),
        lambda: services.add_photo(
            case=case,
            inspection=inspection,
            by=personas.expert,
            upload=SimpleUploadedFile("p.png", PNG, "image/png"),
        ),
        lambda: services.save_inspection_summary(
            case=case, inspection=inspection, by=personas.expert, summary="x"
        ),
    ):
        with pytest.raises(services.ReviewError, match="查验记录不能早于查验时间"):
            add()
    assert not (SiteCheck.objects.exists() or Finding.objects.exists() or InspectionPhoto.objects.exists())
    assert AuditEvent.objects.count() == events
    inspection.refresh_from_db()
    assert inspection.summary == ""

    # The team updates the schedule to when it really came: the records go in.
    earlier = timezone.now() - timedelta(hours=1)
    assert post(
        c, team_case, form="schedule", scheduled_for=minute(earlier), place="二号车间", attendees="陈专家"
    )["Location"].endswith("#schedule")
    response = post(c, team_case, form="interview", role="it", interviewee="张工", record="演示了MES后台")
    assert response.status_code == 302 and Interview.objects.count() == 1


def test_the_visit_cannot_move_after_a_record_already_made(personas, team_case, client_for):
    c = client_for(personas.expert)
    on_site_tomorrow(personas, team_case, c)
    earlier = timezone.now() - timedelta(hours=1)
    post(c, team_case, form="schedule", scheduled_for=minute(earlier), place="二号车间", attendees="陈专家")
    assert (
        post(c, team_case, form="interview", role="it", interviewee="张工", record="记录").status_code == 302
    )
    made = timezone.localtime(Interview.objects.get().at).strftime("%Y-%m-%d %H:%M")
    later = timezone.now() + timedelta(days=2)
    response = post(
        c, team_case, form="schedule", scheduled_for=minute(later), place="三号车间", attendees="陈专家"
    )
    body = response.content.decode()
    assert f"查验时间不能晚于已有的查验记录（最早一条记于 {made}，北京时间）" in body
    assert f'value="{minute(later)}"' in body  # the posted time stays in the field, to correct
    inspection = Inspection.objects.get()
    assert minute(inspection.scheduled_for) == minute(earlier) and inspection.place == "二号车间"


def test_the_schedule_is_audited_in_beijing_time(personas, team_case):
    declare_all(personas)
    transition(team_case, "start_review", by=personas.agency_admin)
    case = get_case(personas.expert, team_case.pk)
    services.schedule_inspection(
        case=case, by=personas.expert, scheduled_for=timezone.now(), place="车间", attendees="陈专家"
    )
    event = AuditEvent.objects.get(action="experts.inspection_scheduled")
    assert event.detail["scheduled_for"].endswith("+08:00")  # the dossier's audit.json carries it as stored
