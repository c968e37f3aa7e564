from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.home, name="home"),
    path("finished/", views.finished, name="finished"),
    path("experts/", views.experts_list, name="experts"),
    path("experts/<int:user_pk>/profile/", views.profile, name="profile"),
    path("drafts/", views.draft, name="draft"),
    path("case/<int:pk>/", views.case, name="case"),
    path("case/<int:pk>/team/", views.team, name="team"),
    path("case/<int:pk>/declare/", views.declare, name="declare"),
    path("case/<int:pk>/act/<str:action>/", views.act, name="act"),
    path("case/<int:pk>/review/", views.review, name="review"),
    path("case/<int:pk>/review/<str:code>/", views.review_target, name="review_target"),
    path("case/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence"),
    path("case/<int:pk>/evidence/<int:evidence_pk>/verdict/", views.verdict, name="verdict"),
    path("case/<int:pk>/supplements/", views.supplements, name="supplements"),
    path("case/<int:pk>/inspection/", views.inspection, name="inspection"),
    path("case/<int:pk>/photos/<int:photo_pk>/", views.photo_file, name="photo"),
    path("case/<int:pk>/comparison/", views.compare, name="compare"),
    path("supplement/", views.enterprise_supplements, name="enterprise_supplements"),
    path("supplement/<int:pk>/", views.supplement_reply, name="supplement_reply"),
]
