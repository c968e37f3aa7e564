from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.home, name="home"),
]
