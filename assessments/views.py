"""The enterprise portal's pages. Small views: reads from selectors, writes through services / submission."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for, permission_required
from core.confirm import confirm_page, confirmed
from core.files import serve_private_file

from . import lifecycle, selectors, services, submission
from .forms import EvidenceUploadForm, ReasonForm, SubmitForm
from .models import ApplicationState, ApplicationStates, PaperInstructions, PaperStatus


def _application(request, pk, perm):
    """One application through the access helper: 404 to outsiders, 403 to insiders without `perm`."""
    apps = selectors.visible_applications(request.user).select_related("assessment", "previous")
    return get_for(request, apps, perm, pk=pk)


def _working(request):
    return services.working_assessment(enterprise=request.user.enterprise, by=request.user)


@permission_required("assessments.use_portal")
def home(request):
    enterprise = request.user.enterprise
    assessment = _working(request)
    result = selectors.evaluate(assessment)
    applications = selectors.enterprise_applications(enterprise)
    timelines = selectors.timelines_for(applications)
    rows = [
        {"app": app, "timeline": timelines[app.pk], "actions": lifecycle.available_actions(app, request.user)}
        for app in applications
    ]
    return render(
        request,
        "assessments/home.html",
        {
            "enterprise": enterprise,
            "assessment": assessment,
            "editable": selectors.is_editable(assessment),
            "current_application": selectors.application_of(assessment),
            "panel": selectors.panel(assessment, result),
            "rows": rows,
            "applications": applications,
            "on_roster": selectors.on_roster(enterprise),
            "grade": selectors.valid_grade(enterprise),
            "revoked": selectors.revoked_grade(enterprise),
            "todo": selectors.enterprise_todo(applications),
        },
    )


@permission_required("assessments.use_portal")
def questionnaire(request):
    assessment = _working(request)
    result = selectors.evaluate(assessment)
    context = selectors.questionnaire(assessment, result)
    application = selectors.application_of(assessment)
    returned = application is not None and application.state == ApplicationState.RETURNED
    context.update(
        assessment=assessment,
        editable=selectors.is_editable(assessment),
        application=application,
        return_reason=selectors.return_reason(application) if returned else "",
        panel=selectors.panel(assessment, result),
        max_mb=round(_max_bytes() / 1048576),
    )
    return render(request, "assessments/questionnaire.html", context)


def _max_bytes():
    return settings.EVIDENCE_MAX_BYTES


@require_POST
@permission_required("assessments.use_portal")
def save_field(request):
    """Autosave of one field (htmx). Answers with the field's status, and out-of-band: the revision, the live
    panel, the derived options and tce, and (for a scenario) its card with the progression rule."""
    assessment = _working(request)
    key = request.POST.get("key", "")
    try:
        based_on = int(request.POST.get("revision", ""))
    except ValueError:
        based_on = -1
    error = conflict = None
    changed = False
    merged = ()
    try:
        if based_on < 0:
            raise services.SaveRefused(key, _("页面版本信息缺失，请刷新页面后再填写。"))
        outcome = services.save_field(
            assessment=assessment,
            key=key,
            # Each input is named by its key (radio groups must not share one name); "value" is accepted too.
            values=request.POST.getlist(key) or request.POST.getlist("value"),
            based_on=based_on,
            by=request.user,
        )
        assessment, result, changed, merged = (
            outcome.assessment,
            outcome.result,
            outcome.changed,
            outcome.merged,
        )
    except services.SaveRefused as exc:
        error, conflict = exc.message, exc.conflict
        assessment.refresh_from_db()
        result = selectors.evaluate(assessment)
    context = selectors.questionnaire(assessment, result)
    scenario = None
    code = key.split(".")[0]
    if code in context["edition"].scenario_codes:
        scenario = next(s for s in context["scenarios"] if s.scenario.code == code)
    # A merged save moves the tab's revision past other people's changes: swap their current values in.
    context.update(selectors.merged_fields(context, merged))
    context.update(
        assessment=assessment,
        editable=selectors.is_editable(assessment),
        key=key,
        error=error,
        conflict=conflict,
        changed=changed,
        panel=selectors.panel(assessment, result),
        scenario_card=scenario,
        # A refused save changes nothing the tab knows: it stays on its revision (a stale tab stays stale).
        revision=assessment.revision if error is None else max(based_on, 0),
    )
    # Refusals answer 200 too: htmx swaps 2xx only, and the Chinese message beside the field is the answer.
    return render(request, "assessments/partials/save_response.html", context)


@require_POST
@permission_required("assessments.use_portal")
def evidence_upload(request):
    assessment = _working(request)
    edition = selectors.edition_of(assessment)
    form = EvidenceUploadForm(request.POST, request.FILES, edition=edition)
    target = request.POST.get("target", "")
    error = None
    if form.is_valid():
        try:
            services.upload_evidence(
                assessment=assessment,
                target=form.cleaned_data["target"],
                upload=form.cleaned_data["file"],
                content_type=form.cleaned_data["content_type"],
                by=request.user,
            )
        except services.SaveRefused as exc:
            error = exc.message
    else:
        error = "；".join(m for msgs in form.errors.values() for m in msgs)
    return _evidence_list(request, assessment, target, error)


def _evidence_list(request, assessment, target, error=None):
    files = [ev for ev in selectors.evidence_by_target(assessment).get(target, [])]
    context = {
        "target": target,
        "files": files,
        "error": error,
        "editable": selectors.is_editable(assessment),
    }
    if request.htmx:
        # The count beside 佐证材料 is outside the swapped list: it is swapped out of band.
        return render(request, "assessments/partials/evidence_list.html", context | {"count_oob": True})
    if error:
        messages.error(request, error)
    return redirect(reverse("assessments:questionnaire") + f"#ev-{target.replace('.', '-')}")


@require_POST
@permission_required("assessments.use_portal")
def evidence_remove(request, pk):
    files = selectors.visible_evidence(request.user).filter(removed_at__isnull=True)
    evidence = get_for(request, files, "assessments.remove_evidence", pk=pk)
    error = None
    try:
        services.remove_evidence(evidence=evidence, by=request.user)
    except services.SaveRefused as exc:
        error = exc.message
    return _evidence_list(request, evidence.assessment, evidence.target, error)


@login_required
def evidence_download(request, pk):
    """Every evidence file is served here and only here: who asks is checked, and the download is audited."""
    evidence = get_for(request, selectors.visible_evidence(request.user), "assessments.view_evidence", pk=pk)
    services.record_download(evidence=evidence, by=request.user)
    return serve_private_file(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@require_POST
@permission_required("assessments.use_portal")
def application_start(request):
    assessment = _working(request)
    if selectors.application_of(assessment) is None:
        problems = submission.start_problems(assessment, by=request.user)
        if problems:
            for message in problems:
                messages.error(request, _("暂不能申请评测：%(reason)s") % {"reason": message})
            return redirect("assessments:home")
    app = services.start_application(enterprise=request.user.enterprise, by=request.user)
    return redirect("assessments:application", app.pk)


@login_required
def application(request, pk):
    app = _application(request, pk, "assessments.view_application")
    versions = selectors.versions_of(app)
    is_owner = request.user.is_enterprise
    problems = []
    if is_owner and app.state in ApplicationStates.EDITABLE:
        problems = [m for _f, m in submission.submission_problems(app, pledge=True, by=request.user)]
    latest = versions[-1] if versions else None
    # What to hand in on paper, where and by when (the bureau's instructions), until it is received.
    waiting_for_paper = app.state == ApplicationState.SUBMITTED and app.paper_status != PaperStatus.RECEIVED
    paper = PaperInstructions.current() if is_owner and waiting_for_paper else None
    return render(
        request,
        "assessments/application.html",
        {
            "app": app,
            "versions": versions,
            "latest": latest,
            "timeline": selectors.application_timeline(app),
            "actions": [a.action for a in lifecycle.available_actions(app, request.user)],
            "is_owner": is_owner,
            "problems": problems,
            "submit_form": SubmitForm(),
            "reason_form": ReasonForm(),
            "paper": paper,
            "paper_due": paper.due_for(app) if paper else None,
            "rechecks": selectors.case_rechecks(app) if is_owner else [],
            "result_level_name": selectors.get_edition(latest.edition).level_name(latest.result["level"])
            if latest
            else "",
        },
    )


@permission_required("assessments.use_portal")
@require_GET
def application_paper_sheet(request, pk):
    """The 报送清单 cover sheet the enterprise prints and puts on its paper materials: the application number,
    the bureau's list to tick, where and by when, and a QR code of the case the bureau scans at intake."""
    app = _application(request, pk, "assessments.view_application")
    if not app.number:
        raise Http404  # a draft has no number to hand in under yet
    paper = PaperInstructions.current()
    case_url = request.build_absolute_uri(reverse("supervision:application", args=[app.pk]))
    return render(
        request,
        "assessments/paper_sheet.html",
        {
            "app": app,
            "paper": paper,
            "paper_due": paper.due_for(app),
            "qr": segno.make(case_url, error="m").svg_inline(scale=3, border=1),
        },
    )


@require_POST
@permission_required("assessments.use_portal")
def application_submit(request, pk):
    app = _application(request, pk, "assessments.submit_application")
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        submission.submit(application=app, by=request.user, pledge=form.cleaned_data.get("pledge", False))
    except lifecycle.TransitionRefused as exc:
        messages.error(request, _("未能提交：%(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("评测申请已提交，等待区经信局受理。"))
    return redirect("assessments:application", app.pk)


@require_POST
@permission_required("assessments.use_portal")
def application_withdraw(request, pk):
    app = _application(request, pk, "assessments.withdraw_application")
    form = ReasonForm(request.POST)
    form.is_valid()
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("撤回申请"),
            summary=[
                f"{app.number} · {app.get_state_display()}",
                _("撤回原因：%(reason)s") % {"reason": form.cleaned_data.get("reason") or "—"},
            ],
            consequences=[
                _("申请结束，不再受理或评测，不能恢复；"),
                _("如需评测，须重新提交新的申请；通知区经信局。"),
            ],
            button=_("确认撤回"),
            cancel_url=reverse("assessments:application", args=[app.pk]),
        )
    try:
        submission.withdraw(application=app, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except lifecycle.TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评测申请已撤回。"))
    return redirect("assessments:application", app.pk)


@login_required
def application_diff(request, pk):
    """What changed between two submitted versions (default: the last two), for everyone who may see the case."""
    app = _application(request, pk, "assessments.view_application")
    versions = {v.number: v for v in selectors.versions_of(app)}
    if len(versions) < 2:
        raise Http404
    numbers = sorted(versions)
    try:
        a = int(request.GET.get("a", numbers[-2]))
        b = int(request.GET.get("b", numbers[-1]))
    except ValueError:
        raise Http404 from None
    if a not in versions or b not in versions:
        raise Http404
    diff = selectors.version_diff(versions[a], versions[b])
    return render(
        request, "assessments/diff.html", {"app": app, "diff": diff, "numbers": numbers, "a": a, "b": b}
    )
