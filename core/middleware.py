"""Remembers who is asking and from where for the duration of a request, for the audit trail."""

from contextvars import ContextVar

current_client_address: ContextVar[str] = ContextVar("current_client_address", default="")


def client_address(request) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_client_address.reset(token)
