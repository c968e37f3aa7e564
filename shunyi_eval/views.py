from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt

ROLE_HOME = {
    "enterprise": "assessments:home",
    "expert": "experts:home",
    "agency_admin": "experts:home",
    "bureau": "supervision:home",
}


def home(request):
    """The public landing page; signed-in users go straight to their own workspace."""
    user = request.user
    if user.is_authenticated and user.role in ROLE_HOME:
        return redirect(ROLE_HOME[user.role])
    return render(request, "home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _from_this_site(request) -> bool:
    """Whether the browser says the request comes from a page of this site: its Sec-Fetch-Site header (every
    current browser sends it), else its Origin (sent with every cross-site POST by browsers since about 2020),
    else a client that no other site can lead (a script, a test client)."""
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from in (
            "same-origin",
            "none",
        )  # none: the user's own action (a bookmark, the address bar)
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt
def set_language(request):
    """The language switch of every page (Django's set_language: a cookie, then back to the page), guarded by where
    the browser says the form came from instead of a CSRF token, so that the public pages (the certificate check
    anyone opens from a QR code) need no per-visitor token or cookie. Another site can no more switch a visitor's
    language than before; a refused switch is a 403 and changes nothing."""
    if request.method == "POST" and not _from_this_site(request):
        raise PermissionDenied
    return i18n.set_language(request)
