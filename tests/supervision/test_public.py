"""The public certificate check: valid, revoked or unknown — and nothing more; no login."""

import re

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


def test_a_revocation_shows_on_the_very_next_request(client, grade, personas):
    """Nothing about a grade is kept between requests: the page that said 有效 says 已撤销 right after."""
    url = reverse("verify:number", args=[grade.certificate_number])
    assert 'data-testid="verify-status">有效</p>' in client.get(url).content.decode()
    transition(
        grade.application,
        "revoke",
        by=personas.bureau,
        reason="提供虚假材料",
        basis="false_material",
        basis_text="纳税记录不符",
    )
    body = client.get(url).content.decode()
    assert "已撤销" in body and "有效</p>" not in body


def test_every_certificate_file_is_listed_newest_first(client, grade):
    """The files come with the grade in one query (a LEFT JOIN, one row per file): each listed once, newest first."""
    from datetime import timedelta

    from supervision.models import CertificateFile

    CertificateFile.objects.filter(grade=grade).delete()
    older = CertificateFile.objects.create(grade=grade, sha256="a" * 64, issued_at=grade.approved_at)
    newer = CertificateFile.objects.create(
        grade=grade, sha256="b" * 64, issued_at=grade.approved_at + timedelta(days=30)
    )
    body = client.get(reverse("verify:number", args=[grade.certificate_number])).content.decode()
    assert body.count(newer.sha256) == 1 and body.count(older.sha256) == 1
    assert body.index(newer.sha256) < body.index(older.sha256)
    assert "有效</p>" in body and grade.holder_name in body


def test_a_visitor_gets_the_lean_public_frame_and_a_signed_in_user_keeps_the_sites(client, grade, personas):
    url = reverse("verify:number", args=[grade.certificate_number])
    visitor = client.get(url).content.decode()
    assert 'href="/accounts/login/"' in visitor and 'data-testid="whoami"' not in visitor
    assert "htmx" not in visitor and "bootstrap.min.css" in visitor and "css/site.css" in visitor
    client.force_login(personas.owner)
    member = client.get(url).content.decode()
    assert 'data-testid="whoami"' in member and 'data-testid="verify-result"' in member


def test_the_lean_frame_shows_a_visitor_the_same_header_and_footer_as_the_sites(client, grade):
    """base_public.html follows base.html: a visitor sees the same header and footer on the verify page as on
    the home page (which base.html frames), apart from the form's own token and return address."""

    def frame(url: str) -> list[str]:
        body = client.get(url).content.decode()
        body = re.sub(r'name="(csrfmiddlewaretoken|next)" value="[^"]*"', "", body)
        parts = [body[body.index("<header") : body.index("</header>")], body[body.index("<footer") :]]
        return [re.sub(r"\s+", " ", re.sub(r">\s+<", "><", p.split("</footer>")[0])).strip() for p in parts]

    assert frame(reverse("verify:number", args=[grade.certificate_number])) == frame(reverse("home"))


@pytest.fixture
def fragments(settings):
    """The production fragment cache (settings.py: a dummy one under DEBUG, where the tests run)."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            "BACKEND": "core.cache.ProcessMemoryCache",
            "LOCATION": "fragments-test",
            "TIMEOUT": None,
        },
    }
    caches["fragments"].clear()
    yield caches["fragments"]
    caches["fragments"].clear()


def test_the_parts_kept_once_per_process_follow_each_request(client, grade, personas, fragments):
    """With the frame's fixed parts kept (production): each language gets its own, the language form keeps its
    return address per request, the number typed stays the request's, and a revocation still shows at once."""
    from django.test import Client

    url = reverse("verify:number", args=[grade.certificate_number])
    zh = client.get(url).content.decode()
    assert "证书查验</a>" in zh and "等级证书查验</h1>" in zh and "有效</p>" in zh
    assert len(fragments._data) >= 4  # head, header, footer, the search form: rendered once, kept
    en = Client(headers={"accept-language": "en"}).get(url).content.decode()
    assert "Certificate verification</a>" in en and "Level certificate verification</h1>" in en
    assert "证书查验" not in en
    assert "证书查验</a>" in client.get(url).content.decode()  # Chinese again after English
    searched = client.get(reverse("verify:verify"), {"number": "SYDL-NOT-THERE"}).content.decode()
    assert 'name="next" value="/verify/?number=SYDL-NOT-THERE"' in searched
    assert 'value="SYDL-NOT-THERE"' in searched and f'value="{grade.certificate_number}"' in zh
    transition(
        grade.application, "revoke", by=personas.bureau, reason="提供虚假材料", basis="false_material",
        basis_text="纳税记录不符",
    )  # fmt: skip
    assert "已撤销" in client.get(url).content.decode()


def test_the_kept_frame_is_still_the_sites(client, grade, fragments):
    test_the_lean_frame_shows_a_visitor_the_same_header_and_footer_as_the_sites(client, grade)
    test_the_lean_frame_shows_a_visitor_the_same_header_and_footer_as_the_sites(
        client, grade
    )  # from the cache


def test_a_visitor_gets_no_cookie_and_no_token(client, grade):
    """The page anyone opens from a QR code sets nothing in the visitor's browser: the language switch needs no
    CSRF token (shunyi_eval.views.set_language), and nothing else of the page keeps state."""
    response = client.get(reverse("verify:number", args=[grade.certificate_number]))
    assert response.status_code == 200 and not response.cookies
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body and 'action="/i18n/setlang/"' in body


def test_the_result_speaks_the_readers_language(client, grade):
    from django.test import Client

    url = reverse("verify:number", args=[grade.certificate_number])
    zh = client.get(url).content.decode()
    assert f"证书编号：{grade.certificate_number}" in zh and "数字化水平等级：" in zh and "3级</span>" in zh
    en = Client(headers={"accept-language": "en"}).get(url).content.decode()
    assert "证书编号" not in en and "数字化水平等级" not in en and "级</span>" not in en
    missing = Client(headers={"accept-language": "en"}).get(reverse("verify:number", args=["SYDL-NONE"]))
    assert missing.status_code == 404 and "未查询到" not in missing.content.decode()
