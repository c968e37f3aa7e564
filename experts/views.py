"""Expert review pages (agency admins and experts) and the enterprise's supplement page."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.access import get_for, permission_required
from accounts.models import Role, User
from assessments.framework import get_edition
from assessments.lifecycle import TRANSITIONS, TransitionRefused, available_actions, transition
from assessments.models import Evidence
from assessments.selectors import edition_of, visible_applications

from . import forms, services
from .models import (
    CheckKind,
    ConflictKind,
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


def _posted(request):
    """The posted data for a form, or None on GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _saved(request, key: str | None):
    """After a successful POST: drop the server draft and tell the browser to drop its copy."""
    if key:
        services.clear_draft(user=request.user, key=key)
        request.session["drafts_cleared"] = [*request.session.get("drafts_cleared", []), key]


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
    return forms.area_choices(get_edition())


@permission_required("experts.use_portal")
def profile(request, user_pk):
    user = request.user
    # The agency's experts for its admin; an expert only themself.
    experts = User.objects.filter(role=Role.EXPERT, agency_id=user.agency_id)
    if user.role == Role.EXPERT:
        experts = experts.filter(pk=user.pk)
    expert = get_for(request, experts, pk=user_pk)
    current = getattr(expert, "expert_profile", None)
    form = forms.ProfileForm(_posted(request), edition=get_edition())
    if request.method == "POST" and form.is_valid():
        services.save_profile(expert=expert, by=user, **form.cleaned_data)
        messages.success(request, _("专家档案已保存。"))
        return redirect("experts:experts" if user.role == Role.AGENCY_ADMIN else "experts:home")
    return render(
        request,
        "experts/profile.html",
        {"expert": expert, "profile": current, "areas": _area_choices(), "errors": form.errors_for()},
        status=400 if form.is_bound else 200,
    )


@permission_required("experts.manage_agency")
def team(request, pk):
    case = get_case(request.user, pk, "experts.view_case")
    app = case.application
    experts = list(agency_experts(request.user.agency))
    members = [m for m in case.team.members.select_related("expert").all()] if case.team else []
    form = forms.TeamForm(_posted(request), experts=agency_experts(request.user.agency))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.form_team(
                application=app,
                by=request.user,
                lead=d["lead"],
                members=list(d["members"]),
                due_on=d["due_on"],
            )
        except ReviewError as exc:
            form.refuse(exc)
        else:
            messages.success(request, _("专家团队已保存。"))
            return redirect("experts:case", pk=pk)
    errors = form.errors_for()
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
    form = forms.DeclarationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.declare(
                member=member,
                by=request.user,
                kind=form.cleaned_data["conflict"],
                text=form.cleaned_data["conflict_text"],
            )
        except ReviewError as exc:
            form.refuse(exc)
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
            "errors": form.errors_for(),
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
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    try:
        transition(case.application, action, by=request.user, reason=form.cleaned_data.get("reason", ""))
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
    key = f"case:{pk}:verify:{code}"
    posted = request.POST if request.method == "POST" else None
    form = forms.VerificationForm(posted, row=row, edition=wb["edition"])
    if posted is not None and form.is_valid():
        try:
            services.save_verification(
                case=case,
                code=code,
                by=request.user,
                value=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except ReviewError as exc:
            form.refuse(exc)
        else:
            _saved(request, key)
            messages.success(request, _("%(c)s 已核定。") % {"c": code})
            nxt = rows[rows.index(row) + 1]["code"] if rows.index(row) + 1 < len(rows) else None
            if nxt and request.POST.get("next"):
                return redirect("experts:review_target", pk=pk, code=nxt)
            return redirect("experts:review_target", pk=pk, code=code)
    errors = form.errors_for()
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
            "codes": forms.code_choices(wb["edition"]),
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
    form = forms.VerdictForm(request.POST)
    try:
        if not form.is_valid():
            raise ReviewError(next(iter(form.errors_for().values())))
        services.save_verdict(case=case, evidence=evidence, by=request.user, **form.cleaned_data)
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
    key = f"case:{pk}:supplement"
    form = forms.SupplementForm(_posted(request), edition=ed)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_supplement(case=case, by=request.user, **form.cleaned_data)
        except ReviewError as exc:
            form.refuse(exc)
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
            "codes": forms.code_choices(ed),
            "errors": form.errors_for(),
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
    names = dict(forms.code_choices(ed))
    form = forms.SupplementReplyForm(_posted(request), request.FILES or None, request_codes=req.codes)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_supplement(
                request=req, by=request.user, reply=form.cleaned_data["reply"], files=form.uploads()
            )
        except ReviewError as exc:
            form.refuse(exc)
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
            "errors": form.errors_for(),
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
        if form not in forms.INSPECTION_FORMS:
            raise Http404
        bound = _inspection_form(request, form, ed, current)
        if bound is None:
            errors[f"{form}.__all__"] = _("请先安排现场查验。")
        elif bound.is_valid():
            try:
                _inspection_save(case, current, form, by=request.user, data=bound.cleaned_data)
            except ReviewError as exc:
                bound.refuse(exc)
            else:
                _saved(request, key)
                messages.success(request, _("已保存。"))
                return redirect(reverse("experts:inspection", args=[pk]) + f"#{form}")
        if bound is not None:
            errors = bound.errors_for(f"{form}.")
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
            "codes": forms.code_choices(ed),
            "roles": IntervieweeRole.choices,
            "check_kinds": CheckKind.choices,
            "on_site": case.application.state == "on_site",
        },
    )


def _inspection_form(request, name, edition, current):
    """The bound form of one part of the inspection page; None while nothing is scheduled (only the schedule
    can be posted then)."""
    cls = forms.INSPECTION_FORMS[name]
    if name == "schedule":
        return cls(request.POST)
    if current is None:
        return None
    if name == "finding":
        return cls(request.POST, edition=edition)
    if name == "photo":
        return cls(request.POST, request.FILES, inspection=current)
    return cls(request.POST)


def _inspection_save(case, current, name, *, by, data):
    if name == "schedule":
        services.schedule_inspection(case=case, by=by, inspection=current, **data)
    elif name == "interview":
        services.add_interview(
            case=case,
            inspection=current,
            by=by,
            role=data["role"],
            interviewee=data["interviewee"],
            record_text=data["record"],
        )
    elif name == "check":
        services.add_check(
            case=case,
            inspection=current,
            by=by,
            kind=data["kind"],
            subject=data["subject"],
            record_text=data["record"],
        )
    elif name == "finding":
        services.add_finding(case=case, inspection=current, by=by, **data)
    elif name == "photo":
        services.add_photo(
            case=case,
            inspection=current,
            by=by,
            upload=data["photo"],
            caption=data["caption"],
            finding=data["finding"],
        )
    else:
        services.save_inspection_summary(case=case, inspection=current, by=by, **data)


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
        which = request.POST.get("form")
        form = (
            forms.OpinionForm(request.POST, edition=edition)
            if which == "opinion"
            else forms.ExpertForm(request.POST)
        )
        if form.is_valid():
            try:
                if which == "opinion":
                    services.save_opinion(case=case, by=request.user, **form.cleaned_data)
                    _saved(request, key)
                    messages.success(request, _("综合评测意见已保存，请团队成员确认。"))
                elif which == "confirm":
                    services.confirm(case=case, by=request.user)
                    messages.success(request, _("您已确认评测建议。"))
            except ReviewError as exc:
                form.refuse(exc)
            else:
                return redirect("experts:compare", pk=pk)
        errors = form.errors_for()
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
