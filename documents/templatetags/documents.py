"""`{% load documents %}{% case_reports application %}`: the 报告下载 section of a case, for any case page
(enterprise home, expert and bureau case pages). One line to include; it reads the signed-in user."""

from django import template

from .. import selectors

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
