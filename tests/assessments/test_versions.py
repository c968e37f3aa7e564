"""Returned for correction → edited → resubmitted as version n+1; the "what changed" page."""

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
