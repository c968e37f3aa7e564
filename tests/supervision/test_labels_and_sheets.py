"""The bureau sees labels, not codes: the dashboard's industry filter and the Excel 行业 column; the sheets
open readable (frozen header, wide columns, scores as numbers)."""

import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl.utils import get_column_letter

from supervision import services
from supervision.publication import reissue_grade
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


FROZEN = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)  # 2026-12-02 03:30 in Beijing


def _display_width(cell) -> int:
    """How wide a cell shows: a date by its number format (yyyy-mm-dd), a Chinese character counts two."""
    if cell.value is None:
        return 0
    text = cell.number_format if cell.is_date else str(cell.value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def assert_readable(ws):
    """Read back as a person opens it: the bold header frozen, each column at least as wide as its header
    and its longest value (the width cap aside), scores as two-decimal numbers, never a number as text."""
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows())
    assert all(cell.font.b for cell in rows[0])
    for i, column in enumerate(zip(*rows, strict=True), start=1):
        needed = max(_display_width(cell) for cell in column)
        assert ws.column_dimensions[get_column_letter(i)].width >= min(60, needed), (
            ws.title,
            column[0].value,
        )
    for row in rows[1:]:
        for cell in row:
            assert not (isinstance(cell.value, str) and re.fullmatch(r"-?\d+\.\d+", cell.value)), ws.title
            if isinstance(cell.value, float):
                assert cell.number_format == "0.00", (ws.title, cell.value)


def test_every_bureau_sheet_reads_back_wide_frozen_and_in_beijing_time(personas, client_for):
    with mock.patch("django.utils.timezone.now", return_value=FROZEN):
        make_cases(personas, 4)
        sample = services.draw_sample(by=personas.bureau, population_filter={}, size=1, seed=3)
    c = client_for(personas.bureau)
    books = {
        name: helpers.export_book(c, name, params).active
        for name, params in (
            ("applications", {}),
            ("results", {}),
            ("audit", {}),
            ("roster", {}),
            ("sample", {"sample": sample.pk}),
        )
    }
    for ws in books.values():
        assert_readable(ws)
    results = books["results"]
    header = [cell.value for cell in results[1]]
    row = [cell.value for cell in results[2]]
    assert row[header.index("认定时间")] == "2026-12-02 03:30"  # Beijing time, not 2026-12-01 19:30
    changed = [cell.value for cell in books["applications"][2]]
    assert changed[-1].startswith("2026-12-02 03:30")
    objects = {r[4] for r in books["audit"].iter_rows(min_row=2, values_only=True)}
    assert objects and not any(re.search(r"[a-z_]+\.[a-z_]+", o or "") for o in objects), objects
    assert any(o.startswith("评测申请 #") for o in objects)
    audit_times = {r[0] for r in books["audit"].iter_rows(min_row=2, values_only=True)}
    assert "2026-12-02 03:30" in audit_times and "2026-12-01 19:30" not in audit_times


def test_the_results_sheet_keeps_a_grade_a_recheck_superseded(personas, client_for):
    """As the API and the verify page: the old certificate stays, 已被替换, under its case and agency."""
    app = helpers.approved(
        personas.enterprise,
        agency=personas.agency,
        admin=personas.agency_admin,
        bureau=personas.bureau,
        level=3,
    )
    old = app.grade
    new = reissue_grade(old, level=2, by=personas.bureau)
    ws = helpers.export_book(client_for(personas.bureau), "results").active
    header = [cell.value for cell in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {old.certificate_number, new.certificate_number}
    assert (rows[old.certificate_number]["状态"], rows[new.certificate_number]["状态"]) == (
        "已被替换",
        "有效",
    )
    for r in rows.values():
        assert (r["申请编号"], r["评测机构"]) == (app.number, personas.agency.name)
        assert isinstance(r["得分"], (int, float)) and r["得分"] > 0
    score = ws.cell(row=2, column=header.index("得分") + 1)
    assert score.data_type == "n" and score.number_format == "0.00"
    assert (rows[old.certificate_number]["认定等级"], rows[new.certificate_number]["认定等级"]) == (3, 2)
    assert_readable(ws)
