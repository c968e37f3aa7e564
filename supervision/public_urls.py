from django.urls import path

from .views import public

app_name = "verify"

urlpatterns = [
    path("", public.verify, name="verify"),
    path("<str:number>/", public.verify_number, name="number"),
    path("<str:number>/qr.svg", public.verify_qr, name="qr"),
]
