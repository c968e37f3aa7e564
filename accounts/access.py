"""The one way a view fetches what it shows: outsiders get 404 (the object's existence is not leaked), insiders
without the right get 403, anonymous visitors are sent to the login page.

Who is an outsider is said by the queryset the view passes (what this user may know exists, e.g.
`assessments.selectors.visible_applications(user)`); what an insider may do is a named permission
(`rules.add_perm` in `shunyi_eval/permissions.py`, composed from each app's `rules.py` predicates).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


def permission_required(perm: str):
    """Only users holding `perm` (a permission about no object: "may use the bureau's pages") reach the view.
    Anonymous visitors are sent to log in; anyone else signed in gets 404: the pages of another role do not
    exist for them."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_for(request, queryset, perm: str | None = None, **lookup):
    """The one object of `queryset` matching `lookup`, for this request's user.

    404 when it is not in `queryset` (the user may not know it exists); 403 when it is but the user does not
    hold `perm` on it."""
    return fetch_for(request.user, queryset, perm, **lookup)


def fetch_for(user, queryset, perm: str | None = None, **lookup):
    """get_for() for a user outside a request (services, demo data): Http404 / PermissionDenied alike."""
    try:
        obj = queryset.filter(**lookup).first()
    except (ValueError, ValidationError):
        obj = None
    if obj is None:
        raise Http404
    if perm is not None and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
