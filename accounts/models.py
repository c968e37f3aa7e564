"""People and organisations: the custom User with its role, enterprises (企业), agencies (评测机构)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .sme import Industry, SizeClass, size_class


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    EXPERT = "expert", _("专家")
    AGENCY_ADMIN = "agency_admin", _("评测机构管理员")
    BUREAU = "bureau", _("区经信局")


class Agency(models.Model):
    """A third-party evaluation agency (第三方评测机构) commissioned by the bureau (第九条)."""

    name = models.CharField(_("机构名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评测机构")
        verbose_name_plural = _("评测机构")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """An SME that assesses itself and applies for a grade. Several staff accounts may belong to it."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    industry = models.CharField(_("所属行业"), max_length=40, choices=Industry.choices)
    address = models.CharField(_("注册地址"), max_length=300)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    employees = models.PositiveIntegerField(_("从业人员（人）"))
    revenue = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=2)
    total_assets = models.DecimalField(
        _("资产总额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_mobile = models.CharField(_("联系人手机"), max_length=11)
    contact_email = models.EmailField(_("联系人邮箱"))
    # Who speaks for the enterprise was confirmed by the bureau (营业执照 + 授权委托书, see AccountClaim); until
    # then it cannot submit an application.
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(industry__in=Industry.values), name="enterprise_industry_known"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def size_class(self) -> SizeClass | None:
        """中小企业划型 (工信部联企业〔2011〕300号) from the profile's figures; None when a needed figure is missing."""
        return size_class(self.industry, self.employees, self.revenue, self.total_assets)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("评测机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    email_confirmed_at = models.DateTimeField(_("邮箱确认时间"), null=True, blank=True)
    # A new address the user asked for: it replaces `email` only once its confirmation link is opened.
    pending_email = models.EmailField(_("待确认的新邮箱"), blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="enterprise") | models.Q(enterprise__isnull=False),
                name="enterprise_user_has_enterprise",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["expert", "agency_admin"]) | models.Q(agency__isnull=False),
                name="agency_user_has_agency",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def audit_identity(self) -> dict:
        """Who this user is now, as the audit trail keeps it with each event (later renames change nothing)."""
        organisation = ""
        if self.enterprise_id:
            organisation = self.enterprise.name
        elif self.agency_id:
            organisation = self.agency.name
        return {
            "username": self.username,
            "name": self.full_name,
            "role": self.role,
            "organisation": organisation,
        }

    @property
    def is_enterprise(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_agency_admin(self) -> bool:
        return self.role == Role.AGENCY_ADMIN

    @property
    def is_bureau(self) -> bool:
        return self.role == Role.BUREAU


class Notification(models.Model):
    """A message in the site; the same text is also sent by e-mail (see accounts.notify)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class ClaimKind(models.TextChoices):
    REGISTRATION = "registration", _("首次注册")
    ACCESS = "access", _("申请加入")


class ClaimState(models.TextChoices):
    PENDING = "pending", _("待核验")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


def claim_upload_to(instance, filename: str) -> str:
    # Never the uploaded name on disk (it is kept in the row); files live under MEDIA_ROOT, served by a view.
    from uuid import uuid4

    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"claims/{instance.enterprise_id}/{uuid4().hex}.{suffix}"


class AccountClaim(models.Model):
    """Someone asks to speak for an enterprise (第六点): the first account of a credit code (registration: the
    bureau decides) or a second claimant of an already claimed code (access: the enterprise's confirmed staff or
    the bureau decide). The 营业执照 and 授权委托书 are private files, served only through an access-checked view."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("类型"), max_length=20, choices=ClaimKind.choices)
    state = models.CharField(_("状态"), max_length=20, choices=ClaimState.choices, default=ClaimState.PENDING)
    business_licence = models.FileField(_("营业执照"), upload_to=claim_upload_to, blank=True)
    business_licence_name = models.CharField(max_length=200, blank=True)
    authorization_letter = models.FileField(_("授权委托书"), upload_to=claim_upload_to)
    authorization_letter_name = models.CharField(max_length=200)
    note = models.TextField(_("说明"), blank=True)
    reason = models.TextField(_("未通过原因"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业账号核验")
        verbose_name_plural = _("企业账号核验")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self):
        return f"{self.enterprise} · {self.user}"

    @property
    def is_pending(self) -> bool:
        return self.state == ClaimState.PENDING


class RosterEntry(models.Model):
    """An enterprise on the district's pilot roster. Only roster enterprises may apply (第三条). Kept by the
    bureau (supervision); the table keeps the name it had there."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    service_provider_name = models.CharField(_("数字化转型服务商"), max_length=200, blank=True)
    service_provider_credit_code = models.CharField(_("服务商统一社会信用代码"), max_length=18, blank=True)
    active = models.BooleanField(_("试点资格有效"), default=True)
    cancelled_at = models.DateTimeField(_("资格取消时间"), null=True, blank=True)
    cancelled_reason = models.TextField(_("取消原因"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "supervision_rosterentry"
        verbose_name = _("试点企业名单")
        verbose_name_plural = _("试点企业名单")
        ordering = ["name"]
        # The bureau's roster page: valid entries first, by name (supervision.selectors.roster_entries).
        indexes = [models.Index(F("active").desc(), F("name"), name="roster_active_name")]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"
