"""Background tasks of the assessments app: grading again (after an edition's data was corrected).

A regrade of an edition is split into chunks of consecutive ids, one task per chunk (so several workers share
it, and a retry redoes one chunk, not the edition): each chunk reads its assessments in one query, grades them
with the engine and writes the changed scores and levels back in one statement (core.bulk).
"""

from django.utils.translation import gettext as _

from core.bulk import update_columns
from core.jobs import JobTask, job_done, job_progress, job_started
from core.models import TaskReceipt
from core.queue import durable_task, enqueue

from .models import Assessment
from .services import _refresh_cache

CHUNK = 2000
GRADED = ("pk", "edition", "answers", "scenarios", "data", "score", "level")


def _store_grade(assessment) -> None:
    """The engine's verdict into the assessment's score/level cache (the portal's own helper); content and
    revision untouched, so a regrade never conflicts with a tab being edited."""
    _refresh_cache(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(score=assessment.score, level=assessment.level)


def regrade_range(edition: str, first: int, last: int) -> tuple[int, int]:
    """Grade the edition's assessments with ids first..last again; write those whose cache differs. Returns
    (graded, changed)."""
    changed, graded = [], 0
    rows = (
        Assessment.objects.filter(edition=edition, pk__gte=first, pk__lte=last).only(*GRADED).order_by("pk")
    )
    for assessment in rows.iterator(chunk_size=CHUNK):
        before = (assessment.score, assessment.level)
        _refresh_cache(assessment)
        graded += 1
        if (assessment.score, assessment.level) != before:
            changed.append(assessment)
    update_columns(Assessment, changed, ["score", "level"])
    return graded, len(changed)


def chunk_bounds(edition: str, size: int | None = None) -> list[tuple[int, int]]:
    """[(first id, last id)] of consecutive runs of `size` (CHUNK) assessments of the edition."""
    size = size or CHUNK
    ids = list(Assessment.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True))
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


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
    """Grade every assessment of a framework edition again: one regrade_chunk task per CHUNK assessments."""
    job_started(job_id)
    bounds = chunk_bounds(edition)
    if not bounds:
        job_done(job_id, message=_("已重新评分 %(n)s 份自评") % {"n": 0})
        return 0
    for index, (first, last) in enumerate(bounds):
        enqueue(
            regrade_chunk,
            edition=edition,
            first=first,
            last=last,
            index=index,
            chunks=len(bounds),
            job_id=job_id,
        )
    return len(bounds)


@durable_task(base=JobTask)
def regrade_chunk(
    self, *, edition: str, first: int, last: int, index: int, chunks: int, job_id: int | None = None
):
    """One chunk of an edition's regrade; the chunk that completes the set marks the job done."""
    graded, changed = regrade_range(edition, first, last)
    # A receipt per chunk: counting them tells how many are done, whichever worker did them and in what order.
    TaskReceipt.objects.get_or_create(key=f"regrade:{job_id}:{edition}:{index}")
    if job_id:
        done = TaskReceipt.objects.filter(key__startswith=f"regrade:{job_id}:{edition}:").count()
        if done >= chunks:
            total = Assessment.objects.filter(edition=edition).count()
            job_done(job_id, message=_("已重新评分 %(n)s 份自评") % {"n": total})
        else:
            job_progress(
                job_id,
                5 + 90 * done // chunks,
                _("已重新评分第 %(done)s / %(chunks)s 批") % {"done": done, "chunks": chunks},
            )
    return graded, changed
