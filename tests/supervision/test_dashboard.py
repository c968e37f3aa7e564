"""The dashboard: its figures, its query count (constant in the number of applications), charts and exports."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import ApplicationState as S
from supervision import charts
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def make_cases(personas, n):
    """n applications across states, a third of them approved."""
    states = [S.SUBMITTED, S.ACCEPTED, S.IN_REVIEW]
    for i in range(n):
        ent = factories.enterprise(f"看板企业{i}", industry="industrial" if i % 2 else "software_it")
        if i % 3 == 0:
            helpers.approved(
                ent,
                agency=personas.agency,
                admin=personas.agency_admin,
                bureau=personas.bureau,
                level=2 + i % 3 // 2,
            )
        else:
            state = states[i % 3]
            helpers.application(ent, state=state, agency=personas.agency if state == S.IN_REVIEW else None)


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("supervision:home"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("n", [1, 30])
def test_dashboard_query_count_is_constant(personas, client_for, django_assert_num_queries, n):
    make_cases(personas, n)
    c = client_for(personas.bureau)
    c.get(reverse("supervision:home"))  # warm the session
    overdue = helpers.application(factories.enterprise("逾期企业"), state=S.IN_REVIEW, agency=personas.agency)
    overdue.review_due = timezone.localdate() - datetime.timedelta(days=1)
    overdue.save()
    # session, user, the counts per state and agency (one GROUP BY: the states and the agencies' workload),
    # the grades' aggregates, stage ages, the agencies, the overdue cases per agency (their count), the overdue
    # list (the first few), the unread-notification badge, the agency filter's choices — the industry filter
    # is the classification's list, no query — and the menu's 待办 (intake, proposals, re-checks; accounts)
    with django_assert_num_queries(13):
        response = c.get(reverse("supervision:home"))
    assert response.context["data"]["total"] == n + 1
    assert "逾期企业" in response.content.decode()


def test_dashboard_figures_and_filters(personas, client_for):
    make_cases(personas, 6)  # approved: 0 and 3
    c = client_for(personas.bureau)
    data = c.get(reverse("supervision:home")).context["data"]
    assert dict((v, n) for v, _l, n in data["states"])[S.APPROVED] == 2
    assert sum(n for _l, n in data["levels"]) == 2 and data["valid_grades"] == 2
    heat = {code: counts for code, _name, _c, counts in data["heatmap"]}
    assert len(heat) == 16 and sum(heat["S01"]) == 2
    assert all(avg > 0 for _c, _n, avg in data["dimension_avg"])
    filtered = c.get(reverse("supervision:home"), {"industry": "software_it"}).context["data"]
    assert filtered["total"] == 3
    other = c.get(reverse("supervision:home"), {"agency": personas.other_agency.pk}).context["data"]
    assert other["total"] == 0 and other["valid_grades"] == 0


def test_exports_open_in_excel(personas, client_for):
    make_cases(personas, 4)
    c = client_for(personas.bureau)
    for name, header in [
        ("applications", "申请编号"),
        ("results", "证书编号"),
        ("roster", "统一社会信用代码"),
        ("audit", "时间"),
    ]:
        rows = list(helpers.export_book(c, name).active.iter_rows(values_only=True))
        assert rows[0][0] == header, name
    response = c.get(reverse("supervision:export_matrix"))
    assert response.status_code == 200
    assert next(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[0] == "场景编号"
    results = list(helpers.export_book(c, "results").active.iter_rows(values_only=True))
    assert len(results) == 3 and results[1][7] not in (None, "")  # dimension scores from the verified result
    matrix = list(
        load_workbook(BytesIO(c.get(reverse("supervision:export_matrix")).content)).active.iter_rows(
            values_only=True
        )
    )
    assert len(matrix) == 17 and sum(matrix[1][3:]) == 2


def test_charts_are_pure_svg():
    bar = charts.bar_chart([("已提交", 3), ("<b>", 0)], title="状态")
    assert bar.startswith("<svg") and bar.endswith("</svg>") and "&lt;b&gt;" in bar and "<b>" not in bar
    heat = charts.heatmap(["S01 产品设计"], ["0级", "1级"], [[0, 5]], title="热力图")
    assert heat.count("<rect") == 2 and "产品设计" in heat
    radar = charts.radar([("基础", 50), ("管理", 30), ("成效", 20)], [("自评", [40, 15, 10])], title="雷达")
    assert radar.count("<polygon") == 5  # four rings and one series
    from xml.dom.minidom import parseString

    for svg in (bar, heat, radar):
        parseString(svg)  # well-formed XML, usable in a PDF as is


def test_application_list_export_follows_the_state_filter(personas, client_for):
    make_cases(personas, 6)
    rows = list(
        helpers.export_book(client_for(personas.bureau), "applications", {"state": "approved"}).active.values
    )
    assert len(rows) == 3 and {r[6] for r in rows[1:]} == {"已认定"}
