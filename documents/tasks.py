"""Background tasks. Every task takes ids as keyword arguments, re-fetches what it works on, is idempotent
(reports are keyed by the SHA-256 of their content: unique constraint), is acknowledged late so a killed
worker's task runs again, and retries with exponential back-off (shunyi_eval.queue.durable_task)."""

import logging
import os
import time

from celery import Task
from django.utils.translation import gettext as _

from shunyi_eval.queue import durable_task, relay_pending

from . import services
from .models import ReportKind

log = logging.getLogger(__name__)


class JobTask(Task):
    """Marks the task's BackgroundJob failed when it fails for good (after its retries)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.job_failed(kwargs.get("job_id"), _("处理失败：%(error)s") % {"error": exc})


def _test_pause(job_id) -> None:
    """Test hook: SHUNYI_TEST_TASK_PAUSE=<seconds> holds a task after its first progress write, so a test can
    watch it run and kill the worker in the middle. Unset in every real deployment."""
    seconds = float(os.environ.get("SHUNYI_TEST_TASK_PAUSE") or 0)
    if seconds > 0:
        services.job_progress(job_id, 20, _("正在排版"))
        time.sleep(seconds)


def _user(user_id):
    from accounts.models import User

    return User.objects.filter(pk=user_id).first() if user_id else None


@durable_task(base=JobTask)
def render_report(
    self, *, application_id: int, kind: str, job_id: int | None = None, user_id: int | None = None
):
    """Render one PDF report of a case. Returns the Report id (None if the case does not hold it yet)."""
    from assessments.models import Application

    from .pdf import render_pdf
    from .presenters import PRESENTERS
    from .reports import TEMPLATES, ReportUnavailable, content_for, content_sha256

    services.job_started(job_id)
    application = Application.objects.select_related("enterprise", "assessment").get(pk=application_id)
    try:
        content = content_for(application, kind)
    except ReportUnavailable as exc:
        services.job_failed(job_id, str(exc))
        return None
    digest = content_sha256(kind, content)
    title = f"{application.enterprise.name} {ReportKind(kind).label}"
    existing = application.reports.filter(kind=kind, content_sha256=digest).first()
    if existing is not None:
        services.job_done(job_id, report=existing, message=_("内容未变化，沿用已有报告"))
        return existing.pk
    services.job_progress(job_id, 15, _("正在整理内容"))
    _test_pause(job_id)
    context = PRESENTERS[kind](content)
    services.job_progress(job_id, 30, _("正在排版"))
    data, pages = render_pdf(TEMPLATES[kind], context)
    services.job_progress(job_id, 90, _("正在保存"))
    report = services.store_report(
        application=application,
        kind=kind,
        digest=digest,
        data=data,
        pages=pages,
        title=title,
        by=_user(user_id),
    )
    services.job_done(job_id, report=report)
    return report.pk


@durable_task(base=JobTask)
def build_dossier(self, *, application_id: int, job_id: int | None = None, user_id: int | None = None):
    """Build the case dossier (zip) for the bureau. Returns the Report id."""
    from assessments.models import Application

    from .dossier import DossierError, build

    services.job_started(job_id)
    application = Application.objects.select_related("enterprise", "assessment").get(pk=application_id)
    try:
        report = build(
            application, by=_user(user_id), progress=lambda p, m: services.job_progress(job_id, p, m)
        )
    except DossierError as exc:
        services.job_failed(job_id, str(exc))
        return None
    services.job_done(job_id, report=report)
    return report.pk


@durable_task(base=JobTask)
def render_export(self, *, job_id: int):
    """Render an Excel export to a stored file on the job (for lists too big for a request)."""
    from .exports import render
    from .models import BackgroundJob, JobState

    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
    if job.state == JobState.DONE and job.file:
        return job.pk
    services.job_started(job_id)
    render(job, progress=lambda p, m: services.job_progress(job_id, p, m))
    services.job_done(job_id)
    return job.pk


def _store_grade(assessment) -> None:
    """The engine's verdict into the assessment's score/level cache (the portal's own helper); content and
    revision untouched, so a regrade never conflicts with a tab being edited."""
    from assessments.models import Assessment
    from assessments.services import _refresh_cache

    _refresh_cache(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(score=assessment.score, level=assessment.level)


@durable_task(base=JobTask)
def regrade_assessment(self, *, assessment_id: int, job_id: int | None = None):
    """Grade one assessment again with the engine and store its score and level (the cache)."""
    from assessments.models import Assessment

    services.job_started(job_id)
    assessment = Assessment.objects.get(pk=assessment_id)
    _store_grade(assessment)
    services.job_done(job_id)
    return assessment_id


@durable_task(base=JobTask)
def regrade_edition(self, *, edition: str, job_id: int | None = None):
    """Grade every assessment of a framework edition again, in chunks, with progress."""
    from assessments.models import Assessment

    services.job_started(job_id)
    ids = list(Assessment.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True))
    for n, pk in enumerate(ids, start=1):
        assessment = Assessment.objects.filter(pk=pk).first()
        if assessment is not None:
            _store_grade(assessment)
        if n % 20 == 0 or n == len(ids):
            services.job_progress(
                job_id,
                5 + 90 * n // len(ids),
                _("已重新评分 %(n)s / %(total)s") % {"n": n, "total": len(ids)},
            )
    services.job_done(job_id, message=_("已重新评分 %(n)s 份自评") % {"n": len(ids)})
    return len(ids)


@durable_task(acks_late=False)
def relay_outbox(self):
    """Celery beat's periodic re-send of overdue outbox rows."""
    sent, left = relay_pending()
    return {"sent": sent, "left": left}
