"""Revocation (第十二条): a grade obtained with false material, or whose holder does not cooperate with
supervision, is revoked and the enterprise's pilot status cancelled.

Params of the `revoke` transition: `basis` (a code from REVOCATION_BASES) and `basis_text` (the details).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RosterEntry
from assessments.lifecycle import TransitionRefused

from .figures import count_grade
from .models import Grade

REVOCATION_BASES = [
    ("false_material", gettext_lazy("提供虚假材料")),
    ("obstruction", gettext_lazy("不配合监督检查")),
    ("other", gettext_lazy("其他违反《实施细则》的情形")),
]
BASIS_LABELS = dict(REVOCATION_BASES)


def check_revocable(application, *, by, reason="", basis="", basis_text="", **params) -> None:
    grade = Grade.objects.filter(application=application).first()
    if grade is None:
        raise TransitionRefused(_("该申请没有已公布的认定结果。"))
    if grade.revoked_at is not None:
        raise TransitionRefused(_("该认定结果已被撤销。"))
    if basis not in BASIS_LABELS:
        raise TransitionRefused(_("请选择撤销依据。"), field="basis")
    if not (basis_text or "").strip():
        raise TransitionRefused(_("请填写撤销依据的具体情况。"), field="basis_text")


def basis_description(basis: str, basis_text: str) -> str:
    return f"{_('《实施细则》第十二条')}：{BASIS_LABELS[basis]}。{basis_text.strip()}"


def revoke_grade(application, *, by, reason="", basis="", basis_text="", **params) -> Grade:
    now = timezone.now()
    grade = Grade.objects.select_for_update().get(application=application)
    grade.revoked_at = now
    grade.revoked_reason = reason
    grade.revoked_basis = basis_description(basis, basis_text)
    grade.save(update_fields=["revoked_at", "revoked_reason", "revoked_basis"])
    count_grade(grade, -1)  # no longer among the dashboard's valid grades
    RosterEntry.objects.filter(credit_code=application.enterprise.credit_code, active=True).update(
        active=False,
        cancelled_at=now,
        cancelled_reason=_("认定结果%(number)s被撤销：%(reason)s")
        % {"number": grade.certificate_number, "reason": reason},
    )
    return grade
