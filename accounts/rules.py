"""Role predicates (django-rules). Object-level predicates live next to the objects they guard."""

import rules


@rules.predicate
def is_enterprise_user(user):
    return bool(user and user.is_authenticated and user.role == "enterprise" and user.enterprise_id)


@rules.predicate
def is_expert(user):
    return bool(user and user.is_authenticated and user.role == "expert" and user.agency_id)


@rules.predicate
def is_agency_admin(user):
    return bool(user and user.is_authenticated and user.role == "agency_admin" and user.agency_id)


@rules.predicate
def is_bureau(user):
    return bool(user and user.is_authenticated and user.role == "bureau")


is_agency_staff = is_expert | is_agency_admin
