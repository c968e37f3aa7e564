"""Expert review pages (agency admins and experts) and the enterprise's supplement page."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.access import get_for, permission_required
from accounts.models import Role, User
from assessments.framework import get_edition
from assessments.lifecycle import TRANSITIONS, TransitionRefused, available_actions, transition
from assessments.models import Evidence
from assessments.selectors import edition_of, visible_applications

from . import services
from .models import (
    CheckKind,
    ConflictKind,
    Finding,
    InspectionPhoto,
    IntervieweeRole,
    SupplementRequest,
    VerdictChoice,
)
from .rules import TEAM_EDITABLE_STATES, get_case
from .selectors import (
    agency_experts,
    agency_queue,
    case_record,
    comparison,
    declaration_identity,
    draft_for,
    expert_assignments,
    grade_verified,
    progress,
    workbench,
)
from .services import ReviewError

REVIEW_ACTIONS = ("start_review", "start_site_visit", "propose")


def _declared_case(request, pk):
    """The case for a page that shows enterprise data: undeclared members are sent to the declaration."""
    case = get_case(request.user, pk)
    if not request.user.has_perm("experts.view_case", case.application):
        if request.user.has_perm("experts.declare_conflict", case.application):
            return case, redirect("experts:declare", pk=pk)
        raise PermissionDenied
    return case, None


def _can(request, case) -> dict:
    """What the page may offer this user on this case (named permissions, shunyi_eval/permissions.py)."""
    user, app = request.user, case.application
    return {
        "work": user.has_perm("experts.work_on_case", app),
        "lead": user.has_perm("experts.lead_team", app),
    }


def _saved(request, key: str | None):
    """After a successful POST: drop the server draft and tell the browser to drop its copy."""
    if key:
        services.clear_draft(user=request.user, key=key)
        request.session["drafts_cleared"] = [*request.session.get("drafts_cleared", []), key]


def _codes(edition):
    return [(i.code, f"{i.code} {i.name}") for i in edition.items] + [
        (s.code, f"{s.code} {s.name}") for s in edition.scenarios
    ]


# --- home, experts, teams -------------------------------------------------------------------------------


@permission_required("experts.use_portal")
def home(request):
    user = request.user
    if user.role == Role.AGENCY_ADMIN:
        return render(
            request, "experts/home_agency.html", {"queue": agency_queue(user), "today": timezone.localdate()}
        )
    return render(request, "experts/home_expert.html", {"assignments": expert_assignments(user)})


@permission_required("experts.manage_agency")
def experts_list(request):
    return render(
        request,
        "experts/experts.html",
        {"experts": agency_experts(request.user.agency), "areas": _area_choices()},
    )


def _area_choices():
    ed = get_edition()
    return [(d.code, d.name) for d in ed.dimensions] + [(g.code, g.name) for g in ed.scenario_groups]


@permission_required("experts.use_portal")
def profile(request, user_pk):
    user = request.user
    # The agency's experts for its admin; an expert only themself.
    experts = User.objects.filter(role=Role.EXPERT, agency_id=user.agency_id)
    if user.role == Role.EXPERT:
        experts = experts.filter(pk=user.pk)
    expert = get_for(request, experts, pk=user_pk)
    current = getattr(expert, "expert_profile", None)
    errors = {}
    choices = _area_choices()
    if request.method == "POST":
        areas = [a for a in request.POST.getlist("areas") if a in dict(choices)]
        services.save_profile(
            expert=expert,
            by=user,
            title=request.POST.get("title", "").strip()[:50],
            areas=areas,
            note=request.POST.get("note", "").strip()[:200],
        )
        messages.success(request, _("专家档案已保存。"))
        return redirect("experts:experts" if user.role == Role.AGENCY_ADMIN else "experts:home")
    return render(
        request,
        "experts/profile.html",
        {"expert": expert, "profile": current, "areas": choices, "errors": errors},
    )


@permission_required("experts.manage_agency")
def team(request, pk):
    case = get_case(request.user, pk, "experts.view_case")
    app = case.application
    experts = list(agency_experts(request.user.agency))
    errors = {}
    members = [m for m in case.team.members.select_related("expert").all()] if case.team else []
    if request.method == "POST":
        by_pk = {e.pk: e for e in experts}
        try:
            lead = by_pk.get(int(request.POST.get("lead") or 0))
            chosen = [by_pk[int(x)] for x in request.POST.getlist("members") if int(x) in by_pk]
        except ValueError:
            lead, chosen = None, []
        due = parse_date(request.POST.get("due_on") or "")
        try:
            services.form_team(application=app, by=request.user, lead=lead, members=chosen, due_on=due)
        except ReviewError as exc:
            errors[exc.field or "__all__"] = exc.message
        else:
            messages.success(request, _("专家团队已保存。"))
            return redirect("experts:case", pk=pk)
    active = {m.expert_id: m for m in members if m.removed_at is None}
    lead_id = next((m.expert_id for m in active.values() if m.role == "lead"), None)
    return render(
        request,
        "experts/team.html",
        {
            "case": case,
            "application": app,
            "experts": experts,
            "members": members,
            "active": active,
            "lead_id": lead_id,
            "errors": errors,
            "editable": app.state in TEAM_EDITABLE_STATES,
            "due_on": next((m.due_on for m in active.values() if m.due_on), app.proposal_due),
        },
    )


# --- the case -------------------------------------------------------------------------------------------


@permission_required("experts.use_portal")
def case(request, pk):
    case, go = _declared_case(request, pk)
    if go:
        return go
    app = case.application
    actions = [t for t in available_actions(app, request.user) if t.action in REVIEW_ACTIONS]
    ctx = {
        "case": case,
        "application": app,
        "actions": actions,
        "record": case_record(app),
        "can": _can(request, case),
    }
    if case.team is not None and app.latest_version is not None:
        ctx["progress"] = progress(app, case.team)
    return render(request, "experts/case.html", ctx)


@permission_required("experts.use_workbench")
def declare(request, pk):
    case = get_case(request.user, pk, "experts.declare_conflict")
    member = case.member
    errors = {}
    if request.method == "POST":
        try:
            services.declare(
                member=member,
                by=request.user,
                kind=request.POST.get("conflict", ""),
                text=request.POST.get("conflict_text", ""),
            )
        except ReviewError as exc:
            errors[exc.field or "__all__"] = exc.message
        else:
            member.refresh_from_db()
            if member.removed_at is not None:
                messages.warning(request, _("您已申报利益冲突，已退出该评测团队。"))
                return redirect("experts:home")
            messages.success(request, _("已声明无利益冲突。"))
            return redirect("experts:case", pk=pk)
    # Who the enterprise is (to declare a relation to it) and nothing else: no answers, scores or files.
    return render(
        request,
        "experts/declare.html",
        {
            "number": case.application.number,
            "identity": declaration_identity(case.application),
            "member": member,
            "kinds": ConflictKind.choices,
            "errors": errors,
            "posted": request.POST,
        },
    )


@permission_required("experts.use_portal")
@require_POST
def act(request, pk, action):
    case, go = _declared_case(request, pk)
    if go:
        return go
    if action not in REVIEW_ACTIONS:
        raise Http404
    try:
        transition(case.application, action, by=request.user, reason=request.POST.get("reason", ""))
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(l)s。") % {"l": _(TRANSITIONS[action].label)})
    return redirect("experts:case", pk=pk)


# --- document review workbench --------------------------------------------------------------------------


def _workbench_case(request, pk):
    case, go = _declared_case(request, pk)
    if go:
        return case, go
    if case.team is None:
        raise Http404
    return case, None


@permission_required("experts.use_workbench")
def review(request, pk):
    case, go = _workbench_case(request, pk)
    if go:
        return go
    wb = workbench(case.application, case.team)
    return render(
        request,
        "experts/review.html",
        {"case": case, "application": case.application, "can": _can(request, case), **wb},
    )


@permission_required("experts.use_workbench")
def review_target(request, pk, code):
    case, go = _workbench_case(request, pk)
    if go:
        return go
    wb = workbench(case.application, case.team)
    rows = wb["rows"]
    row = next((r for r in rows if r["code"] == code), None)
    if row is None:
        raise Http404
    errors = {}
    posted = None
    key = f"case:{pk}:verify:{code}"
    if request.method == "POST":
        posted = request.POST
        if row["kind"] == "item":
            try:
                value = services.parse_item_value(row["item"], request.POST.getlist("value"))
            except ReviewError as exc:
                errors[exc.field] = exc.message
                value = None
        else:
            met = request.POST.getlist("met")
            value = [
                str(i) in met for i in edition_of(case.application.latest_version).scenario_level_numbers
            ]
        if not errors:
            try:
                services.save_verification(
                    case=case, code=code, by=request.user, value=value, reason=request.POST.get("reason", "")
                )
            except ReviewError as exc:
                errors[exc.field or "__all__"] = exc.message
            else:
                _saved(request, key)
                messages.success(request, _("%(c)s 已核定。") % {"c": code})
                nxt = rows[rows.index(row) + 1]["code"] if rows.index(row) + 1 < len(rows) else None
                if nxt and request.POST.get("next"):
                    return redirect("experts:review_target", pk=pk, code=nxt)
                return redirect("experts:review_target", pk=pk, code=code)
    index = rows.index(row)
    return render(
        request,
        "experts/review_target.html",
        {
            "case": case,
            "can": _can(request, case),
            "application": case.application,
            "row": row,
            "progress": wb["progress"],
            "prev": rows[index - 1]["code"] if index else None,
            "next": rows[index + 1]["code"] if index + 1 < len(rows) else None,
            "errors": errors,
            "posted": posted,
            "draft": draft_for(request.user, key),
            "draft_key": key,
            "verdict_choices": VerdictChoice.choices,
            "codes": _codes(wb["edition"]),
            "posted_values": request.POST.getlist("value") if posted else None,
            "posted_met": request.POST.getlist("met") if posted else None,
        },
    )


@permission_required("experts.use_workbench")
@require_POST
def verdict(request, pk, evidence_pk):
    case, go = _workbench_case(request, pk)
    if go:
        return go
    evidence = get_for(
        request, Evidence.objects.filter(assessment_id=case.application.assessment_id), pk=evidence_pk
    )
    try:
        services.save_verdict(
            case=case,
            evidence=evidence,
            by=request.user,
            authenticity=request.POST.get("authenticity", ""),
            completeness=request.POST.get("completeness", ""),
            compliance=request.POST.get("compliance", ""),
            comment=request.POST.get("comment", ""),
        )
    except ReviewError as exc:
        messages.error(request, f"{evidence.original_name}：{exc.message}")
    else:
        messages.success(request, _("已保存“%(f)s”的审核结论。") % {"f": evidence.original_name})
    code = evidence.target.split(".")[0]
    return redirect(reverse("experts:review_target", args=[pk, code]) + f"#file-{evidence.pk}")


@xframe_options_sameorigin
@permission_required("experts.use_portal")
def evidence_file(request, pk, evidence_pk):
    """An evidence file of the review, for a cleared member (the agency admin, who does not declare, 403)."""
    case = get_case(request.user, pk, "experts.open_review_files")
    files = Evidence.objects.filter(assessment_id=case.application.assessment_id).select_related("assessment")
    evidence = get_for(request, files, "experts.view_review_file", pk=evidence_pk)
    return services.serve_evidence(evidence=evidence, application=case.application, by=request.user)


# --- supplementary material -----------------------------------------------------------------------------


@permission_required("experts.use_workbench")
def supplements(request, pk):
    case, go = _workbench_case(request, pk)
    if go:
        return go
    ed = edition_of(case.application.latest_version)
    errors = {}
    key = f"case:{pk}:supplement"
    if request.method == "POST":
        try:
            services.request_supplement(
                case=case,
                by=request.user,
                codes=request.POST.getlist("codes"),
                message=request.POST.get("message", ""),
                deadline=parse_date(request.POST.get("deadline") or ""),
            )
        except ReviewError as exc:
            errors[exc.field or "__all__"] = exc.message
        else:
            _saved(request, key)
            messages.success(request, _("补充材料要求已发送给企业。"))
            return redirect("experts:supplements", pk=pk)
    requests = case.team.supplements.select_related("requested_by", "answered_by").prefetch_related("files")
    return render(
        request,
        "experts/supplements.html",
        {
            "case": case,
            "can": _can(request, case),
            "application": case.application,
            "requests": requests,
            "codes": _codes(ed),
            "errors": errors,
            "posted": request.POST if request.method == "POST" else None,
            "draft": draft_for(request.user, key),
            "draft_key": key,
            "default_deadline": timezone.localdate() + dt.timedelta(days=7),
        },
    )


@permission_required("assessments.use_portal")
def enterprise_supplements(request):
    """The enterprise's requests for supplementary material (补充材料), open ones first."""
    requests = (
        SupplementRequest.objects.filter(application__enterprise_id=request.user.enterprise_id)
        .select_related("application")
        .order_by("answered_at", "deadline", "-id")
    )
    return render(
        request, "experts/enterprise_supplements.html", {"requests": requests, "today": timezone.localdate()}
    )


@permission_required("assessments.use_portal")
def supplement_reply(request, pk):
    requests = SupplementRequest.objects.filter(
        application__in=visible_applications(request.user).values("pk")
    )
    req = get_for(
        request,
        requests.select_related("application", "requested_by").prefetch_related("files"),
        pk=pk,
    )
    ed = edition_of(req.application.latest_version)
    names = dict(_codes(ed))
    errors = {}
    if request.method == "POST":
        files = []
        for code in req.codes:
            for upload in request.FILES.getlist(f"files_{code}"):
                files.append((code, upload))
        try:
            services.answer_supplement(
                request=req, by=request.user, reply=request.POST.get("reply", ""), files=files
            )
        except ReviewError as exc:
            errors[exc.field or "__all__"] = exc.message
        else:
            messages.success(request, _("补充材料已提交给评测专家。"))
            return redirect("experts:supplement_reply", pk=pk)
    return render(
        request,
        "experts/supplement_reply.html",
        {
            "req": req,
            "application": req.application,
            "targets": [(c, names.get(c, c)) for c in req.codes],
            "errors": errors,
        },
    )


# --- site inspection ------------------------------------------------------------------------------------


@permission_required("experts.use_workbench")
def inspection(request, pk):
    case, go = _workbench_case(request, pk)
    if go:
        return go
    ed = edition_of(case.application.latest_version)
    inspections = list(
        case.team.inspections.prefetch_related("interviews__by", "checks__by", "findings__by", "photos")
    )
    current = inspections[-1] if inspections else None
    errors = {}
    form = request.POST.get("form") if request.method == "POST" else None
    key = f"case:{pk}:inspection:{form}" if form else None
    if request.method == "POST":
        try:
            _inspection_post(request, case, current, form)
        except ReviewError as exc:
            errors[f"{form}.{exc.field}" if exc.field else f"{form}.__all__"] = exc.message
        else:
            _saved(request, key)
            messages.success(request, _("已保存。"))
            return redirect(reverse("experts:inspection", args=[pk]) + (f"#{form}" if form else ""))
    drafts = {
        name: draft_for(request.user, f"case:{pk}:inspection:{name}")
        for name in ("schedule", "interview", "check", "finding", "summary")
    }
    if form == "schedule":
        schedule = {k: request.POST.get(k, "") for k in ("scheduled_for", "place", "attendees")}
    elif current is not None:
        schedule = {
            "scheduled_for": timezone.localtime(current.scheduled_for).strftime("%Y-%m-%dT%H:%M"),
            "place": current.place,
            "attendees": current.attendees,
        }
    else:
        schedule = {k: drafts["schedule"].get(k, "") for k in ("scheduled_for", "place", "attendees")}
    return render(
        request,
        "experts/inspection.html",
        {
            "schedule": schedule,
            "case": case,
            "can": _can(request, case),
            "application": case.application,
            "inspection": current,
            "inspections": inspections,
            "errors": errors,
            "posted": request.POST if request.method == "POST" else {},
            "form": form,
            "drafts": drafts,
            "codes": _codes(ed),
            "roles": IntervieweeRole.choices,
            "check_kinds": CheckKind.choices,
            "on_site": case.application.state == "on_site",
        },
    )


def _inspection_post(request, case, current, form):
    p, by = request.POST, request.user
    if form == "schedule":
        when = parse_datetime(p.get("scheduled_for") or "")
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        services.schedule_inspection(
            case=case,
            by=by,
            scheduled_for=when,
            place=p.get("place", ""),
            attendees=p.get("attendees", ""),
            inspection=current,
        )
        return
    if current is None:
        raise ReviewError(_("请先安排现场查验。"))
    if form == "interview":
        services.add_interview(
            case=case,
            inspection=current,
            by=by,
            role=p.get("role", ""),
            interviewee=p.get("interviewee", ""),
            record_text=p.get("record", ""),
        )
    elif form == "check":
        services.add_check(
            case=case,
            inspection=current,
            by=by,
            kind=p.get("kind", ""),
            subject=p.get("subject", ""),
            record_text=p.get("record", ""),
        )
    elif form == "finding":
        services.add_finding(
            case=case, inspection=current, by=by, text=p.get("text", ""), codes=p.getlist("codes")
        )
    elif form == "photo":
        finding = None
        if p.get("finding"):
            finding = Finding.objects.filter(pk=p.get("finding"), inspection=current).first()
        services.add_photo(
            case=case,
            inspection=current,
            by=by,
            upload=request.FILES.get("photo"),
            caption=p.get("caption", ""),
            finding=finding,
        )
    elif form == "summary":
        services.save_inspection_summary(case=case, inspection=current, by=by, summary=p.get("summary", ""))
    else:
        raise Http404


@permission_required("experts.use_portal")
def photo_file(request, pk, photo_pk):
    """A site-inspection photo: the same rule as evidence (a cleared member; the agency admin 403)."""
    case = get_case(request.user, pk, "experts.open_review_files")
    photos = InspectionPhoto.objects.filter(inspection__team__application=case.application).select_related(
        "inspection__team"
    )
    photo = get_for(request, photos, "experts.view_review_file", pk=photo_pk)
    return services.serve_photo(photo=photo, application=case.application, by=request.user)


# --- verified assessment and proposal -------------------------------------------------------------------


@permission_required("experts.use_portal")
def compare(request, pk):
    case, go = _declared_case(request, pk)
    if go:
        return go
    app = case.application
    if case.team is None or app.latest_version is None:
        raise Http404
    verifications = list(case.team.verifications.all())
    verified = grade_verified(app.latest_version, verifications)
    cmp = comparison(app.latest_version, verifications, verified)
    edition = edition_of(app.latest_version)
    errors = {}
    key = f"case:{pk}:opinion"
    if request.method == "POST" and case.member is not None:
        try:
            if request.POST.get("form") == "opinion":
                try:
                    level = int(request.POST.get("level", ""))
                except ValueError:
                    raise ReviewError(_("请选择建议等级。"), field="level") from None
                services.save_opinion(
                    case=case, by=request.user, text=request.POST.get("text", ""), level=level
                )
                _saved(request, key)
                messages.success(request, _("综合评测意见已保存，请团队成员确认。"))
            elif request.POST.get("form") == "confirm":
                services.confirm(case=case, by=request.user)
                messages.success(request, _("您已确认评测建议。"))
        except ReviewError as exc:
            errors[exc.field or "__all__"] = exc.message
        else:
            return redirect("experts:compare", pk=pk)
    opinion = getattr(case.team, "opinion", None) if hasattr(case.team, "opinion") else None
    members = case.team.members.live().select_related("expert")
    actions = [t for t in available_actions(app, request.user) if t.action == "propose"]
    missing = progress(app, case.team)["codes_left"]
    return render(
        request,
        "experts/compare.html",
        {
            "case": case,
            "can": _can(request, case),
            "application": app,
            "cmp": cmp,
            "dimension_names": {d.code: d.name for d in edition.dimensions},
            "verified": verified,
            "opinion": opinion,
            "members": members,
            "errors": errors,
            "posted": request.POST if request.method == "POST" else None,
            "draft": draft_for(request.user, key),
            "draft_key": key,
            "actions": actions,
            "missing": missing,
            "levels": edition.level_choices(),
        },
    )


# --- drafts ---------------------------------------------------------------------------------------------


@permission_required("experts.use_portal")
@require_POST
def draft(request):
    key = (request.POST.get("draft_key") or "").strip()
    if not key.startswith("case:"):
        return HttpResponse(status=400)
    data = {k: v for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "draft_key")}
    data = {k: (v[0] if len(v) == 1 else v) for k, v in data.items()}
    services.save_draft(user=request.user, key=key, data=data)
    return HttpResponse(_("草稿已自动保存 %(t)s") % {"t": timezone.localtime().strftime("%H:%M:%S")})
