"""The audit actions of reports and exports (core.actions), and how a report kind reads."""

from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .models import ReportKind

param("report_kind", lambda code, params: ReportKind(code).label)

action("report.generated", _("生成报告"), _("生成%(report_kind)s：%(enterprise)s"))
action("report.downloaded", _("下载报告"), _("下载%(report_kind)s：%(enterprise)s"))
action("export.downloaded", _("下载导出文件"), _("下载导出文件：%(file)s"))
