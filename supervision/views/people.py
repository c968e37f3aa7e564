"""The bureau's account pages: login lockouts (unlock early) and, later, who speaks for an enterprise."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import signin, verification
from accounts.access import get_for, permission_required
from accounts.forms import ClaimDecisionForm


@permission_required("supervision.use_portal")
@require_GET
def lockouts(request):
    return render(request, "supervision/lockouts.html", {"lockouts": signin.current_lockouts()})


@permission_required("supervision.use_portal")
@require_POST
def unlock(request):
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "").strip()
    if kind not in ("username", "ip_address") or not value:
        messages.error(request, _("请选择要解锁的账号或地址。"))
    else:
        signin.unlock(by=request.user, kind=kind, value=value)
        messages.success(request, _("已解除 %s 的登录锁定。") % value)
    return redirect("supervision:lockouts")


# --- Who speaks for an enterprise: the account-verification queue ------------------------------------------


@permission_required("supervision.use_portal")
@require_GET
def verifications(request):
    pending, decided = verification.bureau_queue()
    return render(request, "supervision/verifications.html", {"pending": pending, "decided": decided})


@permission_required("supervision.use_portal")
def verification_detail(request, pk):
    claim = get_for(
        request, verification.visible_claims(request.user), "accounts.decide_access_request", pk=pk
    )
    form = ClaimDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification.decide_claim(
                claim=claim,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason" if "reason" in getattr(error, "error_dict", {}) else None, message)
        else:
            messages.success(request, _("已处理 %s 的核验。") % claim.enterprise.name)
            return redirect("supervision:verifications")
    return render(
        request,
        "supervision/verification.html",
        {"claim": claim, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("supervision.use_portal")
@require_GET
def verification_document(request, pk, field):
    claim = get_for(
        request, verification.visible_claims(request.user), "accounts.decide_access_request", pk=pk
    )
    return verification.serve_document(request, claim=claim, field=field)
