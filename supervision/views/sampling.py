"""Sampling (抽验): draw, see the members and their re-checks, assign the re-checking agencies."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for, permission_required
from accounts.models import Agency
from core.confirm import confirm_page, confirmed

from .. import selectors, services
from ..forms import RecheckAgencyForm, RecheckDecisionForm, SampleForm
from ..models import Recheck, RecheckDecision, RecheckOutcome
from .common import refuse_into


@permission_required("supervision.use_portal")
def samples(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sample = services.draw_sample(
                by=request.user,
                population_filter=form.population_filter(),
                seed=d.get("seed"),
                size=d.get("size"),
                rate=d["rate"] / 100 if d.get("rate") is not None else None,
                stratify_by=d.get("stratify_by") or "",
                note=d.get("note") or "",
            )
        except services.ServiceError as exc:
            refuse_into(form, exc)
        else:
            messages.success(
                request, _("已抽取%(n)d个样本，随机种子%(seed)d。") % {"n": sample.size, "seed": sample.seed}
            )
            return redirect("supervision:sample", pk=sample.pk)
    return render(
        request,
        "supervision/samples.html",
        {"form": form, "samples": selectors.samples()},
        status=400 if form.is_bound else 200,
    )


MEMBERS_PER_PAGE = 50


@permission_required("supervision.use_portal")
@require_GET
def sample(request, pk):
    sample = get_for(request, selectors.samples(), pk=pk)
    # A page of members at a time (a sample of a few hundred was a page of seconds); the summary counts them all.
    page = Paginator(selectors.sample_rechecks(sample), MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    rechecks = list(page.object_list)
    agency_form = RecheckAgencyForm()
    choices = [(a.pk, a.name) for a in agency_form.fields["agency"].queryset]
    summary = selectors.sample_outcome_counts(sample)
    for r in rechecks:
        # The case's page (a grade superseded by the re-check's decision let go of the application).
        r.case_id = r.grade.application_id or (
            r.reissued.application_id if r.reissued_id else r.grade.case.pk
        )
        # The re-checking agencies this row may get (never the one that graded it), chosen in Python once per
        # row: a 200-member sample would otherwise run ~1,000 template lookups for its <option>s.
        original = r.grade.application.agency_id if r.grade.application_id else None
        r.agency_options = [(pk, name, pk == r.agency_id) for pk, name in choices if pk != original]
    f = sample.population_filter or {}
    agencies = Agency.objects.filter(pk__in=f.get("agencies") or []).order_by("name")
    scope = {
        "period": f"{f.get('start') or '—'} ~ {f.get('end') or '—'}",
        "levels": _("、").join(_("%(n)d级") % {"n": n} for n in f.get("levels") or []) or _("全部"),
        "agencies": _("、").join(a.name for a in agencies) or _("全部"),
    }
    return render(
        request,
        "supervision/sample.html",
        {
            "sample": sample,
            "scope": scope,
            "rechecks": rechecks,
            "agency_form": agency_form,
            "summary": [(label, summary.get(value, 0)) for value, label in RecheckOutcome.choices],
            "page": page,
            "REVOKE": RecheckOutcome.REVOKE,
            "export_params": [("sample", sample.pk)],
        },
    )


@permission_required("supervision.use_portal")
@require_POST
def recheck_assign(request, pk):
    recheck = get_for(request, Recheck.objects.select_related("sample"), pk=pk)
    form = RecheckAgencyForm(request.POST)
    if form.is_valid():
        try:
            services.assign_recheck_agency(
                recheck=recheck,
                agency=form.cleaned_data["agency"],
                by=request.user,
                due_on=form.cleaned_data.get("due_on"),
            )
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已委托复核机构。"))
    else:
        messages.error(request, _("请选择复核机构。"))
    return redirect("supervision:sample", pk=recheck.sample_id)


@permission_required("supervision.use_portal")
def recheck_decide(request, pk):
    """The bureau's follow-up on a re-check's outcome: a form, a confirmation with what will happen, the
    service (services.decide_recheck), back to the sample."""
    recheck = get_for(
        request,
        Recheck.objects.select_related("grade__enterprise", "sample", "agency"),
        "supervision.decide_recheck",
        pk=pk,
    )
    form = RecheckDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not confirmed(request):
        d = form.cleaned_data
        return confirm_page(
            request,
            title=_("抽验复核处理决定"),
            summary=[
                f"{recheck.grade.holder_name} · {recheck.grade.certificate_number} · "
                + _("%(level)s级") % {"level": recheck.grade.level},
                _("处理决定：%(decision)s") % {"decision": RecheckDecision(d["decision"]).label},
                _("决定理由：%(reason)s") % {"reason": d["reason"]},
            ],
            consequences=_consequences(recheck, d["decision"]),
            button=_("确认决定"),
            cancel_url=reverse("supervision:sample", args=[recheck.sample_id]),
        )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decide_recheck(
                recheck=recheck,
                by=request.user,
                decision=d["decision"],
                reason=d["reason"],
                basis=d["basis"],
                basis_text=d["basis_text"],
            )
        except services.ServiceError as exc:
            refuse_into(form, exc)
        else:
            messages.success(request, _("已作出处理决定。"))
            return redirect("supervision:sample", pk=recheck.sample_id)
    return render(
        request,
        "supervision/recheck_decide.html",
        {"recheck": recheck, "form": form},
        status=400 if form.is_bound else 200,
    )


def _consequences(recheck, decision) -> list[str]:
    if decision == RecheckDecision.CHANGE:
        return [
            _("原证书%(number)s被替换，公开查验页显示已被替换；")
            % {"number": recheck.grade.certificate_number},
            _("按复核等级（%(level)s级）签发新证书、编新证书编号；") % {"level": recheck.new_level},
            _("通知企业和原评测机构。"),
        ]
    if decision == RecheckDecision.REVOKE:
        return [
            _("证书失效，公开查验页显示已撤销；"),
            _("企业的试点资格同时取消；"),
            _("通知企业和评测机构。"),
        ]
    return [_("认定结果维持不变；"), _("通知企业和原评测机构。")]
