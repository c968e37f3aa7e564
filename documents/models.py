"""Background work and what it makes: the task outbox, jobs the user can watch, stored reports."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.display import file_stamp, local_text


class OutboxMessage(models.Model):
    """A task to send to the broker, written in the same transaction as the change that asked for it.

    `shunyi_eval.queue.enqueue` writes the row; after the commit it is published and `sent_at` is set. If the
    broker cannot be reached the row stays pending and `relay_outbox` (or the next enqueue, or a worker
    starting) sends it later. The row's uuid is the Celery task id, so a message sent twice is one task id.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outbox_pending")]

    def __str__(self):
        return f"{self.task} {self.kwargs}"

    @property
    def pending(self) -> bool:
        return self.sent_at is None


class ReportKind(models.TextChoices):
    SELF = "self", _("自评报告")
    REVIEW = "review", _("评测报告")
    CERTIFICATE = "certificate", _("等级证书")
    DOSSIER = "dossier", _("案卷")


class JobKind(models.TextChoices):
    REPORT = "report", _("生成报告")
    DOSSIER = "dossier", _("生成案卷")
    EXPORT = "export", _("导出表格")
    REGRADE = "regrade", _("重新评分")


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BackgroundJob(models.Model):
    """A piece of background work the user asked for and watches on the page (state and percent)."""

    kind = models.CharField(_("类型"), max_length=10, choices=JobKind.choices)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    application = models.ForeignKey(
        "assessments.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey("Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def title(self) -> str:
        if self.kind == JobKind.REPORT and self.params.get("kind") in ReportKind.values:
            return f"{self.get_kind_display()}：{ReportKind(self.params['kind']).label}"
        return str(self.get_kind_display())


def report_path(instance, filename):
    return f"reports/{instance.application_id}/{instance.kind}-{instance.content_sha256[:16]}{filename[-4:]}"


class Report(models.Model):
    """One rendered document of a case. Keyed by the SHA-256 of the content it was made from: the same content
    never makes a second row (a retried task finds the first), new content makes a new row, old rows stay."""

    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=ReportKind.choices)
    content_sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=report_path)
    file_sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "content_sha256"], name="one_report_per_content"
            )
        ]

    def __str__(self):
        return f"{self.title} {local_text(self.created_at)}"

    @property
    def download_name(self) -> str:
        ext = "zip" if self.kind == ReportKind.DOSSIER else "pdf"
        return f"{self.application.number}-{self.get_kind_display()}-{file_stamp(self.created_at)}.{ext}"


class TaskReceipt(models.Model):
    """ "This was done once" for side effects that cannot be keyed by content (an e-mail sent for a
    notification): a retried task finds its receipt and does nothing."""

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
