"""The records every app writes: the audit trail, the task outbox, task receipts, background jobs.

The tables keep the names they had when these models lived in `supervision` and `documents` (`db_table`), so
moving them here changed no data.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import actions
from .display import local_text


class AuditEvent(models.Model):
    """One line of the audit trail: who did what, when, to which object, from where. Append-only: the
    database refuses UPDATE and DELETE (triggers, core migration 0003), and each event is chained to the one
    before by its hash (core.chain; `manage.py verify_audit`). Written only by core.audit.record()."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    # The case an event belongs to (a string reference: core imports no app; the column is the one it had).
    application = models.ForeignKey(
        "assessments.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("申请"),
    )
    # The facts of the event (core.actions renders them as a sentence when read). `summary` holds the text of
    # events written before that (kept as it was); new events leave it empty.
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # The actor as they were at that moment: {"username", "name", "role", "organisation"}.
    actor_snapshot = models.JSONField(_("操作人信息"), default=dict, blank=True)
    client_address = models.CharField(_("来源地址"), max_length=64, blank=True)
    # The hash chain: the previous event's hash (core.chain.GENESIS for the first) and this event's own.
    prev_hash = models.CharField(_("上一条的哈希"), max_length=64, unique=True)
    hash = models.CharField(_("哈希"), max_length=64, blank=True)

    class Meta:
        db_table = "supervision_auditevent"
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        # The audit page's order and its seek (core.pages), unfiltered and filtered by action.
        indexes = [
            models.Index(F("at").desc(), F("id").desc(), name="audit_newest_first"),
            models.Index(F("action"), F("at").desc(), F("id").desc(), name="audit_action_newest_first"),
        ]

    def __str__(self):
        return f"{local_text(self.at)} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only")

    # What a page shows, in the reader's language, from the stored facts.
    @property
    def text(self) -> str:
        return actions.render(self.action, self.detail, fallback=self.summary)

    @property
    def action_label(self) -> str:
        return actions.label_of(self.action)

    @property
    def object_label(self) -> str:
        """What the event acted on as a person reads it — the kind of thing by its name and its number
        ("评测申请 #12"), never the model's code."""
        if not self.object_type:
            return ""
        try:
            meta = apps.get_model(self.object_type)._meta
        except (LookupError, ValueError):
            meta = None
        # A model without a name of its own would show Django's made-up English one ("site check").
        named = meta is not None and "verbose_name" in meta.original_attrs
        kind = meta.verbose_name if named else gettext("记录")
        return f"{kind} #{self.object_id}"

    @property
    def actor_name(self) -> str:
        who = self.actor_snapshot or {}
        return who.get("name") or who.get("username") or ""

    @property
    def actor_role(self) -> str:
        return actions.param_text("role", (self.actor_snapshot or {}).get("role", ""))

    @property
    def actor_organisation(self) -> str:
        return (self.actor_snapshot or {}).get("organisation", "")


class OutboxMessage(models.Model):
    """A task to send to the broker, written in the same transaction as the change that asked for it.

    `core.queue.enqueue` writes the row; after the commit it is published and `sent_at` is set. If the
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
        db_table = "documents_outboxmessage"
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outbox_pending")]

    def __str__(self):
        return f"{self.task} {self.kwargs}"

    @property
    def pending(self) -> bool:
        return self.sent_at is None


class TaskReceipt(models.Model):
    """ "This was done once" for side effects that cannot be keyed by content (an e-mail sent for a
    notification): a retried task finds its receipt and does nothing."""

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "documents_taskreceipt"

    def __str__(self):
        return self.key


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
    """A piece of background work the user asked for and watches on the page (state and percent).

    Its helpers (core.jobs) move it along; what it made is a stored file on the job, or a `documents.Report`.
    """

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
    report = models.ForeignKey(
        "documents.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "documents_backgroundjob"
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class SerialCounter(models.Model):
    """The last serial issued per kind of number and year (申请编号, 证书编号). core.numbering locks the row while
    a number is taken, so two writers never get the same serial, and the next one is the counter's, never
    "the largest number so far" read back from the numbered table (which sorts as text)."""

    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_counter_per_kind_and_year")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class AuditCheck(models.Model):
    """One full walk of the audit trail's hash chain (`manage.py verify_audit`): up to which event it held.
    The audit page continues from the latest good one, so a request checks only the events written since."""

    at = models.DateTimeField(default=timezone.now)
    last_event_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64)
    checked = models.PositiveBigIntegerField()
    ok = models.BooleanField()
    first_broken = models.BigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{local_text(self.at)} {'ok' if self.ok else self.first_broken}"
