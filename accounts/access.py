"""Access helpers shared by every app: outsiders get 404 (existence is not leaked), insiders without the
right get 403, anonymous visitors are sent to the login page."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def role_required(*roles: str):
    """Only users with one of these roles reach the view; anyone else signed in gets 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles or not user.is_active:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
