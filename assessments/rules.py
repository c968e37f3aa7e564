"""Who may see an application and its evidence (named predicates, django-rules).

Outsiders never learn that a case exists: views turn a False here into 404. The experts' app may extend
`can_view_evidence` / `can_view_application` by combining these predicates; keep them small and named.
"""

import rules

from accounts.rules import is_agency_admin, is_bureau, is_enterprise_user, is_expert

from .models import Application, Assessment, Evidence


def _application_of(obj):
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
    return None


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
    app = _application_of(obj)
    return bool(
        app is not None and is_agency_admin(user) and app.agency_id and user.agency_id == app.agency_id
    )


@rules.predicate
def is_case_expert_cleared(user, obj):
    """An expert on a live team of this case who declared no conflict (TeamMember.may_see_enterprise)."""
    app = _application_of(obj)
    if app is None or not is_expert(user) or not app.agency_id:
        return False
    # The expert's memberships (experts.TeamMember, read through its relation to the user).
    members = user.team_memberships.filter(
        team__application=app, team__dissolved_at__isnull=True, removed_at__isnull=True
    )
    return any(m.may_see_enterprise for m in members)


can_view_application = is_own_enterprise | is_bureau | is_case_agency_admin | is_case_expert_cleared
# Files are opened only by people bound by a conflict declaration (or the enterprise and the bureau): the
# agency admin coordinates the case but does not declare, so they see the case, not its evidence.
can_view_evidence = is_own_enterprise | is_bureau | is_case_expert_cleared
can_edit_assessment = is_own_enterprise

rules.add_rule("assessments.view_application", can_view_application)
rules.add_rule("assessments.view_evidence", can_view_evidence)
rules.add_rule("assessments.edit_assessment", can_edit_assessment)
