"""Returned for correction → edited → resubmitted as version n+1; the "what changed" page."""

from html.parser import HTMLParser

from assessments import selectors, services, submission
from assessments.models import ApplicationState
from experts.models import ConflictKind, Team, TeamMember

from .conftest import docx


def _resubmit_with_changes(personas, app):
    a = app.assessment
    services.save_field(assessment=a, key="Q5", values=["2"], based_on=a.revision, by=personas.owner)
    a.refresh_from_db()
    services.save_field(
        assessment=a, key="data.equipment_total", values=["48"], based_on=a.revision, by=personas.owner
    )
    a.refresh_from_db()
    services.save_field(assessment=a, key="S01.3", values=[""], based_on=a.revision, by=personas.owner)
    services.upload_evidence(assessment=a, target="S01.2", upload=docx(), content_type="x", by=personas.owner)
    old = a.evidence.get(target="Q2")
    services.remove_evidence(evidence=old, by=personas.owner)
    submission.submit(application=app, by=personas.owner, pledge=True)
    app.refresh_from_db()
    return app


def test_diff_shows_items_figures_scenarios_evidence_score_and_level(personas, client_for, returned):
    app = _resubmit_with_changes(personas, returned)
    assert app.state == ApplicationState.SUBMITTED and app.versions.count() == 2
    v1, v2 = selectors.versions_of(app)
    diff = selectors.version_diff(v1, v2)
    assert [d["item"].code for d in diff["items"]] == ["Q5"]
    assert [(d["old"], d["new"]) for d in diff["figures"]] == [("50", "48")]
    assert [(d["scenario"].code, d["old_level"], d["new_level"]) for d in diff["scenarios"]] == [
        ("S01", 3, 2)
    ]
    assert [e["target"] for e in diff["evidence_added"]] == ["S01.2"]
    assert [e["target"] for e in diff["evidence_removed"]] == ["Q2"]
    assert diff["score"][0] != diff["score"][1]
    body = client_for(personas.owner).get(f"/enterprise/applications/{app.pk}/changes/").content.decode()
    for text in (
        "信息系统",
        "生产设备数量",
        "S01 产品设计",
        "新增",
        "删除",
        diff["score"][0],
        diff["score"][1],
    ):
        assert text in body


def test_diff_visible_to_bureau_and_cleared_case_experts_only(personas, client_for, returned):
    app = _resubmit_with_changes(personas, returned)
    url = f"/enterprise/applications/{app.pk}/changes/"
    assert client_for(personas.bureau).get(url).status_code == 200
    assert client_for(personas.colleague).get(url).status_code == 200
    for user in (personas.outsider, personas.agency_admin, personas.expert):
        assert client_for(user).get(url).status_code == 404
    app.agency = personas.agency
    app.save(update_fields=["agency"])
    team = Team.objects.create(application=app, agency=personas.agency, created_by=personas.agency_admin)
    TeamMember.objects.create(
        team=team, expert=personas.expert, declared_at=app.submitted_at, conflict=ConflictKind.NONE
    )
    assert client_for(personas.agency_admin).get(url).status_code == 200
    assert client_for(personas.expert).get(url).status_code == 200
    assert client_for(personas.expert2).get(url).status_code == 404
    assert client_for(personas.other_agency_admin).get(url).status_code == 404


def test_returned_reason_is_on_the_enterprise_timeline(personas, client_for, returned):
    body = client_for(personas.owner).get("/enterprise/").content.decode()
    assert "请补充设备台账" in body and returned.number in body
    body = client_for(personas.owner).get(f"/enterprise/applications/{returned.pk}/").content.decode()
    assert "请补充设备台账" in body and "修改后重新提交" in body and "待提交纸质材料" in body


def test_questionnaire_shows_the_return_reason(personas, client_for, returned):
    body = client_for(personas.owner).get("/enterprise/self-assessment/").content.decode()
    assert 'data-testid="return-reason"' in body and "请补充设备台账" in body


class _Tables(HTMLParser):
    """The tables of a page: each with its style, its <col>s and, per row, the columns its cells span."""

    def __init__(self):
        super().__init__()
        self.tables, self.row = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"style": attrs.get("style", ""), "cols": 0, "rows": []})
        elif tag == "col" and self.tables:
            self.tables[-1]["cols"] += 1
        elif tag == "tr":
            self.row = []
            self.tables[-1]["rows"].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(int(attrs.get("colspan", 1)))


def test_the_diff_is_one_fixed_table_whose_columns_line_up(personas, client_for, returned):
    """Score, items, figures, scenarios and files in one table with fixed column widths: the old and new values
    of every row sit in the same two columns (separate tables sized themselves, and their columns drifted)."""
    app = _resubmit_with_changes(personas, returned)
    body = client_for(personas.owner).get(f"/enterprise/applications/{app.pk}/changes/").content.decode()
    parser = _Tables()
    parser.feed(body.split("<main", 1)[-1])
    assert len(parser.tables) == 1, f"{len(parser.tables)} tables"
    table = parser.tables[0]
    assert "table-layout: fixed" in table["style"] and "width: 100%" in table["style"]
    assert table["cols"] == 3
    assert len(table["rows"]) >= 1 + 2 + 4 * 2  # header, score and level, four parts with a heading each
    assert all(sum(row) == 3 for row in table["rows"]), table["rows"]
    assert "v1" in body and "v2" in body and "删除：" in body and "新增：" in body
