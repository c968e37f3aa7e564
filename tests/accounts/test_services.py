"""Account services: registration in one transaction, e-mail confirmation tokens, profiles, colleagues."""

import re
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Enterprise, Notification, Role, User
from accounts.tokens import make_confirmation_token
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/accounts/confirm/(\S+)/")


def register(data, **overrides):
    kwargs = {
        "credit_code": data["credit_code"],
        "name": data["name"],
        "industry": data["industry"],
        "address": data["address"],
        "employees": int(data["employees"]),
        "revenue": Decimal(data["revenue"]),
        "total_assets": None,
        "contact_name": data["contact_name"],
        "contact_mobile": data["contact_mobile"],
        "contact_email": data["contact_email"],
        "username": data["username"],
        "password": data["password1"],
    }
    kwargs.update(overrides)
    return services.register_enterprise(**kwargs)


def test_register_creates_enterprise_and_first_user_and_mails_a_link(
    registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = register(registration_data)
    ent = user.enterprise
    assert ent.credit_code == registration_data["credit_code"] and ent.name == registration_data["name"]
    assert user.role == Role.ENTERPRISE and user.full_name == "张联系" and user.mobile == "13912345678"
    assert user.check_password(registration_data["password1"])
    assert user.email_confirmed_at is None and not services.email_confirmed(user)
    assert ent.size_class.label == "小型企业"
    assert AuditEvent.objects.filter(action="enterprise.registered", object_id=str(ent.pk)).exists()
    (mail,) = mailoutbox
    assert mail.to == ["zhang@example.com"]
    assert mail.subject == "顺义区中小企业数字化水平评测平台：请确认您的邮箱"
    assert "北京顺义新注册科技有限公司" in mail.body
    assert LINK.search(mail.body)


def test_register_duplicate_code_writes_nothing(
    registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    factories.enterprise("已注册", credit_code=registration_data["credit_code"])
    before = (Enterprise.objects.count(), User.objects.count(), AuditEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        register(registration_data)
    assert "credit_code" in exc.value.error_dict
    assert (Enterprise.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before
    assert mailoutbox == []


def test_register_failing_user_rolls_back_the_enterprise(
    registration_data, django_capture_on_commit_callbacks
):
    factories.bureau("NEWCORP")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        register(registration_data)
    assert "username" in exc.value.error_dict
    assert not Enterprise.objects.filter(credit_code=registration_data["credit_code"]).exists()


def test_register_is_atomic_when_the_user_insert_fails(registration_data, monkeypatch):
    """A database error after the enterprise row is written leaves no enterprise behind."""
    from django.db import IntegrityError

    def broken_save(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(User, "save", broken_save)
    with pytest.raises(ValidationError):
        register(registration_data)
    assert not Enterprise.objects.filter(credit_code=registration_data["credit_code"]).exists()


def test_confirm_email_token(personas):
    owner = personas.owner
    token = make_confirmation_token(owner)
    assert services.confirm_email(token=token) == owner
    owner.refresh_from_db()
    assert owner.email_confirmed_at is not None and services.email_confirmed(owner)
    first = owner.email_confirmed_at
    services.confirm_email(token=token)  # opening the link twice is harmless
    owner.refresh_from_db()
    assert owner.email_confirmed_at == first
    assert AuditEvent.objects.filter(action="user.email_confirmed", object_id=str(owner.pk)).count() == 1


def test_confirm_email_refuses_tampered_expired_and_stale_links(personas, settings):
    owner = personas.owner
    token = make_confirmation_token(owner)
    with pytest.raises(ValidationError) as exc:
        services.confirm_email(token=token[:-2] + "xx")
    assert exc.value.messages == ["确认链接无效，请检查链接是否完整。"]
    # Another purpose's signature (same key, other salt) is not a confirmation link.
    with pytest.raises(ValidationError):
        services.confirm_email(token=signing.dumps({"u": owner.pk, "e": owner.email}))
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1
    with pytest.raises(ValidationError) as exc:
        services.confirm_email(token=token)
    assert exc.value.messages == ["确认链接已过期，请登录后重新发送确认邮件。"]
    settings.EMAIL_CONFIRMATION_MAX_AGE = 3600
    owner.email = "new@example.com"
    owner.save()
    with pytest.raises(ValidationError) as exc:
        services.confirm_email(token=token)
    assert exc.value.messages == ["该链接对应的邮箱已更改，请使用最新发送的确认邮件。"]
    owner.refresh_from_db()
    assert owner.email_confirmed_at is None


def test_email_confirmed_predicate(personas):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    assert services.email_confirmed(AnonymousUser()) is False
    assert services.email_confirmed(None) is False
    owner = personas.owner
    assert services.email_confirmed(owner) is False
    owner.email_confirmed_at = timezone.now()
    assert services.email_confirmed(owner) is True
    owner.email = ""
    assert services.email_confirmed(owner) is False


def test_changing_email_waits_for_the_new_address_and_tells_the_old_one(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    owner = personas.owner
    owner.email_confirmed_at = timezone.now()
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_own_profile(user=owner, full_name="王总", mobile="13700000000", email=owner.email)
    owner.refresh_from_db()
    assert owner.full_name == "王总" and owner.email_confirmed_at is not None and mailoutbox == []
    old_email = owner.email
    with django_capture_on_commit_callbacks(execute=True):
        services.update_own_profile(
            user=owner,
            full_name="王总",
            mobile="13700000000",
            email="wang@new.example.com",
            current_password=factories.PASSWORD,
        )
    owner.refresh_from_db()
    # Not yet in effect: the address stays, confirmed, until the new one is confirmed.
    assert owner.email == old_email and owner.email_confirmed_at is not None
    assert owner.pending_email == "wang@new.example.com"
    confirm, notice = sorted(mailoutbox, key=lambda m: m.to != ["wang@new.example.com"])
    assert confirm.to == ["wang@new.example.com"] and notice.to == [old_email]
    assert "wang@new.example.com" in notice.body and LINK.search(notice.body) is None
    token = LINK.search(confirm.body).group(1)
    services.confirm_email(token=token)
    owner.refresh_from_db()
    assert owner.email == "wang@new.example.com" and owner.pending_email == ""
    assert owner.email_confirmed_at is not None
    event = AuditEvent.objects.filter(action="user.email_changed").get()
    assert event.detail["email"] == [old_email, "wang@new.example.com"]


def test_update_enterprise_audits_changes(personas):
    ent = personas.enterprise
    services.update_enterprise(enterprise=ent, by=personas.owner, employees=350, revenue=Decimal("3000"))
    ent.refresh_from_db()
    assert ent.employees == 350 and ent.size_class.label == "中型企业"
    event = AuditEvent.objects.get(action="enterprise.updated")
    assert event.actor == personas.owner and set(event.detail) == {"employees", "revenue", "enterprise_name"}
    services.update_enterprise(enterprise=ent, by=personas.owner, employees=350)
    assert AuditEvent.objects.filter(action="enterprise.updated").count() == 1
    with pytest.raises(TypeError):
        services.update_enterprise(enterprise=ent, by=personas.owner, credit_code="X")


def test_add_colleague_sends_a_set_password_link(
    personas, mailoutbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        colleague = services.add_colleague(
            by=personas.owner,
            username="newbie",
            full_name="孙新人",
            mobile="13611112222",
            email="sun@example.com",
        )
    assert colleague.enterprise == personas.enterprise and colleague.role == Role.ENTERPRISE
    assert not colleague.has_usable_password()
    assert AuditEvent.objects.filter(action="enterprise.staff_added", actor=personas.owner).exists()
    (mail,) = mailoutbox
    assert mail.to == ["sun@example.com"] and "王经理" in mail.body and "newbie" in mail.body
    link = re.search(r"http://\S+(/accounts/password/reset/\S+/\S+/)", mail.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Colleague-Pass-2024", "new_password2": "Colleague-Pass-2024"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("Colleague-Pass-2024")
    assert colleague.email_confirmed_at is not None  # the link reached the mailbox


def test_add_colleague_refuses_duplicates_and_outsiders(personas):
    with pytest.raises(ValidationError) as exc:
        services.add_colleague(
            by=personas.owner, username="COLLEAGUE", full_name="x", mobile="13611112222", email="a@b.cn"
        )
    assert exc.value.error_dict["username"][0].messages == ["该用户名已被使用。"]
    with pytest.raises(ValidationError):
        services.add_colleague(
            by=personas.expert, username="x1", full_name="x", mobile="13611112222", email="a@b.cn"
        )
    assert not User.objects.filter(username="x1").exists()


def test_deactivate_colleague_rules(personas):
    owner, colleague = personas.owner, personas.colleague
    with pytest.raises(ValidationError) as exc:
        services.deactivate_colleague(by=owner, colleague=owner)
    assert exc.value.messages == ["不能停用自己的账号。"]
    with pytest.raises(ValidationError) as exc:
        services.deactivate_colleague(by=owner, colleague=personas.outsider)
    assert exc.value.messages == ["只能停用本企业的员工账号。"]
    services.deactivate_colleague(by=owner, colleague=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active is False
    assert AuditEvent.objects.filter(
        action="enterprise.staff_deactivated", object_id=str(colleague.pk)
    ).exists()
    with pytest.raises(ValidationError) as exc:
        services.deactivate_colleague(by=owner, colleague=colleague)
    assert exc.value.messages == ["该账号已停用。"]


def test_never_the_last_active_account(personas):
    """Even a request from an account that was deactivated meanwhile cannot deactivate the last one."""
    owner, colleague = personas.owner, personas.colleague
    services.deactivate_colleague(by=owner, colleague=colleague)
    stale_colleague = User.objects.get(pk=colleague.pk)
    stale_colleague.is_active = True  # a stale in-memory copy, as a concurrent request would hold
    with pytest.raises(ValidationError) as exc:
        services.deactivate_colleague(by=stale_colleague, colleague=owner)
    assert exc.value.messages == ["不能停用企业的最后一个有效账号。"]
    owner.refresh_from_db()
    assert owner.is_active


def test_notifications_mark_read(personas):
    a = Notification.objects.create(user=personas.owner, title="甲")
    b = Notification.objects.create(user=personas.owner, title="乙")
    theirs = Notification.objects.create(user=personas.outsider, title="丙")
    assert services.mark_notification_read(user=personas.owner, notification_id=theirs.pk) is False
    assert services.mark_notification_read(user=personas.owner, notification_id=a.pk) is True
    assert services.mark_notification_read(user=personas.owner, notification_id=a.pk) is False
    assert services.mark_all_notifications_read(user=personas.owner) == 1
    b.refresh_from_db()
    theirs.refresh_from_db()
    assert b.read_at is not None and theirs.read_at is None
