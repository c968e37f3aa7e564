"""The public certificate check: valid, revoked or unknown — and nothing more; no login."""

import pytest
from django.urls import reverse

from assessments.lifecycle import transition
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def grade(personas):
    return helpers.approved(
        personas.enterprise,
        agency=personas.agency,
        admin=personas.agency_admin,
        bureau=personas.bureau,
        level=3,
    ).grade


def test_valid_certificate_by_number_and_by_qr_address(client, grade):
    for response in (
        client.get(reverse("verify:verify"), {"number": grade.certificate_number.lower()}),
        client.get(reverse("verify:number", args=[grade.certificate_number])),
    ):
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="verify-result"' in body
        assert grade.enterprise.name in body and "3级" in body and "有效" in body
        assert grade.approved_at.strftime("%Y") in body
        # Nothing more: no score, no credit code, no agency, no application number.
        assert grade.enterprise.credit_code not in body
        assert str(grade.score)[:5] not in body
        assert grade.application.number not in body
        assert grade.application.agency.name not in body


def test_revoked_certificate_shows_revoked(client, grade, personas):
    transition(
        grade.application,
        "revoke",
        by=personas.bureau,
        reason="提供虚假材料",
        basis="false_material",
        basis_text="纳税记录不符",
    )
    body = client.get(reverse("verify:number", args=[grade.certificate_number])).content.decode()
    assert "已撤销" in body and "有效</p>" not in body
    assert "提供虚假材料" not in body and "纳税记录不符" not in body  # the reason is not public


def test_unknown_number_gives_a_clear_message(client, grade):
    response = client.get(reverse("verify:verify"), {"number": "SYDL-1999-9999"})
    assert "未查询到该证书编号" in response.content.decode()
    response = client.get(reverse("verify:number", args=["SYDL-1999-9999"]))
    assert response.status_code == 404 and "未查询到该证书编号" in response.content.decode()
    assert client.get(reverse("verify:qr", args=["SYDL-1999-9999"])).status_code == 404


def test_qr_code_is_an_svg_that_encodes_the_verification_address(client, grade):
    response = client.get(reverse("verify:qr", args=[grade.certificate_number]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and "</svg>" in svg
    import segno

    expected = segno.make(f"http://testserver/verify/{grade.certificate_number}/", error="m")
    from io import BytesIO

    out = BytesIO()
    expected.save(out, kind="svg", scale=4, border=2)
    assert svg == out.getvalue().decode()
