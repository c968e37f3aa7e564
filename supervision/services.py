"""The bureau's writes. Keyword-only, atomic, each one recorded in the audit trail.

State changes of applications go through assessments.lifecycle.transition; this module holds the rest:
the roster, the sample draw and the re-checks.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.credit_code import normalise
from accounts.models import Agency, Role, RosterEntry, User
from accounts.notify import notify
from assessments import lifecycle
from core.audit import record
from core.errors import DomainError
from core.files import serve_private_file
from core.models import BackgroundJob, JobKind
from core.queue import enqueue
from experts.models import MemberRole, Team, TeamMember, TeamPurpose
from experts.services import provider_conflict

from . import roster as roster_file
from . import sampling, tasks
from .models import Recheck, RecheckDecision, RecheckOutcome, RosterImport, Sample, StratifyBy
from .publication import reissue_grade
from .selectors import sample_population


class ServiceError(DomainError):
    """A write that does not hold; `field` names the input at fault."""

    code = "refused"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None):
        super().__init__(message, code=code, field=field)


# ---- pilot roster -------------------------------------------------------------------------------------------


@transaction.atomic
def import_roster(*, content: bytes, file_name: str, by) -> RosterImport:
    """Import the good rows of a roster file in one go and keep a row-by-row report of what was rejected."""
    rows = roster_file.read_rows(content)
    codes = [normalise(values["credit_code"]) for _n, values in rows]
    existing = dict(RosterEntry.objects.filter(credit_code__in=codes).values_list("credit_code", "active"))
    seen: dict[str, int] = {}
    report, good = [], []
    for number, values in rows:
        if roster_file.is_example(values):
            values["credit_code"] = normalise(values["credit_code"])
            report.append(
                {"row": number, **values, "status": "skipped", "reasons": [_("模板示例行，未导入。")]}
            )
            continue
        reasons = roster_file.check_row(values, seen, existing)
        if not reasons:
            # Only an imported row claims its code: a later good row may stand in for an earlier bad one.
            seen[values["credit_code"]] = number
        report.append(
            {"row": number, **values, "status": "rejected" if reasons else "imported", "reasons": reasons}
        )
        if not reasons:
            good.append(RosterEntry(added_by=by, **values))
    RosterEntry.objects.bulk_create(good)
    result = RosterImport.objects.create(
        file_name=file_name[:255],
        imported=len(good),
        rejected=sum(1 for r in report if r["status"] == "rejected"),
        report=report,
        created_by=by,
    )
    record(
        actor=by,
        action="roster.import",
        obj=result,
        params={
            "file": file_name,
            "ok": result.imported,
            "bad": result.rejected,
            "imported": [e.credit_code for e in good],
        },
    )
    return result


@transaction.atomic
def add_roster_entry(
    *,
    by,
    credit_code: str,
    name: str,
    service_provider_name: str = "",
    service_provider_credit_code: str = "",
) -> RosterEntry:
    values = {
        "credit_code": credit_code,
        "name": name.strip(),
        "service_provider_name": service_provider_name.strip(),
        "service_provider_credit_code": service_provider_credit_code,
    }
    existing = dict(
        RosterEntry.objects.filter(credit_code=normalise(credit_code)).values_list("credit_code", "active")
    )
    reasons = roster_file.check_row(values, {}, existing)
    if reasons:
        raise ServiceError(reasons[0], field="credit_code")
    entry = RosterEntry.objects.create(added_by=by, **values)
    record(
        actor=by,
        action="roster.add",
        obj=entry,
        params=values,
    )
    return entry


@transaction.atomic
def update_service_provider(*, entry: RosterEntry, by, name: str, credit_code: str) -> RosterEntry:
    values = {
        "credit_code": entry.credit_code,
        "name": entry.name,
        "service_provider_name": name.strip(),
        "service_provider_credit_code": credit_code,
    }
    reasons = roster_file.check_row(values, {}, {})
    if reasons:
        raise ServiceError(reasons[0], field="service_provider_credit_code")
    before = {"name": entry.service_provider_name, "credit_code": entry.service_provider_credit_code}
    entry.service_provider_name = values["service_provider_name"]
    entry.service_provider_credit_code = values["service_provider_credit_code"]
    entry.save(update_fields=["service_provider_name", "service_provider_credit_code"])
    record(
        actor=by,
        action="roster.service_provider",
        obj=entry,
        params={
            "name": entry.name,
            "before": before,
            "after": {"name": entry.service_provider_name, "credit_code": entry.service_provider_credit_code},
        },
    )
    return entry


@transaction.atomic
def remove_roster_entry(*, entry: RosterEntry, by, reason: str) -> RosterEntry:
    """Removal keeps the row for history: the pilot status is cancelled with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写移出名单的原因。"), field="reason")
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.active:
        raise ServiceError(_("该企业的试点资格已取消。"))
    entry.active = False
    entry.cancelled_at = timezone.now()
    entry.cancelled_reason = reason
    entry.save(update_fields=["active", "cancelled_at", "cancelled_reason"])
    record(
        actor=by,
        action="roster.remove",
        obj=entry,
        params={"name": entry.name, "reason": reason},
    )
    return entry


# ---- sampling (抽验) ----------------------------------------------------------------------------------------


def _stratum(grade, stratify_by: str) -> tuple[str, str]:
    if stratify_by == StratifyBy.LEVEL:
        return str(grade.level), _("%(level)s级") % {"level": grade.level}
    if stratify_by == StratifyBy.AGENCY:
        agency = grade.application.agency
        return (str(agency.pk), agency.name) if agency else ("0", _("无机构"))
    return "", _("全部")


@transaction.atomic
def draw_sample(
    *,
    by,
    population_filter: dict,
    seed: int | None = None,
    size: int | None = None,
    rate: Decimal | None = None,
    stratify_by: str = "",
    note: str = "",
) -> Sample:
    """Draw and persist a sample. The population is sorted by certificate number, so the seed alone decides."""
    grades = list(sample_population(population_filter))
    if not grades:
        raise ServiceError(_("所选范围内没有可抽取的认定结果。"))
    if size is None and rate is None:
        raise ServiceError(_("请填写样本量或抽样比例。"), field="size")
    n = size if size is not None else sampling.size_from_rate(len(grades), rate)
    if n < 1:
        raise ServiceError(_("样本量至少为1。"), field="size")
    if n > len(grades):
        raise ServiceError(_("样本量不能超过总体数量（%(n)d）。") % {"n": len(grades)}, field="size")
    seed = sampling.new_seed() if seed is None else seed
    by_number = {g.certificate_number: g for g in grades}
    strata = {g.certificate_number: _stratum(g, stratify_by) for g in grades}
    members, allocation = sampling.draw(
        [(number, strata[number][0]) for number in by_number], size=n, seed=seed, stratified=bool(stratify_by)
    )
    labels = {key: label for key, label in strata.values()}
    sample = Sample.objects.create(
        population_filter=population_filter,
        population_size=len(grades),
        seed=seed,
        size=n,
        rate=rate,
        stratify_by=stratify_by,
        note=note.strip(),
        created_by=by,
        allocation={
            key: {"label": labels.get(key, key), "population": pop, "allocated": alloc}
            for key, (pop, alloc) in allocation.items()
        },
    )
    Recheck.objects.bulk_create(
        [
            Recheck(sample=sample, grade=by_number[number], stratum=stratum, position=i)
            for i, (number, stratum) in enumerate(members, start=1)
        ]
    )
    record(
        actor=by,
        action="sample.draw",
        obj=sample,
        params={
            "population": len(grades),
            "filter": population_filter,
            "seed": seed,
            "size": n,
            "stratify_by": stratify_by,
            "members": [number for number, _s in members],
        },
    )
    return sample


@transaction.atomic
def assign_recheck_agency(*, recheck: Recheck, agency: Agency, by, due_on=None) -> Recheck:
    recheck = (
        Recheck.objects.select_for_update(of=("self",))
        .select_related("grade__application")
        .get(pk=recheck.pk)
    )
    if recheck.outcome:
        raise ServiceError(_("该复核已有结论，不能改派。"))
    if agency.pk == recheck.grade.application.agency_id:
        raise ServiceError(_("复核机构不能是原评测机构。"), field="agency")
    refusal = provider_conflict(recheck.grade.application, agency)
    if refusal:
        raise ServiceError(refusal, field="agency", code="service_provider")
    if due_on is not None and due_on <= timezone.localdate():
        raise ServiceError(_("复核期限必须晚于今天。"), field="due_on")
    if recheck.team_id and recheck.agency_id != agency.pk:
        recheck.team.dissolved_at = timezone.now()
        recheck.team.save(update_fields=["dissolved_at"])
        recheck.team = None
    recheck.agency = agency
    recheck.due_on = due_on
    recheck.save(update_fields=["agency", "due_on", "team"])
    record(
        actor=by,
        action="recheck.assign_agency",
        obj=recheck,
        application=recheck.grade.application,
        params={
            "agency": agency.pk,
            "agency_name": agency.name,
            "number": recheck.grade.certificate_number,
            "due_on": str(due_on or ""),
        },
    )
    notify(
        User.objects.filter(role=Role.AGENCY_ADMIN, agency=agency, is_active=True),
        title=_("抽验复核任务：%(number)s") % {"number": recheck.grade.certificate_number},
        body=_("区经信局委托贵机构对该认定结果进行抽验复核，请组建复核专家组。"),
        link=reverse("recheck:detail", args=[recheck.pk]),
    )
    return recheck


def form_recheck_team(*, recheck: Recheck, by, lead, members=()) -> Recheck:
    """The re-checking agency's admin names the experts (a Team with purpose recheck). As for a review team,
    an agency that is the enterprise's recorded 数字化转型服务商 is refused, and the refusal is kept in the
    audit trail though nothing else is written."""
    try:
        return _form_recheck_team(recheck=recheck, by=by, lead=lead, members=members)
    except ServiceError as exc:
        if getattr(exc, "audited", False):
            record(
                actor=by,
                action="experts.assignment_refused",
                obj=recheck.grade.application,
                params={"refusal": exc.code, "experts": [u.pk for u in [lead, *members] if u]},
            )
        raise


@transaction.atomic
def _form_recheck_team(*, recheck: Recheck, by, lead, members=()) -> Recheck:
    recheck = (
        Recheck.objects.select_for_update(of=("self",))
        .select_related("grade__application")
        .get(pk=recheck.pk)
    )
    if recheck.agency_id is None or by.agency_id != recheck.agency_id:
        raise ServiceError(_("该复核任务不属于贵机构。"))
    if recheck.outcome:
        raise ServiceError(_("该复核已有结论。"))
    experts = [lead, *[m for m in members if m.pk != lead.pk]]
    for expert in experts:
        if expert.role != Role.EXPERT or expert.agency_id != recheck.agency_id or not expert.is_active:
            raise ServiceError(_("只能选择本机构的专家。"), field="lead")
    refusal = provider_conflict(recheck.grade.application, recheck.agency)
    if refusal:
        exc = ServiceError(refusal, field="lead", code="service_provider")
        exc.audited = True
        raise exc
    if recheck.team_id:
        recheck.team.dissolved_at = timezone.now()
        recheck.team.save(update_fields=["dissolved_at"])
    team = Team.objects.create(
        application=recheck.grade.application,
        agency_id=recheck.agency_id,
        purpose=TeamPurpose.RECHECK,
        created_by=by,
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(
                team=team,
                expert=e,
                role=MemberRole.LEAD if i == 0 else MemberRole.MEMBER,
                due_on=recheck.due_on,
            )
            for i, e in enumerate(experts)
        ]
    )
    recheck.team = team
    recheck.save(update_fields=["team"])
    notify(
        experts,
        title=_("抽验复核任务：%(number)s") % {"number": recheck.grade.certificate_number},
        body=_("您已被安排参与一项抽验复核。查看企业信息之前，请先作利益冲突声明。"),
        link=reverse("recheck:declare", args=[recheck.pk]),
    )
    record(
        actor=by,
        action="recheck.team",
        obj=recheck,
        application=recheck.grade.application,
        params={
            "team": team.pk,
            "experts": [e.pk for e in experts],
            "names": [e.display_name for e in experts],
        },
    )
    return recheck


@transaction.atomic
def record_recheck_outcome(
    *, recheck: Recheck, by, outcome: str, notes: str, new_level: int | None = None
) -> Recheck:
    recheck = (
        Recheck.objects.select_for_update(of=("self",))
        .select_related("grade__application")
        .get(pk=recheck.pk)
    )
    if recheck.outcome:
        raise ServiceError(_("该复核已有结论。"))
    if outcome not in {RecheckOutcome.CONFIRMED, RecheckOutcome.CHANGED, RecheckOutcome.REVOKE}:
        raise ServiceError(_("请选择复核结论。"), field="outcome")
    notes = (notes or "").strip()
    if not notes:
        raise ServiceError(_("请填写复核意见。"), field="notes")
    if outcome == RecheckOutcome.CHANGED:
        if new_level not in (0, 1, 2, 3, 4):
            raise ServiceError(_("请选择复核后的等级。"), field="new_level")
        if new_level == recheck.grade.level:
            raise ServiceError(_("复核等级与原等级相同，请选择“维持原等级”。"), field="new_level")
    else:
        new_level = None
    recheck.outcome = outcome
    recheck.new_level = new_level
    recheck.notes = notes
    recheck.recorded_at = timezone.now()
    recheck.recorded_by = by
    recheck.save(update_fields=["outcome", "new_level", "notes", "recorded_at", "recorded_by"])
    record(
        actor=by,
        action="recheck.outcome",
        obj=recheck,
        application=recheck.grade.application,
        params={"outcome": outcome, "new_level": new_level, "notes": notes},
    )
    notify(
        User.objects.filter(role=Role.BUREAU, is_active=True),
        title=_("抽验复核结论：%(number)s %(outcome)s")
        % {"number": recheck.grade.certificate_number, "outcome": recheck.get_outcome_display()},
        body=notes,
        link=reverse("supervision:sample", args=[recheck.sample_id]),
    )
    return recheck


DECISION_FOR_OUTCOME = {
    RecheckOutcome.CONFIRMED: RecheckDecision.CONFIRM,
    RecheckOutcome.CHANGED: RecheckDecision.CHANGE,
    RecheckOutcome.REVOKE: RecheckDecision.REVOKE,
}


@transaction.atomic
def decide_recheck(
    *, recheck: Recheck, by, decision: str, reason: str, basis: str = "", basis_text: str = ""
) -> Recheck:
    """The bureau's follow-up on a re-check's outcome, the one state change of it: keep the grade, change it
    (the certificate is superseded and a new one issued) or revoke it (the case's `revoke` transition). The
    enterprise and the agency that graded are told, each in its own words."""
    recheck = Recheck.objects.select_for_update(of=("self",)).select_related("grade").get(pk=recheck.pk)
    if not by.has_perm("supervision.decide_recheck", recheck):
        raise PermissionDenied
    if not recheck.outcome:
        raise ServiceError(_("复核尚无结论，不能作出处理决定。"))
    if recheck.decision:
        raise ServiceError(_("该复核已作出处理决定。"))
    if decision not in DECISION_FOR_OUTCOME.values():
        raise ServiceError(_("请选择处理决定。"), field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写决定理由。"), field="reason")
    grade = recheck.grade
    if grade.revoked_at is not None:
        raise ServiceError(_("该认定结果已失效，不能再作处理决定。"))
    application = grade.case
    old_number, old_level = grade.certificate_number, grade.level
    new = None
    if decision == RecheckDecision.CHANGE:
        level = recheck.new_level if recheck.outcome == RecheckOutcome.CHANGED else None
        if level is None:
            raise ServiceError(_("复核结论未给出新的等级，不能变更等级。"), field="decision")
        new = reissue_grade(grade, level=level, by=by)
        recheck.reissued = new
    elif decision == RecheckDecision.REVOKE:
        try:
            lifecycle.transition(
                application, "revoke", by=by, reason=reason, basis=basis, basis_text=basis_text
            )
        except lifecycle.TransitionRefused as exc:
            raise ServiceError(exc.message, field=exc.field) from exc
    recheck.decision = decision
    recheck.decision_reason = reason
    recheck.decided_at = timezone.now()
    recheck.decided_by = by
    recheck.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by", "reissued"])
    record(
        actor=by,
        action="recheck.decide",
        obj=recheck,
        application=application,
        params={
            "recheck_decision": decision,
            "reason": reason,
            "certificate": old_number,
            "new_certificate": new.certificate_number if new else "",
            "level": old_level,
            "new_level": new.level if new else None,
        },
    )
    if decision != RecheckDecision.REVOKE:  # the revoke transition tells them itself
        _notify_decision(recheck, application, old_number=old_number, old_level=old_level, new=new)
    return recheck


def _notify_decision(recheck, application, *, old_number, old_level, new) -> None:
    link = reverse("assessments:application", args=[application.pk])
    facts = {
        "enterprise": application.enterprise.name,
        "number": application.number,
        "certificate": old_number,
        "level": old_level,
        "new_level": new.level if new else old_level,
        "new_certificate": new.certificate_number if new else "",
        "reason": recheck.decision_reason,
    }
    if new is None:
        to_enterprise = (
            _("经抽验复核，贵企业的认定结果（%(level)s级，证书编号 %(certificate)s）维持不变。") % facts
        )
        to_agency = _("贵机构评测的%(enterprise)s（%(number)s）经抽验复核，维持%(level)s级。") % facts
    else:
        to_enterprise = (
            _(
                "经抽验复核，贵企业的数字化水平等级由%(level)s级变更为%(new_level)s级。原证书 %(certificate)s "
                "已被替换，新证书编号 %(new_certificate)s，可在申请页下载。理由：%(reason)s"
            )
            % facts
        )
        to_agency = (
            _(
                "贵机构评测的%(enterprise)s（%(number)s）经抽验复核，等级由%(level)s级变更为%(new_level)s级"
                "（新证书编号 %(new_certificate)s）。理由：%(reason)s"
            )
            % facts
        )
    title = _("抽验复核处理决定：%(enterprise)s") % facts
    notify(application.enterprise.staff.filter(is_active=True), title=title, body=to_enterprise, link=link)
    notify(
        User.objects.filter(role=Role.AGENCY_ADMIN, agency_id=application.agency_id, is_active=True),
        title=title,
        body=to_agency,
        link=reverse("experts:case", args=[application.pk]),
    )


@transaction.atomic
def request_export(*, name: str, by, params: dict | None = None) -> BackgroundJob:
    """Queue one of the background exports (supervision.tasks.EXPORTS) for `by`, with the page's filters
    (only the parameters that export takes); a job they can watch. PermissionDenied if it is not theirs."""
    if not tasks.may_export(by, name):
        raise PermissionDenied(name)
    wanted = tasks.EXPORTS[name].params
    params = {
        key: str(value) for key, value in (params or {}).items() if key in wanted and value not in ("", None)
    }
    job = BackgroundJob.objects.create(kind=JobKind.EXPORT, created_by=by, params={"name": name, **params})
    enqueue(tasks.render_export, job_id=job.pk)
    return job


def serve_evidence(*, evidence, application, by):
    """A file of a submitted version for the bureau (the caller checked `by` may open it); written to the
    audit trail."""
    record(
        actor=by,
        action="evidence.download",
        obj=evidence,
        application=application,
        params={"target": evidence.target, "name": evidence.original_name, "sha256": evidence.sha256},
    )
    return serve_private_file(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


def serve_photo(*, photo, application, by):
    """A site-inspection photo (现场照片) for the bureau; written to the audit trail."""
    record(
        actor=by,
        action="supervision.photo_download",
        obj=photo,
        application=application,
        params={"name": photo.original_name, "sha256": photo.sha256},
    )
    return serve_private_file(
        photo.file, filename=photo.original_name, content_type=photo.content_type, inline=True
    )
