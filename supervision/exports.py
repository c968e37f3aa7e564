"""Excel exports (openpyxl). Each function takes rows already selected for the bureau and returns the file's
bytes; the views only decide what is asked for."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.engine import format_points
from core.display import local_text
from core.inputs import spreadsheet_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(title: str, header: list[str], rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"  # the header stays in view while scrolling
    widths = [_width(name) for name in header]
    for row in rows:
        row = list(row)
        # Text that Excel would run as a formula is written as text; characters XML cannot hold are replaced.
        ws.append([spreadsheet_cell(ws, value) for value in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
        widths = [max(w, _width(v)) for w, v in zip(widths, row, strict=False)]
    for i, width in enumerate(widths):
        ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = min(60, width + 2)
    out = BytesIO()
    wb.save(out)
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


def applications(apps) -> bytes:
    return _book(
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


def results(grades) -> bytes:
    """Grades with their dimension scores (rows carry `verified` = the latest proposal's verified result). The
    holder is the one approved; 现名称 is the enterprise's current name where it was renamed since."""
    return _book(
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
                g.application.number,
                g.application.agency.name if g.application.agency else "",
                g.level,
                _score(g.score),
                *[
                    _score((g.verified or {}).get("dimensions", {}).get(d, ""))
                    for d in ("foundation", "management", "effectiveness")
                ],
                _local(g.approved_at),
                "有效" if g.is_valid else "已撤销",
                _local(g.revoked_at),
                g.revoked_reason,
                g.revoked_basis,
            )
            for g in grades
        ),
    )


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


def roster(entries) -> bytes:
    return _book(
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
                "已导入" if r["status"] == "imported" else "已拒绝",
                "；".join(r.get("reasons") or []),
            )
            for r in report
        ),
    )


def sample(sample, rechecks) -> bytes:
    return _book(
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
                r.grade.application.agency.name if r.grade.application.agency else "",
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


def audit(events) -> bytes:
    return _book(
        "审计记录",
        ["时间", "操作人", "操作", "申请编号", "对象", "摘要", "来源地址"],
        (
            (
                _local(e.at),
                e.actor_name,
                e.action_label,
                e.application.number if e.application else "",
                f"{e.object_type}#{e.object_id}",
                e.text,
                e.client_address,
            )
            for e in events
        ),
    )
