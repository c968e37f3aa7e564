"""Account pages through the test client, with the fixed personas."""

import re

import pytest
from django.urls import reverse

from accounts.models import Enterprise, Notification, User
from accounts.tokens import make_confirmation_token
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


# --- Registration --------------------------------------------------------------------------------------------


def test_registration_page_is_public(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    body = response.content.decode()
    for label in [
        "统一社会信用代码",
        "所属行业",
        "软件和信息技术服务业",
        "租赁和商务服务业",
        "资产总额（万元）",
    ]:
        assert label in body


def test_register_logs_in_shows_size_class_and_mails_link(
    client, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration_data)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register_done")
    response = client.get(response["Location"])
    body = response.content.decode()
    assert "注册成功" in body and "小型企业" in body and "zhang@example.com" in body
    assert "尚未确认" in body  # the banner
    (mail,) = mailoutbox
    path = re.search(r"http://\S+?(/accounts/confirm/\S+/)", mail.body).group(1)
    response = client.get(path)
    assert "已确认" in response.content.decode()
    user = User.objects.get(username="newcorp")
    assert user.email_confirmed_at is not None
    assert "尚未确认" not in client.get(reverse("accounts:profile")).content.decode()


def test_bad_registration_shows_field_messages_and_writes_nothing(client, registration_data):
    registration_data.update(credit_code=registration_data["credit_code"][:17] + "Z", contact_mobile="123")
    response = client.post(reverse("accounts:register"), registration_data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["credit_code"] == ["统一社会信用代码含有非法字符“Z”（不使用I、O、Z、S、V）。"]
    assert form.errors["contact_mobile"] == ["请输入11位手机号码（以1开头，第二位为3至9）。"]
    assert "统一社会信用代码含有非法字符" in response.content.decode()
    assert not Enterprise.objects.filter(name=registration_data["name"]).exists()
    assert not User.objects.filter(username="newcorp").exists()


def test_signed_in_users_do_not_register_again(client_for, personas):
    assert client_for(personas.owner).get(reverse("accounts:register")).status_code == 302


# --- E-mail confirmation -------------------------------------------------------------------------------------


def test_confirm_link_works_signed_out_and_bad_link_says_why(client, personas):
    token = make_confirmation_token(personas.owner)
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 200 and "已确认" in response.content.decode()
    response = client.get(reverse("accounts:confirm_email", args=["nonsense"]))
    assert response.status_code == 400 and "确认链接无效" in response.content.decode()


def test_banner_and_resend(client_for, personas, mailoutbox, django_capture_on_commit_callbacks):
    c = client_for(personas.owner)
    body = c.get(reverse("accounts:notifications")).content.decode()
    assert 'data-testid="email-banner"' in body and "重新发送确认邮件" in body
    assert c.get(reverse("accounts:resend_confirmation")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("accounts:resend_confirmation"), {"next": "/accounts/notifications/"})
    assert response["Location"] == "/accounts/notifications/"
    assert [m.to for m in mailoutbox] == [[personas.owner.email]]
    # A second press within a minute sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("accounts:resend_confirmation"), follow=True)
    assert "请稍候一分钟再试" in response.content.decode() and len(mailoutbox) == 1
    # An outside "next" is not followed.
    response = c.post(reverse("accounts:resend_confirmation"), {"next": "https://evil.example.com/"})
    assert response["Location"] == reverse("accounts:profile")


def test_no_banner_once_confirmed(client_for, personas):
    from django.utils import timezone

    personas.bureau.email_confirmed_at = timezone.now()
    personas.bureau.save()
    body = client_for(personas.bureau).get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="email-banner"' not in body


# --- Login, logout, passwords --------------------------------------------------------------------------------


def test_login_page_and_chinese_error(client, personas):
    response = client.get(reverse("accounts:login"))
    assert "忘记密码" in response.content.decode() and "企业注册" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确（均区分大小写），请重新输入。" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": "test-pass-2024"})
    assert response.status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_deactivated_user_cannot_log_in(client, personas):
    personas.colleague.is_active = False
    personas.colleague.save()
    response = client.post(reverse("accounts:login"), {"username": "colleague", "password": "test-pass-2024"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_password_reset_by_email(client, personas, mailoutbox):
    response = client.get(reverse("accounts:password_reset"))
    assert "找回密码" in response.content.decode()
    # An address never confirmed gets no reset link (the page says the same, so nothing is revealed).
    response = client.post(reverse("accounts:password_reset"), {"email": personas.owner.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []
    from accounts.services import mark_email_confirmed

    mark_email_confirmed(user=personas.owner)
    response = client.post(reverse("accounts:password_reset"), {"email": personas.owner.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (mail,) = mailoutbox
    assert mail.subject == "顺义区中小企业数字化水平评测平台：重设密码"
    assert "王经理，您好" in mail.body and "owner" in mail.body
    path = re.search(r"http://\S+?(/accounts/password/reset/\S+/\S+/)", mail.body).group(1)
    response = client.get(path, follow=True)
    assert "设置新密码" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert "密码太短" in response.content.decode()
    response = client.post(
        response.request["PATH_INFO"],
        {"new_password1": "Brand-New-Pass-88", "new_password2": "Brand-New-Pass-88"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    personas.owner.refresh_from_db()
    assert personas.owner.check_password("Brand-New-Pass-88")
    response = client.get(path)
    assert response.status_code == 200 and "无效或已过期" in response.content.decode()


def test_password_change(client_for, personas):
    c = client_for(personas.owner)
    response = c.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Another-Pass-77", "new_password2": "Another-Pass-77"},
    )
    assert "你的旧密码不正确" in response.content.decode()
    response = c.post(
        reverse("accounts:password_change"),
        {
            "old_password": "test-pass-2024",
            "new_password1": "Another-Pass-77",
            "new_password2": "Another-Pass-77",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    personas.owner.refresh_from_db()
    assert personas.owner.check_password("Another-Pass-77")
    assert c.get(reverse("accounts:profile")).status_code == 200  # still signed in


# --- Profile ------------------------------------------------------------------------------------------------


def test_profile_edit(client_for, personas, mailoutbox, django_capture_on_commit_callbacks):
    c = client_for(personas.owner)
    response = c.get(reverse("accounts:profile"))
    assert "小型企业" in response.content.decode()  # the enterprise card with its size class
    response = c.post(
        reverse("accounts:profile"), {"full_name": "王", "mobile": "110", "email": "x@example.com"}
    )
    assert response.status_code == 200 and "请输入11位手机号码" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("accounts:profile"),
            {
                "full_name": "王总",
                "mobile": "13700000000",
                "email": "wz@example.com",
                "current_password": factories.PASSWORD,
            },
        )
    assert response.status_code == 302
    personas.owner.refresh_from_db()
    assert (personas.owner.full_name, personas.owner.pending_email) == ("王总", "wz@example.com")
    assert {m.to[0] for m in mailoutbox} == {"wz@example.com", "owner@example.com"}
    assert "wz@example.com" in c.get(reverse("accounts:profile")).content.decode()


# --- Enterprise profile and staff -----------------------------------------------------------------------------


def test_enterprise_profile_view_and_edit(client_for, personas):
    ent = personas.enterprise
    c = client_for(personas.colleague)
    assert c.get(reverse("accounts:my_enterprise"))["Location"] == reverse(
        "accounts:enterprise", args=[ent.pk]
    )
    body = c.get(reverse("accounts:enterprise", args=[ent.pk])).content.decode()
    assert ent.credit_code in body and "小型企业" in body and "编辑企业信息" in body
    data = {
        "name": "北京顺义精工机械股份有限公司",
        "industry": "construction",
        "address": "顺义区新地址",
        "employees": "50",
        "revenue": "7000",
        "total_assets": "",
        "contact_name": "李会计",
        "contact_mobile": "13800000001",
        "contact_email": "li@example.com",
        "credit_code": "ignored",
    }
    response = c.post(reverse("accounts:enterprise_edit", args=[ent.pk]), data)
    assert response.status_code == 200 and "请填写资产总额" in response.content.decode()
    ent.refresh_from_db()
    assert ent.name == "北京顺义精工机械有限公司"
    data["total_assets"] = "5000"
    response = c.post(reverse("accounts:enterprise_edit", args=[ent.pk]), data)
    assert response.status_code == 302
    old_code = ent.credit_code
    ent.refresh_from_db()
    assert ent.name == "北京顺义精工机械股份有限公司" and ent.credit_code == old_code
    assert ent.size_class.label == "中型企业"
    assert AuditEvent.objects.filter(action="enterprise.updated", actor=personas.colleague).exists()


def test_staff_page_add_and_deactivate(client_for, personas, mailoutbox, django_capture_on_commit_callbacks):
    ent = personas.enterprise
    c = client_for(personas.owner)
    url = reverse("accounts:staff", args=[ent.pk])
    body = c.get(url).content.decode()
    assert "王经理" in body and "李会计" in body and "赵外人" not in body
    response = c.post(
        url, {"username": "new-one", "full_name": "钱新", "mobile": "1", "email": "q@example.com"}
    )
    assert response.status_code == 200 and "请输入11位手机号码" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            url,
            {"username": "new-one", "full_name": "钱新", "mobile": "13512345678", "email": "q@example.com"},
        )
    assert response.status_code == 302
    new = User.objects.get(username="new-one")
    assert new.enterprise == ent and mailoutbox[0].to == ["q@example.com"]
    assert "待设置密码" in c.get(url).content.decode()
    # deactivate: not oneself, a colleague yes, GET not allowed
    own = reverse("accounts:staff_deactivate", args=[ent.pk, personas.owner.pk])
    response = c.post(own, follow=True)
    assert "不能停用自己的账号。" in response.content.decode()
    target = reverse("accounts:staff_deactivate", args=[ent.pk, personas.colleague.pk])
    assert c.get(target).status_code == 405
    response = c.post(target, follow=True)
    assert "已停用 李会计 的账号。" in response.content.decode()
    personas.colleague.refresh_from_db()
    assert not personas.colleague.is_active


# --- Notifications ---------------------------------------------------------------------------------------------


def test_notifications_page(client_for, personas):
    old = Notification.objects.create(user=personas.owner, title="旧通知", link="/accounts/profile/")
    new = Notification.objects.create(user=personas.owner, title="新通知", body="第一行\n第二行")
    Notification.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    Notification.objects.create(user=personas.outsider, title="别人的通知")
    c = client_for(personas.owner)
    response = c.get(reverse("accounts:notifications"))
    body = response.content.decode()
    assert body.index("新通知") < body.index("旧通知") and "别人的通知" not in body
    assert body.count('data-unread="1"') == 2 and response.context["unread_notifications"] == 2
    assert 'data-testid="nav-unread">2<' in body
    # following the link marks it read
    response = c.get(reverse("accounts:notification_open", args=[old.pk]))
    assert response["Location"] == "/accounts/profile/"
    old.refresh_from_db()
    assert old.read_at is not None
    # mark one read (POST only)
    assert c.get(reverse("accounts:notification_read", args=[new.pk])).status_code == 405
    c.post(reverse("accounts:notification_read", args=[new.pk]))
    new.refresh_from_db()
    assert new.read_at is not None
    assert c.get(reverse("accounts:notifications")).content.decode().count('data-unread="1"') == 0


def test_mark_all_read_and_external_links_not_followed(client_for, personas):
    evil = Notification.objects.create(user=personas.owner, title="外链", link="https://evil.example.com/")
    Notification.objects.create(user=personas.owner, title="二")
    c = client_for(personas.owner)
    assert c.get(reverse("accounts:notification_open", args=[evil.pk]))["Location"] == reverse(
        "accounts:notifications"
    )
    c.post(reverse("accounts:notifications_read_all"))
    assert not Notification.objects.filter(user=personas.owner, read_at__isnull=True).exists()


def test_notifications_page_query_count_does_not_grow(client_for, personas, django_assert_max_num_queries):
    c = client_for(personas.owner)
    Notification.objects.create(user=personas.owner, title="一")
    with django_assert_max_num_queries(8):
        c.get(reverse("accounts:notifications"))
    Notification.objects.bulk_create([Notification(user=personas.owner, title=f"n{i}") for i in range(25)])
    with django_assert_max_num_queries(8):
        c.get(reverse("accounts:notifications"))
