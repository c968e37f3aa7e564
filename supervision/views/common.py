from django.http import HttpResponse

from accounts.access import get_for
from core.files import serve_private_file

from .. import selectors
from ..exports import XLSX


def bureau_case(request, pk, perm: str = "supervision.view_case"):
    """One application as the bureau's pages fetch it (accounts.access.get_for: 404 if not found, 403 without
    the permission)."""
    return get_for(request, selectors.bureau_applications(), perm, pk=pk)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return serve_private_file(content, filename=filename, content_type=XLSX)


def refuse_into(form, exc) -> None:
    """Put a refused transition's / service's message on the form field it names (or on the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
