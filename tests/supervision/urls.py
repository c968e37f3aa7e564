"""The project's URLs, plus `assessments:application` while the enterprise pages (issue 3b) are not merged: the
lifecycle's notifications link to it."""

from django.urls import include, path

from assessments import urls as assessments_urls
from assessments import views as assessments_views
from shunyi_eval import urls as root

_patterns = list(assessments_urls.urlpatterns)
if "application" not in {p.name for p in _patterns}:
    _patterns.append(path("applications/<int:pk>/", assessments_views.home, name="application"))

urlpatterns = [p for p in root.urlpatterns if getattr(p, "namespace", None) != "assessments"] + [
    path("enterprise/", include((_patterns, "assessments"))),
]
