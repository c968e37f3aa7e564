"""Demo cases for the expert review: one waiting for declarations, one in document review, one on site with
interviews, checks, findings and photos, and one proposed to the bureau.

Each case is an enterprise of its own, submitted through the enterprise portal's demo helper
(`assessments.demo.make_submitted_application`, with an image and a PDF among its evidence), accepted and
commissioned by the bureau's transitions (`accept`, `commission`). From there on every step goes through this
app's services and the lifecycle's transitions (start_review, start_site_visit, propose)."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.credit_code import make_credit_code
from accounts.demo import agency, demo_user
from accounts.models import Enterprise, Role, RosterEntry, User
from assessments import demo as portal_demo
from assessments import services as portal
from assessments.framework import get_edition
from assessments.lifecycle import transition
from assessments.models import PAPER_CODES, Application, Evidence

from . import services
from .models import ConflictKind, TeamMember
from .rules import case_evidence_ids, get_case
from .samples import PDF
from .selectors import grade_verified

#: The review cases get enterprises of their own (accounts' six demo enterprises are the enterprise portal's).
ENTERPRISES = [
    ("91110113MA01EX001", "北京顺义天竺精密制造有限公司", 150, "8600"),
    ("91110113MA01EX002", "北京马坡汽车零部件有限公司", 210, "15800"),
    ("91110113MA01EX003", "北京南彩医疗器械有限公司", 88, "5200"),
    ("91110113MA01EX004", "北京杨镇包装材料有限公司", 120, "7300"),
]

#: The stage each review enterprise's case is brought to, in the order of ENTERPRISES.
STAGES = ["assigned", "in_review", "on_site", "proposed"]
#: Scenarios the team finds below level 3 on the proposed case (the verified level falls from 3 to 2).
LOWERED = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09"]


def photo(label: str, color: tuple[int, int, int], fmt: str = "JPEG") -> SimpleUploadedFile:
    """A small generated photo (a coloured 'workshop' with a few shapes)."""
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
    for m in TeamMember.objects.undeclared().of_case(app):
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
    """Verify every item and scenario as self-assessed, except the `lowered` scenarios (capped at level 2)."""
    case = get_case(expert, app.pk)
    version = app.latest_version
    ed = get_edition(version.edition)
    for code in (*ed.item_codes, *ed.scenario_codes):
        if code in lowered:
            met = ed.criteria_met(version.scenarios[code])
            capped = [m and level <= 2 for level, m in zip(ed.scenario_level_numbers, met, strict=True)]
            reason = "现场查验未见三级要求的系统集成与数据共享。" if capped != met else ""
            services.save_verification(case=case, code=code, by=expert, value=capped, reason=reason)
        else:
            value = version.answers.get(code, version.scenarios.get(code))
            services.save_verification(case=case, code=code, by=expert, value=value)


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
    body, name, employees, revenue = ENTERPRISES[index]
    ent, _created = Enterprise.objects.get_or_create(
        credit_code=make_credit_code(body),
        defaults=dict(
            name=name,
            industry="industrial",
            address="北京市顺义区",
            employees=employees,
            revenue=Decimal(revenue),
            contact_name="联系人",
            contact_mobile="13900000000",
            contact_email="contact@demo.shunyi-eval.local",
            verified_at=timezone.now(),
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


def _commissioned(ent, owner, *, ag, bureau, stage):
    """A submitted application of `ent`, accepted and commissioned to `ag` by the bureau's transitions."""
    dues = {
        "review_due": timezone.localdate() + timedelta(days=4 if stage == "in_review" else 10),
        "site_due": timezone.localdate() + timedelta(days=20),
        "proposal_due": timezone.localdate() + timedelta(days=30),
    }
    assessment = portal_demo.fill_to_level(ent, level=3, by=owner)
    for target, name, content, ctype in _demo_files():
        upload = SimpleUploadedFile(name, content, content_type=ctype)
        portal.upload_evidence(
            assessment=assessment, target=target, upload=upload, content_type=ctype, by=owner
        )
    app = portal_demo.make_submitted_application(ent, level=3, by=owner)
    transition(
        app, "accept", by=bureau, checklist=dict.fromkeys(PAPER_CODES, True), received_on=timezone.localdate()
    )
    transition(app, "commission", by=bureau, agency=ag, **dues)
    app.refresh_from_db()
    return app


def seed(out) -> None:
    codes = [make_credit_code(body) for body, *_rest in ENTERPRISES]
    if Application.objects.filter(enterprise__credit_code__in=codes).exists():
        out.write("experts: demo cases already there")
        return
    lead = User.objects.get(username="demo-expert")
    member = User.objects.get(username="demo-expert-2")
    admin = User.objects.get(username="demo-agency")
    bureau = User.objects.get(username="demo-bureau")
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
    for i, stage in enumerate(STAGES):
        ent, owner = review_enterprise(i)
        app = _commissioned(ent, owner, ag=ag, bureau=bureau, stage=stage)
        services.form_team(application=app, by=admin, lead=lead, members=[member], due_on=app.proposal_due)
        cases[stage] = app
    # 已分派: the team is formed, nobody has declared: the experts see the declaration first.
    # 资料审核: declared, one file judged, Q2 adjusted, a supplement request waiting for the enterprise.
    app = cases["in_review"]
    _declare_all(app)
    _move(app, "start_review", admin)
    case = get_case(lead, app.pk)
    ledger = Evidence.objects.filter(
        pk__in=case_evidence_ids(app, case.team), content_type="image/png"
    ).first()
    services.save_verdict(
        case=case,
        evidence=ledger,
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
            scheduled_for=now - timedelta(hours=2),  # the visit has taken place: its records follow it
            place=f"{app.enterprise.name}（{app.enterprise.address}）",
            attendees="陈专家、刘专家、企业负责人",
        )
        _move(app, "start_site_visit", lead)
        _inspect(app, lead, member)
    _verify_all(cases["on_site"], lead)
    # 待审定: verified (nine scenarios capped at level 2), the lead's opinion, both confirmed, submitted.
    app = cases["proposed"]
    _verify_all(app, lead, lowered=LOWERED)
    case = get_case(lead, app.pk)
    level = grade_verified(app.latest_version, case.team.verifications.all())["level"]
    services.save_opinion(
        case=case,
        by=lead,
        level=level,
        text=f"资料基本真实完整；部分场景现场未达三级，按核定结果建议认定为{level}级。",
    )
    for expert in (lead, member):
        services.confirm(case=get_case(expert, app.pk), by=expert)
    _move(app, "propose", admin)
    out.write(f"experts: demo cases {', '.join(a.number for a in cases.values())}")
