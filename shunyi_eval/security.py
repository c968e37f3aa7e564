"""Site-wide safe defaults: private pages are never cached, the debug error page stays on the developer's own
machine, and secrets never appear on it."""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views import debug, defaults


class PrivateNoStoreMiddleware:
    """Cache-Control: no-store on every response to a signed-in user (pages, exports, files): nothing private
    stays in a shared or back-button cache. Static files are served before this (WhiteNoise) and stay cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # A response that already says no-store (core.files.serve_private_file) keeps its own header.
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


class DebugPageForLocalOnlyMiddleware:
    """With DEBUG on, the technical error page is for requests from INTERNAL_IPS only; anyone else gets the
    ordinary 404/500 page, as in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or request.META.get("REMOTE_ADDR", "") in settings.INTERNAL_IPS:
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        return defaults.server_error(request)


class SecretsHidingFilter(debug.SafeExceptionReporterFilter):
    """Also hides connection URLs (DATABASE_URL, CELERY_BROKER_URL carry passwords) and e-mail credentials,
    in settings and in the request's environment."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE|BROKER|BACKEND|_URL|DSN|EMAIL_HOST|LOCATION",
        flags=re.IGNORECASE,
    )
