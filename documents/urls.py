from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:pk>/reports/", views.case_reports, name="case_reports"),
    path("cases/<int:pk>/reports/generate/", views.generate, name="generate"),
    path("reports/<int:pk>/download/", views.download, name="download"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("exports/<slug:name>/", views.export_start, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
