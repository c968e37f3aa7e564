"""The bureau's 纸质材料报送要求 page: what the enterprise is asked to hand in on paper, where, by when."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import permission_required
from assessments.models import PaperInstructions

from ..forms import PaperInstructionsForm
from ..paper import PaperRefused, configure_paper_instructions
from .common import refuse_into


@permission_required("supervision.configure_paper")
def paper_instructions(request):
    current = PaperInstructions.current()
    initial = {
        "items": current.items,
        "address": current.address,
        "deadline_days": current.deadline_days,
        "contact": current.contact,
    }
    form = PaperInstructionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            configure_paper_instructions(by=request.user, **form.cleaned_data)
        except PaperRefused as exc:
            refuse_into(form, exc)
        else:
            messages.success(request, _("纸质材料报送要求已保存。"))
            return redirect("supervision:paper_instructions")
    return render(
        request,
        "supervision/paper.html",
        {"form": form, "current": current},
        status=400 if form.is_bound else 200,
    )
