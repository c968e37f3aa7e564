"""Remembers from where a request came for the duration of the request, for the audit trail.

The client address is REMOTE_ADDR, unless the request came through a proxy named in `settings.TRUSTED_PROXIES`
(addresses or networks): then X-Forwarded-For is read from the right, skipping trusted proxies, and the first
address that is not one is the client. Every value is checked to be an IP address; a header that is garbled,
forged or absurdly long is never trusted and never an error — the nearest address known to be real is kept.
"""

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

current_client_address: ContextVar[str] = ContextVar("current_client_address", default="")

MAX_HEADER = 2000  # characters of X-Forwarded-For read at most
MAX_HOPS = 20


def _ip(value: str):
    value = (value or "").strip()
    if not value or len(value) > 45:
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    networks = []
    for entry in proxies:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _trusted(ip) -> bool:
    return any(ip in net for net in _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())))


def client_address(request) -> str:
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    if _trusted(remote):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))[:MAX_HEADER]
        hops = [h for h in forwarded.split(",") if h.strip()][-MAX_HOPS:]
        for hop in reversed(hops):
            ip = _ip(hop)
            if ip is None:
                break  # garbled: what lies beyond it cannot be believed
            remote = ip
            if not _trusted(ip):
                break
    return str(remote)


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_client_address.reset(token)
