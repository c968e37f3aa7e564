"""Reads: who may see or download what, and the lists the pages show. Every list starts from what the user
may see."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from assessments.rules import is_case_expert_cleared
from assessments.selectors import visible_applications as visible
from core.models import BackgroundJob
from experts.models import TeamMember
from supervision.models import Grade

from .models import Report, ReportKind
from .reports import ReportUnavailable, content_for, content_sha256

ALLOWED, FORBIDDEN, NOT_FOUND = "allowed", "forbidden", "not_found"


def visible_applications(user):
    """The applications this user may see at all (the enterprise portal's rule, reused)."""
    return visible(user)


def _is_team_member(user, application) -> bool:
    return TeamMember.objects.filter(
        team__application=application, team__dissolved_at__isnull=True, expert=user, removed_at__isnull=True
    ).exists()


def relation(user, application) -> str:
    """How this user stands to this case: 'bureau', 'enterprise', 'agency', 'expert', 'insider' (sees the case
    but not its reports) or '' (an outsider)."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.role == Role.BUREAU:
        return "bureau"
    if user.role == Role.ENTERPRISE:
        return "enterprise" if user.enterprise_id == application.enterprise_id else ""
    if user.role == Role.AGENCY_ADMIN:
        return "agency" if application.agency_id and user.agency_id == application.agency_id else ""
    if user.role == Role.EXPERT:
        if not application.agency_id or user.agency_id != application.agency_id:
            return ""

        if is_case_expert_cleared(user, application):
            return "expert"
        # On the team but not cleared (no declaration yet, or a conflict): an insider without the right.
        return "insider" if _is_team_member(user, application) else ""
    return ""


def _grade_valid(application) -> bool:
    return Grade.objects.filter(application=application, revoked_at__isnull=True).exists()


def may_download_kind(rel: str, kind: str, application) -> bool:
    if rel == "bureau":
        return True
    if rel == "enterprise":
        if kind == ReportKind.SELF:
            return True
        if kind == ReportKind.CERTIFICATE:
            return _grade_valid(application)  # a revoked grade's certificate is not the enterprise's any more
        return kind == ReportKind.REVIEW and application.state == "approved"
    if rel in ("agency", "expert"):
        return kind == ReportKind.REVIEW
    return False


def download_access(user, report: Report) -> str:
    """ALLOWED, FORBIDDEN (an insider of the case without the right: 403) or NOT_FOUND (404)."""
    rel = relation(user, report.application)
    if not rel:
        return NOT_FOUND
    if report.kind == ReportKind.DOSSIER and rel != "bureau":
        return NOT_FOUND
    return ALLOWED if may_download_kind(rel, report.kind, report.application) else FORBIDDEN


def may_generate(user, application, kind: str) -> bool:
    """Who may ask for a report to be (re)generated: whoever may download it; the dossier: the bureau."""
    rel = relation(user, application)
    if kind == ReportKind.DOSSIER:
        return rel == "bureau"
    return may_download_kind(rel, kind, application)


def reports_for(user, application):
    """The reports of a case this user may download, newest first (old versions are kept, with their date)."""
    rel = relation(user, application)
    kinds = [
        k
        for k in ReportKind.values
        if rel and (rel == "bureau" or (k != ReportKind.DOSSIER and may_download_kind(rel, k, application)))
    ]
    return Report.objects.filter(application=application, kind__in=kinds).order_by(
        "kind", "-created_at", "-id"
    )


def generatable_kinds(user, application) -> list[tuple[str, str]]:
    return [(k, label) for k, label in ReportKind.choices if may_generate(user, application, k)]


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


def job_visible(user, job: BackgroundJob) -> bool:
    return user.is_authenticated and (
        job.created_by_id == user.pk or (user.role == Role.BUREAU and job.kind != "export")
    )


def latest_by_kind(reports) -> dict:
    latest = {}
    for r in reports:
        latest.setdefault(r.kind, r)
    return latest


def report_rows(user, application) -> list[dict]:
    """For the page: per kind the user may ask for, the reports (newest first) and whether the newest is
    out of date (what it shows has changed since)."""
    reports = list(reports_for(user, application))
    rows = []
    for kind, label in ReportKind.choices:
        mine = [r for r in reports if r.kind == kind]
        can_generate = may_generate(user, application, kind)
        if not mine and not can_generate:
            continue
        stale, unavailable = False, ""
        if can_generate and kind != ReportKind.DOSSIER:
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
