"""Point 2 of issue 10: a grade's holder is frozen as approved. The enterprise renames itself to a famous
company after the approval: the public verify page, the certificate and the exports still show the holder the
bureau approved; the bureau sees the rename as such (现名称), the public never does."""

import pytest
from django.urls import reverse

from documents.reports import certificate_content
from supervision.models import Grade
from tests.supervision import helpers

FAMOUS = "华为技术有限公司"


@pytest.fixture
def renamed(personas, client_for):
    """An approved grade, then the enterprise renamed through its own 企业信息 form."""
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    ent = personas.enterprise
    approved_name, approved_code = ent.name, ent.credit_code
    form = {
        "name": FAMOUS,
        "industry": ent.industry,
        "address": ent.address,
        "employees": ent.employees,
        "revenue": ent.revenue,
        "total_assets": "",
        "contact_name": ent.contact_name,
        "contact_mobile": ent.contact_mobile,
        "contact_email": ent.contact_email,
    }
    response = client_for(personas.owner).post(reverse("accounts:enterprise_edit", args=[ent.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    ent.refresh_from_db()
    assert ent.name == FAMOUS
    return app.grade, approved_name, approved_code


def test_the_grade_keeps_its_holder_as_approved(renamed):
    grade, name, code = renamed
    grade.refresh_from_db()
    assert (grade.holder_name, grade.holder_credit_code) == (name, code)
    assert grade.edition == grade.application.assessment.edition
    assert grade.renamed_to == FAMOUS


def test_public_verify_page_shows_the_approved_holder_only(renamed, client):
    grade, name, _ = renamed
    for url in (
        reverse("verify:number", args=[grade.certificate_number]),
        reverse("verify:verify") + f"?number={grade.certificate_number}",
    ):
        page = client.get(url).content.decode()
        assert name in page
        assert FAMOUS not in page
        assert "现名称" not in page


def test_certificate_shows_the_approved_holder(renamed):
    grade, name, code = renamed
    content = certificate_content(grade.application)
    assert (content["enterprise"], content["credit_code"]) == (name, code)
    assert content["edition"] == grade.edition


def test_bureau_sees_the_rename_as_such(renamed, personas, client_for):
    grade, name, _ = renamed
    bureau = client_for(personas.bureau)
    for url in (
        reverse("supervision:grades"),
        reverse("supervision:application", args=[grade.application_id]),
    ):
        page = bureau.get(url).content.decode()
        assert name in page
        assert "现名称" in page and FAMOUS in page


def test_results_export_shows_the_approved_holder_and_the_current_name(renamed, personas, client_for):
    grade, name, code = renamed
    sheet = helpers.export_book(client_for(personas.bureau), "results").active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == grade.certificate_number)
    assert row[header.index("企业名称")] == name
    assert row[header.index("统一社会信用代码")] == code
    assert row[header.index("现名称")] == FAMOUS


def test_the_migration_fills_existing_grades_from_the_submitted_profile(renamed):
    import importlib

    from django.apps import apps

    grade, name, code = renamed
    Grade.objects.filter(pk=grade.pk).update(holder_name="?", holder_credit_code="?", edition="?")
    importlib.import_module("supervision.migrations.0004_grade_frozen_holder").fill(apps, None)
    grade.refresh_from_db()
    assert (grade.holder_name, grade.holder_credit_code) == (name, code)
    assert grade.edition == grade.application.assessment.edition
