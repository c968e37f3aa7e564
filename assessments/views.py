from django.shortcuts import render

from accounts.access import role_required


@role_required("enterprise")
def home(request):
    enterprise = request.user.enterprise
    applications = enterprise.applications.order_by("-created_at")
    return render(request, "assessments/home.html", {"enterprise": enterprise, "applications": applications})
