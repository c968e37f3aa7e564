"""An enterprise registers on a phone, confirms its e-mail through the mailed link, signs out and in again."""

import re

import pytest
from playwright.sync_api import expect

from accounts.credit_code import make_credit_code
from accounts.models import User
from tests.e2e.conftest import login

CODE = make_credit_code("91110113MA01E2E00")
PASSWORD = "Shunyi-Phone-2024!"


def fill_registration(page, credit_code):
    page.fill("input[name=credit_code]", credit_code)
    page.fill("input[name=name]", "北京顺义手机注册科技有限公司")
    page.select_option("select[name=industry]", label="软件和信息技术服务业")
    page.fill("input[name=address]", "北京市顺义区后沙峪镇1号")
    page.fill("input[name=employees]", "45")
    page.fill("input[name=revenue]", "1200")
    page.fill("input[name=contact_name]", "赵手机")
    page.fill("input[name=contact_mobile]", "13688889999")
    page.fill("input[name=contact_email]", "zhao@example.com")
    page.fill("input[name=username]", "phone-corp")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_register_confirm_logout_login_on_a_phone(page, mailoutbox):
    page.goto(page.base + "/")
    page.get_by_role("link", name="企业注册").last.click()
    page.wait_for_url("**/accounts/register/")

    # A wrong check character first: the message sits under the field, nothing is created.
    wrong = "0" if CODE[-1] != "0" else "1"
    fill_registration(page, CODE[:17] + wrong)
    page.click("form[data-testid=register-form] button[type=submit]")
    feedback = page.locator("#id_credit_code ~ .invalid-feedback, #error_1_id_credit_code").first
    assert f"统一社会信用代码校验位错误：第18位应为“{CODE[-1]}”，实际为“{wrong}”。" in feedback.inner_text()
    assert not User.objects.filter(username="phone-corp").exists()

    # Now the right code (passwords are not sent back to the browser, so they are typed again).
    page.fill("input[name=credit_code]", CODE)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form[data-testid=register-form] button[type=submit]")
    page.wait_for_url("**/accounts/register/done/")
    assert page.locator("h1").inner_text() == "注册成功"
    assert "zhao@example.com" in page.get_by_test_id("register-done").inner_text()
    assert page.get_by_test_id("size-class").inner_text().startswith("小型企业")
    assert "尚未确认" in page.get_by_test_id("email-banner").inner_text()

    # The confirmation link, read from the mail that was really sent.
    (mail,) = [m for m in mailoutbox if m.to == ["zhao@example.com"]]
    path = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", mail.body).group(1)
    page.goto(page.base + path)
    assert "已确认" in page.get_by_test_id("confirm-result").inner_text()
    assert page.get_by_test_id("email-banner").count() == 0
    assert User.objects.get(username="phone-corp").email_confirmed_at is not None

    # Sign out through the phone menu, then sign in again. Each step waits for the menu to have opened (the
    # collapse's transition done, the account menu shown) before the next click, so no click lands mid-animation.
    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.get_by_test_id("whoami").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    # The logout is a POST and a redirect: wait for the page it lands on, not for the old one's network to idle.
    with page.expect_navigation(url=page.base + "/"):
        page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    login(page, "phone-corp", PASSWORD)
    page.locator(".navbar-toggler").click()
    assert "赵手机" in page.get_by_test_id("whoami").inner_text()
    assert page.get_by_test_id("email-banner").count() == 0
