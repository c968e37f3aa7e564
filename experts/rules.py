"""Predicates (django-rules) about the expert review of one case: who is on its team, who declared, who leads,
and what the case's state allows. Composed into named permissions in shunyi_eval/permissions.py.

Outsiders (another agency's staff, experts not on the team, members removed after a declared conflict) do not
find the case at all (`assessments.selectors.visible_applications`); a member who has not yet declared
(利益冲突声明) is an insider who may only declare: nothing of the enterprise, not even its name.
"""

from dataclasses import dataclass

import rules
from django.http import Http404

from accounts.access import fetch_for
from accounts.rules import is_expert
from assessments.models import Application, ApplicationState, Evidence
from assessments.rules import application_of
from assessments.selectors import visible_applications

from .models import InspectionPhoto, MemberRole, Team, TeamMember, TeamPurpose

#: States in which the team may still change its verdicts, answers and inspection records.
WORKING_STATES = {ApplicationState.IN_REVIEW, ApplicationState.ON_SITE}
#: States in which the agency admin may still change the team.
TEAM_EDITABLE_STATES = {ApplicationState.ASSIGNED, ApplicationState.IN_REVIEW, ApplicationState.ON_SITE}


def active_team(application) -> Team | None:
    """The case's standing review team (of the agency now commissioned), if one is formed."""
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


def reviewers(application):
    """The live members of the case's review team(s)."""
    return TeamMember.objects.live().of_case(application, TeamPurpose.REVIEW)


def _case(obj) -> Application | None:
    """The application of a case object (an Application, Evidence, Assessment or an inspection photo)."""
    if isinstance(obj, InspectionPhoto):
        return obj.inspection.team.application
    return application_of(obj)


@rules.predicate
def is_reviewer(user, obj):
    """A live member of the case's review team (declared or not)."""
    app = _case(obj)
    return bool(app is not None and is_expert(user) and reviewers(app).filter(expert=user).exists())


@rules.predicate
def is_undeclared_reviewer(user, obj):
    app = _case(obj)
    return bool(
        app is not None and is_expert(user) and reviewers(app).undeclared().filter(expert=user).exists()
    )


@rules.predicate
def is_cleared_reviewer(user, obj):
    """A live member of the case's review team who declared no conflict."""
    app = _case(obj)
    return bool(
        app is not None
        and is_expert(user)
        and TeamMember.objects.cleared().of_case(app, TeamPurpose.REVIEW).filter(expert=user).exists()
    )


@rules.predicate
def is_review_lead(user, obj):
    """The cleared lead (组长) of the case's review team."""
    app = _case(obj)
    return bool(
        app is not None
        and is_expert(user)
        and TeamMember.objects.cleared()
        .of_case(app, TeamPurpose.REVIEW)
        .filter(expert=user, role=MemberRole.LEAD)
        .exists()
    )


@rules.predicate
def is_in_working_state(user, obj):
    app = _case(obj)
    return app is not None and app.state in WORKING_STATES


@rules.predicate
def is_team_editable(user, obj):
    app = _case(obj)
    return app is not None and app.state in TEAM_EDITABLE_STATES


@rules.predicate
def has_review_team(user, obj):
    app = _case(obj)
    return app is not None and active_team(app) is not None


@rules.predicate
def is_part_of_review(user, obj):
    """An evidence file (or inspection photo) that belongs to the case's review: frozen in the latest version,
    sent in answer to a supplement request, or taken at its site inspection."""
    if isinstance(obj, Evidence):
        app = application_of(obj)
        team = active_team(app) if app is not None else None
        return team is not None and obj.pk in case_evidence_ids(app, team)
    if isinstance(obj, InspectionPhoto):
        team = obj.inspection.team
        return team.dissolved_at is None and team.purpose == TeamPurpose.REVIEW
    return False


def case_evidence_ids(application, team) -> set[int]:
    """The evidence files that belong to the review: those frozen in the latest version plus supplements."""
    version = application.latest_version
    ids = {int(e["id"]) for e in (version.evidence if version else [])}
    if team is not None:
        ids |= set(Evidence.objects.filter(supplements__team=team).values_list("pk", flat=True))
    return ids


@dataclass
class Case:
    """One case as an agency user works on it: the application, its review team and the user's own membership
    (experts only). What the user may do is a permission (`user.has_perm("experts.work_on_case", app)`)."""

    application: Application
    team: Team | None
    member: TeamMember | None


def get_case(user, pk, perm: str | None = None) -> Case:
    """The case through the access helper (404 to outsiders, 403 without `perm`). An expert must be on its
    review team: a re-check team's expert finds no review here."""
    application = fetch_for(user, visible_applications(user).select_related("assessment"), perm, pk=pk)
    team = active_team(application)
    member = None
    if is_expert(user):
        member = team.members.live().filter(expert=user).first() if team else None
        if member is None:
            raise Http404
    return Case(application=application, team=team, member=member)
