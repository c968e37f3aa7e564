"""Sign-in security (等保2.0 二级): login throttling and lockout (django-axes), and every login, failed login,
logout, lockout and unlock in the audit trail.

django-axes counts failures per username and per client address (settings.AXES_*); this module decides what a
locked-out person sees (a Chinese message with the wait), lists the current lockouts for the bureau and
unlocks them.
"""

import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.middleware import client_address

from .session_timeout import SESSION_KEY as IDLE_KEY


def client_ip(request) -> str:
    """The address axes counts failures for: the audit trail's client address, when it is an IP address."""
    for candidate in (client_address(request), request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return ""


def _username(credentials) -> str:
    return str((credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or "")[:150]


# --- What a locked-out person sees ---------------------------------------------------------------------------


def wait_minutes(*, username: str, ip_address: str, now: datetime | None = None) -> int:
    """Whole minutes (at least 1) until the newest failure for this username or address is past the cool-off."""
    now = now or timezone.now()
    latest = (
        AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=ip_address or None))
        .aggregate(latest=Max("attempt_time"))
        .get("latest")
    )
    remaining = settings.AXES_COOLOFF_TIME - (now - latest) if latest else settings.AXES_COOLOFF_TIME
    return max(1, math.ceil(remaining.total_seconds() / 60))


def lockout_message(minutes: int) -> str:
    return _(
        "登录失败次数过多，该账号或您所在的网络地址已被暂时锁定。请在 %(minutes)d 分钟后再试；"
        "如需提前解锁，请联系区经信局。"
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the lockout message and the wait (HTTP 429)."""
    from .forms import LoginForm

    minutes = wait_minutes(username=_username(credentials), ip_address=client_ip(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request, initial={"username": _username(credentials)}),
            "lockout": lockout_message(minutes),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


# --- The audit trail -----------------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())  # the idle clock starts at sign-in
    # A sign-in made in code with no HTTP request behind it (the test client's force_login, a shell) is not a
    # person signing in: every real request carries REMOTE_ADDR.
    if request is None or "REMOTE_ADDR" not in request.META:
        return
    record(actor=user, action="user.login", obj=user, params={"username": user.username})


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "signed_out_reason", "")
    params = {"username": user.username} | ({"reason": reason} if reason else {})
    record(
        actor=user, action="user.logout_idle" if reason == "idle" else "user.logout", obj=user, params=params
    )


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    record(
        actor=None,
        action="user.login_failed",
        params={
            "username": username,
            "failures": getattr(request, "axes_failures_since_start", None),
            "locked": bool(getattr(request, "axes_locked_out", False)),
        },
    )


@receiver(user_locked_out, dispatch_uid="accounts.audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    # axes signals a lockout on every refused attempt while locked; the trail records the moment it began.
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    record(
        actor=None,
        action="user.locked_out",
        params={"username": username or "", "ip_address": ip_address or ""},
    )


# --- The bureau's lockout list and unlock --------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_attempt: datetime


def current_lockouts(now: datetime | None = None) -> list[Lockout]:
    """Usernames and addresses at or over the failure limit within the cool-off, newest first."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    found = []
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        )
        found += [Lockout(kind, row[kind], row["failures"], row["last"]) for row in rows]
    return sorted(found, key=lambda lock: lock.last_attempt, reverse=True)


@transaction.atomic
def unlock(*, by, kind: str, value: str) -> int:
    """The bureau lifts a lockout of a username or an address before its time; audited."""
    if not (by.is_authenticated and by.is_bureau and by.is_active):
        raise PermissionError("only the bureau unlocks")
    if kind not in ("username", "ip_address") or not value:
        raise ValueError(kind)
    removed = reset(username=value) if kind == "username" else reset(ip=value)
    record(
        actor=by,
        action="user.unlocked",
        params={kind: value, "value": value, "attempts": removed},
    )
    return removed
