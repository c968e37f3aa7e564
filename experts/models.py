"""Expert teams (专家团队) per application, with conflict-of-interest declarations (利益冲突声明)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamPurpose(models.TextChoices):
    REVIEW = "review", _("评测")
    RECHECK = "recheck", _("抽验复核")


class Team(models.Model):
    """The experts an agency puts on one application (or on a re-check of it)."""

    application = models.ForeignKey("assessments.Application", on_delete=models.PROTECT, related_name="teams")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="teams")
    purpose = models.CharField(
        _("用途"), max_length=10, choices=TeamPurpose.choices, default=TeamPurpose.REVIEW
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    dissolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("专家团队")
        verbose_name_plural = _("专家团队")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.application.number} · {self.agency}"


class MemberRole(models.TextChoices):
    LEAD = "lead", _("组长")
    MEMBER = "member", _("组员")


class ConflictKind(models.TextChoices):
    NONE = "none", _("无利益关系")
    EMPLOYMENT = "employment", _("任职或雇佣关系")
    CONSULTING = "consulting", _("咨询服务关系")
    SERVICE_PROVIDER = "service_provider", _("该企业的数字化转型服务商")
    FAMILY = "family", _("亲属关系")
    OTHER = "other", _("其他")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(_("角色"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True)
    conflict = models.CharField(_("利益关系"), max_length=20, choices=ConflictKind.choices, blank=True)
    conflict_text = models.TextField(_("说明"), blank=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removed_reason = models.CharField(_("移出原因"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("确认建议时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        constraints = [models.UniqueConstraint(fields=["team", "expert"], name="one_membership_per_team")]

    def __str__(self):
        return f"{self.expert} @ {self.team}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def may_see_enterprise(self) -> bool:
        """Only after declaring no conflict does a member see anything of the enterprise."""
        return self.removed_at is None and self.declared_at is not None and self.conflict == ConflictKind.NONE


class Proposal(models.Model):
    """The team's proposed grade (建议等级), frozen when the agency admin submits it to the bureau.

    `self_result` and `verified_result` are the grading engine's outputs (RULES.md §6 shape) for the enterprise's
    submitted answers and the team's verified answers; `comparison` holds the per-item and per-scenario rows
    (self vs verified, with the experts' reasons). The bureau's approval page and the PDF reports read these
    frozen values, so what the bureau approves is exactly what the agency submitted.
    """

    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="proposals"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="proposals")
    level = models.PositiveSmallIntegerField(_("建议等级"))
    score = models.DecimalField(_("核定得分"), max_digits=9, decimal_places=4)
    opinion = models.TextField(_("综合评测意见"))
    self_result = models.JSONField()
    verified_result = models.JSONField()
    comparison = models.JSONField()
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        verbose_name = _("评测建议")
        verbose_name_plural = _("评测建议")
        ordering = ["-submitted_at", "-id"]
        get_latest_by = "submitted_at"

    def __str__(self):
        return f"{self.application.number} → {self.level}"
