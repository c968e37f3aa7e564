"""Demo people and organisations. Every demo account's password is demo-pass-2024."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from .credit_code import make_credit_code
from .models import AccountClaim, Agency, ClaimKind, ClaimState, Enterprise, Notification, Role, User

DEMO_PASSWORD = "demo-pass-2024"

# (17-character body of the credit code, name, industry, employees, revenue in 万元)
ENTERPRISES = [
    ("91110113MA01DE000", "北京顺义精工机械有限公司", "industrial", 180, Decimal("12800")),
    ("91110113MA01DE001", "北京空港智能装备有限公司", "industrial", 95, Decimal("6400")),
    ("91110113MA01DE002", "北京顺鑫食品加工有限公司", "industrial", 260, Decimal("21000")),
    ("91110113MA01DE003", "北京临空物流科技有限公司", "transport", 70, Decimal("3500")),
    ("91110113MA01DE004", "北京牛栏山电子元件有限公司", "industrial", 45, Decimal("1800")),
    ("91110113MA01DE005", "北京后沙峪新材料有限公司", "industrial", 130, Decimal("9800")),
]
AGENCIES = [
    ("91110105MA02AGEN1", "北京中信数字化评测中心"),
    ("91110105MA02AGEN2", "北京工信智能制造评估院"),
]


def enterprise(index: int) -> Enterprise:
    return Enterprise.objects.get(credit_code=make_credit_code(ENTERPRISES[index][0]))


def agency(index: int) -> Agency:
    return Agency.objects.get(credit_code=make_credit_code(AGENCIES[index][0]))


def demo_user(username: str, role: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"role": role, **fields})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed(out) -> None:
    for body, name, industry, employees, revenue in ENTERPRISES:
        Enterprise.objects.get_or_create(
            credit_code=make_credit_code(body),
            defaults=dict(
                name=name,
                industry=industry,
                address="北京市顺义区",
                employees=employees,
                revenue=revenue,
                contact_name="联系人",
                contact_mobile="13900000000",
                contact_email="contact@demo.shunyi-eval.local",
                verified_at=timezone.now(),
            ),
        )
    for body, name in AGENCIES:
        Agency.objects.get_or_create(credit_code=make_credit_code(body), defaults={"name": name})

    confirmed = timezone.now()
    demo_user(
        "demo-enterprise",
        Role.ENTERPRISE,
        enterprise=enterprise(0),
        full_name="王经理",
        email="demo-enterprise@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    demo_user(
        "demo-expert",
        Role.EXPERT,
        agency=agency(0),
        full_name="陈专家",
        email="demo-expert@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    demo_user(
        "demo-agency",
        Role.AGENCY_ADMIN,
        agency=agency(0),
        full_name="孙主任",
        email="demo-agency@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    demo_user(
        "demo-bureau",
        Role.BUREAU,
        full_name="区经信局审核员",
        email="demo-bureau@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
        is_staff=True,
    )
    for i in range(1, len(ENTERPRISES)):
        demo_user(
            f"demo-enterprise-{i}",
            Role.ENTERPRISE,
            enterprise=enterprise(i),
            full_name=f"企业用户{i}",
            email=f"demo-enterprise-{i}@demo.shunyi-eval.local",
            email_confirmed_at=confirmed,
        )
    demo_user(
        "demo-expert-2",
        Role.EXPERT,
        agency=agency(0),
        full_name="刘专家",
        email="demo-expert-2@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    demo_user(
        "demo-expert-3",
        Role.EXPERT,
        agency=agency(1),
        full_name="周专家",
        email="demo-expert-3@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    demo_user(
        "demo-agency-2",
        Role.AGENCY_ADMIN,
        agency=agency(1),
        full_name="吴主任",
        email="demo-agency-2@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    seed_staff_and_notifications(confirmed)
    seed_registrations(confirmed)
    out.write(
        f"accounts: {Enterprise.objects.count()} enterprises, {Agency.objects.count()} agencies, "
        f"{User.objects.count()} users"
    )


# Notifications for demo-enterprise: (title, body, link, read?)
NOTIFICATIONS = [
    (
        "欢迎使用顺义区中小企业数字化水平评测平台",
        "请先完善企业信息，再开始数字化水平自评。",
        "/accounts/enterprise/",
        True,
    ),
    ("同事账号已开通", "李会计的员工账号已开通，可协助填写自评问卷。", "/accounts/enterprise/", False),
    ("请按时提交评测申请", "自评达到二级及以上的试点企业可在线申请评测。", "/enterprise/", False),
]


def seed_staff_and_notifications(confirmed) -> None:
    """One enterprise with a colleague, one user who has not confirmed the e-mail, and notifications."""
    demo_user(
        "demo-enterprise-colleague",
        Role.ENTERPRISE,
        enterprise=enterprise(0),
        full_name="李会计",
        mobile="13900000001",
        email="demo-enterprise-colleague@demo.shunyi-eval.local",
        email_confirmed_at=confirmed,
    )
    demo_user(
        "demo-unconfirmed",
        Role.ENTERPRISE,
        enterprise=enterprise(1),
        full_name="新员工（邮箱未确认）",
        mobile="13900000002",
        email="demo-unconfirmed@demo.shunyi-eval.local",
    )
    owner = User.objects.get(username="demo-enterprise")
    for title, body, link, read in NOTIFICATIONS:
        Notification.objects.get_or_create(
            user=owner,
            title=title,
            defaults={"body": body, "link": link, "read_at": confirmed if read else None},
        )


# Two registrations through the bureau's account verification: (credit code body, enterprise, user, verified?)
REGISTRATIONS = [
    ("91110113MA01RG001", "北京顺义待核验科技有限公司", "demo-pending", "待核验用户", False),
    ("91110113MA01RG002", "北京顺义新核验科技有限公司", "demo-verified", "已核验用户", True),
]
DEMO_DOCUMENT = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def seed_registrations(confirmed) -> None:
    """One registration waiting in the bureau's account-verification queue, one the bureau approved."""
    bureau = User.objects.get(username="demo-bureau")
    for body, name, username, full_name, verified in REGISTRATIONS:
        ent, _created = Enterprise.objects.get_or_create(
            credit_code=make_credit_code(body),
            defaults=dict(
                name=name,
                industry="industrial",
                address="北京市顺义区",
                employees=40,
                revenue=Decimal("1500"),
                contact_name=full_name,
                contact_mobile="13900000009",
                contact_email=f"{username}@demo.shunyi-eval.local",
                verified_at=confirmed if verified else None,
            ),
        )
        user = demo_user(
            username,
            Role.ENTERPRISE,
            enterprise=ent,
            full_name=full_name,
            email=f"{username}@demo.shunyi-eval.local",
            email_confirmed_at=confirmed,
        )
        if ent.claims.exists():
            continue
        claim = AccountClaim(
            enterprise=ent,
            user=user,
            kind=ClaimKind.REGISTRATION,
            state=ClaimState.APPROVED if verified else ClaimState.PENDING,
            decided_by=bureau if verified else None,
            decided_at=confirmed if verified else None,
        )
        for field, label in (("business_licence", "营业执照"), ("authorization_letter", "授权委托书")):
            getattr(claim, field).save(f"{label}.pdf", ContentFile(DEMO_DOCUMENT), save=False)
            setattr(claim, f"{field}_name", f"{label}.pdf")
        claim.save()
