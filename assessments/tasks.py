"""Background tasks of the assessments app: grading again (after an edition's data was corrected)."""

from django.utils.translation import gettext as _

from core.jobs import JobTask, job_done, job_progress, job_started
from core.queue import durable_task

from .models import Assessment
from .services import _refresh_cache


def _store_grade(assessment) -> None:
    """The engine's verdict into the assessment's score/level cache (the portal's own helper); content and
    revision untouched, so a regrade never conflicts with a tab being edited."""
    _refresh_cache(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(score=assessment.score, level=assessment.level)


@durable_task(base=JobTask)
def regrade_assessment(self, *, assessment_id: int, job_id: int | None = None):
    """Grade one assessment again with the engine and store its score and level (the cache)."""
    job_started(job_id)
    assessment = Assessment.objects.get(pk=assessment_id)
    _store_grade(assessment)
    job_done(job_id)
    return assessment_id


@durable_task(base=JobTask)
def regrade_edition(self, *, edition: str, job_id: int | None = None):
    """Grade every assessment of a framework edition again, in chunks, with progress."""
    job_started(job_id)
    ids = list(Assessment.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True))
    for n, pk in enumerate(ids, start=1):
        assessment = Assessment.objects.filter(pk=pk).first()
        if assessment is not None:
            _store_grade(assessment)
        if n % 20 == 0 or n == len(ids):
            job_progress(
                job_id,
                5 + 90 * n // len(ids),
                _("已重新评分 %(n)s / %(total)s") % {"n": n, "total": len(ids)},
            )
    job_done(job_id, message=_("已重新评分 %(n)s 份自评") % {"n": len(ids)})
    return len(ids)
