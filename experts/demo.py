"""Demo cases for the expert review: one waiting for declarations, one in document review, one on site with
interviews, checks, findings and photos, and one proposed to the bureau.

Until the bureau's intake and commissioning (issue-5) and the enterprise portal's demo submissions (issue-3b)
are on main, the applications are created already commissioned (state 已分派, agency set) by
`experts.samples.submitted_application`; from there on every step goes through this app's services and the
lifecycle's transitions (start_review, start_site_visit, propose)."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.credit_code import make_credit_code
from accounts.demo import agency, demo_user
from accounts.models import Enterprise, Role, User
from assessments.framework import get_edition
from assessments.lifecycle import transition
from assessments.models import Application, Evidence

from . import services
from .models import ConflictKind, TeamMember
from .rules import case_evidence_ids, get_case
from .samples import PDF, submitted_application

#: The review cases get enterprises of their own (accounts' six demo enterprises are the enterprise portal's).
ENTERPRISES = [
    ("91110113MA01EX001", "北京顺义天竺精密制造有限公司", 150, "8600"),
    ("91110113MA01EX002", "北京马坡汽车零部件有限公司", 210, "15800"),
    ("91110113MA01EX003", "北京南彩医疗器械有限公司", 88, "5200"),
    ("91110113MA01EX004", "北京杨镇包装材料有限公司", 120, "7300"),
]

NUMBERS = {
    "assigned": "DEMO-EXP-001",
    "in_review": "DEMO-EXP-002",
    "on_site": "DEMO-EXP-003",
    "proposed": "DEMO-EXP-004",
}


def photo(label: str, color: tuple[int, int, int], fmt: str = "JPEG") -> SimpleUploadedFile:
    """A small generated photo (a coloured 'workshop' with a few shapes)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), color)
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 120, 140, 220), fill=(90, 90, 90))
    draw.rectangle((170, 60, 300, 220), fill=(200, 200, 210), outline=(40, 40, 40), width=3)
    draw.ellipse((40, 30, 100, 90), fill=(250, 220, 80))
    draw.text((180, 70), label, fill=(0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, fmt)
    ext, ctype = ("jpg", "image/jpeg") if fmt == "JPEG" else ("png", "image/png")
    return SimpleUploadedFile(f"{label}.{ext}", buf.getvalue(), content_type=ctype)


def _demo_files():
    ledger = photo("equipment-ledger", (240, 240, 235), fmt="PNG").read()
    return (
        ("Q2", "设备台账.png", ledger, "image/png"),
        ("S01.1", "设计软件授权.pdf", PDF, "application/pdf"),
    )


def _move(app, action, by):
    app.refresh_from_db()
    transition(app, action, by=by)
    app.refresh_from_db()


def _declare_all(app):
    for m in TeamMember.objects.filter(
        team__application=app, removed_at__isnull=True, declared_at__isnull=True
    ):
        services.declare(member=m, by=m.expert, kind=ConflictKind.NONE)


def _judge_all(app, expert, comment_first=""):
    case = get_case(expert, app.pk)
    for i, ev in enumerate(Evidence.objects.filter(pk__in=case_evidence_ids(app, case.team))):
        bad = comment_first and i == 0
        services.save_verdict(
            case=case,
            evidence=ev,
            by=expert,
            authenticity="pass",
            completeness="unclear" if bad else "pass",
            compliance="pass",
            comment=comment_first if bad else "与原件一致",
        )


def _verify_all(app, expert, *, lowered=()):
    case = get_case(expert, app.pk)
    version = app.latest_version
    ed = get_edition(version.edition)
    for code in (*ed.item_codes, *ed.scenario_codes):
        if code in dict(lowered):
            services.save_verification(
                case=case, code=code, by=expert, value=[True, True, False, False], reason=dict(lowered)[code]
            )
        else:
            services.save_verification(
                case=case, code=code, by=expert, value=version.answers.get(code, version.scenarios.get(code))
            )


def _inspect(app, lead, member):
    case = get_case(lead, app.pk)
    inspection = case.team.inspections.first()
    for role, who, text in [
        ("management", "总经理 李明", "企业制定了三年数字化规划，每年投入约营业收入的3%。"),
        ("business", "生产部经理 周强", "排产仍依赖Excel，MES只覆盖一号产线。"),
        ("it", "信息中心主管 王磊", "演示了ERP与MES接口日志，近三个月同步正常。"),
        ("frontline", "二车间操作工 赵师傅", "每日在工位终端扫码报工，质检数据现场录入。"),
    ]:
        services.add_interview(
            case=case, inspection=inspection, by=lead, role=role, interviewee=who, record_text=text
        )
    for kind, subject, text in [
        ("records", "2024年设备台账、质检记录原件", "台账与填报数据一致，质检记录完整。"),
        ("workshop", "一号、二号生产车间，设计部", "一号产线设备联网，二号产线部分设备未联网。"),
        ("system", "MES系统后台报工日志", "日志连续，可追溯到工单和操作人员。"),
    ]:
        services.add_check(
            case=case, inspection=inspection, by=member, kind=kind, subject=subject, record_text=text
        )
    f1 = services.add_finding(
        case=case,
        inspection=inspection,
        by=lead,
        text="产品设计以二维图纸为主，未建立典型产品设计知识库。",
        codes=["S01", "Q4"],
    )
    f2 = services.add_finding(
        case=case,
        inspection=inspection,
        by=member,
        text="设备联网率与填报一致，联网数据接入MES。",
        codes=["Q3", "S08"],
    )
    services.add_photo(
        case=case,
        inspection=inspection,
        by=lead,
        upload=photo("design-office", (170, 200, 230)),
        caption="设计室：二维图纸",
        finding=f1,
    )
    services.add_photo(
        case=case,
        inspection=inspection,
        by=member,
        upload=photo("line-1", (200, 230, 190)),
        caption="一号产线联网设备",
        finding=f2,
    )
    services.add_photo(
        case=case,
        inspection=inspection,
        by=member,
        upload=photo("mes-log", (235, 225, 200), fmt="PNG"),
        caption="MES后台日志",
    )


def review_enterprise(index: int) -> tuple[Enterprise, User]:
    from decimal import Decimal

    from supervision.models import RosterEntry

    body, name, employees, revenue = ENTERPRISES[index]
    ent, _created = Enterprise.objects.get_or_create(
        credit_code=make_credit_code(body),
        defaults=dict(
            name=name,
            industry="manufacturing",
            address="北京市顺义区",
            employees=employees,
            revenue=Decimal(revenue),
            contact_name="联系人",
            contact_mobile="13900000000",
            contact_email="contact@demo.shunyi-eval.local",
        ),
    )
    RosterEntry.objects.get_or_create(credit_code=ent.credit_code, defaults={"name": ent.name})
    user = demo_user(
        f"demo-review-{index + 1}",
        Role.ENTERPRISE,
        enterprise=ent,
        full_name=f"企业联系人{index + 1}",
        email=f"demo-review-{index + 1}@demo.shunyi-eval.local",
        email_confirmed_at=timezone.now(),
    )
    return ent, user


def seed(out) -> None:
    if Application.objects.filter(number__in=NUMBERS.values()).exists():
        out.write("experts: demo cases already there")
        return
    lead = User.objects.get(username="demo-expert")
    member = User.objects.get(username="demo-expert-2")
    admin = User.objects.get(username="demo-agency")
    ag = agency(0)
    services.save_profile(
        expert=lead,
        by=admin,
        title="高级工程师",
        areas=["foundation", "production", "supply_chain"],
        note="智能制造",
    )
    services.save_profile(
        expert=member, by=admin, title="工程师", areas=["management", "management_decision"]
    )
    now = timezone.now()
    cases = {}
    for i, (stage, number) in enumerate(NUMBERS.items()):
        ent, owner = review_enterprise(i)
        app = submitted_application(ent, by=owner, agency=ag, number=number, level=3, files=_demo_files())
        app.review_due = timezone.localdate() + timedelta(days=10 - 6 * (stage == "in_review"))
        app.site_due = timezone.localdate() + timedelta(days=20)
        app.proposal_due = timezone.localdate() + timedelta(days=30)
        app.save(update_fields=["review_due", "site_due", "proposal_due"])
        services.form_team(application=app, by=admin, lead=lead, members=[member], due_on=app.proposal_due)
        cases[stage] = app
    # 已分派: the team is formed, nobody has declared: the experts see the declaration first.
    # 资料审核: declared, part of the files judged, Q2 adjusted, a supplement request waiting.
    app = cases["in_review"]
    _declare_all(app)
    _move(app, "start_review", admin)
    case = get_case(lead, app.pk)
    first = Evidence.objects.get(pk=app.latest_version.evidence[0]["id"])
    services.save_verdict(
        case=case,
        evidence=first,
        by=lead,
        authenticity="pass",
        completeness="unclear",
        compliance="pass",
        comment="台账缺少设备编号页",
    )
    services.save_verification(case=case, code="Q2", by=lead, value=3, reason="台账显示数字化设备占比约55%")
    services.request_supplement(
        case=case,
        by=lead,
        codes=["Q2", "S01"],
        message="请补充设备台账编号页及设计软件授权证明",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    # 现场查验: all files judged, inspection with interviews, checks, findings and photos.
    for stage in ("on_site", "proposed"):
        app = cases[stage]
        _declare_all(app)
        _move(app, "start_review", admin)
        _judge_all(app, lead, comment_first="扫描件不清晰，现场核对原件")
        services.schedule_inspection(
            case=get_case(lead, app.pk),
            by=lead,
            scheduled_for=now + timedelta(days=1),
            place=f"{app.enterprise.address}",
            attendees="陈专家、刘专家、企业负责人",
        )
        _move(app, "start_site_visit", lead)
        _inspect(app, lead, member)
    _verify_all(cases["on_site"], lead)
    # 待审定: verified (S01 lowered), the lead's opinion, both confirmed, submitted by the agency admin.
    app = cases["proposed"]
    _verify_all(app, lead, lowered=[("S01", "现场未见产品设计知识库，三级标准不满足")])
    services.save_opinion(
        case=get_case(lead, app.pk),
        by=lead,
        level=2,
        text="资料基本真实完整；产品设计场景未达三级，核定为二级，建议认定为二级。",
    )
    for expert in (lead, member):
        services.confirm(case=get_case(expert, app.pk), by=expert)
    _move(app, "propose", admin)
    out.write(f"experts: demo cases {', '.join(NUMBERS.values())}")
