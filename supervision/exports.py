"""Excel exports (openpyxl), streamed: a write-only workbook takes the rows one by one from a queryset
iterator and writes them to a file, so a 100,000-row export needs the memory of a few rows, not of the sheet.
Each function takes rows already selected for the bureau (the page's own selector) and a file to write to;
the views and tasks only decide what is asked for."""

from collections.abc import Iterable
from io import BytesIO
from itertools import chain, islice
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assessments.engine import format_points
from core.display import local_text
from core.inputs import spreadsheet_cell


class Sheet(NamedTuple):
    """What an export writes: the sheet's title, its header and its rows (a lazy iterable)."""

    title: str
    header: list[str]
    rows: Iterable


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A write-only sheet is written once, top to bottom: the column widths are taken from the first rows.
WIDTH_SAMPLE = 500


def write_book(out, title: str, header: list[str], rows, *, progress=None) -> int:
    """Write one sheet — bold header kept in view (freeze panes), widths fitted to the text, two-decimal
    numbers, formula-like text as text (core.inputs) — to the file `out`. Returns the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"  # the header stays in view while scrolling
    rows = iter(rows)
    first = [list(row) for row in islice(rows, WIDTH_SAMPLE)]
    widths = [_width(name) for name in header]
    for row in first:
        widths = [max(w, _width(v)) for w, v in zip(widths, row, strict=False)]
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = min(60, width + 2)
    ws.append([_header_cell(ws, name) for name in header])
    n = 0
    for n, row in enumerate(chain(first, rows), start=1):
        ws.append([_cell(ws, value) for value in row])
        if progress is not None and n % 5000 == 0:
            progress(n)
    wb.save(out)
    return n


def _header_cell(ws, name):
    cell = WriteOnlyCell(ws, value=name)
    cell.font = Font(bold=True)
    return cell


def _cell(ws, value):
    if isinstance(value, float):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "0.00"
        return cell
    # Text that Excel would run as a formula is written as text; characters XML cannot hold are replaced.
    return spreadsheet_cell(ws, value)


def _book(title: str, header: list[str], rows) -> bytes:
    """A small sheet as bytes (the dashboard's matrix, a roster import's report)."""
    out = BytesIO()
    write_book(out, title, header, rows)
    return out.getvalue()


def _width(value) -> int:
    """Column width for a value: a Chinese character counts two."""
    text = "" if value is None else str(value)
    return max(8, sum(2 if ord(ch) > 0x2E7F else 1 for ch in text))


def _score(value):
    """A score as a number cell with two decimals (never text)."""
    if value in (None, ""):
        return ""
    return float(format_points(value))


_local = local_text


def applications(apps) -> Sheet:
    return Sheet(
        "评测申请",
        [
            "申请编号",
            "企业名称",
            "统一社会信用代码",
            "行业",
            "申请类型",
            "自评等级",
            "状态",
            "提交时间",
            "纸质材料收到日期",
            "评测机构",
            "资料审核截止",
            "现场查验截止",
            "提交建议截止",
            "状态变更时间",
        ],
        (
            (
                a.number,
                a.enterprise.name,
                a.enterprise.credit_code,
                a.enterprise.get_industry_display(),
                a.get_kind_display(),
                a.self_level,
                a.get_state_display(),
                _local(a.submitted_at),
                a.paper_received_on or "",
                a.agency.name if a.agency else "",
                a.review_due or "",
                a.site_due or "",
                a.proposal_due or "",
                _local(a.state_changed_at),
            )
            for a in apps
        ),
    )


def results(grades) -> Sheet:
    """Grades with their dimension points (as approved: Grade.dimension_points). The holder is the one
    approved; 现名称 is the enterprise's current name where it was renamed since."""
    return Sheet(
        "认定结果",
        [
            "证书编号",
            "企业名称",
            "统一社会信用代码",
            "现名称",
            "申请编号",
            "评测机构",
            "认定等级",
            "得分",
            "数字化基础",
            "数字化管理",
            "数字化成效",
            "认定时间",
            "状态",
            "撤销时间",
            "撤销原因",
            "撤销依据",
        ],
        (
            (
                g.certificate_number,
                g.holder_name,
                g.holder_credit_code,
                g.renamed_to,
                g.case.number,  # a superseded grade's case is its successor's
                g.case.agency.name if g.case.agency else "",
                g.level,
                _score(g.score),
                *[
                    _score((g.dimension_points or {}).get(d, ""))
                    for d in ("foundation", "management", "effectiveness")
                ],
                _local(g.approved_at),
                _grade_status(g),
                _local(g.revoked_at),
                g.revoked_reason,
                g.revoked_basis,
            )
            for g in grades
        ),
    )


def _grade_status(grade) -> str:
    """As the verify page says it: valid, superseded by a re-check's new certificate, or revoked."""
    if grade.is_valid:
        return "有效"
    return "已被替换" if grade.is_superseded else "已撤销"


def scenario_matrix(heatmap_rows) -> bytes:
    """The scenario × level matrix of the dashboard: per scenario, how many grades reach level 0..4."""
    return _book(
        "场景等级矩阵",
        ["场景编号", "场景", "约束性", "0级", "1级", "2级", "3级", "4级"],
        (
            (code, name, "是" if constrained else "", *counts)
            for code, name, constrained, counts in heatmap_rows
        ),
    )


def roster(entries) -> Sheet:
    return Sheet(
        "试点企业名单",
        [
            "统一社会信用代码",
            "企业名称",
            "数字化转型服务商",
            "服务商统一社会信用代码",
            "试点资格",
            "取消时间",
            "取消原因",
            "加入时间",
        ],
        (
            (
                e.credit_code,
                e.name,
                e.service_provider_name,
                e.service_provider_credit_code,
                "有效" if e.active else "已取消",
                _local(e.cancelled_at),
                e.cancelled_reason,
                _local(e.added_at),
            )
            for e in entries
        ),
    )


IMPORT_STATUS = {"imported": "已导入", "rejected": "已拒绝", "skipped": "已跳过"}


def import_report(report: list[dict]) -> bytes:
    return _book(
        "导入报告",
        [
            "行号",
            "统一社会信用代码",
            "企业名称",
            "数字化转型服务商",
            "服务商统一社会信用代码",
            "结果",
            "原因",
        ],
        (
            (
                r["row"],
                r.get("credit_code", ""),
                r.get("name", ""),
                r.get("service_provider_name", ""),
                r.get("service_provider_credit_code", ""),
                IMPORT_STATUS.get(r["status"], "已拒绝"),
                "；".join(r.get("reasons") or []),
            )
            for r in report
        ),
    )


def sample(sample, rechecks) -> Sheet:
    return Sheet(
        f"抽验{sample.pk}",
        [
            "顺序",
            "证书编号",
            "企业名称",
            "层",
            "原评测机构",
            "原等级",
            "复核机构",
            "复核结论",
            "复核等级",
            "复核意见",
            "结论时间",
        ],
        (
            (
                r.position,
                r.grade.certificate_number,
                r.grade.holder_name,
                r.stratum,
                r.grade.case.agency.name if r.grade.case.agency else "",
                r.grade.level,
                r.agency.name if r.agency else "",
                r.get_outcome_display(),
                r.level_after if r.level_after is not None else "",
                r.notes,
                _local(r.recorded_at),
            )
            for r in rechecks
        ),
    )


def audit(events) -> Sheet:
    return Sheet(
        "审计记录",
        ["时间", "操作人", "操作", "申请编号", "对象", "摘要", "来源地址"],
        (
            (
                _local(e.at),
                e.actor_name,
                e.action_label,
                str(e.application.number_label) if e.application else "",  # a draft: the neutral label
                e.object_label,
                e.text,
                e.client_address,
            )
            for e in events
        ),
    )
