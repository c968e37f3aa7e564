"""Excel exports rendered in the background to a stored file (for lists too big for one request).

An export is a name → function(user, params) giving a title, a header and rows; `render` writes them with
openpyxl's write-only mode (constant memory) and stores the file on the job. Only what the user may see is
exported: every export starts from a "visible to this user" query.
"""

import tempfile

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import visible_applications


def applications_export(user, params):
    from supervision.models import Grade

    qs = visible_applications(user).order_by("number")
    if params.get("state"):
        qs = qs.filter(state=params["state"])
    grades = {g.application_id: g for g in Grade.objects.filter(application__in=qs)}
    header = [
        _("申请编号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("申请类型"),
        _("状态"),
        _("自评等级"),
        _("提交时间"),
        _("评测机构"),
        _("认定等级"),
        _("证书编号"),
    ]

    def rows():
        for a in qs.iterator(chunk_size=500):
            g = grades.get(a.pk)
            yield [
                a.number,
                a.enterprise.name,
                a.enterprise.credit_code,
                a.get_kind_display(),
                a.get_state_display(),
                a.self_level,
                timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "",
                a.agency.name if a.agency else "",
                g.level if g else "",
                g.certificate_number if g else "",
            ]

    return _("评测申请"), header, rows(), qs.count()


EXPORTS = {"applications": applications_export}


def render(job, *, progress) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    params = dict(job.params)
    name = params.pop("name")
    title, header, rows, total = EXPORTS[name](job.created_by, params)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
    for n, row in enumerate(rows, start=1):
        ws.append(row)
        if n % 500 == 0:
            progress(5 + 90 * n // max(total, 1), _("已导出 %(n)s / %(total)s 行") % {"n": n, "total": total})
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    with tempfile.TemporaryFile() as tmp:
        wb.save(tmp)
        tmp.seek(0)
        job.file_name = f"{title}-{stamp}.xlsx"
        job.file.save(f"export-{job.pk}.xlsx", File(tmp), save=False)
    job.save(update_fields=["file", "file_name"])
