"""Writes for accounts: registration, e-mail confirmation, profiles, colleagues, notifications.

Every function is keyword-only and atomic; a refusal raises ValidationError with a Chinese message (keyed by
form field where one is at fault) and leaves nothing written. E-mails are queued after the commit.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.queue import enqueue

from .credit_code import normalise
from .models import Enterprise, Notification, Role, User
from .signals import industry_changed
from .tasks import send_account_email
from .tokens import read_confirmation_token

ENTERPRISE_FIELDS = (
    "name",
    "industry",
    "address",
    "legal_representative",
    "employees",
    "revenue",
    "total_assets",
    "contact_name",
    "contact_mobile",
    "contact_email",
)


def email_confirmed(user) -> bool:
    """True when the user has confirmed the e-mail address they have now (the online application needs it)."""
    return bool(user is not None and user.is_authenticated and user.email and user.email_confirmed_at)


def send_confirmation(*, user: User) -> None:
    """Queue the confirmation link for the user's current address."""
    if user.email:
        enqueue(send_account_email, kind="confirm_email", user_id=user.pk)


def _credit_code_taken() -> ValidationError:
    return ValidationError(
        {
            "credit_code": _(
                "该统一社会信用代码已注册。如您是该企业员工，请联系已注册的同事在“员工账号”页面为您添加账号。"
            )
        },
        code="duplicate",
    )


@transaction.atomic
def register_enterprise(
    *,
    credit_code: str,
    name: str,
    industry: str,
    address: str,
    employees: int,
    revenue,
    total_assets=None,
    contact_name: str,
    contact_mobile: str,
    contact_email: str,
    username: str,
    password: str,
) -> User:
    """企业注册: the enterprise and its first staff account (the contact person), in one transaction."""
    credit_code = normalise(credit_code)
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise _credit_code_taken()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")}, code="duplicate")
    try:
        # A savepoint: a concurrent registration of the same code loses here with a field message.
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                credit_code=credit_code,
                name=name,
                industry=industry,
                address=address,
                employees=employees,
                revenue=revenue,
                total_assets=total_assets,
                contact_name=contact_name,
                contact_mobile=contact_mobile,
                contact_email=contact_email,
            )
    except IntegrityError:
        raise _credit_code_taken() from None
    user = User(
        username=username,
        role=Role.ENTERPRISE,
        enterprise=enterprise,
        full_name=contact_name,
        mobile=contact_mobile,
        email=contact_email,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": _("该用户名已被使用。")}, code="duplicate") from None
    record(
        actor=user,
        action="enterprise.registered",
        obj=enterprise,
        params={
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "user": user.username,
            "size_class": str(enterprise.size_class or ""),
        },
    )
    send_confirmation(user=user)
    return user


@transaction.atomic
def confirm_email(*, token: str) -> User:
    """Open the confirmation link: confirms the user's current address, or — for a link sent to the new
    address the user asked for — makes that the user's address, confirmed."""
    try:
        user_id, email = read_confirmation_token(token)
    except signing.SignatureExpired:
        raise ValidationError(_("确认链接已过期，请登录后重新发送确认邮件。"), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("确认链接无效，请检查链接是否完整。"), code="invalid") from None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError(_("确认链接无效，请检查链接是否完整。"), code="invalid")
    if user.pending_email and user.pending_email.lower() == email:
        old = user.email
        user.email, user.pending_email, user.email_confirmed_at = user.pending_email, "", timezone.now()
        user.save(update_fields=["email", "pending_email", "email_confirmed_at"])
        record(
            actor=user,
            action="user.email_changed",
            obj=user,
            params={"email": [old, user.email], "old": old, "new": user.email},
        )
        return user
    if user.email.lower() != email:
        raise ValidationError(_("该链接对应的邮箱已更改，请使用最新发送的确认邮件。"), code="stale")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        record(actor=user, action="user.email_confirmed", obj=user, params={"email": user.email})
    return user


@transaction.atomic
def mark_email_confirmed(*, user: User) -> None:
    """The user proved the address another way (opened a set-password link sent to it)."""
    if user.email and user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        record(actor=user, action="user.email_confirmed", obj=user, params={"email": user.email})


@transaction.atomic
def update_own_profile(
    *, user: User, full_name: str, mobile: str, email: str, current_password: str = ""
) -> User:
    """The user's own name, mobile and e-mail.

    A different e-mail address needs the current password (a stolen session cannot redirect the password
    reset), and takes effect only when the link sent to it is opened (`confirm_email`); the old address is
    told. Until then `pending_email` holds it. A wrong password refuses the whole change: nothing is written.
    """
    email_changed = email.lower() != (user.email or "").lower()
    if email_changed and not (current_password and user.check_password(current_password)):
        raise ValidationError(
            {"current_password": _("更改邮箱须输入正确的当前密码。")}, code="password_required"
        )
    before = {"full_name": user.full_name, "mobile": user.mobile, "pending_email": user.pending_email}
    user.full_name, user.mobile = full_name, mobile
    if email_changed:
        user.pending_email = email
    elif user.pending_email:
        user.pending_email = ""  # back to the current address: the pending change is dropped
    user.save(update_fields=["full_name", "mobile", "pending_email"])
    changed = {k: [v, getattr(user, k)] for k, v in before.items() if v != getattr(user, k)}
    if changed:
        record(actor=user, action="user.profile_updated", obj=user, params=changed)
    if email_changed:
        enqueue(send_account_email, kind="confirm_new_email", user_id=user.pk)
        if user.email:
            enqueue(send_account_email, kind="email_change_notice", user_id=user.pk, address=user.email)
    return user


@transaction.atomic
def update_enterprise(*, enterprise: Enterprise, by: User, **fields) -> Enterprise:
    """企业信息 edited by its staff. The credit code is the enterprise's identity and never changes here."""
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changed = {}
    for key, value in fields.items():
        old = getattr(enterprise, key)
        if old != value:
            changed[key] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(enterprise, key, value)
    if changed:
        enterprise.save()
        if "industry" in changed:  # the apps above keep figures per industry (supervision's dashboard cells)
            industry_changed.send(sender=Enterprise, enterprise=enterprise, old=changed["industry"][0])
        record(
            actor=by,
            action="enterprise.updated",
            obj=enterprise,
            params={**changed, "enterprise_name": enterprise.name},
        )
    return enterprise


@transaction.atomic
def add_colleague(*, by: User, username: str, full_name: str, mobile: str, email: str) -> User:
    """A staff member adds a colleague to their own enterprise; the colleague sets a password via an e-mailed link."""
    if not (by.is_enterprise and by.enterprise_id and by.is_active):
        raise ValidationError(_("只有企业员工可以添加同事。"), code="forbidden")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")}, code="duplicate")
    colleague = User(
        username=username,
        role=Role.ENTERPRISE,
        enterprise_id=by.enterprise_id,
        full_name=full_name,
        mobile=mobile,
        email=email,
    )
    colleague.set_unusable_password()
    try:
        with transaction.atomic():
            colleague.save()
    except IntegrityError:
        raise ValidationError({"username": _("该用户名已被使用。")}, code="duplicate") from None
    record(
        actor=by,
        action="enterprise.staff_added",
        obj=colleague,
        params={"name": full_name, "username": username, "enterprise": by.enterprise_id, "email": email},
    )
    enqueue(send_account_email, kind="colleague_invite", user_id=colleague.pk, invited_by_id=by.pk)
    return colleague


@transaction.atomic
def deactivate_colleague(*, by: User, colleague: User) -> User:
    """停用 a colleague's account: never one's own, never the enterprise's last active account."""
    if not by.enterprise_id or colleague.enterprise_id != by.enterprise_id:
        raise ValidationError(_("只能停用本企业的员工账号。"), code="forbidden")
    if colleague.pk == by.pk:
        raise ValidationError(_("不能停用自己的账号。"), code="self")
    # Lock the enterprise's staff rows so two colleagues deactivating each other cannot leave nobody.
    active = list(
        User.objects.select_for_update()
        .filter(enterprise_id=by.enterprise_id, is_active=True)
        .values_list("pk", flat=True)
    )
    if colleague.pk not in active:
        raise ValidationError(_("该账号已停用。"), code="inactive")
    if len(active) <= 1:
        raise ValidationError(_("不能停用企业的最后一个有效账号。"), code="last")
    User.objects.filter(pk=colleague.pk).update(is_active=False)
    colleague.is_active = False
    record(
        actor=by,
        action="enterprise.staff_deactivated",
        obj=colleague,
        params={
            "name": colleague.display_name,
            "username": colleague.username,
            "enterprise": by.enterprise_id,
        },
    )
    return colleague


@transaction.atomic
def mark_notification_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; False if it is not theirs (or already read)."""
    return bool(
        Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


@transaction.atomic
def mark_all_notifications_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
