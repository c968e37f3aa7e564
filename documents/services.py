"""Writes of the documents app: ask for a report or the dossier (a job row + an outbox message, one
transaction). What a task made is stored by documents.storage."""

from django.db import transaction

from core.audit import record
from core.files import serve_private_file
from core.models import BackgroundJob, JobKind
from core.queue import enqueue

from . import tasks
from .models import ReportKind


@transaction.atomic
def request_report(*, application, kind: str, by) -> BackgroundJob:
    """Queue the rendering of one report (or the dossier) of a case; the caller checked `by` may ask."""
    user_id = by.pk if by else None
    if kind == ReportKind.DOSSIER:
        job = BackgroundJob.objects.create(kind=JobKind.DOSSIER, application=application, created_by=by)
        enqueue(tasks.build_dossier, application_id=application.pk, job_id=job.pk, user_id=user_id)
    else:
        job = BackgroundJob.objects.create(
            kind=JobKind.REPORT, application=application, created_by=by, params={"kind": kind}
        )
        enqueue(tasks.render_report, application_id=application.pk, kind=kind, job_id=job.pk, user_id=user_id)
    return job


def serve_report(*, report, by):
    """A report's file for `by` (who was checked may have it), the download written to the audit trail."""
    record(
        actor=by,
        action="report.downloaded",
        obj=report,
        application=report.application,
        params={
            "report_kind": report.kind,
            "enterprise": report.application.enterprise.name,
            "sha256": report.content_sha256,
        },
    )
    content_type = "application/zip" if report.kind == ReportKind.DOSSIER else "application/pdf"
    return serve_private_file(report.file, filename=report.download_name, content_type=content_type)


def serve_export(*, job, by):
    """An export's file for the person who asked for it, the download written to the audit trail."""
    record(actor=by, action="export.downloaded", obj=job, params={"file": job.file_name})
    return serve_private_file(job.file, filename=job.file_name)
