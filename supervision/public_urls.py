from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("", views.verify, name="verify"),
]
