"""Predicates (django-rules) about an enterprise's own things: its assessments, evidence and applications.

Each takes (user, obj) where obj is an Application, an Assessment or an Evidence file. They are composed into
named permissions in shunyi_eval/permissions.py; views never call them directly.
"""

import rules

from accounts.rules import is_agency_admin, is_enterprise_user, is_expert

from .models import Application, ApplicationStates, Assessment, Evidence


def application_of(obj) -> Application | None:
    """The application a thing belongs to (an Application, an Evidence or an Assessment), or None."""
    if isinstance(obj, Application):
        return obj
    if isinstance(obj, Evidence):
        obj = obj.assessment
    if isinstance(obj, Assessment):
        try:
            return obj.application
        except Application.DoesNotExist:
            return None
    return getattr(obj, "application", None)


def _enterprise_id_of(obj):
    if isinstance(obj, (Application, Assessment)):
        return obj.enterprise_id
    if isinstance(obj, Evidence):
        return obj.assessment.enterprise_id
    return None


@rules.predicate
def is_own_enterprise(user, obj):
    """Staff of the enterprise the object belongs to."""
    return bool(is_enterprise_user(user) and user.enterprise_id == _enterprise_id_of(obj))


@rules.predicate
def is_case_agency_admin(user, obj):
    """The admin of the agency commissioned for this case."""
    app = application_of(obj)
    return bool(app is not None and is_agency_admin(user) and app.agency_id == user.agency_id)


@rules.predicate
def is_cleared_expert(user, obj):
    """A live, cleared member (declared no conflict) of one of this case's teams, review or re-check
    (experts.TeamMember.objects.cleared(), read through the user's memberships)."""
    app = application_of(obj)
    if app is None or not is_expert(user):
        return False
    return user.team_memberships.cleared().of_case(app).exists()


@rules.predicate
def is_editable(user, obj):
    """A working copy is editable until its application is submitted, and again when returned."""
    app = application_of(obj)
    return app is None or app.state in ApplicationStates.EDITABLE
