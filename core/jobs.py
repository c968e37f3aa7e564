"""Moving a BackgroundJob along (the tasks call these; a missing job id is a task run without a watcher)."""

from celery import Task
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BackgroundJob, JobState


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


class JobTask(Task):
    """Base of a task that works for a BackgroundJob: marks the job failed when the task fails for good."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_failed(kwargs.get("job_id"), _("处理失败：%(error)s") % {"error": exc})
