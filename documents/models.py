"""What background work makes: stored reports (PDFs, dossiers) of a case. The outbox and the jobs are core's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.display import file_stamp, local_text


class ReportKind(models.TextChoices):
    SELF = "self", _("自评报告")
    REVIEW = "review", _("评测报告")
    CERTIFICATE = "certificate", _("等级证书")
    DOSSIER = "dossier", _("案卷")


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
        # A draft's self report: no number before the submission.
        number = self.application.number or _("申请草稿")
        return f"{number}-{self.get_kind_display()}-{file_stamp(self.created_at)}.{ext}"
