"""Commissioning (委托): the bureau assigns an accepted application to a third-party agency (第九条), with a
due date per stage, and may reassign it. Guard and effects of the `commission` and `reassign` transitions.

Params: `agency` (accounts.Agency), `review_due`, `site_due`, `proposal_due` (dates).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency
from assessments.lifecycle import TransitionRefused
from assessments.models import ApplicationState as S
from experts.models import Team, TeamPurpose
from experts.services import provider_conflict

DUE_FIELDS = ("review_due", "site_due", "proposal_due")

# A stage is overdue while its due date has passed and the application is still in (or before) it.
STAGE_STATES = {
    "review_due": {S.ASSIGNED, S.IN_REVIEW},
    "site_due": {S.ASSIGNED, S.IN_REVIEW, S.ON_SITE},
    "proposal_due": {S.ASSIGNED, S.IN_REVIEW, S.ON_SITE},
}
STAGE_LABELS = {"review_due": "资料审核", "site_due": "现场查验", "proposal_due": "提交建议"}


def check_commission(
    application, *, by, reason="", agency=None, review_due=None, site_due=None, proposal_due=None, **params
) -> None:
    if not isinstance(agency, Agency):
        raise TransitionRefused(_("请选择评测机构。"), field="agency")
    if application.state != S.ACCEPTED and agency.pk == application.agency_id:
        raise TransitionRefused(_("改派的评测机构不能与原机构相同。"), field="agency")
    conflict = provider_conflict(application, agency)
    if conflict and not (params.get("provider_reason") or "").strip():
        # The bureau is warned: it confirms with a reason (kept in the audit trail) or picks another agency.
        raise TransitionRefused(
            conflict + _("如确需委托该机构，请填写确认理由；否则请另选评测机构。"), field="provider_reason"
        )
    dues = {"review_due": review_due, "site_due": site_due, "proposal_due": proposal_due}
    today = timezone.localdate()
    for name, value in dues.items():
        if not isinstance(value, datetime.date):
            raise TransitionRefused(
                _("请填写%(stage)s截止日期。") % {"stage": _(STAGE_LABELS[name])}, field=name
            )
        if value <= today:
            raise TransitionRefused(
                _("%(stage)s截止日期必须晚于今天。") % {"stage": _(STAGE_LABELS[name])}, field=name
            )
    if not review_due <= site_due:
        raise TransitionRefused(_("现场查验截止日期不能早于资料审核截止日期。"), field="site_due")
    if not site_due <= proposal_due:
        raise TransitionRefused(_("提交建议截止日期不能早于现场查验截止日期。"), field="proposal_due")


def assign_agency(
    application, *, by, reason="", agency=None, review_due=None, site_due=None, proposal_due=None, **params
) -> None:
    application.agency = agency
    application.review_due = review_due
    application.site_due = site_due
    application.proposal_due = proposal_due


def reassign_agency(application, *, by, reason="", agency=None, **params) -> None:
    """The old agency's review team is dissolved: its members lose the case the moment it moves."""
    if application.agency_id:
        Team.objects.filter(
            application=application,
            agency_id=application.agency_id,
            purpose=TeamPurpose.REVIEW,
            dissolved_at__isnull=True,
        ).update(dissolved_at=timezone.now())
    assign_agency(application, by=by, reason=reason, agency=agency, **params)


def overdue_stages(application, today=None) -> list[str]:
    """The stage due fields of this application that are overdue today."""
    today = today or timezone.localdate()
    return [
        name
        for name in DUE_FIELDS
        if application.state in STAGE_STATES[name]
        and getattr(application, name)
        and getattr(application, name) < today
    ]
