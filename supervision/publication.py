"""Approval and publication (审定公布): the grade takes effect and a certificate number is issued."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.lifecycle import TransitionRefused
from experts.selectors import latest_proposal

from .models import CertificateSequence, Grade

CERTIFICATE_PREFIX = "SYDL"


def next_certificate_number(year: int) -> str:
    """SYDL-2026-0001, … — the year's counter row is locked, so two approvals never get the same number."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                CertificateSequence.objects.get_or_create(year=year)
        except IntegrityError:
            continue  # another approval created the row first; lock it below
        break
    seq = CertificateSequence.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{CERTIFICATE_PREFIX}-{year}-{seq.last:04d}"


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
    return Grade.objects.create(
        application=application,
        enterprise=enterprise,
        holder_name=enterprise.name,
        holder_credit_code=enterprise.credit_code,
        edition=(proposal.verified_result or {}).get("framework") or application.assessment.edition,
        level=proposal.level,
        score=proposal.score,
        certificate_number=next_certificate_number(timezone.localdate(now).year),
        approved_at=now,
        approved_by=by,
    )
