"""The outbox, the tasks' idempotency, exports and regrading, in the embedded default (in process)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.notify import notify
from assessments.models import Assessment
from assessments.regrade import request_regrade
from core.models import BackgroundJob, JobState, OutboxMessage, TaskReceipt
from core.queue import enqueue, relay_pending
from supervision.services import request_export
from tests import factories
from tests.documents.cases import make_case

pytestmark = pytest.mark.django_db


def test_work_of_a_rolled_back_transaction_is_never_queued(personas, django_capture_on_commit_callbacks):
    from accounts.tasks import send_notification_email

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([personas.bureau], title="t", body="b")
                assert OutboxMessage.objects.count() == 1
                raise RuntimeError("the user's action failed")
        except RuntimeError:
            pass
    assert not OutboxMessage.objects.exists() and not callbacks and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(send_notification_email, notification_id=999999)
    message.refresh_from_db()
    assert message.sent_at is not None and message.task == "accounts.tasks.send_notification_email"
    assert message.kwargs == {"notification_id": 999999}


def test_a_notification_e_mail_is_sent_once_however_often_its_task_runs(
    personas, django_capture_on_commit_callbacks
):
    from accounts.tasks import send_notification_email

    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify([personas.bureau], title="评测申请已提交", body="请受理。", link="/bureau/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [personas.bureau.email]
    assert send_notification_email.apply(kwargs={"notification_id": note.pk}).get() is False
    assert len(mail.outbox) == 1
    assert TaskReceipt.objects.filter(key=f"notification-email:{note.pk}").count() == 1


def test_pending_rows_are_relayed_oldest_first_and_the_command_reports(
    personas, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from core.tasks import relay_outbox

    case = make_case(personas.enterprise, by=personas.owner)
    OutboxMessage.objects.all().delete()  # the case's own queued report: not this test's subject
    # Rows written but never published (as if the process died between commit and publish).
    a = OutboxMessage.objects.create(
        task="assessments.tasks.regrade_assessment", kwargs={"assessment_id": case.assessment_id}
    )
    b = OutboxMessage.objects.create(
        task="assessments.tasks.regrade_assessment", kwargs={"assessment_id": case.assessment_id}
    )
    assert relay_pending(min_age=timedelta(minutes=5)) == (0, 2)  # too young: left alone
    out = io.StringIO()
    call_command("relay_outbox", "--once", stdout=out)
    assert "sent 2, pending 0" in out.getvalue()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.sent_at <= b.sent_at
    assert relay_outbox.apply().get() == {"sent": 0, "left": 0}


def test_regrading_one_assessment_and_a_whole_edition(personas, django_capture_on_commit_callbacks):
    cases = [make_case(personas.enterprise, by=personas.owner) for _ in range(3)]
    Assessment.objects.update(score=Decimal("1.0000"), level=0)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_regrade(by=personas.bureau, assessment=cases[0].assessment)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    first = Assessment.objects.get(pk=cases[0].assessment_id)
    assert first.score == Decimal("100.0000") and first.level == 3
    assert Assessment.objects.filter(score=Decimal("1.0000")).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        job = request_regrade(by=personas.bureau, edition="shunyi-2024")
    job.refresh_from_db()
    assert job.state == JobState.DONE and "3" in job.message
    assert set(Assessment.objects.values_list("level", flat=True)) == {3}


def test_excel_export_renders_only_what_the_user_may_see(
    personas, client_for, django_capture_on_commit_callbacks
):
    mine = make_case(personas.enterprise, by=personas.owner, agency=personas.agency)
    other = make_case(personas.other_enterprise, by=personas.outsider, agency=personas.other_agency)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.agency_admin).post(reverse("documents:export", args=["applications"]))
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.state == JobState.DONE and job.file_name.endswith(".xlsx")
    download = client_for(personas.agency_admin).get(reverse("documents:export_download", args=[job.pk]))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(ws.values)
    assert rows[0][:2] == ("申请编号", "企业名称")
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [mine.number] and other.number not in numbers
    assert (
        client_for(personas.bureau).get(reverse("documents:export_download", args=[job.pk])).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        bureau_job = request_export(name="applications", by=personas.bureau)
    bureau_job.refresh_from_db()
    ws = load_workbook(bureau_job.file.path).active
    assert {r[0] for r in list(ws.values)[1:]} == {mine.number, other.number}


def test_regrade_command_queues_and_runs_in_process(personas, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    case = make_case(personas.enterprise, by=personas.owner)
    Assessment.objects.update(level=0)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regrade", "--edition", case.assessment.edition, stdout=out)
    assert Assessment.objects.get().level == 3


def test_bureau_application_list_exports_its_state_filter_in_the_background(
    personas, client_for, django_capture_on_commit_callbacks
):
    approved = factories.application(personas.enterprise, state="approved", level=3, agency=personas.agency)
    factories.application(personas.other_enterprise, state="submitted", level=2)
    bureau = client_for(personas.bureau)
    page = bureau.get(reverse("supervision:applications"), {"state": "approved"}).content.decode()
    assert reverse("documents:export", args=["applications"]) in page
    assert '<input type="hidden" name="state" value="approved">' in page
    with django_capture_on_commit_callbacks(execute=True):
        bureau.post(reverse("documents:export", args=["applications"]), {"state": "approved"})
    job = BackgroundJob.objects.get()
    assert job.state == JobState.DONE
    download = bureau.get(reverse("documents:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == [approved.number]
