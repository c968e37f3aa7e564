"""`{% load documents %}{% case_reports application %}`: the 报告下载 section of a case, for any case page
(enterprise home, expert and bureau case pages). One line to include; it reads the signed-in user."""

from django import template

from core.models import JobKind

from .. import selectors
from ..models import ReportKind

register = template.Library()


@register.inclusion_tag("documents/partials/reports.html", takes_context=True)
def case_reports(context, application):
    request = context["request"]
    return {
        "application": application,
        "rows": selectors.report_rows(request.user, application),
        "job": selectors.recent_job(request.user, application),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def job_title(job) -> str:
    """What a background job makes, as its row says it ("生成报告：评测报告")."""
    kind = job.params.get("kind") if job.kind == JobKind.REPORT else None
    if kind in ReportKind.values:
        return f"{job.get_kind_display()}：{ReportKind(kind).label}"
    return str(job.get_kind_display())
