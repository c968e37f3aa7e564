"""Who a user is (django-rules predicates about the user alone). Object-level predicates live in the app of the
object; shunyi_eval/permissions.py composes them into named permissions."""

import rules

from .models import ClaimKind, Role


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


# --- About an enterprise and its account claims (object: an Enterprise / an AccountClaim) -------------------


@rules.predicate
def is_enterprise_account_of(user, enterprise):
    """The user is staff of this enterprise (manages its profile and colleagues)."""
    return is_enterprise_user(user) and enterprise is not None and user.enterprise_id == enterprise.pk


def confirmed_staff_of(user, enterprise) -> bool:
    """The enterprise's confirmed staff: active, e-mail confirmed, of a verified enterprise."""
    return bool(
        is_enterprise_account_of(user, enterprise) and enterprise.is_verified and user.email_confirmed_at
    )


@rules.predicate
def may_decide_access_request(user, claim):
    """An access request (a second claimant of a claimed code) is decided by the enterprise's confirmed staff."""
    return claim is not None and claim.kind == ClaimKind.ACCESS and confirmed_staff_of(user, claim.enterprise)
