"""Plain factory functions for tests. Fixed personas are built from these in tests/conftest.py."""

import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.credit_code import make_credit_code
from accounts.models import Agency, Enterprise, Role, User

PASSWORD = "test-pass-2024"
_seq = itertools.count(1)


def credit_code(prefix: str = "911101130") -> str:
    return make_credit_code(f"{prefix}{next(_seq):08d}"[:17])


def enterprise(name: str = "测试企业", **kw) -> Enterprise:
    values = dict(
        credit_code=credit_code(),
        name=name,
        industry="industrial",
        address="北京市顺义区测试路1号",
        employees=120,
        revenue=Decimal("8000"),
        contact_name="张三",
        contact_mobile="13800138000",
        contact_email="contact@example.com",
        # Verified by the bureau (accounts.verification) unless a test says otherwise.
        verified_at=timezone.now(),
    )
    values.update(kw)
    return Enterprise.objects.create(**values)


def agency(name: str = "测试评测机构", **kw) -> Agency:
    values = dict(credit_code=credit_code("91110105M"), name=name)
    values.update(kw)
    return Agency.objects.create(**values)


def user(username: str, role: str, **kw) -> User:
    email = kw.pop("email", f"{username}@example.com")
    u = User.objects.create_user(username=username, password=PASSWORD, role=role, email=email, **kw)
    return u


def enterprise_user(username: str, ent: Enterprise, **kw) -> User:
    return user(username, Role.ENTERPRISE, enterprise=ent, full_name=kw.pop("full_name", "企业用户"), **kw)


def expert(username: str, ag: Agency, **kw) -> User:
    return user(username, Role.EXPERT, agency=ag, full_name=kw.pop("full_name", "专家"), **kw)


def agency_admin(username: str, ag: Agency, **kw) -> User:
    return user(username, Role.AGENCY_ADMIN, agency=ag, full_name=kw.pop("full_name", "机构管理员"), **kw)


def bureau(username: str, **kw) -> User:
    return user(username, Role.BUREAU, full_name=kw.pop("full_name", "区经信局"), **kw)


def answer_set(level: int, *, edition: str = "shunyi-2024") -> dict:
    """A complete contract input (RULES.md §6) that grades to exactly `level`: every item at its best option
    (score 100), and every scenario's criteria met up to `level`."""
    from assessments.framework import get_edition

    ed = get_edition(edition)
    answers = {}
    for item in ed.items:
        if item.kind == "multi":
            answers[item.code] = [o.index for o in item.options if not o.none]
        else:
            answers[item.code] = max(o.index for o in item.options)
    scenarios = {s.code: [i < level for i in range(4)] for s in ed.scenarios}
    return {"framework": ed.code, "answers": answers, "scenarios": scenarios, "data": {}}


def application(
    ent: Enterprise,
    *,
    state: str = "submitted",
    level: int = 3,
    agency: Agency | None = None,
    by: User | None = None,
    number: str | None = None,
    data: dict | None = None,
):
    """An application with one submitted version, put straight into `state` (test set-up only: real code goes
    through assessments.lifecycle.transition). `agency` is required for states from `assigned` on; `data` are
    the figures (附件1 data) submitted with it, graded with the rest."""
    from django.utils import timezone

    from assessments.engine import grade, parse_assessment
    from assessments.models import Application, ApplicationVersion, Assessment

    contract = {**answer_set(level), "data": data or {}}
    result = grade(parse_assessment(contract)).to_json()
    assert result["level"] == level, result
    submitter = by or ent.staff.first() or enterprise_user(f"staff-{next(_seq)}", ent)
    assessment = Assessment.objects.create(
        enterprise=ent,
        edition=contract["framework"],
        answers=contract["answers"],
        scenarios=contract["scenarios"],
        data=contract["data"],
        score=Decimal(result["score"]),
        level=level,
        revision=1,
        updated_by=submitter,
    )
    now = timezone.now()
    app = Application.objects.create(
        number=number or f"T{now:%Y}-{next(_seq):05d}",
        enterprise=ent,
        kind="initial",
        assessment=assessment,
        state=state,
        self_level=level,
        pledge_at=now,
        submitted_at=now,
        agency=agency,
    )
    ApplicationVersion.objects.create(
        application=app,
        number=1,
        edition=contract["framework"],
        answers=contract["answers"],
        scenarios=contract["scenarios"],
        data=contract["data"],
        result=result,
        evidence=[],
        profile={"name": ent.name, "credit_code": ent.credit_code},
        pledge_at=now,
        submitted_at=now,
        submitted_by=submitter,
    )
    return app
