"""Demo data for the bureau: the pilot roster with service providers, applications in the bureau's states
(已提交, 不予受理, 已受理, 已分派 with an overdue stage, 已认定, 已撤销), a sample (抽验) with re-checks by the other
agency — one confirmed, one changed, one recommending revocation, which the bureau then revokes.

Runs after accounts, assessments and experts. Every state change goes through `transition()`: the enterprise
submits through the portal's `make_submitted_application`, the agency's review goes through the experts app's
services (team, declaration, verdicts, site visit, verified answers, opinion, proposal).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.credit_code import make_credit_code
from accounts.models import Enterprise, Role, RosterEntry, User
from assessments.demo import make_submitted_application
from assessments.framework import get_edition
from assessments.lifecycle import transition
from assessments.models import PAPER_CODES, PAPER_MATERIALS, Application, Evidence
from experts import services as review
from experts.models import ConflictKind
from experts.rules import case_evidence_ids, get_case
from experts.selectors import grade_verified

from . import paper, services
from .models import RecheckOutcome, Sample

MARK = "演示抽验"
PROVIDERS = [
    ("北京顺义数字化转型服务有限公司", make_credit_code("91110113MA03PR001")),
    ("北京临空工业互联网科技有限公司", make_credit_code("91110113MA03PR002")),
]
# (17-character body of the credit code, name, industry, self level, what the bureau does with it)
CASES = [
    ("91110113MA04DM001", "北京顺义智造装备有限公司", "industrial", 3, "approved"),
    ("91110113MA04DM002", "北京空港精密部件有限公司", "industrial", 2, "approved"),
    ("91110113MA04DM003", "北京顺义绿色包装有限公司", "industrial", 3, "approved"),
    ("91110113MA04DM004", "北京天竺软件科技有限公司", "software_it", 4, "approved"),
    ("91110113MA04DM005", "北京马坡食品科技有限公司", "industrial", 2, "approved"),
    ("91110113MA04DM006", "北京南彩物流有限公司", "transport", 3, "approved"),
    ("91110113MA04DM007", "北京杨镇五金制品有限公司", "industrial", 2, "not_accepted"),
    ("91110113MA04DM008", "北京李桥电子科技有限公司", "industrial", 3, "accepted"),
    ("91110113MA04DM009", "北京赵全营机械有限公司", "industrial", 3, "assigned"),
    ("91110113MA04DM010", "北京北务新能源有限公司", "industrial", 2, "submitted"),
]


def _reviewed(app, *, admin, lead, lower: bool):
    """The agency's review through the experts app's services and the lifecycle: team, declaration, file
    verdicts, site visit, verified answers (every scenario one level lower when `lower`), opinion,
    confirmation, proposal."""
    team = review.form_team(application=app, by=admin, lead=lead, members=[], due_on=app.proposal_due)
    for member in team.members.all():
        review.declare(member=member, by=member.expert, kind=ConflictKind.NONE)
    transition(app, "start_review", by=admin)
    case = get_case(lead, app.pk)
    for evidence in Evidence.objects.filter(pk__in=case_evidence_ids(app, case.team)):
        review.save_verdict(
            case=case,
            evidence=evidence,
            by=lead,
            authenticity="pass",
            completeness="pass",
            compliance="pass",
            comment="与原件一致",
        )
    review.schedule_inspection(
        case=case,
        by=lead,
        scheduled_for=timezone.now(),
        place=app.enterprise.address,
        attendees=f"{lead.display_name}、企业负责人",
    )
    transition(app, "start_site_visit", by=lead)
    case = get_case(lead, app.pk)
    version = app.latest_version
    ed = get_edition(version.edition)
    for code in ed.item_codes:
        review.save_verification(case=case, code=code, by=lead, value=version.answers[code])
    for code in ed.scenario_codes:
        met = ed.criteria_met(version.scenarios[code])
        if lower:
            reached = ed.scenario_level(met)
            capped = [i < reached - 1 for i in range(len(met))]
            review.save_verification(
                case=case, code=code, by=lead, value=capped, reason="现场未见该等级要求的系统运行记录。"
            )
        else:
            review.save_verification(case=case, code=code, by=lead, value=met)
    level = grade_verified(version, list(case.team.verifications.all()))["level"]
    review.save_opinion(
        case=case, by=lead, level=level, text=f"资料真实完整，现场查验与核定情况一致，建议认定为{level}级。"
    )
    review.confirm(case=get_case(lead, app.pk), by=lead)
    transition(app, "propose", by=admin)
    app.refresh_from_db()


def _dues(days=(7, 14, 21)):
    today = timezone.localdate()
    return dict(
        zip(
            ("review_due", "site_due", "proposal_due"),
            (today + datetime.timedelta(days=d) for d in days),
            strict=True,
        )
    )


def seed(out) -> None:
    if Sample.objects.filter(note=MARK).exists():
        out.write("supervision: demo data already there")
        return
    bureau = User.objects.get(username="demo-bureau")
    agencies = [accounts_demo.agency(0), accounts_demo.agency(1)]
    admins = [User.objects.get(username="demo-agency"), User.objects.get(username="demo-agency-2")]
    leads = [User.objects.get(username="demo-expert"), User.objects.get(username="demo-expert-3")]

    # The roster: the portal's demo enterprises keep their entries (one is deliberately off the roster);
    # every entry gets a transformation service provider for the experts' conflict check.
    for i, entry in enumerate(RosterEntry.objects.filter(service_provider_credit_code="")):
        name, code = PROVIDERS[i % 2]
        services.update_service_provider(
            entry=entry, by=bureau, name=entry.service_provider_name or name, credit_code=code
        )

    papers = dict.fromkeys(PAPER_CODES, True)
    approved = []
    for n, (body, name, industry, level, step) in enumerate(CASES, start=1):
        ent, _created = Enterprise.objects.get_or_create(
            credit_code=make_credit_code(body),
            defaults=dict(
                name=name,
                industry=industry,
                address="北京市顺义区",
                employees=60 + 20 * n,
                revenue=Decimal(2000 + 900 * n),
                contact_name="联系人",
                contact_mobile="13900000000",
                contact_email="contact@demo.shunyi-eval.local",
                verified_at=timezone.now(),
            ),
        )
        staff = accounts_demo.demo_user(
            f"demo-sv-{n}",
            Role.ENTERPRISE,
            enterprise=ent,
            full_name=f"{name[2:6]}经理",
            email=f"demo-sv-{n}@demo.shunyi-eval.local",
        )
        if not RosterEntry.objects.filter(credit_code=ent.credit_code).exists():
            provider, code = PROVIDERS[n % 2]
            services.add_roster_entry(
                by=bureau,
                credit_code=ent.credit_code,
                name=ent.name,
                service_provider_name=provider,
                service_provider_credit_code=code,
            )
        app = make_submitted_application(ent, level=level, by=staff)
        if step == "submitted":
            continue
        if step == "not_accepted":
            transition(
                app, "refuse", by=bureau, reason="企业不在本区试点行业范围内，且营业执照经营范围与申报不符。"
            )
            continue
        transition(app, "accept", by=bureau, checklist=papers, received_on=timezone.localdate())
        if step == "accepted":
            continue
        k = n % 2
        transition(app, "commission", by=bureau, agency=agencies[k], **_dues())
        if step == "assigned":
            # Shown as overdue on the dashboard: the review stage's date has passed.
            Application.objects.filter(pk=app.pk).update(
                review_due=timezone.localdate() - datetime.timedelta(days=3)
            )
            continue
        _reviewed(app, admin=admins[k], lead=leads[k], lower=n == 3)
        transition(app, "approve", by=bureau)
        app.refresh_from_db()
        approved.append(app)

    # 抽验: three of the six grades, drawn with a recorded seed, re-checked by the other agency.
    sample = services.draw_sample(by=bureau, population_filter={}, size=3, seed=20241101, note=MARK)
    outcomes = [
        (RecheckOutcome.CONFIRMED, None, "复核确认：场景等级与原认定一致。"),
        (RecheckOutcome.CHANGED, -1, "复核发现质量管理场景未达原等级，建议降低一级。"),
        (RecheckOutcome.REVOKE, None, "复核发现设备联网率数据与现场严重不符，涉嫌提供虚假材料。"),
    ]
    revoke_me = None
    for recheck, (outcome, delta, notes) in zip(sample.rechecks.order_by("position"), outcomes, strict=True):
        k = 1 if recheck.grade.application.agency_id == agencies[0].pk else 0
        services.assign_recheck_agency(
            recheck=recheck,
            agency=agencies[k],
            by=bureau,
            due_on=timezone.localdate() + datetime.timedelta(days=14),
        )
        services.form_recheck_team(recheck=recheck, by=admins[k], lead=leads[k])
        new_level = max(0, recheck.grade.level + delta) if delta else None
        recheck = services.record_recheck_outcome(
            recheck=recheck, by=leads[k], outcome=outcome, notes=notes, new_level=new_level
        )
        if outcome == RecheckOutcome.REVOKE:
            revoke_me = recheck
        else:  # the bureau's follow-up: the confirmed grade kept, the changed one reissued (the old superseded)
            services.decide_recheck(
                recheck=recheck,
                by=bureau,
                decision="confirm" if outcome == RecheckOutcome.CONFIRMED else "change",
                reason="经复核，维持原认定等级。"
                if outcome == RecheckOutcome.CONFIRMED
                else "按复核结论降低一级，换发证书。",
            )
    services.decide_recheck(
        recheck=revoke_me,
        by=bureau,
        decision="revoke",
        reason="抽验复核发现提供虚假材料。",
        basis="false_material",
        basis_text=revoke_me.notes,
    )
    # The paper materials the bureau asks after a submission (the enterprise sees list, address, deadline).
    paper.configure_paper_instructions(
        by=bureau,
        items="\n".join(str(label) for _code, label in PAPER_MATERIALS),
        address="北京市顺义区府前中街5号 区经信局企业服务科（302室）",
        deadline_days=10,
        contact="010-69440000",
    )
    out.write(
        f"supervision: {len(CASES)} bureau cases, {len(approved)} grades, sample #{sample.pk} "
        f"(seed {sample.seed}), revoked {revoke_me.grade.certificate_number}"
    )
