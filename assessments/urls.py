from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.home, name="home"),
    path("self-assessment/", views.questionnaire, name="questionnaire"),
    path("self-assessment/save/", views.save_field, name="save_field"),
    path("evidence/upload/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("applications/start/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/changes/", views.application_diff, name="application_diff"),
    path("applications/<int:pk>/paper-sheet/", views.application_paper_sheet, name="application_paper_sheet"),
]
