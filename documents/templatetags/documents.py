"""`{% load documents %}{% case_reports application %}`: the 报告下载 section of a case, for any case page
(enterprise home, expert and bureau case pages). One line to include; it reads the signed-in user."""

from django import template

from core.models import JobKind

from .. import selectors
from ..models import ReportKind

register = template.Library()


@register.inclusion_tag("documents/partials/reports.html", takes_context=True)
def case_reports(context, application, among=None):
    """`among`: the applications of a list page this row is one of, read together on the first row (so the page
    asks the same number of queries for 1 row as for 30)."""
    request = context["request"]
    apps = list(among) if among else [application]
    key = tuple(a.pk for a in apps)
    cache = request.__dict__.setdefault("_case_reports", {})
    if key not in cache:
        cache[key] = (
            selectors.report_rows_for(request.user, apps),
            selectors.recent_jobs_for(request.user, apps),
        )
    rows, jobs = cache[key]
    return {
        "application": application,
        "rows": rows[application.pk],
        "job": jobs.get(application.pk),
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
