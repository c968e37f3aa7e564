"""Report pages and downloads. Every view checks who asks: outsiders 404, insiders without the right 403;
every download is written to the audit trail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for
from assessments.selectors import visible_applications
from supervision import services as supervision_services
from supervision.tasks import EXPORTS

from . import selectors, services
from .models import ReportKind


def _case(request, pk):
    return get_for(request, visible_applications(request.user), "documents.view_reports", pk=pk)


def _reports_context(request, application, job=None):
    return {"application": application, "rows": selectors.report_rows(request.user, application), "job": job}


@login_required
@require_GET
def case_reports(request, pk):
    """The reports of one case: what exists (with dates), what is out of date, and the 生成报告 buttons."""
    application = _case(request, pk)
    job = selectors.recent_job(request.user, application)
    template = "documents/partials/reports.html" if request.htmx else "documents/case_reports.html"
    return render(request, template, _reports_context(request, application, job))


@login_required
@require_POST
def generate(request, pk):
    application = _case(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in ReportKind.values or (kind == ReportKind.DOSSIER and not request.user.is_bureau):
        raise Http404  # the dossier does not exist for anyone but the bureau
    if not selectors.may_generate(request.user, application, kind):
        raise PermissionDenied
    job = services.request_report(application=application, kind=kind, by=request.user)
    if request.htmx:
        job.refresh_from_db()  # in process (embedded default) it may be finished already
        response = render(request, "documents/partials/job.html", {"job": job})
        if job.finished:
            response["HX-Trigger"] = "reports-changed"
        return response
    return redirect("documents:case_reports", pk=application.pk)


@login_required
@require_GET
def job_status(request, pk):
    """Polled by htmx every 2 s while the job runs; stops polling when it is done or failed."""
    job = get_for(request, selectors.visible_jobs(request.user).select_related("application"), pk=pk)
    response = render(request, "documents/partials/job.html", {"job": job})
    if job.finished and job.application_id and request.htmx:
        response["HX-Trigger"] = "reports-changed"
    return response


@login_required
@require_GET
def download(request, pk):
    report = get_for(request, selectors.visible_reports(request.user), "documents.download_report", pk=pk)
    return services.serve_report(report=report, by=request.user)


@login_required
@require_POST
def export_start(request, name):
    if name not in EXPORTS:
        raise Http404
    params = {key: request.POST[key] for key in ("state", "q") if request.POST.get(key)}
    job = supervision_services.request_export(name=name, by=request.user, params=params)
    if request.htmx:
        return render(request, "documents/partials/job.html", {"job": job})
    return redirect("documents:job", pk=job.pk)


@login_required
@require_GET
def job_page(request, pk):
    job = get_for(request, selectors.visible_jobs(request.user), pk=pk)
    return render(request, "documents/job_page.html", {"job": job})


@login_required
@require_GET
def export_download(request, pk):
    job = get_for(request, selectors.own_exports(request.user), pk=pk)
    return services.serve_export(job=job, by=request.user)
