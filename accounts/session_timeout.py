"""Idle timeout (等保2.0 二级): a session with no request for SESSION_IDLE_TIMEOUT seconds is signed out."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "last_activity"
# The time of the last request is written at most this often (seconds), not on every request.
TOUCH_EVERY = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                request.signed_out_reason = "idle"
                logout(request)
                messages.info(request, _("您已长时间未操作，为保障账号安全已自动退出，请重新登录。"))
                if getattr(request, "htmx", False):
                    return HttpResponse(status=204, headers={"HX-Redirect": reverse("accounts:login")})
            elif last is None or now - int(last) >= TOUCH_EVERY:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
