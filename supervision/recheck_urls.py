from django.urls import path

from .views import recheck

app_name = "recheck"

urlpatterns = [
    path("", recheck.rechecks, name="list"),
    path("<int:pk>/", recheck.detail, name="detail"),
    path("<int:pk>/declare/", recheck.declare, name="declare"),
]
