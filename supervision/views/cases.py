"""Intake, commissioning, approval and revocation of applications — each action is one lifecycle transition."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for, permission_required
from assessments.engine import format_points
from assessments.lifecycle import TransitionRefused, available_actions, transition
from assessments.models import PAPER_MATERIALS, Evidence
from assessments.models import ApplicationState as S
from core.confirm import confirm_page, confirmed
from core.pages import keyset_page
from experts.models import InspectionPhoto
from experts.selectors import case_record, latest_proposal

from .. import selectors, services
from ..forms import (
    AcceptForm,
    ApplicationListFilterForm,
    CommissionForm,
    ReasonForm,
    ReassignForm,
    RevokeForm,
)
from ..models import Grade
from ..revocation import BASIS_LABELS
from .common import DASHBOARD_KEYS, bureau_case, export_params, filter_query, refuse_into


def case_page(request, application, *, status=200, **forms):
    version = application.versions.order_by("-number").first()
    proposal = latest_proposal(application, pending=True)
    proposals = list(
        application.proposals.select_related("team__agency", "submitted_by").order_by("-submitted_at", "-id")
    )
    grade = Grade.objects.filter(application=application).first()
    radar = selectors.comparison_radar(proposal.comparison) if proposal else None
    actions = {t.action for t in available_actions(application, request.user)}
    context = {
        "application": application,
        "version": version,
        "proposal": proposal,
        "proposals": proposals,
        "grade": grade,
        "radar": radar,
        "actions": actions,
        "case_record": case_record(application),
        "paper_materials": [
            (label, (application.paper_checklist or {}).get(code)) for code, label in PAPER_MATERIALS
        ],
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "refuse_form": forms.get("refuse_form") or ReasonForm(),
        "correction_form": forms.get("correction_form") or ReasonForm(),
        "commission_form": forms.get("commission_form") or CommissionForm(),
        "reassign_form": forms.get("reassign_form") or ReassignForm(),
        "return_form": forms.get("return_form") or ReasonForm(),
        "trail": selectors.case_trail(application),
        "overdue": selectors.overdue_applications(selectors.bureau_applications().filter(pk=application.pk)),
        "rechecks": selectors.case_rechecks(grade),
    }
    return render(request, "supervision/application.html", context, status=status)


@permission_required("supervision.use_portal")
@require_GET
def application(request, pk):
    return case_page(request, bureau_case(request, pk))


def _do(request, app, action, form_name, form, params_fn, ok_message):
    if form.is_valid():
        try:
            transition(app, action, by=request.user, **params_fn(form))
        except TransitionRefused as exc:
            refuse_into(form, exc)
        else:
            messages.success(request, ok_message)
            return redirect("supervision:application", pk=app.pk)
    return case_page(request, app, status=400, **{form_name: form})


@permission_required("supervision.use_portal")
@require_POST
def accept(request, pk):
    app = bureau_case(request, pk)
    return _do(
        request,
        app,
        "accept",
        "accept_form",
        AcceptForm(request.POST),
        lambda f: {"checklist": f.checklist(), "received_on": f.cleaned_data["received_on"]},
        _("已受理申请%(number)s。") % {"number": app.number},
    )


@permission_required("supervision.use_portal")
@require_POST
def refuse(request, pk):
    app = bureau_case(request, pk)
    return _do(
        request,
        app,
        "refuse",
        "refuse_form",
        ReasonForm(request.POST),
        lambda f: {"reason": f.cleaned_data["reason"]},
        _("已决定不予受理。"),
    )


@permission_required("supervision.use_portal")
@require_POST
def return_for_correction(request, pk):
    app = bureau_case(request, pk)
    return _do(
        request,
        app,
        "return_for_correction",
        "correction_form",
        ReasonForm(request.POST),
        lambda f: {"reason": f.cleaned_data["reason"]},
        _("已退回企业补正。"),
    )


@permission_required("supervision.use_portal")
@require_POST
def commission(request, pk):
    app = bureau_case(request, pk)
    return _do(
        request,
        app,
        "commission",
        "commission_form",
        CommissionForm(request.POST),
        lambda f: f.params(),
        _("已委托评测机构。"),
    )


@permission_required("supervision.use_portal")
@require_POST
def reassign(request, pk):
    app = bureau_case(request, pk)
    return _do(
        request,
        app,
        "reassign",
        "reassign_form",
        ReassignForm(request.POST),
        lambda f: {**f.params(), "reason": f.cleaned_data["reason"]},
        _("已改派评测机构。"),
    )


@permission_required("supervision.use_portal")
@require_POST
def approve(request, pk):
    app = bureau_case(request, pk)
    proposal = latest_proposal(app, pending=True)
    if proposal is not None and not confirmed(request):
        return confirm_page(
            request,
            title=_("审定并公布"),
            summary=[
                f"{app.number} {app.enterprise.name}",
                _("建议等级：%(level)s级，核定得分 %(score)s（%(agency)s）")
                % {
                    "level": proposal.level,
                    "score": format_points(proposal.score),
                    "agency": proposal.team.agency.name,
                },
            ],
            consequences=[
                _("按%(level)s级认定并公布，发放证书编号，公开查验页即时可查；") % {"level": proposal.level},
                _("通知企业和评测机构；之后只能依据《实施细则》第十二条撤销。"),
            ],
            button=_("确认审定并公布"),
            cancel_url=reverse("supervision:application", args=[app.pk]),
        )
    try:
        transition(app, "approve", by=request.user)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
        return case_page(request, app, status=400)
    grade = Grade.objects.get(application=app)
    messages.success(request, _("已审定并公布，证书编号%(number)s。") % {"number": grade.certificate_number})
    return redirect("supervision:application", pk=app.pk)


@permission_required("supervision.use_portal")
@require_POST
def return_to_agency(request, pk):
    app = bureau_case(request, pk)
    return _do(
        request,
        app,
        "return_to_agency",
        "return_form",
        ReasonForm(request.POST),
        lambda f: {"reason": f.cleaned_data["reason"]},
        _("已退回评测机构。"),
    )


@permission_required("supervision.use_portal")
def revoke(request, pk):
    app = bureau_case(request, pk)
    grade = get_for(request, Grade.objects.all(), application=app)
    form = RevokeForm(request.POST or None, initial={"basis": request.GET.get("basis", "")})
    recheck = None
    if request.GET.get("recheck"):
        recheck = grade.rechecks.filter(pk=request.GET["recheck"]).first()
        if recheck and not form.is_bound:
            form.initial.update(basis_text=recheck.notes)
    if request.method == "POST" and grade.is_valid and form.is_valid() and not confirmed(request):
        return confirm_page(
            request,
            title=_("撤销认定结果"),
            summary=[
                f"{app.enterprise.name} · {grade.certificate_number} · "
                + _("%(level)s级") % {"level": grade.level},
                _("撤销原因：%(reason)s") % {"reason": form.cleaned_data["reason"]},
                _("撤销依据：%(basis)s") % {"basis": BASIS_LABELS.get(form.cleaned_data["basis"], "")},
            ],
            consequences=[
                _("证书失效，公开查验页显示已撤销；"),
                _("企业的试点资格同时取消；"),
                _("通知企业和评测机构。"),
            ],
            button=_("确认撤销"),
            cancel_url=reverse("supervision:application", args=[app.pk]),
        )
    if request.method == "POST" and form.is_valid():
        try:
            transition(
                app,
                "revoke",
                by=request.user,
                reason=form.cleaned_data["reason"],
                basis=form.cleaned_data["basis"],
                basis_text=form.cleaned_data["basis_text"],
            )
        except TransitionRefused as exc:
            refuse_into(form, exc)
        else:
            messages.success(request, _("已撤销认定结果%(number)s。") % {"number": grade.certificate_number})
            return redirect("supervision:application", pk=app.pk)
    return render(
        request,
        "supervision/revoke.html",
        {
            "application": app,
            "grade": grade,
            "form": form,
            "recheck": recheck,
            "bases": BASIS_LABELS,
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("supervision.use_portal")
@require_GET
def evidence(request, pk, evidence_id):
    """A file of the submitted version, served to the bureau and written to the audit trail."""
    app = bureau_case(request, pk)
    ids = {int(e["id"]) for v in app.versions.all() for e in (v.evidence or [])}
    files = Evidence.objects.filter(assessment=app.assessment, pk__in=ids)
    item = get_for(request, files, "assessments.view_evidence", pk=evidence_id)
    return services.serve_evidence(evidence=item, application=app, by=request.user)


# ---- queues -------------------------------------------------------------------------------------------------


@permission_required("supervision.use_portal")
@require_GET
def intake(request):
    page = Paginator(selectors.intake_queue(), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/intake.html", {"applications": page, "page": page})


@permission_required("supervision.use_portal")
def commissioning(request):
    """Accepted applications, commissioned one by one or as a batch (all or nothing)."""
    form = CommissionForm(request.POST or None)
    selected = request.POST.getlist("applications") if request.method == "POST" else []
    queue = selectors.commissioning_queue()
    if request.method == "POST" and form.is_valid():
        ids = {int(s) for s in selected if s.isdigit()}
        apps = list(queue.filter(pk__in=ids))
        if not ids:
            form.add_error(None, _("请至少选择一个申请。"))
        elif len(apps) != len(ids):
            form.add_error(None, _("所选申请中有的已不在待委托状态，请刷新后重新选择。"))
        else:
            try:
                with transaction.atomic():
                    for app in apps:
                        try:
                            transition(app, "commission", by=request.user, **form.params())
                        except TransitionRefused as exc:
                            exc.message = f"{app.number}：{exc.message}"
                            raise
            except TransitionRefused as exc:
                refuse_into(form, exc)
            else:
                messages.success(
                    request,
                    _("已将%(n)d个申请委托给%(agency)s。")
                    % {"n": len(apps), "agency": form.cleaned_data["agency"].name},
                )
                return redirect("supervision:commissioning")
    overdue = selectors.bureau_applications().filter(selectors.overdue_filter(timezone.localdate()))
    return render(
        request,
        "supervision/commissioning.html",
        {
            "form": form,
            "queue": Paginator(queue, 50).get_page(request.GET.get("page")),
            "selected": selected,
            "with_agency": Paginator(selectors.with_agency(), 50).get_page(request.GET.get("agency_page")),
            "overdue": selectors.overdue_applications(overdue, limit=selectors.OVERDUE_SHOWN),
            "overdue_count": overdue.count(),
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("supervision.use_portal")
@require_GET
def approvals(request):
    page = Paginator(selectors.approval_queue(), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/approvals.html", {"applications": page, "page": page})


@permission_required("supervision.use_portal")
@require_GET
def applications(request):
    filters = ApplicationListFilterForm(request.GET).filters()
    rows = selectors.application_list(**filters)
    page = keyset_page(
        rows, "state_changed_at", after=request.GET.get("after"), before=request.GET.get("before")
    )
    query = filter_query(request)
    return render(
        request,
        "supervision/applications.html",
        {
            "page": page,
            "state": filters["state"],
            "q": filters["q"],
            "overdue": filters["overdue"],
            "query": query,
            "hidden": [(k, v) for k, v in request.GET.items() if k in DASHBOARD_KEYS],
            "export_params": export_params(request),
            "states": [c for c in S.choices if c[0] != S.DRAFT],
        },
    )


@permission_required("supervision.use_portal")
@require_GET
def grades(request):
    grades = selectors.grades().select_related("superseded_by").order_by("-approved_at", "-id")
    page = Paginator(grades, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/grades.html", {"page": page})


@permission_required("supervision.use_portal")
@require_GET
def photo(request, pk, photo_id):
    """A site-inspection photo of this case (现场照片), served to the bureau and written to the audit trail."""
    app = bureau_case(request, pk)
    item = get_for(request, InspectionPhoto.objects.filter(inspection__team__application=app), pk=photo_id)
    return services.serve_photo(photo=item, application=app, by=request.user)
