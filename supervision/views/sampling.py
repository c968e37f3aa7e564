"""Sampling (抽验): draw, see the members and their re-checks, assign the re-checking agencies."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for, permission_required
from accounts.models import Agency

from .. import selectors, services
from ..forms import RecheckAgencyForm, SampleForm
from ..models import Recheck, RecheckOutcome
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


@permission_required("supervision.use_portal")
@require_GET
def sample(request, pk):
    sample = get_for(request, selectors.samples(), pk=pk)
    rechecks = list(selectors.sample_rechecks(sample))
    agency_form = RecheckAgencyForm()
    choices = [(a.pk, a.name) for a in agency_form.fields["agency"].queryset]
    summary = {value: 0 for value, _label in RecheckOutcome.choices}
    for r in rechecks:
        summary[r.outcome] += 1
        # The re-checking agencies this row may get (never the one that graded it), chosen in Python once per
        # row: a 200-member sample would otherwise run ~1,000 template lookups for its <option>s.
        original = r.grade.application.agency_id
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
            "summary": [(label, summary[value]) for value, label in RecheckOutcome.choices],
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
