"""Intake, commissioning, approval and revocation through the bureau's pages (and so through the lifecycle)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, RosterEntry
from assessments.models import ApplicationState as S
from assessments.models import PaperStatus
from core.models import AuditEvent
from experts.models import Team
from supervision.models import Grade
from supervision.publication import next_certificate_number
from tests.supervision import helpers

pytestmark = pytest.mark.django_db

ALL_PAPERS = {
    f"paper_{c}": "on"
    for c in ("application_form", "self_assessment", "evidence_book", "pledge", "business_licence")
}


def days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def test_intake_queue_lists_submitted_applications(personas, client_for):
    app = helpers.application(personas.enterprise)
    helpers.application(personas.other_enterprise, state=S.ACCEPTED)
    page = client_for(personas.bureau).get(reverse("supervision:intake"))
    assert page.status_code == 200
    assert list(page.context["applications"]) == [app]


def test_accept_records_the_paper_checklist_and_date(personas, client_for):
    app = helpers.application(personas.enterprise)
    c = client_for(personas.bureau)
    response = c.post(reverse("supervision:accept", args=[app.pk]), {**ALL_PAPERS, "received_on": days(0)})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.ACCEPTED
    assert app.paper_status == PaperStatus.RECEIVED
    assert app.paper_received_on == timezone.localdate()
    assert all(app.paper_checklist.values()) and len(app.paper_checklist) == 5
    assert AuditEvent.objects.filter(application=app, action="application.accept").exists()
    assert Notification.objects.filter(user=personas.owner, title__contains="受理").exists()


def test_accept_refused_when_a_paper_is_missing_or_the_date_is_wrong(personas, client_for):
    app = helpers.application(personas.enterprise)
    c = client_for(personas.bureau)
    papers = dict(ALL_PAPERS)
    papers.pop("paper_pledge")
    response = c.post(reverse("supervision:accept", args=[app.pk]), {**papers, "received_on": days(0)})
    assert response.status_code == 400
    assert "缺少真实性承诺书" in response.content.decode()
    response = c.post(reverse("supervision:accept", args=[app.pk]), {**ALL_PAPERS, "received_on": days(1)})
    assert "不能晚于今天" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.SUBMITTED and app.paper_received_on is None
    assert not AuditEvent.objects.filter(application=app).exists()


@pytest.mark.parametrize(
    ("url", "state"),
    [("supervision:refuse", S.NOT_ACCEPTED), ("supervision:return_for_correction", S.RETURNED)],
)
def test_refuse_or_return_with_a_reason_the_enterprise_sees(personas, client_for, url, state):
    app = helpers.application(personas.enterprise)
    c = client_for(personas.bureau)
    assert c.post(reverse(url, args=[app.pk]), {"reason": ""}).status_code == 400
    assert c.post(reverse(url, args=[app.pk]), {"reason": "申请表缺少盖章"}).status_code == 302
    app.refresh_from_db()
    assert app.state == state
    note = Notification.objects.get(user=personas.owner)
    assert "申请表缺少盖章" in note.body


def test_commission_one_application_with_due_dates(personas, client_for):
    app = helpers.application(personas.enterprise, state=S.ACCEPTED)
    c = client_for(personas.bureau)
    data = {
        "agency": personas.agency.pk,
        "review_due": days(5),
        "site_due": days(10),
        "proposal_due": days(20),
    }
    assert c.post(reverse("supervision:commission", args=[app.pk]), data).status_code == 302
    app.refresh_from_db()
    assert app.state == S.ASSIGNED and app.agency == personas.agency
    assert app.proposal_due == timezone.localdate() + datetime.timedelta(days=20)
    assert Notification.objects.filter(user=personas.agency_admin).exists()


@pytest.mark.parametrize(
    ("dues", "message"),
    [
        ((0, 10, 20), "资料审核截止日期必须晚于今天"),
        ((10, 5, 20), "现场查验截止日期不能早于资料审核截止日期"),
        ((5, 10, 8), "提交建议截止日期不能早于现场查验截止日期"),
    ],
)
def test_commission_dates_must_be_in_order_and_in_the_future(personas, client_for, dues, message):
    app = helpers.application(personas.enterprise, state=S.ACCEPTED)
    data = {
        "agency": personas.agency.pk,
        "review_due": days(dues[0]),
        "site_due": days(dues[1]),
        "proposal_due": days(dues[2]),
    }
    response = client_for(personas.bureau).post(reverse("supervision:commission", args=[app.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.ACCEPTED and app.agency is None


def test_batch_commission_is_all_or_nothing(personas, client_for):
    a1 = helpers.application(personas.enterprise, state=S.ACCEPTED)
    a2 = helpers.application(personas.other_enterprise, state=S.ACCEPTED)
    c = client_for(personas.bureau)
    data = {
        "applications": [a1.pk, a2.pk],
        "agency": personas.agency.pk,
        "review_due": days(5),
        "site_due": days(10),
        "proposal_due": days(20),
    }
    assert c.post(reverse("supervision:commissioning"), data).status_code == 302
    for app in (a1, a2):
        app.refresh_from_db()
        assert app.state == S.ASSIGNED and app.agency == personas.agency

    b1 = helpers.application(personas.enterprise, state=S.ACCEPTED)
    b2 = helpers.application(personas.other_enterprise, state=S.ACCEPTED)
    b2.submitted_at = timezone.now()
    b2.save()
    # b2 is withdrawn by its enterprise between the page load and the post: the whole batch is refused.
    from assessments.lifecycle import transition

    transition(b2, "withdraw", by=personas.outsider)
    data["applications"] = [b1.pk, b2.pk]
    response = c.post(reverse("supervision:commissioning"), data)
    assert response.status_code == 400
    b1.refresh_from_db()
    assert b1.state == S.ACCEPTED and b1.agency is None


def test_reassign_dissolves_the_old_agencys_team(personas, client_for):
    app = helpers.application(personas.enterprise, state=S.IN_REVIEW, agency=personas.agency)
    team = Team.objects.create(application=app, agency=personas.agency, created_by=personas.agency_admin)
    c = client_for(personas.bureau)
    data = {
        "agency": personas.agency.pk,
        "review_due": days(5),
        "site_due": days(10),
        "proposal_due": days(20),
        "reason": "机构人员不足",
    }
    response = c.post(reverse("supervision:reassign", args=[app.pk]), data)
    assert "不能与原机构相同" in response.content.decode()
    data["agency"] = personas.other_agency.pk
    assert c.post(reverse("supervision:reassign", args=[app.pk]), data).status_code == 302
    app.refresh_from_db()
    team.refresh_from_db()
    assert app.state == S.ASSIGNED and app.agency == personas.other_agency
    assert team.dissolved_at is not None


def test_overdue_stages_are_listed(personas, client_for):
    today = timezone.localdate()
    late = helpers.application(personas.enterprise, state=S.IN_REVIEW, agency=personas.agency)
    late.review_due = today - datetime.timedelta(days=2)
    late.save()
    moved_on = helpers.application(personas.other_enterprise, state=S.ON_SITE, agency=personas.agency)
    moved_on.review_due = today - datetime.timedelta(days=2)  # review is behind it: not overdue
    moved_on.save()
    page = client_for(personas.bureau).get(reverse("supervision:commissioning"))
    overdue = page.context["overdue"]
    assert [(app, [s[0] for s in stages]) for app, stages in overdue] == [(late, ["资料审核"])]
    assert "逾期2天" in page.content.decode()


def test_approval_page_shows_the_comparison_and_publishes_a_numbered_grade(personas, client_for):
    app = helpers.application(personas.enterprise, state=S.PROPOSED, agency=personas.agency, level=3)
    helpers.proposal(app, admin=personas.agency_admin, level=2)
    c = client_for(personas.bureau)
    page = c.get(reverse("supervision:application", args=[app.pk]))
    body = page.content.decode()
    assert 'data-testid="comparison-items"' in body and 'data-testid="comparison-scenarios"' in body
    assert "现场核实" in body and "table-warning" in body
    assert "<svg" in body  # self vs verified radar
    asked = c.post(reverse("supervision:approve", args=[app.pk]))  # irreversible: it asks first
    assert asked.status_code == 200 and 'data-testid="confirm"' in asked.content.decode()
    assert "建议等级：2级" in asked.content.decode() and not Grade.objects.filter(application=app).exists()
    assert c.post(reverse("supervision:approve", args=[app.pk]), {"confirmed": "1"}).status_code == 302
    grade = Grade.objects.get(application=app)
    year = timezone.localdate().year
    assert grade.certificate_number == f"SYDL-{year}-0001"
    assert grade.level == 2 and grade.approved_by == personas.bureau
    app.refresh_from_db()
    assert app.state == S.APPROVED
    second = helpers.approved(
        personas.other_enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    assert second.grade.certificate_number == f"SYDL-{year}-0002"


@pytest.mark.django_db
def test_certificate_sequence_counts_per_year():
    assert next_certificate_number(2030) == "SYDL-2030-0001"
    assert next_certificate_number(2030) == "SYDL-2030-0002"
    assert next_certificate_number(2031) == "SYDL-2031-0001"


def test_return_to_agency_needs_a_reason(personas, client_for):
    app = helpers.application(personas.enterprise, state=S.PROPOSED, agency=personas.agency)
    helpers.proposal(app, admin=personas.agency_admin)
    c = client_for(personas.bureau)
    assert c.post(reverse("supervision:return_to_agency", args=[app.pk]), {"reason": ""}).status_code == 400
    assert (
        c.post(
            reverse("supervision:return_to_agency", args=[app.pk]), {"reason": "现场记录不完整"}
        ).status_code
        == 302
    )
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW


def test_revocation_cancels_pilot_status_and_shows_revoked(personas, client_for):
    RosterEntry.objects.create(credit_code=personas.enterprise.credit_code, name=personas.enterprise.name)
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    c = client_for(personas.bureau)
    url = reverse("supervision:revoke", args=[app.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, {"basis": "", "basis_text": "", "reason": "材料造假"})
    assert response.status_code == 400 and "请选择撤销依据" in response.content.decode()
    fields = {"basis": "false_material", "basis_text": "营业收入数据与纳税记录不符", "reason": "提供虚假材料"}
    asked = c.post(url, fields)  # irreversible: a summary first, nothing revoked yet
    assert asked.status_code == 200 and "撤销原因：提供虚假材料" in asked.content.decode()
    assert Grade.objects.get(application=app).revoked_at is None
    response = c.post(url, {**fields, "confirmed": "1"})
    assert response.status_code == 302
    grade = Grade.objects.get(application=app)
    assert grade.revoked_at is not None and grade.revoked_reason == "提供虚假材料"
    assert "第十二条" in grade.revoked_basis and "提供虚假材料" in grade.revoked_basis
    entry = RosterEntry.objects.get(credit_code=personas.enterprise.credit_code)
    assert not entry.active and grade.certificate_number in entry.cancelled_reason
    app.refresh_from_db()
    assert app.state == S.REVOKED
    assert Notification.objects.filter(user=personas.owner, title__contains="撤销").exists()
    public = c.get(reverse("verify:number", args=[grade.certificate_number]))
    assert "已撤销" in public.content.decode()
    # A revoked grade cannot be revoked again.
    assert c.post(url, {"basis": "false_material", "basis_text": "x", "reason": "y"}).status_code == 400


def test_evidence_download_is_audited(personas, client_for, tmp_path):
    from django.core.files.base import ContentFile

    from assessments.models import Evidence

    app = helpers.application(personas.enterprise, state=S.PROPOSED, agency=personas.agency)
    ev = Evidence(
        assessment=app.assessment,
        target="Q2",
        original_name="设备清单.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        uploaded_by=personas.owner,
    )
    ev.file.save("x", ContentFile(b"%PDF"), save=False)
    ev.save()
    version = app.versions.get()
    version.evidence = [
        {"id": ev.pk, "target": "Q2", "name": ev.original_name, "sha256": ev.sha256, "size": 4}
    ]
    version.save()
    c = client_for(personas.bureau)
    response = c.get(reverse("supervision:evidence", args=[app.pk, ev.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF"
    assert AuditEvent.objects.filter(
        action="evidence.download", application=app, actor=personas.bureau
    ).exists()
    assert c.get(reverse("supervision:evidence", args=[app.pk, ev.pk + 1])).status_code == 404


def test_the_experts_case_record_renders_on_the_approval_page():
    """The shape documented by experts.selectors.case_record: team, verdicts, inspections with findings."""
    from django.template.loader import render_to_string

    record = {
        "members": [
            {
                "name": "陈专家",
                "role_label": "组长",
                "conflict_label": "无利益关系",
                "removed_at": None,
                "confirmed_at": timezone.now(),
            }
        ],
        "verdicts": [
            {
                "target": "Q2",
                "file": "设备台账.pdf",
                "authenticity_label": "通过",
                "completeness_label": "待核实",
                "compliance_label": "通过",
                "comment": "缺少编号页",
            }
        ],
        "supplements": [],
        "inspections": [
            {
                "scheduled_for": timezone.now(),
                "place": "一号车间",
                "attendees": "陈专家",
                "summary": "",
                "interviews": [{"role_label": "生产负责人", "interviewee": "张", "record": "介绍MES"}],
                "checks": [],
                "findings": [{"text": "部分设备未联网", "codes": ["Q3"], "by": "陈专家"}],
                "photos": [{"caption": "一号产线", "name": "a.jpg", "size": 2048}],
            }
        ],
        "opinion": {"text": "建议认定为二级。", "by": "陈专家"},
    }
    html = render_to_string("supervision/_case_record.html", {"record": record})
    for text in ("陈专家", "缺少编号页", "介绍MES", "Q3：部分设备未联网", "一号产线", "建议认定为二级"):
        assert text in html


def test_the_enterprise_sees_the_bureaus_reason_on_its_application_page(personas, client_for):
    app = helpers.application(personas.enterprise)
    client_for(personas.bureau).post(
        reverse("supervision:return_for_correction", args=[app.pk]), {"reason": "请补充营业执照复印件盖章页"}
    )
    page = client_for(personas.owner).get(reverse("assessments:application", args=[app.pk]))
    assert page.status_code == 200
    assert "请补充营业执照复印件盖章页" in page.content.decode()


def test_commissioning_the_enterprise_s_own_service_provider_warns_and_needs_a_reason(personas, client_for):
    from accounts.models import RosterEntry

    RosterEntry.objects.update_or_create(
        credit_code=personas.enterprise.credit_code,
        defaults={
            "name": personas.enterprise.name,
            "service_provider_name": personas.agency.name,
            "service_provider_credit_code": personas.agency.credit_code,
        },
    )
    app = helpers.application(personas.enterprise, state=S.ACCEPTED)
    c = client_for(personas.bureau)
    data = {
        "agency": personas.agency.pk,
        "review_due": days(5),
        "site_due": days(10),
        "proposal_due": days(20),
    }
    response = c.post(reverse("supervision:commission", args=[app.pk]), data)
    assert response.status_code == 400 and "数字化转型服务商" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.ACCEPTED
    # Another agency goes through without a reason; this one only with the bureau's reason, kept in the trail.
    reason = "全区仅该机构具备该行业评测资质"
    response = c.post(reverse("supervision:commission", args=[app.pk]), {**data, "provider_reason": reason})
    assert response.status_code == 302
    event = AuditEvent.objects.get(application=app, action="application.commission")
    assert event.detail["provider_reason"] == reason


def test_the_case_page_folds_the_enterprises_autosaves_into_one_line(personas, client_for):
    from core.audit import record

    app = helpers.application(personas.enterprise)
    record(actor=personas.bureau, action="application.accept", application=app, params={"to": "accepted"})
    for i in range(30):
        record(
            actor=personas.owner,
            action="assessment.answer",
            application=app,
            params={"field": "Q5" if i % 2 else "Q6", "old": i, "new": i + 1},
        )
    page = client_for(personas.bureau).get(reverse("supervision:application", args=[app.pk]))
    html = page.content.decode()
    assert html.count('data-testid="autosave-group"') == 1
    assert "企业修改了 30 处自评内容" in html
    assert "修改自评：" not in html
    assert f"?application={app.number}" in html
    milestones = [line["event"].action for line in page.context["trail"] if "event" in line]
    assert "application.accept" in milestones and "assessment.answer" not in milestones
