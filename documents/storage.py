"""Storing what a task made: a rendered report, once per (case, kind, content)."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from core.audit import record

from .models import Report, ReportKind


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
    record(
        actor=by,
        action="report.generated",
        obj=report,
        application=application,
        params={
            "report_kind": kind,
            "enterprise": application.enterprise.name,
            "sha256": digest,
            "size": report.size,
        },
    )
    return report
