"""People and organisations: the custom User with its role, enterprises (企业), agencies (评测机构)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
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

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"
