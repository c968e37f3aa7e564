"""Intake (受理): the paper materials the enterprise hands in, checked against a fixed list (第八条).

`check_acceptable` and `record_paper_materials` are the `accept` transition's guard and effect
(assessments.lifecycle); they receive `checklist` ({code: bool}) and `received_on` (a date).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.lifecycle import TransitionRefused
from assessments.models import PAPER_CODES, PAPER_MATERIALS, PaperStatus


def normalise_checklist(checklist) -> dict[str, bool]:
    checklist = checklist or {}
    return {code: bool(checklist.get(code)) for code in PAPER_CODES}


def missing_materials(checklist) -> list[str]:
    ticks = normalise_checklist(checklist)
    return [str(label) for code, label in PAPER_MATERIALS if not ticks[code]]


def check_acceptable(application, *, by, reason="", checklist=None, received_on=None, **params) -> None:
    """All five paper materials received, on a real date between the submission and today."""
    if not isinstance(received_on, datetime.date):
        raise TransitionRefused(_("请填写纸质材料收到日期。"), field="received_on")
    today = timezone.localdate()
    if received_on > today:
        raise TransitionRefused(_("纸质材料收到日期不能晚于今天。"), field="received_on")
    if application.submitted_at and received_on < timezone.localdate(application.submitted_at):
        raise TransitionRefused(_("纸质材料收到日期不能早于申请提交日期。"), field="received_on")
    missing = missing_materials(checklist)
    if missing:
        raise TransitionRefused(
            _("纸质材料不全，不能受理：缺少%(missing)s。请退回补正。") % {"missing": "、".join(missing)},
            field="checklist",
        )


def record_paper_materials(application, *, by, reason="", checklist=None, received_on=None, **params) -> None:
    application.paper_checklist = normalise_checklist(checklist)
    application.paper_received_on = received_on
    application.paper_status = (
        PaperStatus.RECEIVED if not missing_materials(checklist) else PaperStatus.INCOMPLETE
    )
