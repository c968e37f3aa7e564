"""Asking for a regrade: one assessment, or every assessment of an edition (after the edition's data was
corrected). A job the user can watch + an outbox message, in one transaction."""

from django.db import transaction

from core.models import BackgroundJob, JobKind
from core.queue import enqueue

from . import tasks


@transaction.atomic
def request_regrade(*, by, assessment=None, edition: str | None = None) -> BackgroundJob:
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
