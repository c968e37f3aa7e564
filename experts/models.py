"""Expert teams (专家团队) per application, with conflict-of-interest declarations (利益冲突声明)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.display import local_text


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


class TeamMemberQuerySet(models.QuerySet):
    """Who is on a team, said once: every "is this expert on the case's team?" in the project starts here."""

    def live(self):
        """Members still on a team that still stands (not removed, the team not dissolved); an undeclared
        member is live: they know the case exists and may declare."""
        return self.filter(removed_at__isnull=True, team__dissolved_at__isnull=True)

    def cleared(self):
        """Live members who declared no conflict of interest (利益冲突声明): they see the enterprise's data.
        Review and re-check (抽验复核) teams alike."""
        return self.live().filter(declared_at__isnull=False, conflict=ConflictKind.NONE)

    def undeclared(self):
        """Live members who have not declared yet: they may declare and see nothing else."""
        return self.live().filter(declared_at__isnull=True)

    def of_case(self, application, purpose: str | None = None):
        """Members of this application's teams (of one purpose, if given)."""
        qs = self.filter(team__application=application)
        return qs.filter(team__purpose=purpose) if purpose else qs


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

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        constraints = [models.UniqueConstraint(fields=["team", "expert"], name="one_membership_per_team")]

    def __str__(self):
        return f"{self.expert} @ {self.team}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


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


class ExpertProfile(models.Model):
    """An expert's professional profile: the areas (scenario groups and dimensions of the framework) they judge."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    areas = models.JSONField(_("专业领域"), default=list, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("专家档案")
        verbose_name_plural = _("专家档案")

    def __str__(self):
        return str(self.user)


class VerdictChoice(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")
    UNCLEAR = "unclear", _("存疑")


class EvidenceVerdict(models.Model):
    """The team's verdict on one evidence file: 真实性 / 完整性 / 合规性."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="verdicts")
    evidence = models.ForeignKey("assessments.Evidence", on_delete=models.PROTECT, related_name="verdicts")
    authenticity = models.CharField(_("真实性"), max_length=8, choices=VerdictChoice.choices)
    completeness = models.CharField(_("完整性"), max_length=8, choices=VerdictChoice.choices)
    compliance = models.CharField(_("合规性"), max_length=8, choices=VerdictChoice.choices)
    comment = models.TextField(_("审核意见"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("佐证材料审核意见")
        verbose_name_plural = _("佐证材料审核意见")
        constraints = [models.UniqueConstraint(fields=["team", "evidence"], name="one_verdict_per_file")]

    def __str__(self):
        return f"{self.evidence_id}: {self.authenticity}/{self.completeness}/{self.compliance}"


class Verification(models.Model):
    """The team's verified answer for one item (`Q2`: option index or list) or scenario (`S05`: four booleans)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="verifications")
    code = models.CharField(_("指标"), max_length=8)
    value = models.JSONField(_("核定答案"))
    reason = models.TextField(_("调整理由"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("核定答案")
        verbose_name_plural = _("核定答案")
        constraints = [models.UniqueConstraint(fields=["team", "code"], name="one_verification_per_code")]

    def __str__(self):
        return f"{self.code} = {self.value}"


class TeamOpinion(models.Model):
    """The lead's overall opinion (综合评测意见) and proposed grade, before the agency submits it."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="opinion")
    text = models.TextField(_("综合评测意见"))
    level = models.PositiveSmallIntegerField(_("建议等级"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.team_id} → {self.level}"


class SupplementRequest(models.Model):
    """A request for supplementary material (补充材料) sent to the enterprise for the named items."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="supplements")
    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="supplements"
    )
    codes = models.JSONField(_("涉及指标"))
    message = models.TextField(_("补充要求"))
    deadline = models.DateField(_("补充期限"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("企业答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    files = models.ManyToManyField("assessments.Evidence", blank=True, related_name="supplements")

    class Meta:
        verbose_name = _("补充材料要求")
        verbose_name_plural = _("补充材料要求")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.application_id}: {', '.join(self.codes)}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Inspection(models.Model):
    """The site inspection (现场查验) of one application by its team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="inspections")
    scheduled_for = models.DateTimeField(_("查验时间"))
    place = models.CharField(_("查验地点"), max_length=200)
    attendees = models.TextField(_("参加人员"))
    summary = models.TextField(_("查验小结"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("现场查验")
        verbose_name_plural = _("现场查验")
        ordering = ["scheduled_for", "id"]

    def __str__(self):
        return f"{self.place} {local_text(self.scheduled_for, '%Y-%m-%d')}"


class IntervieweeRole(models.TextChoices):
    MANAGEMENT = "management", _("管理人员")
    BUSINESS = "business", _("业务部门负责人")
    IT = "it", _("信息化部门人员")
    FRONTLINE = "frontline", _("一线工作人员")


class Interview(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="interviews")
    role = models.CharField(_("访谈对象"), max_length=12, choices=IntervieweeRole.choices)
    interviewee = models.CharField(_("姓名及职务"), max_length=100)
    record = models.TextField(_("访谈记录"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.interviewee}"


class CheckKind(models.TextChoices):
    RECORDS = "records", _("原始记录查阅")
    WORKSHOP = "workshop", _("车间及部门查看")
    SYSTEM = "system", _("系统后台数据及日志")


class SiteCheck(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("查验方式"), max_length=10, choices=CheckKind.choices)
    subject = models.CharField(_("查验对象"), max_length=200)
    record = models.TextField(_("查验记录"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject}"


class Finding(models.Model):
    """One finding of the site inspection, linked to the items or scenarios (`codes`) it bears on."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("查验发现"))
    codes = models.JSONField(_("涉及指标"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:40]


def photo_path(instance, filename):
    return f"inspection/{instance.inspection.team.application_id}/{uuid.uuid4().hex}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    file = models.FileField(upload_to=photo_path)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.original_name


class Draft(models.Model):
    """Unsent form text kept on the server (autosaved by htmx) so a flaky connection loses nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
