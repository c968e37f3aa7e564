"""Who is calling, and how often: a bearer token per organisation, and a request budget per token.

`Authorization: Bearer syapi_…` — nothing else authenticates the API (a signed-in browser session does not:
the pages are for people, the API for systems). The budget is `API_RATE_LIMIT` requests per period per token
(``120/m``), counted in Django's cache: with several web processes, point `CACHE_URL` at Redis so that they
share one count."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from .services import token_for

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ApiAuthError(AuthenticationError):
    def __init__(self, code: str, message: str):
        super().__init__(status_code=401, message=message)
        self.code = code


class TokenAuth(HttpBearer):
    def __call__(self, request):
        token = super().__call__(request)
        if token is None:
            raise ApiAuthError("token_required", _("需要有效的访问令牌（Authorization: Bearer …）。"))
        return token

    def authenticate(self, request, token):
        found = token_for(token)
        if found is None:
            raise ApiAuthError("token_invalid", _("访问令牌无效。"))
        if not found.is_active:
            raise ApiAuthError("token_revoked", _("访问令牌已被吊销。"))
        return found


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/m"`` → (120, 60): so many requests per period (s, m, h, d)."""
    count, _sep, period = rate.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in PERIODS:
        raise ValueError(f"API_RATE_LIMIT={rate!r}: expected N/s, N/m, N/h or N/d with N ≥ 1")
    return int(count), PERIODS[period]


class TokenRateThrottle(BaseThrottle):
    """A fixed window per token, counted with the cache's atomic increment (one shared count on Redis)."""

    def allow_request(self, request) -> bool:
        allowed, seconds = parse_rate(settings.API_RATE_LIMIT)
        window = int(time.time() // seconds)
        # The hash, not the row id: ids come back after a test database is emptied, hashes never do.
        key = f"api-rate:{request.auth.key_hash[:24]}:{seconds}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # the window's key expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        return used <= allowed

    def wait(self) -> float:
        _allowed, seconds = parse_rate(settings.API_RATE_LIMIT)
        return seconds - time.time() % seconds
