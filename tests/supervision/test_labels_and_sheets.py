"""The bureau sees labels, not codes: the dashboard's industry filter and the Excel 行业 column; the sheets
open readable (frozen header, wide columns, scores as numbers)."""

import pytest
from django.urls import reverse

from tests.supervision import helpers
from tests.supervision.test_dashboard import make_cases

pytestmark = pytest.mark.django_db


def test_dashboard_industry_filter_shows_labels(personas, client_for):
    make_cases(personas, 3)
    body = client_for(personas.bureau).get(reverse("supervision:home")).content.decode()
    assert '<option value="industrial">工业</option>' in body
    assert ">industrial<" not in body and ">software_it<" not in body


def test_excel_sheets_are_labelled_frozen_wide_and_numeric(personas, client_for):
    make_cases(personas, 4)
    c = client_for(personas.bureau)
    ws = helpers.export_book(c, "applications").active
    industries = {row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert industries <= {"工业", "软件和信息技术服务业"} and "industrial" not in industries
    assert ws.freeze_panes == "A2"
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ws.column_dimensions["B"].width >= 2 * max(map(len, names))  # wide enough for a Chinese name
    assert ws.column_dimensions["D"].width >= 2 * len("软件和信息技术服务业")
    results = helpers.export_book(c, "results").active
    header = [c.value for c in next(results.iter_rows(min_row=1, max_row=1))]
    row = next(results.iter_rows(min_row=2, max_row=2))
    at = header.index("得分")
    assert isinstance(row[at].value, (int, float)) and row[at].number_format == "0.00"  # a number, not text
    assert all(isinstance(cell.value, (int, float)) for cell in row[at + 1 : at + 4])  # the three dimensions
