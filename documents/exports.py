"""Excel exports rendered in the background to a stored file (for lists too big for one request).

An export is a name → function(user, params) returning (title, xlsx bytes). The workbook itself is built by
the bureau's export module (supervision.exports), the same file the bureau's pages offer directly; here it is
made in a task, from a "visible to this user" query, and stored on the job for download.
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.display import file_stamp

from .selectors import visible_applications


def applications_export(user, params):
    from supervision import exports

    qs = visible_applications(user).order_by("number")
    if params.get("state"):
        qs = qs.filter(state=params["state"])
    return _("评测申请"), exports.applications(qs.iterator(chunk_size=500))


EXPORTS = {"applications": applications_export}


def render(job, *, progress) -> None:
    params = dict(job.params)
    name = params.pop("name")
    progress(10, _("正在导出"))
    title, data = EXPORTS[name](job.created_by, params)
    progress(90, _("正在保存"))
    job.file_name = f"{title}-{file_stamp()}.xlsx"
    job.file.save(f"export-{job.pk}.xlsx", ContentFile(data), save=False)
    job.save(update_fields=["file", "file_name"])
