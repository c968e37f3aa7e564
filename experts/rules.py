"""Who may see what of an expert review. Every experts page starts from one of these functions.

Outsiders (another agency's staff, experts of the agency who are not on the team, members removed after a
declared conflict) get 404 so that not even the existence of the case leaks. A member who has not yet
declared (利益冲突声明) sees only the declaration page: nothing of the enterprise, not even its name.
"""

from dataclasses import dataclass

import rules
from django.http import Http404

from accounts.models import Role
from assessments.models import Application, ApplicationState, Evidence
from assessments.rules import can_view_evidence

from .models import ConflictKind, MemberRole, Team, TeamMember, TeamPurpose

#: States in which a case is in the agency's hands or has been (the agency keeps read access afterwards).
AGENCY_STATES = [
    ApplicationState.ASSIGNED,
    ApplicationState.IN_REVIEW,
    ApplicationState.ON_SITE,
    ApplicationState.PROPOSED,
    ApplicationState.APPROVED,
    ApplicationState.REVOKED,
]
#: States in which the team may still change its verdicts, answers and inspection records.
WORKING_STATES = {ApplicationState.IN_REVIEW, ApplicationState.ON_SITE}
#: States in which the agency admin may still change the team.
TEAM_EDITABLE_STATES = {ApplicationState.ASSIGNED, ApplicationState.IN_REVIEW, ApplicationState.ON_SITE}


def active_team(application) -> Team | None:
    return (
        Team.objects.filter(
            application=application,
            agency_id=application.agency_id,
            purpose=TeamPurpose.REVIEW,
            dissolved_at__isnull=True,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def agency_applications(agency_id):
    """The cases an agency holds or held (what its admin sees; also what its API token sees)."""
    return Application.objects.filter(agency_id=agency_id, state__in=AGENCY_STATES)


def visible_applications(user):
    """The applications this agency user may open at all (admins: the agency's; experts: their teams')."""
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return Application.objects.none()
    qs = agency_applications(user.agency_id)
    if user.role == Role.AGENCY_ADMIN:
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(
            teams__agency_id=user.agency_id,
            teams__purpose=TeamPurpose.REVIEW,
            teams__dissolved_at__isnull=True,
            teams__members__expert=user,
            teams__members__removed_at__isnull=True,
        ).distinct()
    return Application.objects.none()


@dataclass
class Case:
    """One case as seen by one agency user."""

    application: Application
    team: Team | None
    member: TeamMember | None  # the user's own membership (experts only)
    user: object

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.AGENCY_ADMIN

    @property
    def is_lead(self) -> bool:
        return self.member is not None and self.member.role == MemberRole.LEAD

    @property
    def may_see_enterprise(self) -> bool:
        return self.is_admin or (self.member is not None and self.member.may_see_enterprise)

    @property
    def may_work(self) -> bool:
        """May change verdicts, answers and inspection records now."""
        return (
            self.member is not None
            and self.member.may_see_enterprise
            and self.application.state in WORKING_STATES
        )


def get_case(user, pk) -> Case:
    """The case or 404 for anyone who may not know it exists."""
    application = visible_applications(user).select_related("enterprise", "agency").filter(pk=pk).first()
    if application is None:
        raise Http404
    team = active_team(application)
    member = None
    if user.role == Role.EXPERT:
        member = team.members.filter(expert=user, removed_at__isnull=True).first() if team else None
        if member is None:
            raise Http404
    return Case(application=application, team=team, member=member, user=user)


@rules.predicate
def is_declared_team_member(user, application) -> bool:
    if user.role != Role.EXPERT or application.agency_id != user.agency_id:
        return False
    return TeamMember.objects.filter(
        team__application=application,
        team__agency_id=application.agency_id,
        team__purpose=TeamPurpose.REVIEW,
        team__dissolved_at__isnull=True,
        expert=user,
        removed_at__isnull=True,
        declared_at__isnull=False,
        conflict=ConflictKind.NONE,
    ).exists()


def case_evidence_ids(application, team) -> set[int]:
    """The evidence files that belong to the review: those frozen in the latest version plus supplements."""
    version = application.latest_version
    ids = {int(e["id"]) for e in (version.evidence if version else [])}
    if team is not None:
        ids |= set(Evidence.objects.filter(supplements__team=team).values_list("pk", flat=True))
    return ids


def can_view_case_evidence(user, evidence) -> bool:
    """An expert's view of an evidence file: the enterprise portal's evidence rule (a cleared member of the
    case's team: declared no conflict) and the file is part of this review (frozen in the latest version or
    sent in answer to a supplement request). An agency admin does not open files: they do not declare."""
    if user.role != Role.EXPERT or not can_view_evidence(user, evidence):
        return False
    application = Application.objects.filter(assessment_id=evidence.assessment_id).first()
    team = active_team(application) if application is not None else None
    if team is None or not is_declared_team_member(user, application):
        return False
    return evidence.pk in case_evidence_ids(application, team)
