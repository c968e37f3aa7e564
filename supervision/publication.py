"""Approval and publication (审定公布): the grade takes effect and a certificate number is issued."""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.lifecycle import TransitionRefused
from core import numbering
from experts.selectors import latest_proposal

from .figures import count_grade, figures_of
from .models import CertificateFile, Grade

CERTIFICATE_PREFIX = "SYDL"


CERTIFICATE_SERIES = "certificate"


def next_certificate_number(year: int) -> str:
    """SYDL-2026-0001, … from the year's counter (core.numbering): two approvals never get the same number."""
    prefix = f"{CERTIFICATE_PREFIX}-{year}-"
    serial = numbering.next_serial(
        CERTIFICATE_SERIES,
        year,
        existing=lambda: numbering.highest_serial(Grade.objects.all(), "certificate_number", prefix),
    )
    return f"{prefix}{serial:04d}"


def record_certificate_file(application, *, sha256: str, at) -> None:
    """A signed certificate PDF was issued for the application's grade: keep its SHA-256 (idempotent)."""
    grade = Grade.objects.filter(application=application).first()
    if grade is not None:
        CertificateFile.objects.get_or_create(sha256=sha256, defaults={"grade": grade, "issued_at": at})


def publish_grade(application, *, by, reason="", **params) -> Grade:
    """Effect of `approve`: the grade is the latest proposal's level and score, under the edition the experts
    graded with, held by the enterprise as it is named now (frozen: a later rename does not change it)."""
    proposal = latest_proposal(application, pending=True)
    if proposal is None:
        raise TransitionRefused(_("该申请没有待审定的评测建议。"))
    if Grade.objects.filter(application=application).exists():
        raise TransitionRefused(_("该申请已公布过认定结果。"))
    now = timezone.now()
    enterprise = application.enterprise
    edition = (proposal.verified_result or {}).get("framework") or application.assessment.edition
    grade = Grade.objects.create(
        application=application,
        enterprise=enterprise,
        holder_name=enterprise.name,
        holder_credit_code=enterprise.credit_code,
        edition=edition,
        level=proposal.level,
        score=proposal.score,
        certificate_number=next_certificate_number(timezone.localdate(now).year),
        approved_at=now,
        approved_by=by,
        **figures_of(proposal.verified_result, edition),
    )
    count_grade(grade)  # the dashboard's running totals, in the same transaction
    return grade


def reissue_grade(grade: Grade, *, level: int, by) -> Grade:
    """A re-check changed the level: the old grade is superseded (no longer valid, it lets go of the
    application) and a new frozen grade with a new certificate number takes its place, same holder, score and
    edition as approved; its certificate PDF follows (documents.signals)."""
    old = Grade.objects.select_for_update().get(pk=grade.pk)
    if old.revoked_at is not None:
        raise TransitionRefused(_("该认定结果已失效，不能换发证书。"))
    now = timezone.now()
    application = old.application
    count_grade(old, -1)  # while it still holds the application: its cell is the application's
    old.application = None
    old.revoked_at = now
    old.save(update_fields=["application", "revoked_at"])
    new = Grade.objects.create(
        application=application,
        enterprise=old.enterprise,
        holder_name=old.holder_name,
        holder_credit_code=old.holder_credit_code,
        edition=old.edition,
        level=level,
        score=old.score,
        certificate_number=next_certificate_number(timezone.localdate(now).year),
        approved_at=now,
        approved_by=by,
        supersedes=old,
        scenario_levels=old.scenario_levels,
        dimension_points=old.dimension_points,
    )
    count_grade(new)
    return new
