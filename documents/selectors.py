"""Reads: who may see or download what, and the lists the pages show. Every list starts from what the user
may see."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from assessments.selectors import visible_applications
from core.models import BackgroundJob, JobKind

from .models import Report, ReportKind
from .reports import ReportUnavailable, content_for, content_sha256


def visible_reports(user):
    """The reports this user may know exist: those of the cases they see; the dossier (案卷) only the bureau."""
    qs = Report.objects.select_related("application__enterprise").filter(
        application__in=visible_applications(user).values("pk")
    )
    return qs if user.role == Role.BUREAU else qs.exclude(kind=ReportKind.DOSSIER)


def may_generate(user, application, kind: str) -> bool:
    """Who may ask for a report to be (re)generated: whoever may have it (documents.rules.MAY_HAVE)."""
    return user.has_perm(f"documents.generate_{kind}", application)


def reports_for(user, application):
    """The reports of a case this user may download, newest first (old versions are kept, with their date)."""
    kinds = [k for k in ReportKind.values if may_generate(user, application, k)]
    return Report.objects.filter(application=application, kind__in=kinds).order_by(
        "kind", "-created_at", "-id"
    )


def jobs_for(user, application=None):
    qs = (
        BackgroundJob.objects.filter(created_by=user)
        if user.is_authenticated
        else BackgroundJob.objects.none()
    )
    if application is not None:
        qs = qs.filter(application=application)
    return qs.select_related("report")


def recent_job(user, application):
    """The user's latest job on this case, while it runs and for a few minutes after (so its outcome shows)."""

    since = timezone.now() - timedelta(minutes=5)
    return (
        jobs_for(user, application)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=since))
        .order_by("-created_at", "-id")
        .first()
    )


def visible_jobs(user):
    """The background jobs this user may watch: their own, and for the bureau every job but another's export."""
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    mine = Q(created_by=user)
    if user.role == Role.BUREAU:
        mine |= ~Q(kind=JobKind.EXPORT)
    return BackgroundJob.objects.filter(mine).select_related("report")


def own_exports(user):
    """The user's own finished exports (an export is for the person who asked for it only)."""
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(created_by=user, kind=JobKind.EXPORT).exclude(file="")


def latest_by_kind(reports) -> dict:
    latest = {}
    for r in reports:
        latest.setdefault(r.kind, r)
    return latest


def report_rows(user, application) -> list[dict]:
    """For the page: per kind the user may ask for, the reports (newest first) and whether the newest is
    out of date (what it shows has changed since)."""
    return report_rows_for(user, [application])[application.pk]


def report_rows_for(user, applications) -> dict[int, list[dict]]:
    """report_rows() of several cases (a list page's rows) with one read of their reports."""
    apps = list(applications)
    reports = defaultdict(list)
    for r in Report.objects.filter(application__in=[a.pk for a in apps]).order_by(
        "kind", "-created_at", "-id"
    ):
        reports[r.application_id].append(r)
    return {app.pk: _rows(user, app, reports[app.pk]) for app in apps}


def recent_jobs_for(user, applications) -> dict[int, BackgroundJob]:
    """recent_job() of several cases, in one query."""
    since = timezone.now() - timedelta(minutes=5)
    latest = {}
    jobs = (
        jobs_for(user)
        .filter(application__in=[a.pk for a in applications])
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=since))
        .order_by("-created_at", "-id")
    )
    for job in jobs:
        latest.setdefault(job.application_id, job)
    return latest


def _rows(user, application, reports) -> list[dict]:
    rows = []
    for kind, label in ReportKind.choices:
        can_generate = may_generate(user, application, kind)
        mine = [r for r in reports if r.kind == kind] if can_generate else []
        if not mine and not can_generate:
            continue
        stale, unavailable = False, ""
        if kind != ReportKind.DOSSIER:
            try:
                digest = content_sha256(kind, content_for(application, kind))
                stale = not mine or mine[0].content_sha256 != digest
            except ReportUnavailable as exc:
                unavailable = str(exc)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "reports": mine,
                "can_generate": can_generate and not unavailable,
                "stale": stale,
                "unavailable": unavailable,
            }
        )
    return rows
