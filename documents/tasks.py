"""Background tasks of the documents app: rendering a report, building the dossier. Every task takes ids as
keyword arguments, re-fetches what it works on, is idempotent (reports are keyed by the SHA-256 of their
content: unique constraint), is acknowledged late so a killed worker's task runs again, and retries with
exponential back-off (core.queue.durable_task)."""

import logging
import os
import time

from django.utils.translation import gettext as _

from accounts.models import User
from assessments.models import Application
from core.jobs import JobTask, job_done, job_failed, job_progress, job_started
from core.queue import durable_task

from .dossier import DossierError, build
from .models import ReportKind
from .pdf import render_pdf
from .presenters import PRESENTERS
from .reports import TEMPLATES, ReportUnavailable, content_for, content_sha256
from .storage import store_report

log = logging.getLogger(__name__)


def _test_pause(job_id) -> None:
    """Test hook: SHUNYI_TEST_TASK_PAUSE=<seconds> holds a task after its first progress write, so a test can
    watch it run and kill the worker in the middle. Unset in every real deployment."""
    seconds = float(os.environ.get("SHUNYI_TEST_TASK_PAUSE") or 0)
    if seconds > 0:
        job_progress(job_id, 20, _("正在排版"))
        time.sleep(seconds)


def _user(user_id):
    return User.objects.filter(pk=user_id).first() if user_id else None


@durable_task(base=JobTask)
def render_report(
    self, *, application_id: int, kind: str, job_id: int | None = None, user_id: int | None = None
):
    """Render one PDF report of a case. Returns the Report id (None if the case does not hold it yet)."""
    job_started(job_id)
    application = Application.objects.select_related("enterprise", "assessment").get(pk=application_id)
    try:
        content = content_for(application, kind)
    except ReportUnavailable as exc:
        job_failed(job_id, str(exc))
        return None
    digest = content_sha256(kind, content)
    title = f"{application.enterprise.name} {ReportKind(kind).label}"
    existing = application.reports.filter(kind=kind, content_sha256=digest).first()
    if existing is not None:
        job_done(job_id, report=existing, message=_("内容未变化，沿用已有报告"))
        return existing.pk
    job_progress(job_id, 15, _("正在整理内容"))
    _test_pause(job_id)
    context = PRESENTERS[kind](content)
    job_progress(job_id, 30, _("正在排版"))
    data, pages = render_pdf(TEMPLATES[kind], context)
    job_progress(job_id, 90, _("正在保存"))
    report = store_report(
        application=application,
        kind=kind,
        digest=digest,
        data=data,
        pages=pages,
        title=title,
        by=_user(user_id),
    )
    job_done(job_id, report=report)
    return report.pk


@durable_task(base=JobTask)
def build_dossier(self, *, application_id: int, job_id: int | None = None, user_id: int | None = None):
    """Build the case dossier (zip) for the bureau. Returns the Report id."""
    job_started(job_id)
    application = Application.objects.select_related("enterprise", "assessment").get(pk=application_id)
    try:
        report = build(application, by=_user(user_id), progress=lambda p, m: job_progress(job_id, p, m))
    except DossierError as exc:
        job_failed(job_id, str(exc))
        return None
    job_done(job_id, report=report)
    return report.pk
