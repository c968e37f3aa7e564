"""The self-assessment, its evidence, and the application (申请) with its frozen versions."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise


class Assessment(models.Model):
    """An enterprise's working self-assessment under one framework edition.

    `answers`, `scenarios` and `data` use the grading contract's shapes (RULES.md §6); scenarios are stored as
    four booleans (criteria met per level). `score` and `level` are a cache of the engine's output.
    `revision` goes up by one on every save so that a stale tab cannot overwrite what it never saw.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="assessments")
    edition = models.CharField(_("评测框架版本"), max_length=40)
    answers = models.JSONField(default=dict, blank=True)
    scenarios = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    level = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0)
    # Which revision last changed each questionnaire field ("Q2", "S05.2", "data.prev_year.revenue"): a save based
    # on an older revision is refused only for fields changed since (field-level merge).
    field_revisions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")

    def __str__(self):
        return f"{self.enterprise} · {self.edition}"


def evidence_path(instance, filename):
    # The stored name never carries the uploader's file name: it is kept in `original_name` instead.
    return f"evidence/{instance.assessment.enterprise_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A supporting file (佐证材料) for one item (`Q2`) or one scenario level (`S05.2`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    target = models.CharField(_("对应指标"), max_length=12)
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Files that are part of a submitted version are never deleted, only hidden from the working copy.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["target", "uploaded_at", "id"]
        indexes = [models.Index(fields=["assessment", "target"])]

    def __str__(self):
        return self.original_name


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补正")
    WITHDRAWN = "withdrawn", _("已撤回")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    ASSIGNED = "assigned", _("已分派")
    IN_REVIEW = "in_review", _("资料审核")
    ON_SITE = "on_site", _("现场查验")
    PROPOSED = "proposed", _("待审定")
    APPROVED = "approved", _("已认定")
    REVOKED = "revoked", _("已撤销")


class ApplicationStates:
    """Named groups of states."""

    EDITABLE = {ApplicationState.DRAFT, ApplicationState.RETURNED}
    WITH_AGENCY = {ApplicationState.ASSIGNED, ApplicationState.IN_REVIEW, ApplicationState.ON_SITE}
    OPEN = {
        ApplicationState.DRAFT,
        ApplicationState.SUBMITTED,
        ApplicationState.RETURNED,
        ApplicationState.ACCEPTED,
        ApplicationState.ASSIGNED,
        ApplicationState.IN_REVIEW,
        ApplicationState.ON_SITE,
        ApplicationState.PROPOSED,
    }
    FINAL = {
        ApplicationState.WITHDRAWN,
        ApplicationState.NOT_ACCEPTED,
        ApplicationState.APPROVED,
        ApplicationState.REVOKED,
    }


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("首次评测")
    UPGRADE = "upgrade", _("提级申请")


# The paper materials (纸质材料) an application is accepted with, in the order the bureau checks them.
PAPER_MATERIALS = [
    ("application_form", _("申请表")),
    ("self_assessment", _("自评表")),
    ("evidence_book", _("佐证材料汇编")),
    ("pledge", _("真实性承诺书")),
    ("business_licence", _("营业执照复印件")),
]
PAPER_CODES = [code for code, _label in PAPER_MATERIALS]


class PaperStatus(models.TextChoices):
    PENDING = "pending", _("待提交纸质材料")
    RECEIVED = "received", _("纸质材料已收到")
    INCOMPLETE = "incomplete", _("纸质材料不全")


class Application(models.Model):
    """An application for an official grade (第八条). Its state changes only through assessments.lifecycle."""

    # Given when the application is submitted (assessments.submission.freeze_version): a draft has none.
    number = models.CharField(_("申请编号"), max_length=20, unique=True, null=True, blank=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("申请类型"), max_length=10, choices=ApplicationKind.choices)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upgrades",
        verbose_name=_("上次申请"),
    )
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="application")
    state = models.CharField(
        _("状态"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    state_changed_at = models.DateTimeField(_("状态变更时间"), auto_now_add=True)
    self_level = models.PositiveSmallIntegerField(_("自评等级"), default=0)
    pledge_at = models.DateTimeField(_("真实性承诺时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    paper_status = models.CharField(
        _("纸质材料"), max_length=12, choices=PaperStatus.choices, default=PaperStatus.PENDING
    )
    paper_checklist = models.JSONField(_("纸质材料清单"), default=dict, blank=True)
    paper_received_on = models.DateField(_("纸质材料收到日期"), null=True, blank=True)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("评测机构"),
    )
    review_due = models.DateField(_("资料审核截止"), null=True, blank=True)
    site_due = models.DateField(_("现场查验截止"), null=True, blank=True)
    proposal_due = models.DateField(_("提交建议截止"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评测申请")
        verbose_name_plural = _("评测申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state"]),
            models.Index(fields=["enterprise", "state"]),
            # The bureau's list, newest change first, and its seek (core.pages) — all states, or one.
            models.Index(F("state_changed_at").desc(), F("id").desc(), name="app_changed_newest_first"),
            models.Index(
                F("state"), F("state_changed_at").desc(), F("id").desc(), name="app_state_changed_newest"
            ),
            # The dashboard's period filter (a Beijing-day range on the submission time).
            models.Index(fields=["submitted_at"], name="app_submitted_at"),
            # The dashboard's counts per state and per agency (an index-only scan, supervision.selectors).
            models.Index(fields=["state", "agency"], name="app_state_agency"),
            # The cases with an agency (commissioning page, overdue lists): in due order, and the overdue ones
            # found from their due dates (supervision.selectors.overdue_filter) — not a scan of every case.
            models.Index(
                fields=["proposal_due", "id"],
                name="app_with_agency_due",
                condition=models.Q(state__in=["assigned", "in_review", "on_site"]),
            ),
            models.Index(
                fields=["site_due"],
                name="app_with_agency_site_due",
                condition=models.Q(state__in=["assigned", "in_review", "on_site"]),
            ),
            models.Index(
                fields=["review_due"],
                name="app_in_review_review_due",
                condition=models.Q(state__in=["assigned", "in_review"]),
            ),
        ]

    def __str__(self):
        return f"{self.number_label} {self.enterprise}"

    @property
    def number_label(self) -> str:
        """The application number, or a neutral label for a draft not yet submitted (no number yet)."""
        return self.number or _("申请草稿（提交后编号）")

    @property
    def latest_version(self):
        """The latest submitted version (from the prefetched versions when a list read them all at once)."""
        if "versions" in getattr(self, "_prefetched_objects_cache", {}):
            return max(self.versions.all(), key=lambda v: v.number, default=None)
        return self.versions.order_by("-number").first()


class ApplicationVersion(models.Model):
    """What the enterprise submitted, frozen: each (re)submission adds version n+1, so changes can be compared."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    edition = models.CharField(max_length=40)
    answers = models.JSONField()
    scenarios = models.JSONField()
    data = models.JSONField()
    result = models.JSONField(help_text="The grading engine's output (RULES.md §6) for this version.")
    evidence = models.JSONField(help_text="[{id, target, name, sha256, size}] of the files in this version.")
    profile = models.JSONField(help_text="The enterprise's profile as it was when submitted.")
    pledge_at = models.DateTimeField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_version_number")]

    def __str__(self):
        return f"{self.application.number} v{self.number}"


class PaperInstructions(models.Model):
    """What the bureau asks on paper after a submission (one row, set on the bureau's 纸质材料报送要求 page,
    supervision.paper): the list, where to hand it in, and how many days after the submission. The enterprise
    sees these instead of a bare 待提交纸质材料."""

    items = models.TextField(_("材料清单（每行一项）"))
    address = models.CharField(_("报送地址"), max_length=200)
    deadline_days = models.PositiveSmallIntegerField(_("报送期限（提交后天数）"), default=10)
    contact = models.CharField(_("咨询电话"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("纸质材料报送要求")
        verbose_name_plural = _("纸质材料报送要求")

    def __str__(self):
        return self.address

    @classmethod
    def current(cls) -> "PaperInstructions":
        """The bureau's instructions, or (until it sets them) the default list with no address yet."""
        return cls.objects.order_by("-id").first() or cls(
            items="\n".join(str(label) for _c, label in PAPER_MATERIALS), address="", deadline_days=10
        )

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]

    def due_for(self, application):
        """The Beijing date by which the application's paper materials are due (None before submission)."""
        if application.submitted_at is None:
            return None
        return timezone.localdate(application.submitted_at) + datetime.timedelta(days=self.deadline_days)
