"""Background tasks of the supervision app: the bureau's Excel exports, streamed to a stored file on the job.

Every export of a list that can grow (applications, results, the audit trail, the roster, a sample) runs
here, never inside a request. An export is started from a page with that page's filters, and reads the rows
through the page's own selector, so the file holds exactly the rows the page lists.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files import File
from django.utils.translation import gettext as _

from accounts.models import Role
from assessments.selectors import visible_applications
from core.display import file_stamp
from core.jobs import JobTask, job_done, job_progress, job_started
from core.models import BackgroundJob, JobState
from core.queue import durable_task

from . import exports, selectors
from .forms import ApplicationListFilterForm, AuditFilterForm, DashboardFilterForm
from .models import Sample

CHUNK = 2000


@dataclass(frozen=True)
class Export:
    """A named export: the page parameters it takes, who may ask for it, and (user, params) → its rows."""

    sheet: Callable[[object, dict], exports.Sheet]
    params: tuple[str, ...]
    bureau_only: bool = True


def _applications(user, params) -> exports.Sheet:
    """The bureau's 全部申请 list as filtered (drafts are not on it); anyone else: what they may see."""
    if user.role == Role.BUREAU:
        qs = selectors.application_list(**ApplicationListFilterForm(params).filters())
    else:
        qs = visible_applications(user).order_by("-state_changed_at", "-id")
        if params.get("state"):
            qs = qs.filter(state=params["state"])
    return exports.applications(qs.iterator(chunk_size=CHUNK))


def _results(user, params) -> exports.Sheet:
    apps = selectors.filtered_applications(**DashboardFilterForm(params).filters())
    # A grade a re-check superseded stays on the sheet (已被替换), under its case, as on the verify page.
    grades = selectors.of_applications(
        selectors.grades().select_related("superseded_by__application__agency"), apps
    ).order_by("-approved_at", "-id")
    return exports.results(grades.iterator(chunk_size=CHUNK))


def _audit(user, params) -> exports.Sheet:
    form = AuditFilterForm(params, actions=selectors.audit_actions())
    return exports.audit(selectors.audit_events(**form.filters()).iterator(chunk_size=CHUNK))


def _roster(user, params) -> exports.Sheet:
    entries = selectors.roster_entries(q=params.get("q", "").strip(), status=params.get("status", ""))
    return exports.roster(entries.iterator(chunk_size=CHUNK))


def _sample(user, params) -> exports.Sheet:
    sample = Sample.objects.get(pk=int(params["sample"]))
    return exports.sample(sample, selectors.sample_rechecks(sample).iterator(chunk_size=CHUNK))


DASHBOARD = ("start", "end", "industry", "agency")
EXPORTS = {
    "applications": Export(_applications, ("state", "q", "overdue", *DASHBOARD), bureau_only=False),
    "results": Export(_results, DASHBOARD),
    "audit": Export(_audit, ("actor", "action", "application", "start", "end", "text")),
    "roster": Export(_roster, ("q", "status")),
    "sample": Export(_sample, ("sample",)),
}


def may_export(user, name: str) -> bool:
    export = EXPORTS.get(name)
    return export is not None and (not export.bureau_only or user.role == Role.BUREAU)


def _render(job) -> None:
    params = dict(job.params)
    name = params.pop("name")
    job_progress(job.pk, 10, _("正在导出"))
    sheet = EXPORTS[name].sheet(job.created_by, params)

    def progress(n):
        job_progress(job.pk, 10, _("已导出 %(n)s 行") % {"n": n})

    with tempfile.TemporaryFile() as out:
        rows = exports.write_book(out, sheet.title, sheet.header, sheet.rows, progress=progress)
        job_progress(job.pk, 90, _("正在保存（%(n)s 行）") % {"n": rows})
        out.seek(0)
        job.file_name = f"{sheet.title}-{file_stamp()}.xlsx"
        job.file.save(f"export-{job.pk}.xlsx", File(out), save=False)
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
