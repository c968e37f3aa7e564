"""Report pages and downloads. Every view checks who asks: outsiders 404, insiders without the right 403;
every download is written to the audit trail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Application
from core.audit import record
from core.files import serve_private_file
from core.models import BackgroundJob, JobKind
from supervision import services as supervision_services
from supervision.tasks import EXPORTS

from . import selectors, services
from .models import Report, ReportKind


def _case(request, pk):
    application = get_object_or_404(Application.objects.select_related("enterprise", "agency"), pk=pk)
    rel = selectors.relation(request.user, application)
    if not rel:
        raise Http404
    return application, rel


def _reports_context(request, application, job=None):
    return {"application": application, "rows": selectors.report_rows(request.user, application), "job": job}


@login_required
@require_GET
def case_reports(request, pk):
    """The reports of one case: what exists (with dates), what is out of date, and the 生成报告 buttons."""
    application, rel = _case(request, pk)
    if rel == "insider":
        raise PermissionDenied
    job = selectors.recent_job(request.user, application)
    template = "documents/partials/reports.html" if request.htmx else "documents/case_reports.html"
    return render(request, template, _reports_context(request, application, job))


@login_required
@require_POST
def generate(request, pk):
    application, rel = _case(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in ReportKind.values:
        raise Http404
    if not selectors.may_generate(request.user, application, kind):
        if kind == ReportKind.DOSSIER and rel != "bureau":
            raise Http404
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
    job = get_object_or_404(BackgroundJob.objects.select_related("report", "application"), pk=pk)
    if not selectors.job_visible(request.user, job):
        raise Http404
    response = render(request, "documents/partials/job.html", {"job": job})
    if job.finished and job.application_id and request.htmx:
        response["HX-Trigger"] = "reports-changed"
    return response


@login_required
@require_GET
def download(request, pk):
    report = get_object_or_404(Report.objects.select_related("application__enterprise"), pk=pk)
    access = selectors.download_access(request.user, report)
    if access == selectors.NOT_FOUND:
        raise Http404
    if access == selectors.FORBIDDEN:
        raise PermissionDenied
    record(
        actor=request.user,
        action="report.downloaded",
        obj=report,
        application=report.application,
        params={
            "report_kind": report.kind,
            "enterprise": report.application.enterprise.name,
            "sha256": report.content_sha256,
        },
    )
    content_type = "application/zip" if report.kind == ReportKind.DOSSIER else "application/pdf"
    return serve_private_file(report.file, filename=report.download_name, content_type=content_type)


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
    job = get_object_or_404(BackgroundJob, pk=pk)
    if not selectors.job_visible(request.user, job):
        raise Http404
    return render(request, "documents/job_page.html", {"job": job})


@login_required
@require_GET
def export_download(request, pk):
    job = get_object_or_404(BackgroundJob, pk=pk, kind=JobKind.EXPORT)
    if job.created_by_id != request.user.pk or not job.file:
        raise Http404
    record(actor=request.user, action="export.downloaded", obj=job, params={"file": job.file_name})
    return serve_private_file(job.file, filename=job.file_name)
