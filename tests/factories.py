"""Plain factory functions for tests. Fixed personas are built from these in tests/conftest.py."""

import itertools
from decimal import Decimal

from accounts.credit_code import make_credit_code
from accounts.models import Agency, Enterprise, Role, User

PASSWORD = "test-pass-2024"
_seq = itertools.count(1)


def credit_code(prefix: str = "911101130") -> str:
    return make_credit_code(f"{prefix}{next(_seq):08d}"[:17])


def enterprise(name: str = "测试企业", **kw) -> Enterprise:
    values = dict(
        credit_code=credit_code(), name=name, industry="industrial", address="北京市顺义区测试路1号",
        employees=120, revenue=Decimal("8000"), contact_name="张三", contact_mobile="13800138000",
        contact_email="contact@example.com",
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
