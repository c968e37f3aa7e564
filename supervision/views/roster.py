from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for, permission_required

from .. import exports, selectors, services
from ..forms import ReasonForm, RosterEntryForm, RosterUploadForm, ServiceProviderForm
from ..roster import RosterFileError, template_workbook
from .common import refuse_into, xlsx_response


def _roster_page(request, *, upload_form=None, entry_form=None, status=200):
    q = request.GET.get("q", "").strip()
    state = request.GET.get("status", "")
    page = Paginator(selectors.roster_entries(q=q, status=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/roster.html",
        {
            "page": page,
            "q": q,
            "status": state,
            "upload_form": upload_form or RosterUploadForm(),
            "entry_form": entry_form or RosterEntryForm(),
            "imports": selectors.roster_imports()[:5],
        },
        status=status,
    )


@permission_required("supervision.use_portal")
def roster(request):
    if request.method == "POST":
        form = RosterEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = services.add_roster_entry(by=request.user, **form.cleaned_data)
            except services.ServiceError as exc:
                refuse_into(form, exc)
            else:
                messages.success(request, _("已将%(name)s加入试点名单。") % {"name": entry.name})
                return redirect("supervision:roster")
        return _roster_page(request, entry_form=form, status=400)
    return _roster_page(request)


@permission_required("supervision.use_portal")
@require_POST
def roster_import(request):
    form = RosterUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_roster(content=upload.read(), file_name=upload.name, by=request.user)
        except RosterFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("supervision:roster_import_report", pk=result.pk)
    return _roster_page(request, upload_form=form, status=400)


@permission_required("supervision.use_portal")
@require_GET
def roster_import_report(request, pk):
    result = get_for(request, selectors.roster_imports(), pk=pk)
    return render(request, "supervision/roster_import.html", {"result": result})


@permission_required("supervision.use_portal")
@require_GET
def roster_import_download(request, pk):
    result = get_for(request, selectors.roster_imports(), pk=pk)
    return xlsx_response(exports.import_report(result.report), f"名单导入报告-{result.pk}.xlsx")


@permission_required("supervision.use_portal")
@require_GET
def roster_template(request):
    return xlsx_response(template_workbook(), "试点企业名单模板.xlsx")


@permission_required("supervision.use_portal")
@require_GET
def roster_export(request):
    entries = selectors.roster_entries(
        q=request.GET.get("q", "").strip(), status=request.GET.get("status", "")
    )
    return xlsx_response(exports.roster(entries), "试点企业名单.xlsx")


@permission_required("supervision.use_portal")
def roster_entry(request, pk):
    entry = get_for(request, selectors.roster_entries(), pk=pk)
    provider_form = ServiceProviderForm(
        initial={
            "service_provider_name": entry.service_provider_name,
            "service_provider_credit_code": entry.service_provider_credit_code,
        }
    )
    remove_form = ReasonForm()
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "remove":
            remove_form = ReasonForm(request.POST)
            if remove_form.is_valid():
                try:
                    services.remove_roster_entry(
                        entry=entry, by=request.user, reason=remove_form.cleaned_data["reason"]
                    )
                except services.ServiceError as exc:
                    refuse_into(remove_form, exc)
                else:
                    messages.success(request, _("已取消%(name)s的试点资格。") % {"name": entry.name})
                    return redirect("supervision:roster_entry", pk=entry.pk)
        else:
            provider_form = ServiceProviderForm(request.POST)
            if provider_form.is_valid():
                try:
                    services.update_service_provider(
                        entry=entry,
                        by=request.user,
                        name=provider_form.cleaned_data["service_provider_name"],
                        credit_code=provider_form.cleaned_data["service_provider_credit_code"],
                    )
                except services.ServiceError as exc:
                    refuse_into(provider_form, exc)
                else:
                    messages.success(request, _("已更新数字化转型服务商。"))
                    return redirect("supervision:roster_entry", pk=entry.pk)
    events = selectors.audit_events().filter(object_type="accounts.rosterentry", object_id=str(entry.pk))
    return render(
        request,
        "supervision/roster_entry.html",
        {
            "entry": entry,
            "provider_form": provider_form,
            "remove_form": remove_form,
            "events": events[:50],
        },
        status=status,
    )
