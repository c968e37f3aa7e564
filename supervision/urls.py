from django.urls import path

from .views import audit, cases, dashboard, paper, people, roster, sampling

app_name = "supervision"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("export/scenario-matrix.xlsx", dashboard.export_matrix, name="export_matrix"),
    path("roster/", roster.roster, name="roster"),
    path("roster/import/", roster.roster_import, name="roster_import"),
    path("roster/import/<int:pk>/", roster.roster_import_report, name="roster_import_report"),
    path("roster/import/<int:pk>/report.xlsx", roster.roster_import_download, name="roster_import_download"),
    path("roster/template.xlsx", roster.roster_template, name="roster_template"),
    path("roster/<int:pk>/", roster.roster_entry, name="roster_entry"),
    path("applications/", cases.applications, name="applications"),
    path("applications/<int:pk>/", cases.application, name="application"),
    path("applications/<int:pk>/accept/", cases.accept, name="accept"),
    path("applications/<int:pk>/refuse/", cases.refuse, name="refuse"),
    path("applications/<int:pk>/return/", cases.return_for_correction, name="return_for_correction"),
    path("applications/<int:pk>/commission/", cases.commission, name="commission"),
    path("applications/<int:pk>/reassign/", cases.reassign, name="reassign"),
    path("applications/<int:pk>/approve/", cases.approve, name="approve"),
    path("applications/<int:pk>/return-to-agency/", cases.return_to_agency, name="return_to_agency"),
    path("applications/<int:pk>/revoke/", cases.revoke, name="revoke"),
    path("applications/<int:pk>/evidence/<int:evidence_id>/", cases.evidence, name="evidence"),
    path("applications/<int:pk>/photos/<int:photo_id>/", cases.photo, name="photo"),
    path("intake/", cases.intake, name="intake"),
    path("paper-materials/", paper.paper_instructions, name="paper_instructions"),
    path("commissioning/", cases.commissioning, name="commissioning"),
    path("approvals/", cases.approvals, name="approvals"),
    path("grades/", cases.grades, name="grades"),
    path("samples/", sampling.samples, name="samples"),
    path("samples/<int:pk>/", sampling.sample, name="sample"),
    path("rechecks/<int:pk>/assign/", sampling.recheck_assign, name="recheck_assign"),
    path("rechecks/<int:pk>/decide/", sampling.recheck_decide, name="recheck_decide"),
    path("audit/", audit.audit, name="audit"),
    path("lockouts/", people.lockouts, name="lockouts"),
    path("lockouts/unlock/", people.unlock, name="unlock"),
    path("verifications/", people.verifications, name="verifications"),
    path("verifications/<int:pk>/", people.verification_detail, name="verification"),
    path(
        "verifications/<int:pk>/<str:field>/",
        people.verification_document,
        name="verification_document",
    ),
]
