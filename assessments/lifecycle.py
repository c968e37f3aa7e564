"""The application lifecycle: transitions as data, and the one function that performs them.

Views never assign `Application.state`. They call `transition(application, action, by=user, ...)`, which
locks the row, checks the source state, the actor's role and relation to the case, the reason where one is
required, and the transition's guard; then writes the new state, runs the transition's effect, appends to
the audit trail and queues notifications after the commit. A refusal raises `TransitionRefused` with a
Chinese reason and leaves nothing behind (everything happens in one transaction).

Guards and effects are named by dotted path so each app keeps its own rules (the submission rules in
assessments.submission, the intake rules in supervision, the review rules in experts) while this table
stays the single picture of the process.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from accounts.notify import notify
from core.audit import record
from core.errors import DomainError

from .models import Application
from .models import ApplicationState as S


class TransitionRefused(DomainError):
    """A transition that does not hold. `field` names the input at fault, where there is one."""

    code = "transition_refused"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None):
        super().__init__(message, code=code, field=field)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    #: The named permission (shunyi_eval/permissions.py) the actor must hold on the application.
    perm: str
    needs_reason: bool = False
    guard: str | None = None
    effect: str | None = None
    notify: tuple = ()
    message: str = ""
    params: tuple = field(default=())
    # Per recipient, where the general message would talk to the wrong person: (audience, text) pairs; the text
    # may name %(number)s, %(enterprise)s and, once a grade exists, %(level)s and %(certificate)s.
    messages: tuple = ()


def _t(action, label, sources, target, perm, **kw) -> Transition:
    return Transition(action, label, frozenset(sources), target, perm, **kw)


# A table, one transition per entry, read across: the formatter leaves it as written.
# fmt: off
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("submit", gettext_noop("提交申请"), {S.DRAFT, S.RETURNED}, S.SUBMITTED, "assessments.submit_application",
           guard="assessments.submission.check_submittable", effect="assessments.submission.freeze_version",
           notify=("bureau",), message="评测申请已提交，等待区经信局受理。",
           messages=(("bureau", "%(enterprise)s提交了评测申请%(number)s，请核对纸质材料后受理。"),)),
        _t("withdraw", gettext_noop("撤回申请"), {S.SUBMITTED, S.RETURNED, S.ACCEPTED}, S.WITHDRAWN, "assessments.withdraw_application",
           notify=("bureau",), message="企业已撤回评测申请。"),
        _t("return_for_correction", gettext_noop("退回补正"), {S.SUBMITTED, S.ACCEPTED}, S.RETURNED, "supervision.return_for_correction",
           needs_reason=True, notify=("enterprise",), message="您的评测申请被退回补正，请按意见修改后重新提交。"),
        _t("refuse", gettext_noop("不予受理"), {S.SUBMITTED}, S.NOT_ACCEPTED, "supervision.refuse_application",
           needs_reason=True, notify=("enterprise",), message="您的评测申请不予受理。"),
        _t("accept", gettext_noop("受理"), {S.SUBMITTED}, S.ACCEPTED, "supervision.accept_application",
           guard="supervision.intake.check_acceptable", effect="supervision.intake.record_paper_materials",
           notify=("enterprise",), message="您的评测申请已受理。"),
        _t("commission", gettext_noop("委托评测机构"), {S.ACCEPTED}, S.ASSIGNED, "supervision.commission_agency",
           guard="supervision.commissioning.check_commission", effect="supervision.commissioning.assign_agency",
           notify=("enterprise", "agency"), message="评测申请已委托第三方评测机构。",
           messages=(("agency", "区经信局委托贵机构评测%(enterprise)s（%(number)s），请组建专家团队。"),)),
        _t("reassign", gettext_noop("改派评测机构"), {S.ASSIGNED, S.IN_REVIEW, S.ON_SITE}, S.ASSIGNED, "supervision.reassign_agency",
           needs_reason=True, guard="supervision.commissioning.check_commission",
           effect="supervision.commissioning.reassign_agency",
           notify=("agency",), message="评测申请已改派评测机构。"),
        _t("start_review", gettext_noop("开始资料审核"), {S.ASSIGNED}, S.IN_REVIEW, "experts.start_review",
           guard="experts.workflow.check_team_ready",
           notify=("enterprise", "team"), message="专家团队已开始资料审核。"),
        _t("start_site_visit", gettext_noop("开始现场查验"), {S.IN_REVIEW}, S.ON_SITE, "experts.start_site_visit",
           guard="experts.workflow.check_site_visit_ready",
           notify=("enterprise", "team"), message="专家团队将开展现场查验。"),
        _t("propose", gettext_noop("提交评测建议"), {S.ON_SITE}, S.PROPOSED, "experts.submit_proposal",
           guard="experts.workflow.check_proposal_ready", effect="experts.workflow.freeze_proposal",
           notify=("bureau",), message="评测机构已提交建议等级，等待区经信局审定。"),
        _t("return_to_agency", gettext_noop("退回评测机构"), {S.PROPOSED}, S.IN_REVIEW, "supervision.return_to_agency",
           needs_reason=True, effect="experts.workflow.reopen_proposal",
           notify=("agency", "team"), message="区经信局退回了评测建议，请按意见复核。"),
        _t("approve", gettext_noop("审定并公布"), {S.PROPOSED}, S.APPROVED, "supervision.approve_grade",
           effect="supervision.publication.publish_grade",
           notify=("enterprise", "agency"), message="评测结果已审定公布。",
           messages=(
               ("enterprise", "贵企业的评测结果已审定公布：数字化水平%(level)s级，证书编号 %(certificate)s。"
                              "证书可在申请页下载，公开查验页即可查验。"),
               ("agency", "贵机构评测的%(enterprise)s（%(number)s）已审定公布为%(level)s级，证书编号 %(certificate)s。"),
           )),
        _t("revoke", gettext_noop("撤销定级"), {S.APPROVED}, S.REVOKED, "supervision.revoke_grade",
           needs_reason=True, guard="supervision.revocation.check_revocable",
           effect="supervision.revocation.revoke_grade",
           notify=("enterprise", "agency"), message="依据《实施细则》第十二条，您的定级结果已被撤销。",
           messages=(
               ("enterprise", "依据《实施细则》第十二条，贵企业的认定结果（%(level)s级，证书编号 %(certificate)s）"
                              "已被撤销，试点资格同时取消。"),
               ("agency", "贵机构评测的%(enterprise)s（%(number)s）的认定结果（证书编号 %(certificate)s）"
                          "已被区经信局依据《实施细则》第十二条撤销。"),
           )),
    ]
}
# fmt: on


def _call(dotted: str | None, application: Application, **kwargs):
    if not dotted:
        return None
    module_name, _sep, name = dotted.rpartition(".")
    return getattr(import_module(module_name), name)(application, **kwargs)


def available_actions(application: Application, user: User) -> list[Transition]:
    """The transitions this user could try now (guards are checked only when one is attempted)."""
    if not user.is_authenticated:
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if application.state in t.sources and user.has_perm(t.perm, application)
    ]


def transition(application: Application, action: str, *, by: User, reason: str = "", **params) -> Application:
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise TransitionRefused(_("未知的操作：%(action)s") % {"action": action})
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("enterprise").get(pk=application.pk)
        if app.state not in spec.sources:
            raise TransitionRefused(
                _("申请当前状态为“%(state)s”，不能%(label)s。")
                % {"state": app.get_state_display(), "label": _(spec.label)}
            )
        if not by.has_perm(spec.perm, app):
            raise TransitionRefused(_("您无权对该申请执行“%(label)s”。") % {"label": _(spec.label)})
        reason = (reason or "").strip()
        if spec.needs_reason and not reason:
            raise TransitionRefused(_("请填写%(label)s的原因。") % {"label": _(spec.label)}, field="reason")
        _call(spec.guard, app, by=by, reason=reason, **params)
        before = app.state
        app.state = spec.target
        app.state_changed_at = timezone.now()
        _call(spec.effect, app, by=by, reason=reason, **params)
        app.save()

        # The event is facts (rendered in each reader's language); the messages to others are written in the
        # site's language, whatever language the person acting reads.
        with translation.override(settings.LANGUAGE_CODE):
            record(
                actor=by,
                action=f"application.{action}",
                obj=app,
                params={
                    "from": before,
                    "to": app.state,
                    "reason": reason,
                    **{k: _plain(v) for k, v in params.items()},
                },
            )
            _notify(app, spec, reason)
    application.refresh_from_db()
    return app


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def audience(application: Application, name: str):
    if name == "enterprise":
        return application.enterprise.staff.filter(is_active=True)
    if name == "bureau":
        return User.objects.filter(role=Role.BUREAU, is_active=True)
    if name == "agency":
        return User.objects.filter(role=Role.AGENCY_ADMIN, agency_id=application.agency_id, is_active=True)
    if name == "team":
        # Only members who declared no conflict: the notification names the enterprise, which an undeclared
        # member must not see (experts.TeamMember.objects.cleared(), read through the users' memberships).
        members = User.team_memberships.field.model.objects.cleared().of_case(application)
        return User.objects.filter(pk__in=members.values("expert_id"), is_active=True)
    raise ValueError(name)


def _facts(application: Application) -> dict:
    facts = {"number": application.number, "enterprise": application.enterprise.name}
    grade = getattr(application, "grade", None) if hasattr(application, "grade") else None
    if grade is not None:
        facts.update(level=grade.level, certificate=grade.certificate_number)
    return facts


def _notify(application: Application, spec: Transition, reason: str) -> None:
    """Each recipient reads a message written for them (the enterprise its level and certificate number; the
    agency never "your grade was revoked")."""
    own = dict(spec.messages)
    facts = _facts(application) if own else {}
    suffix = f"\n{_('原因')}：{reason}" if reason else ""
    title = f"{application.number} {application.enterprise.name}：{spec.label}"
    link = reverse("assessments:application", args=[application.pk])
    for name in spec.notify:
        text = own[name] % facts if name in own else spec.message
        notify(audience(application, name), title=title, body=text + suffix, link=link)
