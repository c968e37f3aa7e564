"""A real Celery worker on Redis: a report rendered end to end, a worker killed mid-task, a broker that is down."""

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import BackgroundJob, JobState, OutboxMessage
from core.queue import relay_pending
from documents.models import Report
from documents.services import request_report
from tests.documents.cases import make_case
from tests.documents.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("celery")]


def pdf_text(report) -> str:
    with report.file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)


def test_worker_renders_the_self_assessment_report_end_to_end(personas, workers, client_for):
    app = make_case(personas.enterprise, by=personas.owner)
    workers.purge()  # the report the new version queued for itself: this test asks for its own
    workers.start()
    client = client_for(personas.owner)
    response = client.post(
        reverse("documents:generate", args=[app.pk]), {"kind": "self"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    job = BackgroundJob.objects.get()
    assert OutboxMessage.objects.get(kwargs__job_id=job.pk).sent_at is not None  # published after the commit
    assert 'hx-trigger="every 2s"' in response.content.decode()

    job = wait_for(
        lambda: BackgroundJob.objects.filter(pk=job.pk, state__in=["done", "failed"]).first(),
        timeout=90,
        message="the worker to finish the report",
        logs=workers.logs,
    )
    assert job.state == JobState.DONE, job.message
    report = Report.objects.get()
    assert job.report_id == report.pk
    text = pdf_text(report)
    for expected in [
        personas.enterprise.name,
        "三级（集成级）",
        "数字化水平自评报告",
        "企业概况",
        "各维度得分",
        "评测指标得分明细",
        "应用场景等级",
        "第 1 页",
    ]:
        assert expected in text, expected

    status = client.get(
        reverse("documents:job_status", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "every 2s" not in status and reverse("documents:download", args=[report.pk]) in status


def test_a_killed_worker_s_task_runs_again_and_makes_exactly_one_report(personas, workers):
    app = make_case(personas.enterprise, by=personas.owner)
    workers.purge()
    first = workers.start(env={"SHUNYI_TEST_TASK_PAUSE": "60"})
    job = request_report(application=app, kind="self", by=personas.owner)
    # The task has started on the first worker and written its progress: kill the worker in the middle.
    wait_for(
        lambda: BackgroundJob.objects.filter(pk=job.pk, percent=20, state="running").exists(),
        timeout=60,
        message="the task to reach its slow step",
        logs=workers.logs,
    )
    workers.kill(first)
    assert not Report.objects.exists()
    time.sleep(
        1.5
    )  # older than the new worker's visibility timeout: it takes the unacknowledged message back
    workers.start(env={"CELERY_VISIBILITY_TIMEOUT": "1"})
    job = wait_for(
        lambda: BackgroundJob.objects.filter(pk=job.pk, state="done").first(),
        timeout=90,
        message="the task to run again on the new worker",
        logs=workers.logs,
    )
    assert job.attempts == 2
    assert Report.objects.filter(application=app).count() == 1
    assert personas.enterprise.name in pdf_text(Report.objects.get())


def test_with_the_broker_down_submitting_succeeds_and_the_work_is_sent_when_it_is_back(personas, workers):
    from django.core.management import call_command

    from accounts.services import mark_email_confirmed
    from assessments import demo, services, submission
    from shunyi_eval.celery import app as celery_app

    demo.ensure_roster(personas.enterprise)
    mark_email_confirmed(user=personas.owner)
    demo.fill_to_level(personas.enterprise, level=3, by=personas.owner)
    draft = services.start_application(enterprise=personas.enterprise, by=personas.owner)
    OutboxMessage.objects.all().delete()

    real_broker = celery_app.conf.broker_write_url
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # the broker is down: nothing listens there
    submitted = submission.submit(application=draft, by=personas.owner, pledge=True)
    assert submitted.state == "submitted" and submitted.versions.count() == 1  # the user's action succeeded
    pending = list(OutboxMessage.objects.filter(sent_at__isnull=True))
    tasks = sorted(m.task for m in pending)
    # the bureau's notification e-mail and the enterprise's 自评报告, both kept for later
    assert tasks == ["accounts.tasks.send_notification_email", "documents.tasks.render_report"], tasks
    assert all(m.attempts == 1 and "Connection refused" in m.last_error for m in pending)
    assert not Report.objects.exists()

    # The broker is back: the relay (here: the management command, once) sends the work, a worker does it.
    celery_app.conf.broker_write_url = real_broker
    out = io.StringIO()
    call_command("relay_outbox", "--once", "--all", stdout=out)
    assert "sent 2, pending 0" in out.getvalue()
    workers.start()
    wait_for(
        lambda: Report.objects.filter(application=draft, kind="self").exists(),
        timeout=90,
        message="the relayed report",
        logs=workers.logs,
    )
    # (the file backend creates the file before it has written it: wait for the message, not for the file)
    wait_for(
        lambda: (
            workers.mail_dir.exists()
            and any(personas.bureau.email in f.read_text() for f in workers.mail_dir.iterdir())
        ),
        timeout=30,
        message="the relayed notification e-mail",
        logs=workers.logs,
    )
    assert relay_pending() == (0, 0)
    assert personas.enterprise.name in pdf_text(Report.objects.get(application=draft))


def test_a_worker_that_starts_sends_what_the_outbox_still_holds(personas, workers):
    from shunyi_eval.celery import app as celery_app

    real_broker = celery_app.conf.broker_write_url
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    app = make_case(personas.enterprise, by=personas.owner)  # its own report is queued too, while down
    job = request_report(application=app, kind="self", by=personas.owner)
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
    celery_app.conf.broker_write_url = real_broker
    workers.start()  # worker_ready: the worker relays the outbox, then does the work
    wait_for(
        lambda: BackgroundJob.objects.filter(pk=job.pk, state="done").exists(),
        timeout=90,
        message="the report relayed at worker start",
        logs=workers.logs,
    )
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
