"""Reads for the expert review: workbench rows, the verified grading, the comparison and the case record."""

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RosterEntry, User
from assessments import engine
from assessments.models import ApplicationState, ApplicationStates, Evidence
from assessments.selectors import edition_of, visible_applications

from .models import (
    Draft,
    EvidenceVerdict,
    Inspection,
    Proposal,
    Team,
    TeamMember,
    TeamPurpose,
    Verification,
)
from .rules import active_team, case_evidence_ids


def normalise_answer(item, value):
    if value is None:
        return None
    if item.is_multi:
        return sorted(int(v) for v in value)
    return int(value)


def answer_text(item, value) -> str:
    value = normalise_answer(item, value)
    if value is None:
        return "—"
    if item.is_multi:
        return "；".join(item.options[i].text for i in value)
    return item.options[value].text


def verified_inputs(version, verifications) -> dict:
    """The enterprise's submitted answers with the team's verified values laid over them (contract shape)."""
    answers = dict(version.answers)
    ed = edition_of(version)
    scenarios = {code: ed.criteria_met(v) for code, v in version.scenarios.items()}
    for v in verifications:
        if ed.is_item(v.code):
            answers[v.code] = v.value
        else:
            scenarios[v.code] = ed.criteria_met(v.value)
    return {"framework": version.edition, "answers": answers, "scenarios": scenarios, "data": version.data}


def grade_verified(version, verifications) -> dict:
    """The engine's output (RULES.md §6) for the verified answers: the same engine grades both sides."""
    obj = verified_inputs(version, verifications)
    return engine.grade(engine.parse_assessment(obj)).to_json()


def comparison(version, verifications, verified_result=None) -> dict:
    """Self-assessed vs verified per item, per scenario and in total (the shape `Proposal.comparison` keeps)."""
    ed = edition_of(version)
    by_code = {v.code: v for v in verifications}
    verified_result = verified_result or grade_verified(version, verifications)
    self_result = version.result
    verified = verified_inputs(version, verifications)
    items = []
    for item in ed.items:
        self_answer = normalise_answer(item, version.answers.get(item.code))
        verified_answer = normalise_answer(item, verified["answers"].get(item.code))
        v = by_code.get(item.code)
        items.append(
            {
                "code": item.code,
                "title": item.name,
                "self_answer": self_answer,
                "verified_answer": verified_answer,
                "self_points": self_result["items"][item.code],
                "verified_points": verified_result["items"][item.code],
                "changed": self_answer != verified_answer,
                "reason": v.reason if v else "",
            }
        )
    scenarios = []
    for sc in ed.scenarios:
        v = by_code.get(sc.code)
        self_level = self_result["scenario_levels"][sc.code]
        verified_level = verified_result["scenario_levels"][sc.code]
        scenarios.append(
            {
                "code": sc.code,
                "name": sc.name,
                "constrained": sc.constrained,
                "self_level": self_level,
                "verified_level": verified_level,
                "changed": self_level != verified_level
                or ed.criteria_met(version.scenarios.get(sc.code)) != verified["scenarios"][sc.code],
                "reason": v.reason if v else "",
            }
        )
    totals = {
        "self_score": self_result["score"],
        "verified_score": verified_result["score"],
        "self_level": self_result["level"],
        "verified_level": verified_result["level"],
        "dimensions": {
            d.code: {
                "self": self_result["dimensions"][d.code],
                "verified": verified_result["dimensions"][d.code],
            }
            for d in ed.dimensions
        },
    }
    return {"items": items, "scenarios": scenarios, "totals": totals}


def workbench(application, team) -> dict:
    """Per item and per scenario: the enterprise's answer, figures, derived option, evidence and verdicts,
    the team's verified value; plus the progress meter."""
    version = application.latest_version
    ed = edition_of(version)
    result = version.result
    verifications = {v.code: v for v in team.verifications.select_related("by")}
    evidence_ids = case_evidence_ids(application, team)
    files = list(Evidence.objects.filter(pk__in=evidence_ids).order_by("target", "uploaded_at", "id"))
    supplement_of = {}
    for s in team.supplements.prefetch_related("files"):
        for f in s.files.all():
            supplement_of[f.pk] = s
    verdicts = {v.evidence_id: v for v in team.verdicts.select_related("by")}
    by_target: dict[str, list] = {}
    for f in files:
        code = f.target.split(".")[0]
        by_target.setdefault(code, []).append(
            {
                "file": f,
                "verdict": verdicts.get(f.pk),
                "supplement": supplement_of.get(f.pk),
                "is_image": f.content_type.startswith("image/"),
                "is_pdf": f.content_type == "application/pdf",
            }
        )
    derived = result.get("derived", {})
    inconsistent = set(result.get("inconsistencies", []))
    rows = []
    for item in ed.items:
        v = verifications.get(item.code)
        figures = []
        for f in ed.fields_of(item.code):
            figures.append({"label": f.label, "unit": f.unit, "value": _figure(version.data, f.path)})
        rows.append(
            {
                "kind": "item",
                "code": item.code,
                "title": item.name,
                "question": item.question,
                "item": item,
                "answer": normalise_answer(item, version.answers.get(item.code)),
                "answer_text": answer_text(item, version.answers.get(item.code)),
                "points": result["items"][item.code],
                "figures": figures,
                "derived": derived.get(item.code),
                "derived_text": item.options[derived[item.code]].text if item.code in derived else "",
                "inconsistent": item.code in inconsistent,
                "files": by_target.get(item.code, []),
                "verification": v,
                "verified_text": answer_text(item, v.value) if v else "",
                "changed": v is not None
                and normalise_answer(item, v.value) != normalise_answer(item, version.answers.get(item.code)),
            }
        )
    for sc in ed.scenarios:
        v = verifications.get(sc.code)
        met = ed.criteria_met(version.scenarios.get(sc.code))
        rows.append(
            {
                "kind": "scenario",
                "code": sc.code,
                "title": sc.name,
                "scenario": sc,
                "constrained": sc.constrained,
                "criteria": list(zip(ed.scenario_level_numbers, sc.criteria, met, strict=True)),
                "met": met,
                "level": result["scenario_levels"][sc.code],
                "files": by_target.get(sc.code, []),
                "verification": v,
                "verified_met": ed.criteria_met(v.value) if v else None,
                "verified_level": ed.scenario_level(ed.criteria_met(v.value)) if v else None,
                "changed": v is not None and ed.criteria_met(v.value) != met,
            }
        )
    return {
        "version": version,
        "edition": ed,
        "rows": rows,
        "progress": progress(application, team, rows=rows),
    }


def _figure(data, path):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, list):
        if node and isinstance(node[0], dict):
            return "；".join(f"{e.get('source')}: {e.get('amount')}" for e in node)
        return " / ".join(str(x) for x in node)
    return node


def progress(application, team, *, rows=None) -> dict:
    """What is left to verify: items and scenarios without a verified value, files without a verdict."""
    version = application.latest_version
    ed = edition_of(version)
    codes = list(ed.item_codes) + list(ed.scenario_codes)
    verified = set(team.verifications.values_list("code", flat=True)) if team else set()
    files = case_evidence_ids(application, team)
    judged = (
        set(team.verdicts.filter(evidence_id__in=files).values_list("evidence_id", flat=True))
        if team
        else set()
    )
    open_requests = team.supplements.filter(answered_at__isnull=True).count() if team else 0
    total = len(codes) + len(files)
    done = len(verified & set(codes)) + len(judged)
    return {
        "codes_total": len(codes),
        "codes_done": len(verified & set(codes)),
        "codes_left": [c for c in codes if c not in verified],
        "files_total": len(files),
        "files_done": len(judged),
        "open_requests": open_requests,
        "percent": round(100 * done / total) if total else 100,
    }


def _pending():
    """What is pending on a membership, in SQL (so the 待办 counts are one grouped query, whatever the number of
    cases): its declaration first; then nothing while the case waits for the team to start; in review or on site
    the review, or once the team has an opinion its confirmation, done once confirmed (until the opinion changes,
    which clears every confirmation, or the bureau returns the case); after that, done."""
    working = Q(team__application__state__in=(ApplicationState.IN_REVIEW, ApplicationState.ON_SITE))
    return Case(
        When(declared_at__isnull=True, then=Value("declare")),
        When(team__application__state=ApplicationState.ASSIGNED, then=Value("wait")),
        When(working & Q(confirmed_at__isnull=False), then=Value("done")),
        When(working & Q(team__opinion__isnull=False), then=Value("confirm")),
        When(working, then=Value("review")),
        default=Value("done"),
    )


def expert_memberships(user, *, finished: bool = False):
    """The expert's live review memberships: the open work (the case still with the agency), or
    `finished=True` the rest (handed to the bureau, decided), newest first; each with what is pending on it."""
    members = (
        TeamMember.objects.live()
        .filter(expert=user, team__purpose=TeamPurpose.REVIEW)
        .select_related("team__application__enterprise", "team__opinion")
        .annotate(pending=_pending())
    )
    if finished:
        return members.exclude(team__application__state__in=ApplicationStates.WITH_AGENCY).order_by(
            "-team__application__state_changed_at", "-id"
        )
    return members.filter(team__application__state__in=ApplicationStates.WITH_AGENCY).order_by(
        "due_on", "-id"
    )


def expert_pending_counts(user) -> dict[tuple[str, str], int]:
    """{(pending, the case's state): memberships} over the expert's open work, in one grouped query."""
    members = expert_memberships(user).order_by()
    return {
        (pending, state): n
        for pending, state, n in members.values_list("pending", "team__application__state").annotate(
            n=Count("pk")
        )
    }


def expert_assignments(user, members=None):
    """The expert's open memberships (or the given ones, from expert_memberships) with what is pending on each —
    one query, whatever the number of cases."""
    out = []
    today = timezone.localdate()
    for m in members if members is not None else expert_memberships(user):
        app, pending = m.team.application, m.pending
        out.append(
            {
                "member": m,
                "application": app,
                "pending": pending,
                "overdue": bool(m.due_on and m.due_on < today and pending != "done"),
            }
        )
    return out


def agency_cases(user, *, finished: bool = False):
    """The agency's applications: the open work (assigned, in review, on site), oldest change first, or
    `finished=True` the rest (proposed to the bureau, decided), newest first; each with its live review team
    and members prefetched."""
    apps = (
        visible_applications(user)
        .select_related("enterprise")
        .prefetch_related(
            Prefetch(
                "teams",
                queryset=Team.objects.filter(
                    dissolved_at__isnull=True, purpose=TeamPurpose.REVIEW
                ).prefetch_related(Prefetch("members", queryset=TeamMember.objects.select_related("expert"))),
                to_attr="active_teams",
            )
        )
    )
    if finished:
        return apps.exclude(state__in=ApplicationStates.WITH_AGENCY).order_by("-state_changed_at", "-id")
    # The open work first: the cases still without a team, then those with an overdue stage, then the rest
    # (oldest change first within each).
    return (
        apps.filter(state__in=ApplicationStates.WITH_AGENCY)
        .annotate(
            has_team=Exists(_live_review_teams()),
            is_overdue=ExpressionWrapper(_overdue_q(timezone.localdate()), output_field=BooleanField()),
        )
        # a case with no due dates is NULL here, not False: on PostgreSQL NULLs would sort first when descending
        .order_by("has_team", F("is_overdue").desc(nulls_last=True), "state_changed_at", "id")
    )


def _live_review_teams():
    return Team.objects.filter(
        application=OuterRef("pk"), dissolved_at__isnull=True, purpose=TeamPurpose.REVIEW
    )


def _overdue_q(today: date) -> Q:
    """An open case with a stage past its date (as agency_queue lists them)."""
    return (
        Q(state__in=[ApplicationState.ASSIGNED, ApplicationState.IN_REVIEW], review_due__lt=today)
        | Q(state=ApplicationState.ON_SITE, site_due__lt=today)
        | Q(proposal_due__lt=today)
    )


def agency_open_counts(user) -> dict:
    """The agency's open cases counted in one query: all of them, those without a live review team, those with
    an overdue stage (the agency admin's 待办)."""
    open_apps = visible_applications(user).filter(state__in=ApplicationStates.WITH_AGENCY)
    return open_apps.aggregate(
        total=Count("id"),
        no_team=Count("id", filter=~Exists(_live_review_teams())),
        overdue=Count("id", filter=_overdue_q(timezone.localdate())),
    )


def agency_queue(user, apps=None):
    """The agency's open applications (or the given ones) with their team and overdue stages."""
    today = timezone.localdate()
    out = []
    for app in apps if apps is not None else agency_cases(user):
        overdue = []
        stage_due = {
            ApplicationState.ASSIGNED: ("review_due", _("资料审核")),
            ApplicationState.IN_REVIEW: ("review_due", _("资料审核")),
            ApplicationState.ON_SITE: ("site_due", _("现场查验")),
        }
        if app.state in stage_due:
            attr, label = stage_due[app.state]
            due = getattr(app, attr)
            if due and due < today:
                overdue.append(label)
            if app.proposal_due and app.proposal_due < today:
                overdue.append(_("提交建议"))
        team = app.active_teams[0] if app.active_teams else None
        members = [m for m in team.members.all() if m.removed_at is None] if team else []
        out.append({"application": app, "team": team, "members": members, "overdue": overdue})
    return out


def agency_experts(agency):
    return (
        User.objects.filter(role=Role.EXPERT, agency=agency, is_active=True)
        .select_related("expert_profile")
        .annotate(
            open_cases=Count(
                "team_memberships",
                filter=Q(team_memberships__in=TeamMember.objects.live())
                & Q(
                    team_memberships__team__application__state__in=[
                        ApplicationState.ASSIGNED,
                        ApplicationState.IN_REVIEW,
                        ApplicationState.ON_SITE,
                    ]
                ),
            )
        )
        .order_by("full_name", "username")
    )


def draft_for(user, key) -> dict:
    d = Draft.objects.filter(user=user, key=key).first()
    return d.data if d else {}


def latest_proposal(application, *, pending: bool = False):
    """The case's latest proposal; `pending=True`: the latest one not returned by the bureau (awaiting its
    decision), or None."""
    qs = Proposal.objects.filter(application=application)
    if pending:
        qs = qs.filter(returned_at__isnull=True)
    return qs.order_by("-submitted_at", "-id").first()


def case_record(application) -> dict:
    """Everything the team did on this case, for the bureau's pages and the PDF reports.

    Keys: team (or None), members [{expert, name, role, due_on, declared_at, conflict, conflict_label,
    conflict_text, removed_at, removed_reason, confirmed_at}], verdicts [{evidence_id, file, target,
    authenticity, completeness, compliance (+ _label), comment, by, at}], verifications {code: {value, reason,
    by, at}}, supplements [{codes, message, deadline, requested_by, requested_at, reply, answered_at,
    files [{id, target, name, sha256}]}], inspections [{scheduled_for, place, attendees, summary,
    interviews [{role, role_label, interviewee, record, by, at}], checks [{kind, kind_label, subject, record,
    by, at}], findings [{text, codes, by, at, photos [ids]}], photos [{id, caption, name, sha256, size,
    finding_id, at}]}], opinion {text, level, by, at} or None, proposal (the latest Proposal) or None.
    """
    # The live team, or (after a dissolution or a reassignment) the most recent one.
    team = (
        active_team(application)
        or Team.objects.filter(application=application, purpose=TeamPurpose.REVIEW)
        .order_by("-created_at", "-id")
        .first()
    )
    record = {
        "team": team,
        "members": [],
        "verdicts": [],
        "verifications": {},
        "supplements": [],
        "inspections": [],
        "opinion": None,
        "proposal": latest_proposal(application),
    }
    if team is None:
        return record
    for m in team.members.select_related("expert").order_by("role", "id"):
        record["members"].append(
            {
                "expert": m.expert,
                "name": m.expert.display_name,
                "role": m.role,
                "role_label": m.get_role_display(),
                "due_on": m.due_on,
                "declared_at": m.declared_at,
                "conflict": m.conflict,
                "conflict_label": m.get_conflict_display() if m.conflict else "",
                "conflict_text": m.conflict_text,
                "removed_at": m.removed_at,
                "removed_reason": m.removed_reason,
                "confirmed_at": m.confirmed_at,
            }
        )
    for v in (
        EvidenceVerdict.objects.filter(team=team)
        .select_related("evidence", "by")
        .order_by("evidence__target")
    ):
        record["verdicts"].append(
            {
                "evidence_id": v.evidence_id,
                "file": v.evidence.original_name,
                "target": v.evidence.target,
                "authenticity": v.authenticity,
                "authenticity_label": v.get_authenticity_display(),
                "completeness": v.completeness,
                "completeness_label": v.get_completeness_display(),
                "compliance": v.compliance,
                "compliance_label": v.get_compliance_display(),
                "comment": v.comment,
                "by": v.by.display_name,
                "at": v.at,
            }
        )
    for v in Verification.objects.filter(team=team).select_related("by"):
        record["verifications"][v.code] = {
            "value": v.value,
            "reason": v.reason,
            "by": v.by.display_name,
            "at": v.at,
        }
    for s in (
        team.supplements.select_related("requested_by").prefetch_related("files").order_by("requested_at")
    ):
        record["supplements"].append(
            {
                "id": s.pk,
                "codes": s.codes,
                "message": s.message,
                "deadline": s.deadline,
                "requested_by": s.requested_by.display_name,
                "requested_at": s.requested_at,
                "reply": s.reply,
                "answered_at": s.answered_at,
                "files": [
                    {"id": f.pk, "target": f.target, "name": f.original_name, "sha256": f.sha256}
                    for f in s.files.all()
                ],
            }
        )
    inspections = Inspection.objects.filter(team=team).prefetch_related(
        "interviews__by", "checks__by", "findings__by", "photos"
    )
    for i in inspections:
        record["inspections"].append(
            {
                "id": i.pk,
                "scheduled_for": i.scheduled_for,
                "place": i.place,
                "attendees": i.attendees,
                "summary": i.summary,
                "interviews": [
                    {
                        "role": x.role,
                        "role_label": x.get_role_display(),
                        "interviewee": x.interviewee,
                        "record": x.record,
                        "by": x.by.display_name,
                        "at": x.at,
                    }
                    for x in i.interviews.all()
                ],
                "checks": [
                    {
                        "kind": x.kind,
                        "kind_label": x.get_kind_display(),
                        "subject": x.subject,
                        "record": x.record,
                        "by": x.by.display_name,
                        "at": x.at,
                    }
                    for x in i.checks.all()
                ],
                "findings": [
                    {
                        "id": x.pk,
                        "text": x.text,
                        "codes": x.codes,
                        "by": x.by.display_name,
                        "at": x.at,
                        "photos": [p.pk for p in i.photos.all() if p.finding_id == x.pk],
                    }
                    for x in i.findings.all()
                ],
                "photos": [
                    {
                        "id": p.pk,
                        "caption": p.caption,
                        "name": p.original_name,
                        "sha256": p.sha256,
                        "size": p.size,
                        "finding_id": p.finding_id,
                        "at": p.at,
                    }
                    for p in i.photos.all()
                ],
            }
        )
    opinion = getattr(team, "opinion", None)
    if opinion is not None:
        record["opinion"] = {
            "text": opinion.text,
            "level": opinion.level,
            "by": opinion.by.display_name,
            "at": opinion.at,
        }
    return record


def is_overdue(day: date | None) -> bool:
    return bool(day and day < timezone.localdate())


def declaration_identity(application) -> dict:
    """Who the enterprise is, and nothing else (no answers, scores or files): what an expert must know to
    declare a relation to it — name, credit code, address, legal representative and its recorded 服务商."""
    ent = application.enterprise
    roster = RosterEntry.objects.filter(credit_code=ent.credit_code).first()
    return {
        "name": ent.name,
        "credit_code": ent.credit_code,
        "address": ent.address,
        "legal_representative": ent.legal_representative,
        "service_provider": roster.service_provider_name if roster else "",
        "service_provider_credit_code": roster.service_provider_credit_code if roster else "",
    }
