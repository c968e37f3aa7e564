"""The bureau's page for API tokens: make one (shown once), see who has which and when it was last used,
revoke one (after a confirm page). Bureau staff only; every make and revoke is in the audit trail."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import permission_required
from core.confirm import confirm_page, confirmed

from . import services
from .forms import TokenForm
from .models import ApiToken


@permission_required("api.manage_tokens")
def tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(**form.cleaned_data, by=request.user)
        # Shown on this response only: the token is not stored anywhere it could be shown again.
        return render(request, "api/token_created.html", {"token": token, "secret": secret})
    listing = ApiToken.objects.select_related("agency", "created_by", "revoked_by")
    return render(
        request, "api/tokens.html", {"form": form, "tokens": listing}, status=400 if form.is_bound else 200
    )


@permission_required("api.manage_tokens")
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.select_related("agency"), pk=pk, revoked_at__isnull=True)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("吊销接口令牌"),
            summary=[f"{token.name} · {token.get_scope_display()} {token.agency or ''} · {token.prefix}…"],
            consequences=[
                _("使用该令牌的系统立即无法再访问数据接口；"),
                _("吊销后不能恢复，需要时另建新令牌。"),
            ],
            button=_("确认吊销"),
            cancel_url=reverse("api_tokens:list"),
        )
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("已吊销接口令牌“%(name)s”。") % {"name": token.name})
    return redirect("api_tokens:list")
