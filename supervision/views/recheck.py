"""The re-checking agency's side of 抽验: its admin names the experts, the lead expert records the outcome.

Only the agency the bureau chose sees a re-check; everyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_for, permission_required
from accounts.models import Role
from experts import services as review
from experts.forms import DeclarationForm
from experts.models import ConflictKind, TeamMember
from experts.selectors import declaration_identity

from .. import services
from ..forms import RecheckOutcomeForm, RecheckTeamForm
from ..models import Recheck
from ..rules import recheck_members
from .common import refuse_into

RECHECKS_PER_PAGE = 50


def visible_rechecks(user):
    """The re-checks this agency user may know exist: those given to the admin's agency, or to a team the
    expert is a live member of (undeclared too: they may only declare). `cleared` says whether the user may see
    the enterprise (an admin always; an expert once declared no conflict), for the list."""
    qs = Recheck.objects.select_related(
        "grade__enterprise", "grade__application__agency", "agency", "team", "sample"
    )
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(agency_id=user.agency_id).annotate(cleared=Value(True))
    if user.role == Role.EXPERT and user.agency_id:
        mine = TeamMember.objects.filter(expert=user, team=OuterRef("team"))
        return qs.filter(Exists(mine.live())).annotate(cleared=Exists(mine.cleared()))
    return qs.none()


def _recheck_for(request, pk, perm=None):
    return get_for(request, visible_rechecks(request.user), perm, pk=pk)


@permission_required("supervision.use_rechecks")
def rechecks(request):
    # Open re-checks first (the flag is selected, so PostgreSQL's DISTINCT accepts it as an ordering).
    items = (
        visible_rechecks(request.user)
        .annotate(is_open=ExpressionWrapper(Q(outcome=""), output_field=BooleanField()))
        .order_by("-is_open", "due_on", "id")
    )
    # A page at a time (the open ones first), so the list stays bounded whatever the number of re-checks.
    page = Paginator(items, RECHECKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "supervision/recheck_list.html", {"rechecks": page.object_list, "page": page})


@permission_required("supervision.use_rechecks")
def declare(request, pk):
    """A re-check team member's conflict-of-interest declaration (利益冲突声明), exactly as for a review: who
    the enterprise is and nothing else until they declare no conflict; any conflict removes them."""
    recheck = _recheck_for(request, pk, "supervision.declare_recheck_conflict")
    member = recheck_members(recheck).get(expert=request.user)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review.declare(
                member=member,
                by=request.user,
                kind=form.cleaned_data["conflict"],
                text=form.cleaned_data["conflict_text"],
            )
        except review.ReviewError as exc:
            form.refuse(exc)
        else:
            member.refresh_from_db()
            if member.removed_at is not None:
                messages.warning(request, _("您已申报利益冲突，已退出该复核专家组。"))
                return redirect("recheck:list")
            messages.success(request, _("已声明无利益冲突。"))
            return redirect("recheck:detail", pk=recheck.pk)
    return render(
        request,
        "experts/declare.html",
        {
            "number": recheck.grade.certificate_number,
            "identity": declaration_identity(recheck.grade.case),
            "member": member,
            "kinds": ConflictKind.choices,
            "errors": form.errors_for(),
            "posted": request.POST,
        },
    )


@permission_required("supervision.use_rechecks")
def detail(request, pk):
    recheck = _recheck_for(request, pk)
    user = request.user
    if not user.has_perm("supervision.view_recheck", recheck):
        if user.has_perm("supervision.declare_recheck_conflict", recheck):
            return redirect("recheck:declare", pk=recheck.pk)
        raise PermissionDenied
    may_form_team = user.has_perm("supervision.form_recheck_team", recheck)
    may_record = user.has_perm("supervision.record_recheck_outcome", recheck)
    team_form = RecheckTeamForm(agency=recheck.agency) if may_form_team else None
    outcome_form = RecheckOutcomeForm() if may_record else None
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "team":
            if not may_form_team:
                raise PermissionDenied
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
                raise PermissionDenied
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
    members = recheck_members(recheck).select_related("expert")
    version = recheck.grade.case.versions.order_by("-number").first()
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
