"""The audit trail, read-only: browse and filter, never change (the model refuses updates and deletes)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import permission_required

from .. import exports, selectors
from ..forms import AuditFilterForm
from .common import xlsx_response


def _events(request):
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions())
    return form, selectors.audit_events(**form.filters())


@permission_required("supervision.use_portal")
@require_GET
def audit(request):
    form, events = _events(request)
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/audit.html",
        {"form": form, "page": page, "query": params.urlencode(), "chain": selectors.audit_chain_state()},
    )


@permission_required("supervision.use_portal")
@require_GET
def audit_export(request):
    _form, events = _events(request)
    return xlsx_response(exports.audit(events[:10000]), "审计记录.xlsx")
