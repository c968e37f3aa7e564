"""Predicates (django-rules) about a re-check (抽验复核): the agency the bureau gave it to and the experts of its
team. A re-check team declares conflicts of interest exactly like a review team (experts.TeamMember.objects)."""

import rules

from accounts.rules import is_agency_admin, is_expert
from experts.models import MemberRole, TeamMember

from .models import Recheck


def recheck_members(recheck: Recheck):
    """The live members of the re-check's current team."""
    if recheck.team_id is None:
        return TeamMember.objects.none()
    return TeamMember.objects.live().filter(team_id=recheck.team_id)


@rules.predicate
def is_recheck_agency_admin(user, recheck):
    return bool(is_agency_admin(user) and recheck.agency_id and recheck.agency_id == user.agency_id)


@rules.predicate
def is_recheck_member(user, recheck):
    """A live member of the re-check's team (declared or not)."""
    return bool(is_expert(user) and recheck_members(recheck).filter(expert=user).exists())


@rules.predicate
def is_undeclared_recheck_member(user, recheck):
    return bool(is_expert(user) and recheck_members(recheck).undeclared().filter(expert=user).exists())


@rules.predicate
def is_cleared_recheck_member(user, recheck):
    return bool(
        is_expert(user)
        and recheck.team_id is not None
        and TeamMember.objects.cleared().filter(team_id=recheck.team_id, expert=user).exists()
    )


@rules.predicate
def is_recheck_lead(user, recheck):
    return bool(
        is_expert(user)
        and recheck.team_id is not None
        and TeamMember.objects.cleared()
        .filter(team_id=recheck.team_id, expert=user, role=MemberRole.LEAD)
        .exists()
    )


@rules.predicate
def is_recheck_open(user, recheck):
    return not recheck.outcome
