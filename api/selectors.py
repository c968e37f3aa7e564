"""What an API token may read: the same populations as the pages, by scope.

A bureau token sees what the bureau's pages show (every application that has left the enterprise's drafts,
`supervision.selectors.bureau_applications`); an agency token sees what its admin sees
(`assessments.selectors.visible_applications` of the agency's admin: its own cases). Grades follow their
applications. The statistics are the bureau dashboard's population and filters
(`supervision.selectors.filtered_applications`), counted in the database: three aggregate queries whatever the
size."""

from django.db.models import Count, QuerySet

from accounts.sme import Industry
from assessments.framework import get_edition
from assessments.models import Application
from assessments.models import ApplicationState as S
from assessments.selectors import visible_applications
from supervision import selectors as bureau
from supervision.models import Grade

from .models import ApiToken, TokenScope


def applications_for(token: ApiToken) -> QuerySet[Application]:
    if token.scope == TokenScope.BUREAU:
        qs = bureau.bureau_applications()
    else:
        qs = visible_applications(token.principal)
    return qs.select_related("grade")


def application_for(token: ApiToken, number: str) -> Application | None:
    return applications_for(token).filter(number=number).first()


def grades_for(token: ApiToken) -> QuerySet[Grade]:
    qs = Grade.objects.select_related("application", "superseded_by__application").prefetch_related(
        "certificate_files"
    )
    if token.scope == TokenScope.BUREAU:
        return qs
    # The agency reviewed the case: like the bureau and the verify page, it still sees a grade a re-check
    # superseded (status superseded), not only the one that replaced it.
    return bureau.of_applications(qs, visible_applications(token.principal))


def grade_for(token: ApiToken, certificate_number: str) -> Grade | None:
    return grades_for(token).filter(certificate_number=certificate_number.strip().upper()).first()


def may_read_statistics(token: ApiToken) -> bool:
    """The dashboard is the bureau's page: only a bureau token reads its figures."""
    return token.scope == TokenScope.BUREAU


def statistics(*, start=None, end=None, industry: str = "", agency_id=None) -> dict:
    """Applications by state and by industry, valid grades by level — of the dashboard's filtered population."""
    apps = bureau.filtered_applications(start=start, end=end, industry=industry, agency_id=agency_id)
    by_state = dict(apps.order_by().values_list("state").annotate(n=Count("id")))
    by_industry = dict(apps.order_by().values_list("enterprise__industry").annotate(n=Count("id")))
    by_level = dict(
        Grade.objects.filter(application__in=apps.values("pk"), revoked_at__isnull=True)
        .order_by()
        .values_list("level")
        .annotate(n=Count("id"))
    )
    edition = get_edition()
    return {
        "total": sum(by_state.values()),
        "by_state": [
            {"state": value, "label": str(label), "count": by_state.get(value, 0)}
            for value, label in S.choices
            if value != S.DRAFT
        ],
        "by_level": [
            {"level": n, "name": edition.level_name(n), "count": by_level.get(n, 0)}
            for n in edition.level_numbers
        ],
        "valid_grades": sum(by_level.values()),
        "by_industry": [
            {"industry": value, "label": str(label), "count": by_industry.get(value, 0)}
            for value, label in Industry.choices
        ],
    }
