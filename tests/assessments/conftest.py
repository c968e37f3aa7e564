"""Fixtures for the framework / engine / grade command tests (pure: no database), and for the enterprise
portal tests (questionnaire, evidence, submission, versions), which use the database."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import demo, framework
from assessments.framework import get_edition, load_edition, register_edition
from assessments.lifecycle import transition

EDITIONS_DIR = Path(__file__).resolve().parent / "editions"
NATIONAL_TEST_FILE = EDITIONS_DIR / "national-test.json"


def blank_answers(edition=None) -> dict:
    """Every item at its lowest answer: option 0 for single choice, [0] (无) for multiple choice."""
    edition = edition or get_edition()
    return {item.code: ([0] if item.kind == "multi" else 0) for item in edition.items}


def make_input(answers=None, scenarios=None, data=None, framework_code=None, edition=None) -> dict:
    """A contract input object (RULES.md §6): blank answers and level-0 scenarios, then the overrides."""
    edition = edition or get_edition(framework_code)
    obj = {
        "answers": {**blank_answers(edition), **(answers or {})},
        "scenarios": {**{s.code: 0 for s in edition.scenarios}, **(scenarios or {})},
    }
    if framework_code is not None:
        obj["framework"] = framework_code
    if data is not None:
        obj["data"] = data
    return obj


@pytest.fixture
def shunyi():
    return get_edition("shunyi-2024")


@pytest.fixture
def national():
    """The made-up second edition, loaded from its file and registered under its code for the test."""
    edition = register_edition(load_edition(NATIONAL_TEST_FILE))
    yield edition
    framework._registered.pop(edition.code, None)


# --- enterprise portal ---------------------------------------------------------------------------------


def fill(personas, level, enterprise=None, by=None):
    """Fill the working copy to `level`; the filler's e-mail is confirmed (submitting needs it)."""
    from accounts.services import mark_email_confirmed

    by = by or personas.owner
    mark_email_confirmed(user=by)
    return demo.fill_to_level(enterprise or personas.enterprise, level=level, by=by)


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
    return client.post(
        "/enterprise/self-assessment/save/",
        {"key": key, "value": list(values), "revision": revision},
        HTTP_HX_REQUEST="true",
    )


@pytest.fixture
def submitted(personas):
    """A genuinely submitted application of the persona enterprise at level 3."""
    return demo.make_submitted_application(personas.enterprise, level=3, by=personas.owner)


@pytest.fixture
def returned(personas, submitted):
    transition(submitted, "return_for_correction", by=personas.bureau, reason="请补充设备台账")
    submitted.refresh_from_db()
    return submitted
