"""Submitting an application (第三条, 第八条): the lifecycle's guard `check_submittable` and effect
`freeze_version`, plus the enterprise's submit / withdraw services that go through lifecycle.transition.

Submittable when every item and scenario is answered (and the figures hold), the self-assessed level is 二级 or
above, the enterprise is on the active pilot roster (试点企业名单), its submitter has confirmed an e-mail address,
the enterprise was verified by the bureau (accounts.verification), and the 真实性承诺 is ticked. Submitting freezes version n+1 of everything the experts will see: answers, scenarios, figures, the engine's result, the evidence list with SHA-256, the profile.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import email_confirmed

from . import engine, selectors, services
from .lifecycle import TransitionRefused, transition
from .models import Application, ApplicationKind, ApplicationVersion, Evidence


def submission_problems(application: Application, *, pledge: bool, by=None) -> list[tuple[str, str]]:
    """Every reason this application cannot be submitted now, as (field, Chinese message); empty when it can.
    `by` is the submitter, whose e-mail address must be confirmed (accounts.services.email_confirmed)."""
    problems: list[tuple[str, str]] = []
    if by is not None and not email_confirmed(by):
        problems.append(("email", _("请先确认您的电子邮箱（见“个人资料”页），再提交申请。")))
    assessment = application.assessment
    edition = selectors.edition_of(assessment)
    result = selectors.evaluate(assessment)
    if result.unanswered_items or result.unanswered_scenarios:
        names = [f"{c} {edition.item(c).name}" for c in result.unanswered_items]
        names += [f"{c} {edition.scenario(c).name}" for c in result.unanswered_scenarios]
        problems.append(
            ("questionnaire", _("自评问卷尚未完成，未填写：%(names)s。") % {"names": "、".join(names)})
        )
    else:
        try:
            result = selectors.evaluate_strict(assessment)
        except engine.GradingInputError as exc:
            problems.append(
                (
                    "questionnaire",
                    _("自评数据有误：%(message)s") % {"message": selectors.error_text(edition, exc)},
                )
            )
    if not problems and result.level < edition.application_level:
        problems.append(
            (
                "level",
                _("自评等级为“%(level)s”，达到%(needed)s及以上方可申请评测（《实施细则》第三条）。")
                % {"level": result.level_name, "needed": edition.level_name(edition.application_level)},
            )
        )
    if not problems and application.kind == ApplicationKind.UPGRADE:
        grade = selectors.valid_grade(application.enterprise)
        if grade is not None and result.level <= grade.level:
            problems.append(
                (
                    "level",
                    _("提级申请的自评等级须高于现有认定等级（%(have)s）；当前自评为“%(level)s”。")
                    % {"have": edition.level_name(grade.level), "level": result.level_name},
                )
            )
    if not application.enterprise.is_verified:
        problems.append(
            (
                "verification",
                _(
                    "贵企业的注册尚未通过区经信局核验：请在“企业核验”页面上传营业执照和授权委托书，"
                    "核验通过后方可提交申请。"
                ),
            )
        )
    if not selectors.on_roster(application.enterprise):
        problems.append(("roster", _("贵企业不在顺义区数字化转型试点企业名单中，暂不能申请")))
    if not pledge:
        problems.append(("pledge", _("请阅读并勾选真实性承诺。")))
    return problems


def start_problems(assessment, *, by) -> list[str]:
    """What stops the enterprise from applying with this working self-assessment now (the pledge aside): asked
    before a draft is made, so clicking 申请评测 while the checks fail gives reasons, not a numbered draft."""
    grade = selectors.valid_grade(assessment.enterprise)
    candidate = Application(
        enterprise=assessment.enterprise,
        assessment=assessment,
        kind=ApplicationKind.UPGRADE if grade else ApplicationKind.INITIAL,
    )
    return [message for field, message in submission_problems(candidate, pledge=True, by=by)]


def check_submittable(application: Application, *, by, reason="", pledge=False, **params) -> None:
    """Lifecycle guard of `submit`: refuses with the first reason, naming the field at fault."""
    problems = submission_problems(application, pledge=bool(pledge), by=by)
    if problems:
        field, message = problems[0]
        raise TransitionRefused(message, field=field)


def freeze_version(application: Application, *, by, reason="", pledge=False, **params) -> ApplicationVersion:
    """Lifecycle effect of `submit`: freeze version n+1 and stamp the pledge and submission times."""
    assessment = application.assessment
    result = selectors.evaluate_strict(assessment)
    now = timezone.now()
    files = Evidence.objects.filter(assessment=assessment, removed_at__isnull=True).order_by("target", "id")
    last = application.versions.order_by("-number").values_list("number", flat=True).first() or 0
    enterprise = application.enterprise
    version = ApplicationVersion.objects.create(
        application=application,
        number=last + 1,
        edition=assessment.edition,
        answers=assessment.answers,
        scenarios=assessment.scenarios,
        data=assessment.data,
        result=result.to_json(),
        evidence=[
            {"id": ev.pk, "target": ev.target, "name": ev.original_name, "sha256": ev.sha256, "size": ev.size}
            for ev in files
        ],
        profile={
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "industry": enterprise.industry,
            "address": enterprise.address,
            "employees": enterprise.employees,
            "revenue": str(enterprise.revenue),
            "total_assets": None if enterprise.total_assets is None else str(enterprise.total_assets),
            "contact_name": enterprise.contact_name,
            "contact_mobile": enterprise.contact_mobile,
            "contact_email": enterprise.contact_email,
        },
        pledge_at=now,
        submitted_at=now,
        submitted_by=by,
    )
    application.pledge_at = now
    application.submitted_at = now
    application.self_level = result.level
    services.assign_number(application)  # the number comes with the (first) submission
    return version


def submit(*, application: Application, by, pledge: bool) -> Application:
    """Submit (or resubmit after correction) through the lifecycle; TransitionRefused leaves no trace."""
    return transition(application, "submit", by=by, pledge=bool(pledge))


def withdraw(*, application: Application, by, reason: str = "") -> Application:
    return transition(application, "withdraw", by=by, reason=reason)
