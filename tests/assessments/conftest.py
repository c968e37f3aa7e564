import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import demo, services
from assessments.lifecycle import transition


@pytest.fixture
def working(personas):
    """The persona enterprise's working self-assessment (empty)."""
    return services.working_assessment(enterprise=personas.enterprise, by=personas.owner)


def fill(personas, level, enterprise=None, by=None):
    return demo.fill_to_level(enterprise or personas.enterprise, level=level, by=by or personas.owner)


def pdf(name="材料.pdf", size=0):
    body = b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name="照片.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")


def docx(name="制度.docx", part="word/document.xml"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<doc/>")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/octet-stream")


def save(client, key, *values, revision):
    return client.post("/enterprise/self-assessment/save/", {"key": key, "value": list(values), "revision": revision},
                       HTTP_HX_REQUEST="true")


@pytest.fixture
def submitted(personas):
    """A genuinely submitted application of the persona enterprise at level 3."""
    return demo.make_submitted_application(personas.enterprise, level=3, by=personas.owner)


@pytest.fixture
def returned(personas, submitted):
    transition(submitted, "return_for_correction", by=personas.bureau, reason="请补充设备台账")
    submitted.refresh_from_db()
    return submitted


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas are made with passwords; a cheap hasher keeps these tests quick on a shared machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
