from django.shortcuts import render

from accounts.access import role_required
from assessments.models import Application

from .models import Grade


@role_required("bureau")
def home(request):
    applications = Application.objects.select_related("enterprise", "agency").order_by("-created_at")
    return render(request, "supervision/home.html", {"applications": applications})


def verify(request):
    """The public certificate check: valid, revoked or unknown — and nothing more."""
    number = (request.GET.get("number") or "").strip()
    grade = None
    if number:
        grade = Grade.objects.select_related("enterprise").filter(certificate_number=number).first()
    return render(request, "supervision/verify.html", {"number": number, "grade": grade})
