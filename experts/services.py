"""Writes of the expert review. Keyword-only, one transaction each, every change in the audit trail."""

import hashlib
from datetime import date

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RosterEntry, User
from accounts.notify import notify, notify_enterprise
from assessments.forms import sniff_evidence
from assessments.models import ApplicationState, Evidence
from assessments.selectors import edition_of
from core.audit import record
from core.display import local_iso, local_text
from core.errors import DomainError
from core.files import serve_private_file

from .models import (
    CheckKind,
    ConflictKind,
    Draft,
    EvidenceVerdict,
    ExpertProfile,
    Finding,
    Inspection,
    InspectionPhoto,
    Interview,
    IntervieweeRole,
    MemberRole,
    SiteCheck,
    SupplementRequest,
    Team,
    TeamMember,
    TeamOpinion,
    TeamPurpose,
    VerdictChoice,
    Verification,
)
from .rules import TEAM_EDITABLE_STATES, WORKING_STATES, active_team, case_evidence_ids
from .selectors import grade_verified, normalise_answer


class ReviewError(DomainError):
    """Bad input or a step that does not hold now; `field` names the input at fault."""

    code = "review_refused"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None):
        super().__init__(message, code=code, field=field)


def _agency_admins(agency_id):
    return User.objects.filter(role=Role.AGENCY_ADMIN, agency_id=agency_id, is_active=True)


def _case_link(application):
    return reverse("experts:case", args=[application.pk])


# --- profiles and teams ---------------------------------------------------------------------------------


@transaction.atomic
def save_profile(*, expert, by, title: str, areas: list[str], note: str = "") -> ExpertProfile:
    profile, _created = ExpertProfile.objects.update_or_create(
        user=expert, defaults={"title": title, "areas": list(areas), "note": note}
    )
    record(
        actor=by,
        action="experts.profile",
        obj=profile,
        params={"expert": expert.display_name, "areas": list(areas), "title": title},
    )
    return profile


def provider_conflict(application, agency=None) -> str | None:
    """The refusal reason when the agency (default: the case's) is the enterprise's 数字化转型服务商 on the pilot
    roster."""
    entry = RosterEntry.objects.filter(credit_code=application.enterprise.credit_code).first()
    agency = agency or application.agency
    if (
        entry
        and entry.service_provider_credit_code
        and entry.service_provider_credit_code == agency.credit_code
    ):
        return _(
            "评测机构“%(agency)s”是该企业登记的数字化转型服务商（统一社会信用代码 %(code)s），"
            "其专家不得参与该企业的评测。"
        ) % {"agency": agency.name, "code": agency.credit_code}
    return None


def form_team(*, application, by, lead, members, due_on: date | None = None) -> Team:
    """Form or change the application's team: one lead plus members, all experts of the agency.

    Refusals (an expert of the enterprise's service provider, an expert who declared a conflict on this case)
    are kept in the audit trail even though nothing else is written."""
    try:
        return _form_team(application=application, by=by, lead=lead, members=members, due_on=due_on)
    except ReviewError as exc:
        if getattr(exc, "audited", False):
            record(
                actor=by,
                action="experts.assignment_refused",
                obj=application,
                params={"refusal": exc.code, "experts": [u.pk for u in [lead, *members] if u]},
            )
        raise


@transaction.atomic
def _form_team(*, application, by, lead, members, due_on):
    if application.state not in TEAM_EDITABLE_STATES:
        raise ReviewError(
            _("申请当前状态为“%(s)s”，不能调整专家团队。") % {"s": application.get_state_display()}
        )
    if lead is None:
        raise ReviewError(_("请指定组长。"), field="lead")
    chosen = [lead] + [m for m in members if m.pk != lead.pk]
    for expert in chosen:
        if expert.role != Role.EXPERT or expert.agency_id != application.agency_id or not expert.is_active:
            raise ReviewError(_("%(n)s 不是本机构的专家。") % {"n": expert.display_name}, field="members")
    refusal = provider_conflict(application)
    if refusal:
        exc = ReviewError(refusal, field="lead", code="service_provider")
        exc.audited = True
        raise exc
    team = active_team(application)
    if team is None:
        team = Team.objects.create(
            application=application,
            agency_id=application.agency_id,
            purpose=TeamPurpose.REVIEW,
            created_by=by,
        )
    existing = {m.expert_id: m for m in team.members.all()}
    for expert in chosen:
        m = existing.get(expert.pk)
        if m and m.conflict and m.conflict != ConflictKind.NONE:
            exc = ReviewError(
                _("%(n)s 已申报与该企业存在利益冲突（%(k)s），不能再加入团队。")
                % {"n": expert.display_name, "k": m.get_conflict_display()},
                field="members",
                code="declared_conflict",
            )
            exc.audited = True
            raise exc
    now = timezone.now()
    chosen_ids = {e.pk for e in chosen}
    for m in existing.values():
        if m.removed_at is None and m.expert_id not in chosen_ids:
            m.removed_at = now
            m.removed_reason = _("机构管理员调整团队")
            m.save(update_fields=["removed_at", "removed_reason"])
    added = []
    for expert in chosen:
        role = MemberRole.LEAD if expert.pk == lead.pk else MemberRole.MEMBER
        m = existing.get(expert.pk)
        if m is None:
            m = TeamMember.objects.create(team=team, expert=expert, role=role, due_on=due_on)
            added.append(expert)
        else:
            if m.removed_at is not None:
                added.append(expert)
            m.removed_at = None
            m.removed_reason = ""
            m.role = role
            m.due_on = due_on or m.due_on
            m.save(update_fields=["removed_at", "removed_reason", "role", "due_on"])
    record(
        actor=by,
        action="experts.team",
        obj=team,
        application=application,
        params={
            "lead": lead.pk,
            "lead_name": lead.display_name,
            "members": [e.pk for e in chosen],
            "size": len(chosen),
            "due_on": str(due_on or ""),
        },
    )
    if added:
        link = reverse("experts:declare", args=[application.pk])
        notify(
            added,
            title=_("%(n)s：新的评测任务") % {"n": application.number},
            body=_("您已被安排参与一项评测。查看企业信息之前，请先作利益冲突声明。"),
            link=link,
        )
    return team


@transaction.atomic
def declare(*, member: TeamMember, by, kind: str, text: str = "") -> TeamMember:
    """A member's conflict-of-interest declaration. Any conflict removes them from the team at once."""
    member = TeamMember.objects.select_for_update().select_related("team__application").get(pk=member.pk)
    if member.removed_at is not None or member.expert_id != by.pk:
        raise ReviewError(_("您不在该评测团队中。"))
    if kind not in ConflictKind.values:
        raise ReviewError(_("请选择利益关系。"), field="conflict")
    text = (text or "").strip()
    if kind == ConflictKind.OTHER and not text:
        raise ReviewError(_("选择“其他”时请说明具体关系。"), field="conflict_text")
    if member.declared_at is not None and member.conflict == kind == ConflictKind.NONE:
        raise ReviewError(_("您已声明无利益关系。"))
    application = member.team.application
    now = timezone.now()
    member.declared_at = now
    member.conflict = kind
    member.conflict_text = text
    if kind != ConflictKind.NONE:
        member.removed_at = now
        member.removed_reason = _("申报利益冲突：%(k)s") % {"k": member.get_conflict_display()}
        member.confirmed_at = None
    member.save()
    record(
        actor=by,
        action="experts.declaration",
        obj=member,
        application=application,
        params={"conflict": kind, "text": text, "removed": kind != ConflictKind.NONE},
    )
    if kind != ConflictKind.NONE:
        notify(
            _agency_admins(application.agency_id),
            title=_("%(n)s：专家申报利益冲突") % {"n": application.number},
            body=_("%(e)s 申报了利益冲突（%(k)s），已自动移出专家团队，请及时补充专家。")
            % {"e": by.display_name, "k": member.get_conflict_display()},
            link=_team_link(member.team),
        )
    return member


def _team_link(team) -> str:
    """Where the agency admin changes this team: the review's team page, or the re-check's page (a re-check
    team, supervision.Recheck.team, read through its relation)."""
    if team.purpose == TeamPurpose.RECHECK:
        recheck = team.rechecks.first()
        if recheck is not None:
            return reverse("recheck:detail", args=[recheck.pk])
    return reverse("experts:team", args=[team.application_id])


# --- document review ------------------------------------------------------------------------------------


def _require_working(case, by):
    if not by.has_perm("experts.work_on_case", case.application):
        raise ReviewError(
            _("当前不能修改评审记录（申请状态：%(s)s）。") % {"s": case.application.get_state_display()}
        )


def _clear_confirmations(team):
    team.members.filter(confirmed_at__isnull=False).update(confirmed_at=None)


@transaction.atomic
def save_verdict(
    *, case, evidence, by, authenticity: str, completeness: str, compliance: str, comment: str = ""
) -> EvidenceVerdict:
    _require_working(case, by)
    if evidence.pk not in case_evidence_ids(case.application, case.team):
        raise ReviewError(_("该文件不属于本次评测。"))
    for name, value in (
        ("authenticity", authenticity),
        ("completeness", completeness),
        ("compliance", compliance),
    ):
        if value not in VerdictChoice.values:
            raise ReviewError(_("请选择审核结论。"), field=name)
    comment = (comment or "").strip()
    if {authenticity, completeness, compliance} != {VerdictChoice.PASS} and not comment:
        raise ReviewError(_("结论不是全部“通过”时，请填写审核意见。"), field="comment")
    verdict, _created = EvidenceVerdict.objects.update_or_create(
        team=case.team,
        evidence=evidence,
        defaults={
            "authenticity": authenticity,
            "completeness": completeness,
            "compliance": compliance,
            "comment": comment,
            "by": by,
        },
    )
    record(
        actor=by,
        action="experts.verdict",
        obj=verdict,
        application=case.application,
        params={
            "evidence": evidence.pk,
            "target": evidence.target,
            "name": evidence.original_name,
            "authenticity": authenticity,
            "completeness": completeness,
            "compliance": compliance,
            "comment": comment,
        },
    )
    return verdict


def parse_item_value(item, raw: list[str]):
    """The verified option(s) for an item from form values, checked like the questionnaire's."""
    try:
        values = sorted({int(v) for v in raw})
    except (TypeError, ValueError):
        raise ReviewError(_("请选择核定选项。"), field="value") from None
    if not values or any(v < 0 or v >= len(item.options) for v in values):
        raise ReviewError(_("请选择核定选项。"), field="value")
    if not item.is_multi:
        if len(values) != 1:
            raise ReviewError(_("单选题只能选择一项。"), field="value")
        return values[0]
    none = item.none_index
    if none is not None and none in values and len(values) > 1:
        raise ReviewError(_("“无”不能与其他选项同时选择。"), field="value")
    return values


@transaction.atomic
def save_verification(*, case, code: str, by, value, reason: str = "") -> Verification:
    """The team's verified answer (items) or scenario criteria (four booleans); a reason where it differs."""
    _require_working(case, by)
    version = case.application.latest_version
    ed = edition_of(version)
    reason = (reason or "").strip()
    if code in ed.item_codes:
        item = ed.item(code)
        differs = normalise_answer(item, value) != normalise_answer(item, version.answers.get(code))
    elif code in ed.scenario_codes:
        value = ed.criteria_met(value)
        differs = value != ed.criteria_met(version.scenarios.get(code))
    else:
        raise ReviewError(_("未知的指标：%(c)s") % {"c": code})
    if differs and not reason:
        raise ReviewError(_("核定结果与企业自评不一致，请填写调整理由。"), field="reason")
    previous = Verification.objects.filter(team=case.team, code=code).first()
    v, _created = Verification.objects.update_or_create(
        team=case.team,
        code=code,
        defaults={"value": value, "reason": reason, "by": by},
    )
    _clear_confirmations(case.team)
    record(
        actor=by,
        action="experts.verification",
        obj=v,
        application=case.application,
        params={
            "code": code,
            "value": value,
            "reason": reason,
            "differs": differs,
            "previous": previous.value if previous else None,
        },
    )
    return v


def _store_upload(upload, *, field: str = "files") -> tuple[str, str]:
    """(content type, SHA-256) of an upload, checked by extension and content like the enterprise's evidence."""

    try:
        content_type = sniff_evidence(upload)
    except forms.ValidationError as exc:
        raise ReviewError(f"{upload.name}：{' '.join(exc.messages)}", field=field) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


@transaction.atomic
def request_supplement(*, case, by, codes: list[str], message: str, deadline: date) -> SupplementRequest:
    _require_working(case, by)
    ed = edition_of(case.application.latest_version)
    known = set(ed.item_codes) | set(ed.scenario_codes)
    codes = [c for c in dict.fromkeys(codes) if c]
    if not codes:
        raise ReviewError(_("请选择需要补充材料的指标。"), field="codes")
    if set(codes) - known:
        raise ReviewError(_("未知的指标。"), field="codes")
    message = (message or "").strip()
    if not message:
        raise ReviewError(_("请写明需要补充的材料。"), field="message")
    if deadline is None or deadline < timezone.localdate():
        raise ReviewError(_("补充期限不能早于今天。"), field="deadline")
    req = SupplementRequest.objects.create(
        team=case.team,
        application=case.application,
        codes=codes,
        message=message,
        deadline=deadline,
        requested_by=by,
    )
    record(
        actor=by,
        action="experts.supplement_requested",
        obj=req,
        application=case.application,
        params={"codes": codes, "message": message, "deadline": str(deadline)},
    )
    notify_enterprise(
        case.application.enterprise,
        title=_("%(n)s：请补充材料") % {"n": case.application.number},
        body=_("评测专家请您在 %(d)s 前补充以下指标的材料：%(c)s。\n%(m)s")
        % {"d": deadline, "c": "、".join(codes), "m": message},
        link=reverse("experts:supplement_reply", args=[req.pk]),
    )
    return req


@transaction.atomic
def answer_supplement(*, request, by, reply: str, files: list[tuple[str, object]]) -> SupplementRequest:
    """The enterprise's answer: a reply and files for the named items (kept as Evidence of the assessment)."""
    req = (
        SupplementRequest.objects.select_for_update().select_related("application", "team").get(pk=request.pk)
    )
    if req.answered_at is not None:
        raise ReviewError(_("该补充材料要求已答复。"))
    if req.application.state not in WORKING_STATES:
        raise ReviewError(_("评测已结束，不能再补充材料。"))
    reply = (reply or "").strip()
    if not reply and not files:
        raise ReviewError(_("请上传补充材料或填写答复。"), field="reply")
    # Every file is checked before any is stored, so a bad one leaves nothing behind (not even on disk).
    checked = []
    for code, upload in files:
        if code not in req.codes:
            raise ReviewError(_("请选择材料对应的指标。"), field="files")
        checked.append((code, upload, *_store_upload(upload)))
    added = []
    for code, upload, content_type, sha in checked:
        ev = Evidence.objects.create(
            assessment=req.application.assessment,
            target=code,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=sha,
            uploaded_by=by,
        )
        req.files.add(ev)
        added.append(ev)
    req.reply = reply
    req.answered_by = by
    req.answered_at = timezone.now()
    req.save()
    record(
        actor=by,
        action="experts.supplement_answered",
        obj=req,
        application=req.application,
        params={
            "count": len(added),
            "files": [{"id": e.pk, "target": e.target, "sha256": e.sha256} for e in added],
            "reply": reply,
        },
    )
    notify(
        User.objects.filter(pk__in=req.team.members.live().values("expert_id")),
        title=_("%(n)s：企业已补充材料") % {"n": req.application.number},
        body=_("企业已答复补充材料要求（%(c)s），新增文件 %(k)s 份。")
        % {"c": "、".join(req.codes), "k": len(added)},
        link=reverse("experts:supplements", args=[req.application_id]),
    )
    return req


# --- site inspection ------------------------------------------------------------------------------------


@transaction.atomic
def schedule_inspection(
    *, case, by, scheduled_for, place: str, attendees: str, inspection=None
) -> Inspection:
    _require_working(case, by)
    place, attendees = (place or "").strip(), (attendees or "").strip()
    if scheduled_for is None:
        raise ReviewError(_("请填写查验时间。"), field="scheduled_for")
    if not place:
        raise ReviewError(_("请填写查验地点。"), field="place")
    if not attendees:
        raise ReviewError(_("请填写参加人员。"), field="attendees")
    first = first_record_at(inspection) if inspection is not None else None
    if first is not None and scheduled_for > first:
        raise ReviewError(
            _("查验时间不能晚于已有的查验记录（最早一条记于 %(t)s，北京时间）。") % {"t": local_text(first)},
            field="scheduled_for",
        )
    if inspection is None:
        inspection = Inspection(team=case.team, created_by=by)
    inspection.scheduled_for, inspection.place, inspection.attendees = scheduled_for, place, attendees
    inspection.save()
    record(
        actor=by,
        action="experts.inspection_scheduled",
        obj=inspection,
        application=case.application,
        params={"scheduled_for": local_iso(scheduled_for), "place": place, "attendees": attendees},
    )
    notify_enterprise(
        case.application.enterprise,
        title=_("%(n)s：现场查验安排") % {"n": case.application.number},
        body=_("专家团队将于 %(t)s 在 %(p)s 开展现场查验，请安排相关人员参加。")
        % {"t": timezone.localtime(scheduled_for).strftime("%Y-%m-%d %H:%M"), "p": place},
    )
    return inspection


def first_record_at(inspection):
    """When the first record of the inspection (interview, check, finding, photo) was made, or None."""
    times = [
        kind.objects.filter(inspection=inspection).order_by("at").values_list("at", flat=True).first()
        for kind in (Interview, SiteCheck, Finding, InspectionPhoto)
    ]
    return min((t for t in times if t is not None), default=None)


def _require_on_site(case, inspection, by):
    _require_working(case, by)
    if case.application.state != ApplicationState.ON_SITE:
        raise ReviewError(_("现场查验开始后才能记录访谈、查验和发现。"))
    if inspection.team_id != case.team.pk:
        raise ReviewError(_("该查验不属于本团队。"))
    # Every record is dated when it is made: made before the scheduled visit, it would be dated before it.
    if timezone.now() < inspection.scheduled_for:
        raise ReviewError(
            _(
                "现场查验安排在 %(t)s（北京时间），查验记录不能早于查验时间。查验已提前进行的，请先在“查验安排”中更新查验时间。"
            )
            % {"t": local_text(inspection.scheduled_for)}
        )


@transaction.atomic
def add_interview(*, case, inspection, by, role: str, interviewee: str, record_text: str) -> Interview:
    _require_on_site(case, inspection, by)

    if role not in IntervieweeRole.values:
        raise ReviewError(_("请选择访谈对象类别。"), field="role")
    if not (interviewee or "").strip():
        raise ReviewError(_("请填写被访谈人姓名及职务。"), field="interviewee")
    if not (record_text or "").strip():
        raise ReviewError(_("请填写访谈记录。"), field="record")
    x = Interview.objects.create(
        inspection=inspection, role=role, interviewee=interviewee.strip(), record=record_text.strip(), by=by
    )
    record(
        actor=by,
        action="experts.interview",
        obj=x,
        application=case.application,
        params={"interviewee_role": role, "interviewee": x.interviewee, "record": x.record},
    )
    return x


@transaction.atomic
def add_check(*, case, inspection, by, kind: str, subject: str, record_text: str) -> SiteCheck:
    _require_on_site(case, inspection, by)

    if kind not in CheckKind.values:
        raise ReviewError(_("请选择查验方式。"), field="kind")
    if not (subject or "").strip():
        raise ReviewError(_("请填写查验对象。"), field="subject")
    if not (record_text or "").strip():
        raise ReviewError(_("请填写查验记录。"), field="record")
    x = SiteCheck.objects.create(
        inspection=inspection, kind=kind, subject=subject.strip(), record=record_text.strip(), by=by
    )
    record(
        actor=by,
        action="experts.site_check",
        obj=x,
        application=case.application,
        params={"check_kind": kind, "subject": x.subject, "record": x.record},
    )
    return x


@transaction.atomic
def add_finding(*, case, inspection, by, text: str, codes: list[str]) -> Finding:
    _require_on_site(case, inspection, by)
    ed = edition_of(case.application.latest_version)
    codes = [c for c in dict.fromkeys(codes) if c]
    if not (text or "").strip():
        raise ReviewError(_("请填写查验发现。"), field="text")
    if not codes:
        raise ReviewError(_("请选择该发现涉及的指标或场景。"), field="codes")
    if set(codes) - (set(ed.item_codes) | set(ed.scenario_codes)):
        raise ReviewError(_("未知的指标。"), field="codes")
    x = Finding.objects.create(inspection=inspection, text=text.strip(), codes=codes, by=by)
    record(
        actor=by,
        action="experts.finding",
        obj=x,
        application=case.application,
        params={"text": x.text, "codes": codes},
    )
    return x


@transaction.atomic
def add_photo(*, case, inspection, by, upload, caption: str = "", finding=None) -> InspectionPhoto:
    _require_on_site(case, inspection, by)
    if upload is None:
        raise ReviewError(_("请拍摄或选择照片。"), field="photo")
    content_type, sha = _store_upload(upload, field="photo")
    if not content_type.startswith("image/"):
        raise ReviewError(_("现场照片只能是图片。"), field="photo")
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ReviewError(_("请选择本次查验的发现。"), field="finding")
    p = InspectionPhoto.objects.create(
        inspection=inspection,
        finding=finding,
        file=upload,
        caption=(caption or "").strip()[:200],
        original_name=(upload.name or "photo")[:255],
        content_type=content_type,
        size=upload.size,
        sha256=sha,
        by=by,
    )
    record(
        actor=by,
        action="experts.photo",
        obj=p,
        application=case.application,
        params={"name": p.original_name, "sha256": sha, "size": p.size, "finding": p.finding_id},
    )
    return p


@transaction.atomic
def save_inspection_summary(*, case, inspection, by, summary: str) -> Inspection:
    _require_on_site(case, inspection, by)
    inspection.summary = (summary or "").strip()
    inspection.save(update_fields=["summary"])
    record(
        actor=by,
        action="experts.inspection_summary",
        obj=inspection,
        application=case.application,
        params={"summary": inspection.summary},
    )
    return inspection


# --- opinion, confirmation ------------------------------------------------------------------------------


@transaction.atomic
def save_opinion(*, case, by, text: str, level: int) -> TeamOpinion:
    """The lead's overall opinion and proposed grade; changing it asks every member to confirm again."""
    _require_working(case, by)
    if not by.has_perm("experts.lead_team", case.application):
        raise ReviewError(_("只有组长可以填写综合评测意见。"))
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("请填写综合评测意见。"), field="text")
    verified = grade_verified(case.application.latest_version, case.team.verifications.all())
    if level != verified["level"]:
        raise ReviewError(
            _("建议等级应与核定结果一致（按核定答案评定为 %(l)s 级）。") % {"l": verified["level"]},
            field="level",
        )
    op, _created = TeamOpinion.objects.update_or_create(
        team=case.team, defaults={"text": text, "level": level, "by": by}
    )
    _clear_confirmations(case.team)
    record(
        actor=by,
        action="experts.opinion",
        obj=op,
        application=case.application,
        params={"text": text, "level": level},
    )
    return op


@transaction.atomic
def confirm(*, case, by) -> TeamMember:
    _require_working(case, by)
    if not hasattr(case.team, "opinion"):
        raise ReviewError(_("组长尚未填写综合评测意见。"))
    member = case.member
    member.confirmed_at = timezone.now()
    member.save(update_fields=["confirmed_at"])
    record(
        actor=by,
        action="experts.confirmed",
        obj=member,
        application=case.application,
        params={"level": case.team.opinion.level},
    )
    return member


# --- files of the review -------------------------------------------------------------------------------


def serve_evidence(*, evidence, application, by):
    """An evidence file of the review, shown in the workbench (the caller checked `by` may open it); the
    download is written to the audit trail."""
    record(
        actor=by,
        action="evidence.download",
        obj=evidence,
        application=application,
        params={"target": evidence.target, "name": evidence.original_name, "sha256": evidence.sha256},
    )
    return serve_private_file(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type, inline=True
    )


def serve_photo(*, photo, application, by):
    """A site-inspection photo (the caller checked `by` may open it); written to the audit trail."""
    record(
        actor=by,
        action="experts.photo_download",
        obj=photo,
        application=application,
        params={"name": photo.original_name, "sha256": photo.sha256},
    )
    return serve_private_file(
        photo.file, filename=photo.original_name, content_type=photo.content_type, inline=True
    )


# --- drafts ---------------------------------------------------------------------------------------------


def save_draft(*, user, key: str, data: dict) -> Draft:
    draft, _created = Draft.objects.update_or_create(user=user, key=key[:120], defaults={"data": data})
    return draft


def clear_draft(*, user, key: str) -> None:
    Draft.objects.filter(user=user, key=key).delete()
