"""Issue 10 point 5 — accounts as 等保2.0 二级 expects: login lockout per account and per address with its audit
rows and the bureau's unlock, password rules, idle timeout and browser-session cookies, an e-mail change that
needs the password and the new address's confirmation, password reset to confirmed addresses only."""

import re
import time

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from core.models import AuditEvent
from tests import factories

from .dbstate import changed_tables, snapshot

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, headers=headers)


def actions(action, **detail):
    rows = AuditEvent.objects.filter(action=action).order_by("pk")
    return [e for e in rows if all(e.detail.get(k) == v for k, v in detail.items())]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(personas, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for n in range(4):
        response = attempt(client, "owner", f"wrong-password-{n}")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    response = attempt(client, "owner", "wrong-password-4")
    assert response.status_code == 429
    # The right password no longer opens the account.
    response = attempt(client, "owner", factories.PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body and "15 分钟后再试" in body
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302  # not signed in
    # The trail: every failure, the lockout once, from where.
    failed = actions("user.login_failed", username="owner")
    assert len(failed) == 6 and [e.detail["locked"] for e in failed] == [False] * 4 + [True] * 2
    (locked,) = actions("user.locked_out")
    assert locked.detail == {"username": "owner", "ip_address": "127.0.0.1"}
    assert locked.client_address == "127.0.0.1" and locked.actor is None
    assert not actions("user.login")


def test_the_lockout_message_in_english(personas):
    client = Client()
    for n in range(6):
        response = attempt(client, "owner", f"wrong-{n}", accept_language="en")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_one_address_trying_many_accounts_is_locked_out(personas):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n, username in enumerate(["owner", "colleague", "outsider", "expert", "bureau"]):
        attempt(client, username, f"guess-{n}")
    # A sixth account, never tried before, with its right password: refused from this address.
    response = attempt(client, "agency-admin", factories.PASSWORD)
    assert response.status_code == 429
    (locked,) = actions("user.locked_out")
    assert locked.detail["ip_address"] == "198.51.100.7"
    # The same account from another address signs in.
    assert attempt(Client(REMOTE_ADDR="198.51.100.8"), "agency-admin", factories.PASSWORD).status_code == 302


def test_the_bureau_unlocks_from_its_page_audited(personas, client_for):
    for n in range(5):
        attempt(Client(), "owner", f"wrong-{n}")
    assert attempt(Client(), "owner", factories.PASSWORD).status_code == 429
    bureau = client_for(personas.bureau)
    page = bureau.get(reverse("supervision:lockouts")).content.decode()
    assert "owner" in page and "127.0.0.1" in page
    # Nobody else reaches the page or the unlock.
    assert client_for(personas.owner).get(reverse("supervision:lockouts")).status_code == 404
    expert = client_for(personas.expert)
    before = snapshot()
    response = expert.post(reverse("supervision:unlock"), {"kind": "username", "value": "owner"})
    assert response.status_code == 404
    assert changed_tables(before, snapshot()) == []
    for kind, value in (("username", "owner"), ("ip_address", "127.0.0.1")):
        response = bureau.post(reverse("supervision:unlock"), {"kind": kind, "value": value})
        assert response.status_code == 302
    unlocked = actions("user.unlocked")
    assert [e.actor for e in unlocked] == [personas.bureau] * 2
    page = bureau.get(reverse("supervision:lockouts")).content.decode()
    assert "当前没有被锁定的账号或地址" in page
    client = Client()
    assert attempt(client, "owner", factories.PASSWORD).status_code == 302
    login = actions("user.login")[-1]
    assert login.actor == personas.owner and login.client_address == "127.0.0.1"


def test_a_successful_login_resets_the_count(personas):
    client = Client()
    for n in range(4):
        attempt(client, "owner", f"wrong-{n}")
    assert attempt(client, "owner", factories.PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for n in range(4):
        assert attempt(client, "owner", f"again-{n}").status_code == 200
    assert not actions("user.locked_out")


def test_login_and_logout_are_audited(personas):
    client = Client()
    assert attempt(client, "owner", factories.PASSWORD).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert [e.actor for e in actions("user.login")] == [personas.owner]
    (logout,) = actions("user.logout")
    assert logout.actor == personas.owner and logout.client_address == "127.0.0.1"


# --- Passwords -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12345", "密码太短，至少需要 10 个字符。"),
        ("abcdefghijkl", "密码须同时包含字母和数字。"),
        ("12345678901", "密码须同时包含字母和数字。"),
        ("password123", "该密码过于常见，请换一个。"),
        ("jingong-2024-x", "密码不能包含用户名。"),
    ],
)
def test_password_rules_in_chinese(password, message):
    probe = User(username="jingong", email="wang@example.com", role="enterprise")
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password(password, probe)
    assert message in exc.value.messages


def test_the_demo_and_test_passwords_pass_the_rules():
    for username in ("demo-enterprise", "demo-bureau", "demo-sv-10", "owner"):
        probe = User(username=username, email=f"{username}@demo.shunyi-eval.local")
        password_validation.validate_password(DEMO_PASSWORD, probe)
        password_validation.validate_password(factories.PASSWORD, probe)


# --- Sessions ------------------------------------------------------------------------------------------------


def test_the_session_cookie_ends_with_the_browser(personas, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client = Client()
    response = attempt(client, "owner", factories.PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_an_idle_session_is_signed_out(personas, client_for, settings):
    client = client_for(personas.owner)
    assert client.get(reverse("accounts:profile")).status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 30
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 200  # 29.5 minutes: still in
    session = client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    (logout,) = actions("user.logout_idle", reason="idle")
    assert logout.actor == personas.owner
    # An htmx request is redirected as a whole page, not swapped into a fragment.
    client = client_for(personas.owner)
    client.get(reverse("accounts:profile"))
    session = client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get(reverse("accounts:notifications"), headers={"hx-request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:login")


def test_the_idle_timeout_is_a_setting(personas, client_for, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    client = client_for(personas.owner)
    client.get(reverse("accounts:profile"))
    session = client.session
    session["last_activity"] = int(time.time()) - 121
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 302


# --- E-mail change and password reset ------------------------------------------------------------------------


def test_email_change_without_the_password_is_refused_and_writes_nothing(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """The stolen-session attack: change the e-mail, then reset the password to it."""
    client = client_for(personas.owner)
    client.get(reverse("accounts:profile"))
    data = {"full_name": "攻击者", "mobile": "13700000000", "email": "attacker@evil.example"}
    for password in ("", "not-the-password-1"):
        before = snapshot()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:profile"), {**data, "current_password": password})
        assert response.status_code == 200
        assert "更改邮箱须输入正确的当前密码。" in response.content.decode()
        assert changed_tables(before, snapshot()) == []
    assert mailoutbox == []
    # And the reset link cannot be sent to the attacker's address.
    Client().post(reverse("accounts:password_reset"), {"email": "attacker@evil.example"})
    assert mailoutbox == []


def test_email_change_takes_effect_only_when_confirmed_and_the_old_address_is_told(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    owner = personas.owner
    client = client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:profile"),
            {
                "full_name": owner.full_name,
                "mobile": "13700000000",
                "email": "new-owner@example.com",
                "current_password": factories.PASSWORD,
            },
        )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email == "owner@example.com" and owner.pending_email == "new-owner@example.com"
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"new-owner@example.com", "owner@example.com"}
    assert "new-owner@example.com" in by_address["owner@example.com"].body
    # Until confirmed, the new address receives no password reset.
    mailoutbox.clear()
    Client().post(reverse("accounts:password_reset"), {"email": "new-owner@example.com"})
    assert mailoutbox == []
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", by_address["new-owner@example.com"].body)
    assert Client().get(link.group(1)).status_code == 200
    owner.refresh_from_db()
    assert owner.email == "new-owner@example.com" and owner.email_confirmed_at is not None
    assert actions("user.email_changed")[0].actor == owner
    Client().post(reverse("accounts:password_reset"), {"email": "new-owner@example.com"})
    assert [m.to for m in mailoutbox] == [["new-owner@example.com"]]


def test_password_reset_goes_only_to_confirmed_addresses(personas, mailoutbox):
    from accounts.services import mark_email_confirmed

    Client().post(reverse("accounts:password_reset"), {"email": personas.owner.email})
    assert mailoutbox == []
    mark_email_confirmed(user=personas.owner)
    Client().post(reverse("accounts:password_reset"), {"email": personas.owner.email})
    assert [m.to for m in mailoutbox] == [[personas.owner.email]]
