"""Every experts page as every persona: outsiders 404, undeclared members see nothing of the enterprise,
a declared conflict loses access at once; and the pages themselves work end to end over HTTP."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.lifecycle import transition
from core.models import AuditEvent
from experts import services
from experts.models import ConflictKind, InspectionPhoto, TeamMember
from experts.rules import get_case
from experts.samples import PNG
from tests import factories

pytestmark = pytest.mark.django_db


def case_urls(app, photo_pk=1):
    ev = app.latest_version.evidence[0]["id"]
    pk = app.pk
    return [
        ("get", reverse("experts:case", args=[pk])),
        ("get", reverse("experts:team", args=[pk])),
        ("get", reverse("experts:declare", args=[pk])),
        ("post", reverse("experts:act", args=[pk, "start_review"])),
        ("get", reverse("experts:review", args=[pk])),
        ("get", reverse("experts:review_target", args=[pk, "Q2"])),
        ("get", reverse("experts:evidence", args=[pk, ev])),
        ("post", reverse("experts:verdict", args=[pk, ev])),
        ("get", reverse("experts:supplements", args=[pk])),
        ("get", reverse("experts:inspection", args=[pk])),
        ("get", reverse("experts:photo", args=[pk, photo_pk])),
        ("get", reverse("experts:compare", args=[pk])),
    ]


def declare(member_user, kind=ConflictKind.NONE, text=""):
    m = TeamMember.objects.get(expert=member_user, removed_at__isnull=True)
    return services.declare(member=m, by=member_user, kind=kind, text=text)


def test_outsiders_get_404_on_every_case_url(personas, team_case, client_for):
    bystander = factories.expert(
        "expert3", personas.agency, full_name="孙专家"
    )  # same agency, not on the team
    for user in (
        personas.other_expert,
        personas.other_agency_admin,
        bystander,
        personas.owner,
        personas.bureau,
    ):
        c = client_for(user)
        for method, url in case_urls(team_case):
            assert getattr(c, method)(url).status_code == 404, (user.username, url)


def test_undeclared_member_sees_nothing_of_the_enterprise(personas, team_case, client_for):
    c = client_for(personas.expert2)
    name = personas.enterprise.name
    home = c.get(reverse("experts:home"))
    assert (
        home.status_code == 200
        and name not in home.content.decode()
        and "利益冲突声明" in home.content.decode()
    )
    for method, url in case_urls(team_case):
        r = getattr(c, method)(url, follow=True)
        body = r.content.decode()
        # Every page leads to the declaration, which says who the enterprise is (to declare a relation to it)
        # and shows nothing of its case: no answers, scores or files.
        assert name not in body or 'data-testid="declare-identity"' in body, url
        assert team_case.latest_version.evidence[0]["name"] not in body and "得分" not in body, url
        if "/evidence/" in url and method == "get":
            assert r.status_code == 403
        elif "/team/" in url:
            assert r.status_code == 404  # admins only
        elif "/photos/" in url:
            assert r.status_code == 403
        else:
            assert r.status_code == 200 and "利益冲突声明" in body, url


def test_declared_member_works_and_a_later_conflict_cuts_access(personas, team_case, client_for):
    declare(personas.expert)
    declare(personas.expert2)
    transition(team_case, "start_review", by=personas.agency_admin)
    c = client_for(personas.expert2)
    r = c.get(reverse("experts:case", args=[team_case.pk]))
    assert r.status_code == 200 and personas.enterprise.name in r.content.decode()
    ev = team_case.latest_version.evidence[0]
    r = c.get(reverse("experts:evidence", args=[team_case.pk, ev["id"]]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Frame-Options"] == "SAMEORIGIN" and r["Content-Disposition"].startswith("inline")
    assert hashlib.sha256(b"".join(r.streaming_content)).hexdigest() == ev["sha256"]
    assert AuditEvent.objects.filter(action="evidence.download", actor=personas.expert2).exists()
    # A conflict found later: declared from the case page, access ends at once.
    r = c.post(
        reverse("experts:declare", args=[team_case.pk]), {"conflict": "family", "conflict_text": "表亲"}
    )
    assert r.status_code == 302 and r["Location"] == reverse("experts:home")
    for method, url in case_urls(team_case):
        assert getattr(c, method)(url).status_code == 404, url
    assert personas.enterprise.name not in c.get(reverse("experts:home")).content.decode()


def test_declaration_other_needs_text_and_is_audited(personas, team_case, client_for):
    c = client_for(personas.expert)
    r = c.post(reverse("experts:declare", args=[team_case.pk]), {"conflict": "other", "conflict_text": ""})
    assert r.status_code == 200 and "选择“其他”时请说明具体关系" in r.content.decode()
    assert TeamMember.objects.get(expert=personas.expert).declared_at is None
    r = c.post(reverse("experts:declare", args=[team_case.pk]), {"conflict": "none"})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="experts.declaration", actor=personas.expert).count() == 1


def test_agency_admin_forms_team_and_refusals_are_shown(personas, app_assigned, client_for):
    from accounts.models import RosterEntry

    c = client_for(personas.agency_admin)
    home = c.get(reverse("experts:home")).content.decode()
    assert app_assigned.number in home and "未组建" in home
    url = reverse("experts:team", args=[app_assigned.pk])
    r = c.post(url, {"lead": "", "members": [personas.expert2.pk]})
    assert "请指定组长" in r.content.decode()
    r = c.post(url, {"lead": personas.expert.pk, "members": [personas.expert2.pk], "due_on": "2030-01-31"})
    assert r.status_code == 302
    assert TeamMember.objects.filter(team__application=app_assigned, removed_at__isnull=True).count() == 2
    # Start review refused in Chinese, nothing changes.
    r = c.post(reverse("experts:act", args=[app_assigned.pk, "start_review"]), follow=True)
    assert "尚未声明与该企业无利益冲突" in r.content.decode()
    app_assigned.refresh_from_db()
    assert app_assigned.state == "assigned"
    # The agency is the enterprise's service provider: refused, with the reason.
    RosterEntry.objects.create(
        credit_code=personas.enterprise.credit_code,
        name="x",
        service_provider_credit_code=personas.agency.credit_code,
    )
    r = c.post(url, {"lead": personas.expert2.pk, "members": []})
    assert "数字化转型服务商" in r.content.decode()
    assert AuditEvent.objects.filter(action="experts.assignment_refused").count() == 1
    # Other agency's admin: 404.
    assert client_for(personas.other_agency_admin).get(url).status_code == 404


def test_workbench_supplement_inspection_pages(personas, team_case, client_for):
    declare(personas.expert)
    declare(personas.expert2)
    transition(team_case, "start_review", by=personas.agency_admin)
    c = client_for(personas.expert)
    pk = team_case.pk
    r = c.get(reverse("experts:review", args=[pk]))
    assert r.status_code == 200 and "审核进度" in r.content.decode()
    r = c.get(reverse("experts:review_target", args=[pk, "Q2"]))
    body = r.content.decode()
    assert "设备台账.png" in body and "<img" in body
    r = c.get(reverse("experts:review_target", args=[pk, "S01"]))
    assert "<iframe" in r.content.decode()
    # Adjusted answer without a reason: field message, nothing written.
    r = c.post(reverse("experts:review_target", args=[pk, "Q2"]), {"value": "2", "reason": ""})
    assert "请填写调整理由" in r.content.decode()
    r = c.post(
        reverse("experts:review_target", args=[pk, "Q2"]), {"value": "2", "reason": "台账只有18台数字化设备"}
    )
    assert r.status_code == 302
    # Verdict on a file.
    ev = team_case.latest_version.evidence[0]["id"]
    r = c.post(
        reverse("experts:verdict", args=[pk, ev]),
        {"authenticity": "pass", "completeness": "fail", "compliance": "pass", "comment": ""},
        follow=True,
    )
    assert "请填写审核意见" in r.content.decode()
    c.post(
        reverse("experts:verdict", args=[pk, ev]),
        {"authenticity": "pass", "completeness": "fail", "compliance": "pass", "comment": "缺少第二页"},
    )
    # Supplement request → enterprise page → answered.
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    r = c.post(
        reverse("experts:supplements", args=[pk]),
        {"codes": ["Q2"], "message": "请补充完整台账", "deadline": deadline},
    )
    assert r.status_code == 302
    req = team_case.supplements.get()
    owner = client_for(personas.owner)
    page = owner.get(reverse("experts:supplement_reply", args=[req.pk]))
    assert page.status_code == 200 and "请补充完整台账" in page.content.decode()
    assert (
        client_for(personas.outsider).get(reverse("experts:supplement_reply", args=[req.pk])).status_code
        == 404
    )
    r = owner.post(
        reverse("experts:supplement_reply", args=[req.pk]),
        {"reply": "已上传", "files_Q2": SimpleUploadedFile("台账2.png", PNG, content_type="image/png")},
    )
    assert r.status_code == 302
    r = c.get(reverse("experts:supplements", args=[pk]))
    assert "台账2.png" in r.content.decode() and "企业已答复" in r.content.decode()
    # Drafts: autosaved on the server and shown again.
    key = f"case:{pk}:inspection:interview"
    r = c.post(reverse("experts:draft"), {"draft_key": key, "record": "未写完的访谈", "form": "interview"})
    assert r.status_code == 200 and "草稿已自动保存" in r.content.decode()
    # Inspection: schedule, go on site, records and a photo (the visit has begun: records are dated after it).
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(
        reverse("experts:inspection", args=[pk]),
        {"form": "schedule", "scheduled_for": when, "place": "二号车间", "attendees": "陈专家、王经理"},
    )
    assert r.status_code == 302
    case = get_case(personas.expert, pk)
    from assessments.models import Evidence
    from experts.rules import case_evidence_ids

    for e in Evidence.objects.filter(pk__in=case_evidence_ids(team_case, case.team)):
        services.save_verdict(
            case=case,
            evidence=e,
            by=personas.expert,
            authenticity="pass",
            completeness="pass",
            compliance="pass",
        )
    r = c.post(reverse("experts:act", args=[pk, "start_site_visit"]))
    team_case.refresh_from_db()
    assert team_case.state == "on_site"
    r = c.get(reverse("experts:inspection", args=[pk]))
    assert 'value="二号车间"' in r.content.decode() and f'value="{when}"' in r.content.decode()
    assert "未写完的访谈" in r.content.decode() and 'capture="environment"' in r.content.decode()
    r = c.post(
        reverse("experts:inspection", args=[pk]),
        {
            "form": "interview",
            "role": "it",
            "interviewee": "张工",
            "record": "演示了MES后台",
            "draft_key": key,
        },
    )
    assert r.status_code == 302
    from experts.models import Draft

    assert not Draft.objects.filter(user=personas.expert, key=key).exists()
    r = c.post(reverse("experts:inspection", args=[pk]), {"form": "finding", "text": "MES仅覆盖一条产线"})
    assert "请选择该发现涉及的指标或场景" in r.content.decode()
    c.post(
        reverse("experts:inspection", args=[pk]),
        {"form": "finding", "text": "MES仅覆盖一条产线", "codes": ["S06", "Q5"]},
    )
    r = c.post(
        reverse("experts:inspection", args=[pk]),
        {"form": "photo", "caption": "产线看板", "photo": SimpleUploadedFile("p.png", PNG, "image/png")},
    )
    assert r.status_code == 302
    photo = InspectionPhoto.objects.get()
    assert photo.sha256 == hashlib.sha256(PNG).hexdigest()
    r = c.get(reverse("experts:photo", args=[pk, photo.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    assert (
        client_for(personas.other_expert).get(reverse("experts:photo", args=[pk, photo.pk])).status_code
        == 404
    )
    from experts.selectors import case_record

    rec = case_record(team_case)
    assert rec["inspections"][0]["findings"][0]["codes"] == ["S06", "Q5"]
    assert rec["inspections"][0]["interviews"][0]["role_label"] == "信息化部门人员"
    assert rec["supplements"][0]["files"][0]["name"] == "台账2.png"
    assert {m["name"] for m in rec["members"]} == {"陈专家", "刘专家"}
    # The comparison page shows the change.
    r = c.get(reverse("experts:compare", args=[pk]))
    assert r.status_code == 200 and "台账只有18台数字化设备" in r.content.decode()


def test_workbench_shows_figures_and_the_derived_option(personas, client_for):
    figures = {"equipment_total": 50, "equipment_digital": 40, "equipment_networked": 35}
    app = factories.application(
        personas.enterprise, state="assigned", agency=personas.agency, by=personas.owner, data=figures
    )
    services.form_team(application=app, by=personas.agency_admin, lead=personas.expert, members=[])
    declare(personas.expert)
    body = (
        client_for(personas.expert)
        .get(reverse("experts:review_target", args=[app.pk, "Q2"]))
        .content.decode()
    )
    assert "生产设备数量" in body and "50 台" in body and "按填报数据推导" in body


def test_supplement_upload_is_checked_like_evidence_and_nothing_is_half_written(
    personas, team_case, client_for
):
    from assessments.models import Evidence

    for e in (personas.expert, personas.expert2):
        declare(e)
    transition(team_case, "start_review", by=personas.agency_admin)
    req = services.request_supplement(
        case=get_case(personas.expert, team_case.pk),
        by=personas.expert,
        codes=["Q2", "Q3"],
        message="请补充台账",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    before = Evidence.objects.count()
    fake = SimpleUploadedFile("台账.png", b"not really a png", content_type="image/png")
    good = SimpleUploadedFile("联网清单.png", PNG, content_type="image/png")
    r = client_for(personas.owner).post(
        reverse("experts:supplement_reply", args=[req.pk]),
        {"reply": "见附件", "files_Q3": good, "files_Q2": fake},
    )
    assert r.status_code == 200 and "文件内容与扩展名" in r.content.decode()
    req.refresh_from_db()
    assert req.answered_at is None and Evidence.objects.count() == before
    assert not AuditEvent.objects.filter(action="experts.supplement_answered").exists()
    from django.conf import settings

    stored = [p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    assert len(stored) == len(team_case.latest_version.evidence)  # the good file was never written


def test_the_declaration_shows_who_the_enterprise_is_and_nothing_else(personas, team_case, client_for):
    from accounts.models import RosterEntry

    ent = personas.enterprise
    ent.legal_representative = "王法人"
    ent.save()
    RosterEntry.objects.update_or_create(
        credit_code=ent.credit_code,
        defaults={"name": ent.name, "service_provider_name": "北京某数字化服务商"},
    )
    body = client_for(personas.expert).get(reverse("experts:declare", args=[team_case.pk])).content.decode()
    for shown in (ent.name, ent.credit_code, ent.address, "王法人", "北京某数字化服务商"):
        assert shown in body, shown
    version = team_case.latest_version
    assert version.evidence[0]["name"] not in body and "得分" not in body
