"""Registration and profile forms: each bad input gets a Chinese message on its own field."""

import pytest

from accounts.credit_code import make_credit_code
from accounts.forms import ColleagueForm, EnterpriseForm, ProfileForm, RegistrationForm
from tests import factories

pytestmark = pytest.mark.django_db


def errors_of(data):
    form = RegistrationForm(data)
    assert not form.is_valid()
    return form.errors


def test_valid_registration(registration_data):
    form = RegistrationForm(registration_data)
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["password"] == registration_data["password1"] and "password2" not in kwargs


def test_credit_code_is_normalised(registration_data):
    registration_data["credit_code"] = " " + registration_data["credit_code"].lower() + " "
    form = RegistrationForm(registration_data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_code"] == registration_data["credit_code"].strip().upper()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110113MA01", "统一社会信用代码应为18位，当前为12位。"),
        ("91110113MA01XYO07X", "统一社会信用代码含有非法字符“O”（不使用I、O、Z、S、V）。"),
    ],
)
def test_credit_code_length_and_character(registration_data, code, message):
    registration_data["credit_code"] = code
    assert errors_of(registration_data)["credit_code"] == [message]


def test_credit_code_check_character(registration_data):
    good = registration_data["credit_code"]
    wrong = "0" if good[-1] != "0" else "1"
    registration_data["credit_code"] = good[:17] + wrong
    assert errors_of(registration_data)["credit_code"] == [
        f"统一社会信用代码校验位错误：第18位应为“{good[-1]}”，实际为“{wrong}”。"
    ]


def test_duplicate_credit_code(registration_data):
    factories.enterprise("已注册企业", credit_code=registration_data["credit_code"])
    (message,) = errors_of(registration_data)["credit_code"]
    assert message.startswith("该统一社会信用代码已注册。")
    assert "员工账号" in message


@pytest.mark.parametrize(
    "mobile", ["1391234567", "139123456789", "12912345678", "23912345678", "1391234567a"]
)
def test_mobile_number(registration_data, mobile):
    registration_data["contact_mobile"] = mobile
    assert errors_of(registration_data)["contact_mobile"] == ["请输入11位手机号码（以1开头，第二位为3至9）。"]


def test_email_and_required_fields(registration_data):
    registration_data.update(contact_email="not-an-email", name="", industry="mining")
    errors = errors_of(registration_data)
    assert errors["contact_email"] == ["输入一个有效的 Email 地址。"]
    assert errors["name"] == ["这个字段是必填项。"]
    assert errors["industry"][0].startswith("选择一个有效的选项")


def test_employees_and_revenue(registration_data):
    registration_data.update(employees="0", revenue="-1")
    errors = errors_of(registration_data)
    assert errors["employees"] == ["确保该值大于或等于1。"]
    assert errors["revenue"] == ["确保该值大于或等于0。"]


@pytest.mark.parametrize("industry", ["construction", "real_estate", "leasing_business"])
def test_total_assets_required_only_where_300_uses_it(registration_data, industry):
    registration_data["industry"] = industry
    assert errors_of(registration_data)["total_assets"] == [
        "所选行业按资产总额划分企业规模，请填写资产总额（万元）。"
    ]
    registration_data["total_assets"] = "5000"
    assert RegistrationForm(registration_data).is_valid()


def test_total_assets_optional_elsewhere(registration_data):
    registration_data["industry"] = "retail"
    assert RegistrationForm(registration_data).is_valid()


def test_duplicate_username_case_insensitive(registration_data):
    factories.bureau("NewCorp")
    assert errors_of(registration_data)["username"] == ["该用户名已被使用。"]


def test_passwords_must_match(registration_data):
    registration_data["password2"] = "something-else-2024"
    assert errors_of(registration_data)["password2"] == ["两次输入的密码不一致。"]


def test_password_validators_speak_chinese(registration_data):
    registration_data.update(password1="12345678", password2="12345678")
    errors = errors_of(registration_data)["password1"]
    assert "该密码过于常见，请换一个。" in errors
    assert "密码须同时包含字母和数字。" in errors
    registration_data.update(password1="abc", password2="abc")
    assert any("密码太短" in e for e in errors_of(registration_data)["password1"])


def test_password_similar_to_username(registration_data):
    registration_data.update(username="shunyidigital", password1="shunyidigital1", password2="shunyidigital1")
    errors = errors_of(registration_data)["password1"]
    assert "密码不能包含用户名。" in errors, errors


def test_enterprise_form_has_no_credit_code_and_checks_assets():
    ent = factories.enterprise("编辑测试")
    data = {
        "name": "编辑测试",
        "industry": "construction",
        "address": "顺义",
        "employees": "10",
        "revenue": "100",
        "total_assets": "",
        "contact_name": "张",
        "contact_mobile": "13800138000",
        "contact_email": "a@example.com",
        "credit_code": make_credit_code("91110113MA01YYYY0"),
    }
    form = EnterpriseForm(data, instance=ent)
    assert "credit_code" not in form.fields
    assert not form.is_valid()
    assert list(form.errors) == ["total_assets"]


def test_profile_and_colleague_forms():
    form = ProfileForm({"full_name": "王", "mobile": "1380013800", "email": "x"})
    assert not form.is_valid()
    assert form.errors["mobile"] == ["请输入11位手机号码（以1开头，第二位为3至9）。"]
    assert form.errors["email"] == ["输入一个有效的 Email 地址。"]
    factories.bureau("taken")
    form = ColleagueForm(
        {"username": "Taken", "full_name": "李", "mobile": "13800138000", "email": "l@example.com"}
    )
    assert form.errors["username"] == ["该用户名已被使用。"]
    form = ColleagueForm(
        {"username": "bad name!", "full_name": "李", "mobile": "13800138000", "email": "l@example.com"}
    )
    assert not form.is_valid() and "username" in form.errors
