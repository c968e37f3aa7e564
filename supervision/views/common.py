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


def filter_query(request) -> str:
    """The page's filters as a query string, without its position (page/after/before): what every pager link
    and export button carries, so page 2 shows the same search as page 1."""
    params = request.GET.copy()
    for key in ("page", "after", "before"):
        params.pop(key, None)
    return params.urlencode()


# The dashboard's filters, which the 全部申请 list also takes (from the dashboard's links).
DASHBOARD_KEYS = ("start", "end", "industry", "agency")


def export_params(request) -> list[tuple[str, str]]:
    """The page's filters as (name, value) pairs for the hidden fields of its export button."""
    return [(k, v) for k, v in request.GET.items() if k not in ("page", "after", "before") and v]
