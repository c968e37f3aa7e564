"""Background tasks of the supervision app: the bureau's Excel exports, rendered to a stored file on the job
(for lists too big for one request).

An export is a name → function(user, params) returning (title, xlsx bytes). The workbook is built by
supervision.exports, the same file the bureau's pages offer directly; here it is made in a task, from a
"visible to this user" query, and stored on the job for download.
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from accounts.models import Role
from assessments.selectors import visible_applications
from core.display import file_stamp
from core.jobs import JobTask, job_done, job_progress, job_started
from core.models import BackgroundJob, JobState
from core.queue import durable_task

from . import exports, selectors


def applications_export(user, params):
    """The bureau's 全部申请 list as it was filtered (the page's own selector: drafts are not in it); for
    anyone else, the applications they may see."""
    if user.role == Role.BUREAU:
        qs = selectors.application_list(state=params.get("state", ""), q=params.get("q", ""))
    else:
        qs = visible_applications(user).order_by("-state_changed_at", "-id")
        if params.get("state"):
            qs = qs.filter(state=params["state"])
    return _("评测申请"), exports.applications(qs.iterator(chunk_size=500))


EXPORTS = {"applications": applications_export}


def _render(job) -> None:
    params = dict(job.params)
    name = params.pop("name")
    job_progress(job.pk, 10, _("正在导出"))
    title, data = EXPORTS[name](job.created_by, params)
    job_progress(job.pk, 90, _("正在保存"))
    job.file_name = f"{title}-{file_stamp()}.xlsx"
    job.file.save(f"export-{job.pk}.xlsx", ContentFile(data), save=False)
    job.save(update_fields=["file", "file_name"])


@durable_task(base=JobTask)
def render_export(self, *, job_id: int):
    """Render an Excel export to a stored file on the job."""
    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
    if job.state == JobState.DONE and job.file:
        return job.pk
    job_started(job_id)
    _render(job)
    job_done(job_id)
    return job.pk
