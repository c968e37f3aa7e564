"""The bureau's records: grades and certificates, roster imports, re-check samples. (The roster itself,
`RosterEntry`, lives in accounts: who may apply and who is whose 服务商 are read by the apps below.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.display import local_text


class Grade(models.Model):
    """A published grade (认定结果) with its certificate number. Revoked grades stay, marked revoked (第十二条).

    The holder (name and credit code), the level, the score and the framework edition are frozen as approved:
    the certificate, the public verify page and the exports show these, whatever the enterprise calls itself
    later. The bureau's pages show a later rename next to the frozen name (`renamed_to`)."""

    # The application's current grade. A grade superseded after a re-check (its level changed) lets go of the
    # application (NULL) and is reached from the grade that replaced it (`supersedes`); it keeps its frozen
    # holder, level and number, so the verify page can show the history.
    application = models.OneToOneField(
        "assessments.Application", on_delete=models.PROTECT, related_name="grade", null=True, blank=True
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("替代的证书"),
    )
    enterprise = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="grades")
    holder_name = models.CharField(_("认定时企业名称"), max_length=200)
    holder_credit_code = models.CharField(_("认定时统一社会信用代码"), max_length=18)
    edition = models.CharField(_("评测框架版本"), max_length=40)
    level = models.PositiveSmallIntegerField(_("认定等级"))
    score = models.DecimalField(_("得分"), max_digits=9, decimal_places=4)
    certificate_number = models.CharField(_("证书编号"), max_length=30, unique=True)
    approved_at = models.DateTimeField(_("认定时间"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # When the grade stopped being valid: revoked, or superseded by a reissued grade (then `superseded_by`).
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    revoked_basis = models.TextField(_("撤销依据"), blank=True)
    # What the dashboard adds up in SQL, from the result the grade was approved on (the latest proposal's
    # verified result, else the submitted one) — written with the grade in the same transaction and rebuilt by
    # `manage.py rebuild_grade_figures`: one digit per scenario in the edition's order, points per dimension.
    scenario_levels = models.CharField(max_length=40, blank=True)
    dimension_points = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("认定结果")
        verbose_name_plural = _("认定结果")
        ordering = ["-approved_at", "-id"]
        indexes = [models.Index(fields=["revoked_at", "edition"], name="grade_valid_edition")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(holder_name="")
                & ~models.Q(holder_credit_code="")
                & ~models.Q(edition=""),
                name="grade_holder_frozen",
            )
        ]

    def __str__(self):
        return self.certificate_number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_superseded(self) -> bool:
        return self.revoked_at is not None and hasattr(self, "superseded_by")

    @property
    def case(self):
        """The application the grade was approved on (a superseded grade's through its successor)."""
        grade = self
        while grade.application_id is None:
            grade = grade.superseded_by
        return grade.application

    def history(self) -> list["Grade"]:
        """This grade's chain of certificates, newest first (what the verify page lists)."""
        newest = self
        while hasattr(newest, "superseded_by"):
            newest = newest.superseded_by
        chain = [newest]
        while chain[-1].supersedes_id:
            chain.append(chain[-1].supersedes)
        return chain

    @property
    def renamed_to(self) -> str:
        """The enterprise's current name when it differs from the name the grade was approved for (for the
        bureau only; never on the public page)."""
        current = self.enterprise.name
        return current if current != self.holder_name else ""


class CertificateFile(models.Model):
    """A signed 等级证书 PDF issued for a grade: its SHA-256, offered on the public verify page so anyone can check
    that the file they were shown is one the bureau issued."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="certificate_files")
    sha256 = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("签发时间"))

    class Meta:
        verbose_name = _("证书文件")
        verbose_name_plural = _("证书文件")
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"{self.grade.certificate_number} {self.sha256[:12]}"


class RosterImport(models.Model):
    """One upload of the pilot roster (.xlsx) with its row-by-row report, kept so it can be shown and downloaded."""

    file_name = models.CharField(_("文件名"), max_length=255)
    imported = models.PositiveIntegerField(_("导入行数"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    # [{"row": 3, "credit_code": "...", "name": "...", "status": "imported"|"rejected"|"skipped", "reasons": [...]}]
    # ("skipped": the template's example row, supervision.roster.EXAMPLE)
    report = models.JSONField(_("导入报告"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("名单导入记录")
        verbose_name_plural = _("名单导入记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({local_text(self.created_at)})"

    @property
    def skipped(self) -> int:
        """Rows neither imported nor rejected: the template's example row left in the file."""
        return sum(1 for r in self.report if r.get("status") == "skipped")


class StratifyBy(models.TextChoices):
    NONE = "", _("不分层")
    LEVEL = "level", _("按等级分层")
    AGENCY = "agency", _("按评测机构分层")


class Sample(models.Model):
    """One draw of grades for re-checking (抽验). The population filter and the seed are recorded, so the same
    draw can be made again and give the same members."""

    population_filter = models.JSONField(_("抽样范围"), default=dict)
    population_size = models.PositiveIntegerField(_("总体数量"))
    seed = models.BigIntegerField(_("随机种子"))
    size = models.PositiveIntegerField(_("样本量"))
    rate = models.DecimalField(_("抽样比例"), max_digits=5, decimal_places=4, null=True, blank=True)
    stratify_by = models.CharField(_("分层方式"), max_length=10, choices=StratifyBy.choices, blank=True)
    # {stratum key: {"label": ..., "population": N_h, "allocated": n_h}}
    allocation = models.JSONField(_("分层分配"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("抽验批次")
        verbose_name_plural = _("抽验批次")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"抽验 #{self.pk} (seed {self.seed})"


class RecheckOutcome(models.TextChoices):
    PENDING = "", _("待复核")
    CONFIRMED = "confirmed", _("维持原等级")
    CHANGED = "changed", _("等级变更")
    REVOKE = "revoke", _("建议撤销")


class RecheckDecision(models.TextChoices):
    PENDING = "", _("待决定")
    CONFIRM = "confirm", _("维持原等级")
    CHANGE = "change", _("变更等级并换发证书")
    REVOKE = "revoke", _("撤销认定结果")


class Recheck(models.Model):
    """A sampled grade and its re-check by an agency other than the one that graded it."""

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="rechecks")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="rechecks")
    stratum = models.CharField(_("层"), max_length=40, blank=True)
    position = models.PositiveIntegerField(_("抽取顺序"))
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rechecks",
        verbose_name=_("复核机构"),
    )
    team = models.ForeignKey(
        "experts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rechecks",
        verbose_name=_("复核专家组"),
    )
    due_on = models.DateField(_("复核期限"), null=True, blank=True)
    outcome = models.CharField(_("复核结论"), max_length=10, choices=RecheckOutcome.choices, blank=True)
    new_level = models.PositiveSmallIntegerField(_("复核等级"), null=True, blank=True)
    notes = models.TextField(_("复核意见"), blank=True)
    recorded_at = models.DateTimeField(_("结论时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The bureau's follow-up on the outcome (supervision.services.decide_recheck).
    decision = models.CharField(_("处理决定"), max_length=10, choices=RecheckDecision.choices, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reissued = models.OneToOneField(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="issued_by_recheck"
    )

    class Meta:
        verbose_name = _("抽验复核")
        verbose_name_plural = _("抽验复核")
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "grade"], name="one_recheck_per_sampled_grade")
        ]

    def __str__(self):
        return f"{self.sample} · {self.grade}"

    @property
    def level_after(self) -> int | None:
        if self.outcome == RecheckOutcome.CONFIRMED:
            return self.grade.level
        if self.outcome == RecheckOutcome.CHANGED:
            return self.new_level
        return None


class GradeTally(models.Model):
    """Running totals of the valid grades per framework edition — what the unfiltered dashboard shows (counts per
    level and per scenario level, summed dimension points) without adding up 65,000 grades per request. Kept by
    the transactions that publish and revoke a grade (supervision.figures.count_grade), rebuilt from the grades
    by `manage.py rebuild_grade_figures`."""

    edition = models.CharField(max_length=40)
    key = models.CharField(
        max_length=40
    )  # "valid", "with_dimensions", "level_3", "heat_0_2", "dim_foundation"
    value = models.DecimalField(max_digits=18, decimal_places=4, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="one_tally_per_edition_key")]

    def __str__(self):
        return f"{self.edition} {self.key}={self.value}"


class GradeCell(models.Model):
    """The running totals of GradeTally per cell of the dashboard's filters: the Beijing month the application
    was submitted in, the enterprise's industry and the agency. A filtered dashboard adds up the cells of its
    whole months (a few thousand rows at district scale) and only the grades of the partial months at the edges
    of its period (supervision.selectors.dashboard). Kept by the same transactions as GradeTally
    (supervision.figures.count_grade; an enterprise's change of industry moves its grades, figures.move_industry),
    rebuilt with it by `manage.py rebuild_grade_figures`."""

    edition = models.CharField(max_length=40)
    month = models.DateField()  # the first day of the month
    industry = models.CharField(max_length=40)
    agency = models.ForeignKey("accounts.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)  # as GradeTally's
    value = models.DecimalField(max_digits=18, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "month", "industry", "agency", "key"],
                condition=models.Q(agency__isnull=False),
                name="one_cell_per_key",
            ),
            models.UniqueConstraint(
                fields=["edition", "month", "industry", "key"],
                condition=models.Q(agency__isnull=True),
                name="one_cell_per_key_without_agency",
            ),
        ]

    def __str__(self):
        return f"{self.edition} {self.month:%Y-%m} {self.industry} {self.agency_id} {self.key}={self.value}"
