"""Who a user is (django-rules predicates about the user alone). Object-level predicates live in the app of the
object; shunyi_eval/permissions.py composes them into named permissions."""

import rules

from .models import Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_enterprise_user(user):
    return _active(user) and user.role == Role.ENTERPRISE and bool(user.enterprise_id)


@rules.predicate
def is_expert(user):
    return _active(user) and user.role == Role.EXPERT and bool(user.agency_id)


@rules.predicate
def is_agency_admin(user):
    return _active(user) and user.role == Role.AGENCY_ADMIN and bool(user.agency_id)


@rules.predicate
def is_bureau(user):
    return _active(user) and user.role == Role.BUREAU


is_agency_staff = is_expert | is_agency_admin
