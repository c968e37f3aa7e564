from django.shortcuts import render

from accounts.access import role_required
from assessments.models import Application


@role_required("expert", "agency_admin")
def home(request):
    user = request.user
    if user.role == "agency_admin":
        applications = Application.objects.filter(agency=user.agency)
    else:
        applications = Application.objects.filter(
            agency=user.agency,
            teams__members__expert=user,
            teams__members__removed_at__isnull=True,
            teams__dissolved_at__isnull=True,
        ).distinct()
    applications = applications.select_related("enterprise").order_by("-created_at")
    return render(request, "experts/home.html", {"applications": applications})
