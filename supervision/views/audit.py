"""The audit trail, read-only: browse and filter, never change (the model refuses updates and deletes)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import permission_required
from core.pages import keyset_page

from .. import selectors
from ..forms import AuditFilterForm
from .common import export_params, filter_query


def _events(request):
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions())
    return form, selectors.audit_events(**form.filters())


@permission_required("supervision.use_portal")
@require_GET
def audit(request):
    form, events = _events(request)
    page = keyset_page(events, "at", after=request.GET.get("after"), before=request.GET.get("before"))
    return render(
        request,
        "supervision/audit.html",
        {
            "form": form,
            "page": page,
            "query": filter_query(request),
            "export_params": export_params(request),
            "chain": selectors.audit_chain_state(),
        },
    )
