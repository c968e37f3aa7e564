"""The bureau's records: the pilot roster (试点企业名单), grades and certificates, the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterEntry(models.Model):
    """An enterprise on the district's pilot roster. Only roster enterprises may apply (第三条)."""

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
        verbose_name = _("试点企业名单")
        verbose_name_plural = _("试点企业名单")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


class Grade(models.Model):
    """A published grade (认定结果) with its certificate number. Revoked grades stay, marked revoked (第十二条)."""

    application = models.OneToOneField("assessments.Application", on_delete=models.PROTECT, related_name="grade")
    enterprise = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="grades")
    level = models.PositiveSmallIntegerField(_("认定等级"))
    score = models.DecimalField(_("得分"), max_digits=9, decimal_places=4)
    certificate_number = models.CharField(_("证书编号"), max_length=30, unique=True)
    approved_at = models.DateTimeField(_("认定时间"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    revoked_basis = models.TextField(_("撤销依据"), blank=True)

    class Meta:
        verbose_name = _("认定结果")
        verbose_name_plural = _("认定结果")
        ordering = ["-approved_at", "-id"]

    def __str__(self):
        return self.certificate_number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class AuditEvent(models.Model):
    """One line of the audit trail: who did what, when, to which object, from where. Append-only."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    application = models.ForeignKey(
        "assessments.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events",
        verbose_name=_("申请"),
    )
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    client_address = models.CharField(_("来源地址"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only")
