from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("enterprise/", include("assessments.urls")),
    path("review/", include("experts.urls")),
    path("bureau/api-tokens/", include("api.token_urls")),
    path("bureau/", include("supervision.urls")),
    path("api/", include("api.urls")),
    path("verify/", include("supervision.public_urls")),
    path("recheck/", include("supervision.recheck_urls")),
    path("documents/", include("documents.urls")),
]
if settings.DEBUG:
    urlpatterns.append(path("admin/", admin.site.urls))
