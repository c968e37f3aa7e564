"""Predicates (django-rules) about the documents of a case: which kinds of report each insider may have.
Composed into named permissions in shunyi_eval/permissions.py."""

import rules

from accounts.rules import is_bureau
from assessments.models import ApplicationState
from assessments.rules import is_case_agency_admin, is_cleared_expert, is_own_enterprise
from supervision.models import Grade

from .models import Report, ReportKind


def _application(obj):
    return obj.application if isinstance(obj, Report) else obj


@rules.predicate
def has_valid_grade(user, application):
    """A published, unrevoked grade (read through the application's relation, so a list that selected it asks
    nothing more)."""
    try:
        return application.grade.revoked_at is None
    except Grade.DoesNotExist:
        return False


@rules.predicate
def is_approved(user, application):
    return application.state == ApplicationState.APPROVED


#: Who may have each kind of report of a case (predicates on the application).
MAY_HAVE = {
    ReportKind.SELF: is_bureau | is_own_enterprise,
    # A revoked grade's certificate is not the enterprise's any more.
    ReportKind.CERTIFICATE: is_bureau | (is_own_enterprise & has_valid_grade),
    ReportKind.REVIEW: is_bureau
    | (is_own_enterprise & is_approved)
    | is_case_agency_admin
    | is_cleared_expert,
    ReportKind.DOSSIER: is_bureau,
}

#: Who sees a case's reports page at all (the insiders bound to it; an undeclared expert is not).
may_see_reports = is_bureau | is_own_enterprise | is_case_agency_admin | is_cleared_expert


@rules.predicate
def may_have_report(user, report: Report):
    return MAY_HAVE[report.kind].test(user, report.application)
