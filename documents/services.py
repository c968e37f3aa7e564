"""Writes of the documents app: ask for background work (a job row + an outbox message, one transaction),
store what a task made."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shunyi_eval.queue import enqueue

from .models import BackgroundJob, JobKind, JobState, Report, ReportKind

log = logging.getLogger(__name__)


@transaction.atomic
def request_report(*, application, kind: str, by) -> BackgroundJob:
    """Queue the rendering of one report (or the dossier) of a case; the caller checked `by` may ask."""
    from . import tasks

    if kind == ReportKind.DOSSIER:
        job = BackgroundJob.objects.create(kind=JobKind.DOSSIER, application=application, created_by=by)
        enqueue(
            tasks.build_dossier, application_id=application.pk, job_id=job.pk, user_id=by.pk if by else None
        )
    else:
        job = BackgroundJob.objects.create(
            kind=JobKind.REPORT, application=application, created_by=by, params={"kind": kind}
        )
        enqueue(
            tasks.render_report,
            application_id=application.pk,
            kind=kind,
            job_id=job.pk,
            user_id=by.pk if by else None,
        )
    return job


@transaction.atomic
def request_export(*, name: str, by, params: dict | None = None) -> BackgroundJob:
    from . import tasks
    from .exports import EXPORTS

    if name not in EXPORTS:
        raise ValueError(name)
    job = BackgroundJob.objects.create(
        kind=JobKind.EXPORT, created_by=by, params={"name": name, **(params or {})}
    )
    enqueue(tasks.render_export, job_id=job.pk)
    return job


@transaction.atomic
def request_regrade(*, by, assessment=None, edition: str | None = None) -> BackgroundJob:
    """Regrade one assessment, or every assessment of an edition (after the edition's data was corrected)."""
    from . import tasks

    if (assessment is None) == (edition is None):
        raise ValueError("give exactly one of assessment, edition")
    if assessment is not None:
        job = BackgroundJob.objects.create(
            kind=JobKind.REGRADE, created_by=by, params={"assessment": assessment.pk}
        )
        enqueue(tasks.regrade_assessment, assessment_id=assessment.pk, job_id=job.pk)
    else:
        job = BackgroundJob.objects.create(kind=JobKind.REGRADE, created_by=by, params={"edition": edition})
        enqueue(tasks.regrade_edition, edition=edition, job_id=job.pk)
    return job


def job_progress(job_id, percent: int, message: str = "") -> None:
    if job_id:
        BackgroundJob.objects.filter(pk=job_id).update(
            percent=max(0, min(100, percent)), message=message[:300]
        )


def job_started(job_id) -> None:
    if job_id:
        job = BackgroundJob.objects.filter(pk=job_id).first()
        if job is not None:
            BackgroundJob.objects.filter(pk=job_id).update(
                state=JobState.RUNNING,
                started_at=timezone.now(),
                attempts=job.attempts + 1,
                percent=5,
                message=_("开始处理"),
            )


def job_done(job_id, *, report=None, message: str = "") -> None:
    if job_id:
        BackgroundJob.objects.filter(pk=job_id).update(
            state=JobState.DONE,
            percent=100,
            finished_at=timezone.now(),
            report=report,
            message=message or _("已完成"),
        )


def job_failed(job_id, message: str) -> None:
    if job_id:
        BackgroundJob.objects.filter(pk=job_id).exclude(state=JobState.DONE).update(
            state=JobState.FAILED, finished_at=timezone.now(), message=message[:300]
        )


def store_report(
    *, application, kind: str, digest: str, data: bytes, pages: int, title: str, by=None
) -> Report:
    """Save a rendered report once per (case, kind, content): a second attempt finds the first row."""
    existing = Report.objects.filter(application=application, kind=kind, content_sha256=digest).first()
    if existing is not None:
        return existing
    report = Report(
        application=application,
        kind=kind,
        content_sha256=digest,
        title=title,
        size=len(data),
        pages=pages,
        file_sha256=hashlib.sha256(data).hexdigest(),
        created_by=by,
    )
    ext = ".zip" if kind == ReportKind.DOSSIER else ".pdf"
    report.file.save(f"report{ext}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        report.file.storage.delete(report.file.name)
        return Report.objects.get(application=application, kind=kind, content_sha256=digest)
    from supervision.audit import record

    record(
        actor=by,
        action="report.generated",
        obj=report,
        application=application,
        summary=f"{report.get_kind_display()}：{title}",
        detail={"sha256": digest, "size": report.size},
    )
    return report
