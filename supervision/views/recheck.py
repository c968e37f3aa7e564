"""The re-checking agency's side of 抽验: its admin names the experts, the lead expert records the outcome.

Only the agency the bureau chose sees a re-check; everyone else gets 404."""

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role

from .. import services
from ..forms import RecheckOutcomeForm, RecheckTeamForm
from ..models import Recheck
from .common import refuse_into


def visible_rechecks(user):
    """What this agency user may see: re-checks given to the admin's agency, or to a team the expert is on."""
    qs = Recheck.objects.select_related(
        "grade__enterprise", "grade__application__agency", "agency", "team", "sample"
    )
    if user.role == Role.AGENCY_ADMIN:
        return qs.filter(agency_id=user.agency_id)
    if user.role == Role.EXPERT:
        return qs.filter(
            team__members__expert=user,
            team__members__removed_at__isnull=True,
            team__dissolved_at__isnull=True,
            agency_id=user.agency_id,
        ).distinct()
    return qs.none()


def _is_lead(recheck, user) -> bool:
    if recheck.team is None or recheck.team.dissolved_at is not None:
        return False
    return recheck.team.members.filter(expert=user, role="lead", removed_at__isnull=True).exists()


@role_required(Role.AGENCY_ADMIN, Role.EXPERT)
def rechecks(request):
    # Open re-checks first (the flag is selected, so PostgreSQL's DISTINCT accepts it as an ordering).
    items = (
        visible_rechecks(request.user)
        .annotate(is_open=ExpressionWrapper(Q(outcome=""), output_field=BooleanField()))
        .order_by("-is_open", "due_on", "id")
    )
    return render(request, "supervision/recheck_list.html", {"rechecks": items})


@role_required(Role.AGENCY_ADMIN, Role.EXPERT)
def detail(request, pk):
    recheck = get_object_or_404(visible_rechecks(request.user), pk=pk)
    user = request.user
    may_form_team = user.role == Role.AGENCY_ADMIN and not recheck.outcome
    may_record = user.role == Role.EXPERT and _is_lead(recheck, user) and not recheck.outcome
    team_form = RecheckTeamForm(agency=recheck.agency) if may_form_team else None
    outcome_form = RecheckOutcomeForm() if may_record else None
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "team":
            if not may_form_team:
                raise Http404
            team_form = RecheckTeamForm(request.POST, agency=recheck.agency)
            if team_form.is_valid():
                try:
                    services.form_recheck_team(
                        recheck=recheck,
                        by=user,
                        lead=team_form.cleaned_data["lead"],
                        members=list(team_form.cleaned_data["members"]),
                    )
                except services.ServiceError as exc:
                    refuse_into(team_form, exc)
                else:
                    messages.success(request, _("已组建复核专家组。"))
                    return redirect("recheck:detail", pk=recheck.pk)
        elif request.POST.get("action") == "outcome":
            if not may_record:
                raise Http404
            outcome_form = RecheckOutcomeForm(request.POST)
            if outcome_form.is_valid():
                d = outcome_form.cleaned_data
                try:
                    services.record_recheck_outcome(
                        recheck=recheck,
                        by=user,
                        outcome=d["outcome"],
                        notes=d["notes"],
                        new_level=d.get("new_level"),
                    )
                except services.ServiceError as exc:
                    refuse_into(outcome_form, exc)
                else:
                    messages.success(request, _("已提交复核结论。"))
                    return redirect("recheck:detail", pk=recheck.pk)
        else:
            raise Http404
    members = (
        recheck.team.members.select_related("expert").filter(removed_at__isnull=True) if recheck.team else []
    )
    version = recheck.grade.application.versions.order_by("-number").first()
    return render(
        request,
        "supervision/recheck_detail.html",
        {
            "recheck": recheck,
            "team_form": team_form,
            "outcome_form": outcome_form,
            "members": members,
            "version": version,
        },
        status=status,
    )
