"""The bureau's account pages: login lockouts (unlock early) and, later, who speaks for an enterprise."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import signin
from accounts.access import role_required

from .common import BUREAU


@role_required(BUREAU)
@require_GET
def lockouts(request):
    return render(request, "supervision/lockouts.html", {"lockouts": signin.current_lockouts()})


@role_required(BUREAU)
@require_POST
def unlock(request):
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "").strip()
    if kind not in ("username", "ip_address") or not value:
        messages.error(request, _("请选择要解锁的账号或地址。"))
    else:
        signin.unlock(by=request.user, kind=kind, value=value)
        messages.success(request, _("已解除 %s 的登录锁定。") % value)
    return redirect("supervision:lockouts")
