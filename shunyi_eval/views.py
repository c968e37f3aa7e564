from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

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
