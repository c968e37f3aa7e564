import pytest

from accounts.credit_code import make_credit_code

VALID_CODE = make_credit_code("91110113MA01XY007")


@pytest.fixture
def registration_data():
    """A complete, valid registration form (工业, 120人, 8000万元 → 小型企业)."""
    return {
        "credit_code": VALID_CODE,
        "name": "北京顺义新注册科技有限公司",
        "industry": "industrial",
        "address": "北京市顺义区空港街道1号",
        "employees": "120",
        "revenue": "8000",
        "total_assets": "",
        "contact_name": "张联系",
        "contact_mobile": "13912345678",
        "contact_email": "zhang@example.com",
        "username": "newcorp",
        "password1": "Shunyi-Digital-2024!",
        "password2": "Shunyi-Digital-2024!",
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The resend throttle lives in the cache; ids repeat between tests, so each test starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
