"""Point 8 of issue 10: the 等级证书 and the 评测报告 carry the bureau's PAdES signature; pyHanko's validation
accepts them against the bureau's certificate, and refuses a file changed by one byte or signed by another key.
The public verify page offers the signed certificate's SHA-256."""

import asyncio
import hashlib
import io

import pytest
from django.urls import reverse
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from core.models import BackgroundJob
from documents import signing
from documents.models import ReportKind
from tests.documents.cases import add_proposal, approve, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_case(personas):
    app = make_case(personas.enterprise, by=personas.owner, agency=personas.agency)
    add_proposal(app, admin=personas.agency_admin, experts=[personas.expert])
    approve(app, by=personas.bureau)
    return app


def generate(user, app, kind, client_for, django_capture_on_commit_callbacks) -> bytes:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(reverse("documents:generate", args=[app.pk]), {"kind": kind})
    assert response.status_code == 302
    report = BackgroundJob.objects.filter(params__kind=kind).latest("pk").report
    assert report is not None
    with report.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == report.file_sha256
    return data


def pyhanko_status(data: bytes):
    roots = list(load_certs_from_pemder_data(signing.certificate_pem()))
    (sig,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return validate_pdf_signature(sig, ValidationContext(trust_roots=roots))


@pytest.mark.parametrize("kind", [ReportKind.CERTIFICATE, ReportKind.REVIEW])
def test_official_pdfs_are_signed_by_the_bureau(
    approved_case, personas, client_for, django_capture_on_commit_callbacks, kind
):
    data = generate(personas.bureau, approved_case, kind, client_for, django_capture_on_commit_callbacks)
    status = pyhanko_status(data)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert "顺义区经信局" in status.signing_cert.subject.human_friendly
    assert signing.verify(data)


def test_one_changed_byte_fails_validation(
    approved_case, personas, client_for, django_capture_on_commit_callbacks
):
    data = generate(
        personas.bureau, approved_case, ReportKind.CERTIFICATE, client_for, django_capture_on_commit_callbacks
    )
    assert signing.verify(data)
    # One byte inside the signed range (the page content of the original document, well before the signature).
    at = data.index(b"stream", len(data) // 4) + 20
    tampered = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
    assert len(tampered) == len(data) and tampered != data
    status = pyhanko_status(tampered)
    assert not status.intact and not status.bottom_line
    assert not signing.verify(tampered)


def test_a_pdf_signed_with_another_key_is_not_the_bureaus(approved_case, settings, tmp_path):
    other = tmp_path / "signing"
    settings.PDF_SIGNING_DEV_DIR = other
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = other / "dev-key.pem", other / "dev-cert.pem"
    bureau_pem = (settings.BASE_DIR / "var" / "signing" / "dev-cert.pem").read_bytes()
    assert signing.make_development_key()
    forged = signing.sign_pdf(_minimal_pdf(), reason="伪造")
    assert signing.verify(forged)  # valid for its own (self-signed) certificate …
    assert not signing.verify(forged, trust_pem=bureau_pem)  # … but not the bureau's


def test_the_self_assessment_report_is_not_an_official_document(
    approved_case, personas, client_for, django_capture_on_commit_callbacks
):
    data = generate(
        personas.owner, approved_case, ReportKind.SELF, client_for, django_capture_on_commit_callbacks
    )
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []


def test_the_verify_page_offers_the_signed_certificates_sha256(
    approved_case, personas, client, client_for, django_capture_on_commit_callbacks
):
    data = generate(
        personas.bureau, approved_case, ReportKind.CERTIFICATE, client_for, django_capture_on_commit_callbacks
    )
    page = client.get(
        reverse("verify:number", args=[approved_case.grade.certificate_number])
    ).content.decode()
    assert hashlib.sha256(data).hexdigest() in page


def test_a_configured_production_key_is_never_generated(settings, tmp_path):
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = tmp_path / "prod.key", tmp_path / "prod.pem"
    with pytest.raises(signing.SigningUnavailable):
        signing.make_development_key()
    with pytest.raises(signing.SigningUnavailable):
        signing.sign_pdf(_minimal_pdf(), reason="x")
    assert not (tmp_path / "prod.key").exists()


def _minimal_pdf() -> bytes:
    from documents.pdf import render_html

    return render_html("<p>x</p>")[0]


def test_signing_and_checking_work_on_a_thread_that_runs_an_event_loop():
    """pyHanko's synchronous calls run an event loop of their own: called where one already runs (an async
    caller, the driver thread of a browser test running a task in process) they used to fail, and the report
    job with them. Signed and checked there, the PDF is as valid as anywhere."""

    async def inside_a_loop() -> tuple[bytes, bool]:
        signed = signing.sign_pdf(_minimal_pdf(), reason="等级证书")
        return signed, signing.verify(signed)

    signed, valid = asyncio.run(inside_a_loop())
    assert valid and signing.verify(signed)
