"""The bureau's reads. Every list starts from what the bureau may see (everything in the district), filtered;
the dashboard's figures come from aggregate queries, so their number does not grow with the data."""

import datetime
import operator
from decimal import Decimal
from functools import reduce

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, RosterEntry
from accounts.sme import Industry
from assessments.framework import get_edition
from assessments.models import Application, ApplicationStates
from assessments.models import ApplicationState as S
from core import chain
from core.actions import ACTIONS, label_of
from core.audit import trail_state
from core.display import day_range
from core.models import AuditEvent
from experts.models import Proposal

from . import charts, figures
from .commissioning import STAGE_LABELS, STAGE_STATES
from .models import Grade, Recheck, RosterImport, Sample


def dimensions() -> list[tuple[str, str, object]]:
    """[(code, name, max points)] of the current framework edition's dimensions (一级指标)."""
    return [(d.code, d.name, d.points) for d in get_edition().dimensions]


def comparison_radar(comparison: dict) -> str | None:
    """Self-assessed vs verified score per dimension, from a proposal's frozen comparison: the one chart that the
    bureau's case page and the 评测报告 PDF both show. None when the comparison has no dimension totals."""
    dims = ((comparison or {}).get("totals") or {}).get("dimensions")
    if not dims:
        return None
    table = dimensions()
    return charts.radar(
        [(name, points) for _code, name, points in table],
        [
            (_("自评"), [dims.get(code, {}).get("self", 0) for code, _n, _p in table]),
            (_("核定"), [dims.get(code, {}).get("verified", 0) for code, _n, _p in table]),
        ],
        title=_("自评与核定（各维度）"),
    )


def scenarios() -> list[tuple[str, str, bool]]:
    """[(code, name, constrained)] of the current framework edition's scenarios (附件2)."""
    return [(s.code, s.name, s.constrained) for s in get_edition().scenarios]


BUREAU_STATES = sorted(value for value, _label in S.choices if value != S.DRAFT)


def bureau_applications():
    """Every application the bureau may see: all that have left the enterprise's drafts. Written as the list
    of those states (not `state <> 'draft'`) so that PostgreSQL can answer from the indexes that lead with the
    state (the dashboard's counts, the overdue lists' partial indexes)."""
    return Application.objects.filter(state__in=BUREAU_STATES).select_related("enterprise", "agency")


def intake_queue():
    return bureau_applications().filter(state=S.SUBMITTED).order_by("submitted_at", "id")


def commissioning_queue():
    return bureau_applications().filter(state=S.ACCEPTED).order_by("state_changed_at", "id")


def with_agency():
    return (
        bureau_applications().filter(state__in=ApplicationStates.WITH_AGENCY).order_by("proposal_due", "id")
    )


def approval_queue():
    return bureau_applications().filter(state=S.PROPOSED).order_by("state_changed_at", "id")


def overdue_filter(today: datetime.date) -> Q:
    q = Q(pk__in=[])
    for name, states in STAGE_STATES.items():
        q |= Q(state__in=states, **{f"{name}__lt": today})
    return q


# How many overdue cases a page lists before linking to the full (filtered, paginated) list.
OVERDUE_SHOWN = 20


def overdue_applications(base=None, today=None, *, limit: int | None = None):
    """[(application, [stage labels])] whose stage due dates passed while they are still in that stage, the
    longest overdue first (at most `limit`)."""
    today = today or timezone.localdate()
    base = base if base is not None else bureau_applications()
    qs = base.filter(overdue_filter(today)).order_by("proposal_due", "id")
    return [(app, _stages(app, today)) for app in (qs[:limit] if limit else qs)]


def roster_entries(*, q: str = "", status: str = ""):
    qs = RosterEntry.objects.select_related("added_by")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(credit_code__icontains=q) | Q(service_provider_name__icontains=q)
        )
    if status == "active":
        qs = qs.filter(active=True)
    elif status == "cancelled":
        qs = qs.filter(active=False)
    return qs.order_by("-active", "name")


def roster_imports():
    return RosterImport.objects.select_related("created_by")


def grades():
    return Grade.objects.select_related("enterprise", "application__agency", "approved_by")


def of_applications(grades_qs, applications):
    """The grades of these applications, those a re-check superseded included: a superseded grade lets go of
    its application and is reached through the grade that replaced it (`superseded_by`), however many times
    it was reissued. What the API's agency scope and the results export list, like the verify page's history.

    One EXISTS per reissue in the longest chain, plus one (a single query when no grade was ever superseded)."""
    ids = applications.values("pk")
    match, depth = Q(application__in=ids), 1
    while Grade.objects.filter(**{"supersedes__" * depth + "isnull": False}).exists():
        # Some grade is `depth` reissues old: the one `depth` steps after it holds the case.
        match |= Q(**{"superseded_by__" * depth + "application__in": ids})
        depth += 1
    return grades_qs.filter(match)


def latest_proposal_subquery(field: str):
    return Subquery(
        Proposal.objects.filter(application=OuterRef("application"), returned_at__isnull=True)
        .order_by("-submitted_at", "-id")
        .values(field)[:1]
    )


def sample_population(population_filter: dict):
    """Approved, unrevoked grades in a period, by level and agency — sorted by certificate number."""
    qs = grades().filter(revoked_at__isnull=True)
    start, end = population_filter.get("start"), population_filter.get("end")
    if start:
        qs = qs.filter(approved_at__date__gte=start)
    if end:
        qs = qs.filter(approved_at__date__lte=end)
    if population_filter.get("levels"):
        qs = qs.filter(level__in=population_filter["levels"])
    if population_filter.get("agencies"):
        qs = qs.filter(application__agency_id__in=population_filter["agencies"])
    return qs.order_by("certificate_number")


def samples():
    return Sample.objects.select_related("created_by").annotate(
        members=Count("rechecks"), done=Count("rechecks", filter=~Q(rechecks__outcome=""))
    )


def sample_rechecks(sample: Sample):
    return (
        Recheck.objects.filter(sample=sample)
        .select_related(
            "grade__enterprise",
            "grade__application__agency",
            "reissued__application__agency",
            "agency",
            "team",
            "recorded_by",
        )
        .order_by("position")
    )


def sample_outcome_counts(sample: Sample) -> dict[str, int]:
    """{outcome: members} of a sample, in one counting query (the not yet decided under "")."""
    return dict(
        Recheck.objects.filter(sample=sample).order_by().values_list("outcome").annotate(n=Count("id"))
    )


def case_rechecks(grade) -> list[Recheck]:
    """The re-checks of a case's certificates (the grade and those it superseded), newest first, with their
    outcome and the bureau's decision: what the case page tells about 抽验."""
    if grade is None:
        return []
    return list(
        Recheck.objects.filter(grade__in=[g.pk for g in grade.history()])
        .select_related("grade", "agency", "reissued", "sample")
        .order_by("-sample__created_at", "-id")
    )


def audit_events(
    *, actor: str = "", action: str = "", application: str = "", start=None, end=None, text: str = ""
):
    qs = AuditEvent.objects.select_related("actor", "application")
    if actor:
        # Who they were when they acted (the snapshot), not what the account is called now.
        qs = qs.filter(
            Q(actor_snapshot__username__icontains=actor) | Q(actor_snapshot__name__icontains=actor)
        )
    if action:
        qs = qs.filter(action=action)
    if application:
        qs = qs.filter(application__number__icontains=application)
    qs = qs.filter(**day_range("at", start, end))
    if text:
        # The sentence is rendered when read: match the action's label in the reader's language, the facts,
        # and the text of events written before (their `summary`).
        labelled = [code for code in ACTIONS if text.lower() in label_of(code).lower()]
        qs = qs.filter(
            Q(action__in=labelled)
            | Q(detail__icontains=text)
            | Q(summary__icontains=text)
            | Q(object_id=text)
            | Q(client_address__icontains=text)
        )
    return qs.order_by("-at", "-id")


# The enterprise's autosaves: one event per answer changed, folded into one line on the case page.
AUTOSAVE_ACTIONS = ("assessment.answer",)


def case_trail(application, *, limit: int = 100) -> list[dict]:
    """The case page's trail, newest first: decisions and milestones one line each ({"event": e}), and each run
    of autosaves between two of them folded into one line ({"saves": n, "first": at, "last": at}). The full
    trail stays on the audit page."""
    events = audit_events().filter(application=application)
    milestones = list(events.exclude(action__in=AUTOSAVE_ACTIONS)[:limit])
    saves = list(events.filter(action__in=AUTOSAVE_ACTIONS).values_list("at", flat=True))
    lines: list[dict] = []
    i = 0

    def fold(run):
        if run:
            lines.append({"saves": len(run), "first": run[-1], "last": run[0]})

    for event in milestones:
        j = i
        while j < len(saves) and saves[j] >= event.at:
            j += 1
        fold(saves[i:j])
        i = j
        lines.append({"event": event})
    if len(milestones) < limit:
        fold(saves[i:])
    return lines


def audit_chain_state() -> chain.ChainState:
    """Whether the trail's hash chain holds: from the last full check (`manage.py verify_audit`) to the newest
    event (core.audit.trail_state)."""
    return trail_state()


def audit_actions() -> list[str]:
    """The action codes the filter offers: the registered ones (core.actions), not a DISTINCT over the trail."""
    return sorted(ACTIONS)


# ---- dashboard ----------------------------------------------------------------------------------------------


def filtered_applications(*, start=None, end=None, industry: str = "", agency_id=None):
    """The bureau's applications submitted in a period (Beijing calendar days), of an industry, an agency: the
    population of the dashboard and of everything exported from it."""
    qs = bureau_applications().filter(**day_range("submitted_at", start, end))
    if industry:
        qs = qs.filter(enterprise__industry=industry)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs


def application_list(*, state: str = "", q: str = "", overdue: bool = False, **filters):
    """The rows of the bureau's 全部申请 list, newest change first — the same rows its Excel export writes.
    `filters` are the dashboard's (filtered_applications); `q` matches the number or the enterprise's name;
    `overdue`: only those with a stage past its due date."""
    qs = filtered_applications(**filters)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue_filter(timezone.localdate()))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.order_by("-state_changed_at", "-id")


def industries() -> list[str]:
    """The industry codes the filter offers: the classification's own list (not a DISTINCT over enterprises)."""
    return [code for code, _label in Industry.choices]


def _stage_ages(apps, now) -> list:
    open_states = [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_REVIEW, S.ON_SITE, S.PROPOSED]
    age = ExpressionWrapper(Value(now) - F("state_changed_at"), output_field=DurationField())
    rows = {
        row["state"]: row
        for row in apps.filter(state__in=open_states)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"), mean=Avg(age), longest=Max(age))
    }
    day = datetime.timedelta(days=1)
    return [
        (
            state,
            S(state).label,
            rows[state]["n"] if state in rows else 0,
            round(rows[state]["mean"] / day, 1) if state in rows else 0,
            round(rows[state]["longest"] / day, 1) if state in rows else 0,
        )
        for state in open_states
    ]


def _state_agency_counts(apps) -> dict:
    """{(state, agency id or None): n} of `apps` — one GROUP BY, an index-only scan of (state, agency) when
    unfiltered: the dashboard's counts per state and the agencies' workload come from the same rows."""
    return {
        (state, agency): n
        for state, agency, n in apps.order_by().values_list("state", "agency").annotate(n=Count("*"))
    }


def _workload(counts: dict, overdue_by_agency: dict) -> list[Agency]:
    """Every agency with its open, proposed, approved and overdue applications (from the counts above)."""
    agencies = list(Agency.objects.order_by("name"))
    for agency in agencies:
        agency.active = sum(counts.get((state, agency.pk), 0) for state in ApplicationStates.WITH_AGENCY)
        agency.proposed = counts.get((S.PROPOSED, agency.pk), 0)
        agency.approved = counts.get((S.APPROVED, agency.pk), 0)
        agency.overdue = overdue_by_agency.get(agency.pk, 0)
    return agencies


def _filtered_tally(edition, *, start, end, industry, agency_id) -> dict:
    """The grade figures of a filtered dashboard: the cells (GradeCell) of the period's whole months, and the
    grades themselves only for the days at its edges — never an aggregate over every grade of a long period."""
    months, edges = figures.whole_months(start, end)
    parts = []
    if months is not None:
        first, last = months
        parts.append(
            figures.cell_totals(edition, first=first, last=last, industry=industry, agency_id=agency_id)
        )
    if edges:
        days = reduce(operator.or_, (Q(**day_range("submitted_at", a, b)) for a, b in edges))
        apps = filtered_applications(industry=industry, agency_id=agency_id).filter(days)
        grades = Grade.objects.filter(revoked_at__isnull=True, application__in=apps.values("pk"))
        parts.append(figures.grade_totals(grades, edition))
    return figures.added(*parts)


def dashboard(*, start=None, end=None, industry: str = "", agency_id=None) -> dict:
    """Every figure of the bureau's dashboard from SQL aggregates, in a fixed number of queries whatever the
    number of applications; the overdue list is the first OVERDUE_SHOWN (the rest: the filtered list)."""
    today = timezone.localdate()
    now = timezone.now()
    apps = filtered_applications(start=start, end=end, industry=industry, agency_id=agency_id)
    counts = _state_agency_counts(apps)
    by_state: dict[str, int] = {}
    for (state, _agency), n in counts.items():
        by_state[state] = by_state.get(state, 0) + n
    states = [(value, label, by_state.get(value, 0)) for value, label in S.choices if value != S.DRAFT]

    edition = get_edition()
    if start or end or industry or agency_id:
        tally = _filtered_tally(edition, start=start, end=end, industry=industry, agency_id=agency_id)
    else:  # every valid grade: the running totals kept with each approval and revocation
        tally = figures.tally_totals(edition)
    scenario_levels = (0, *edition.scenario_level_numbers)
    with_dimensions = tally.get("with_dimensions", 0)
    dimension_avg = [
        (
            code,
            name,
            (Decimal(tally.get(f"dim_{code}") or 0) / with_dimensions).quantize(Decimal("0.01"))
            if with_dimensions
            else Decimal(0),
        )
        for code, name, _points in dimensions()
    ]
    overdue = apps.filter(overdue_filter(today))
    # The overdue cases per agency: found from the due-date indexes (assessments 0005), a few thousand rows.
    overdue_by_agency = dict(overdue.order_by().values_list("agency").annotate(n=Count("pk")))
    return {
        "states": states,
        "total": sum(n for _v, _l, n in states),
        "levels": [(level, tally.get(f"level_{level}", 0)) for level in edition.level_numbers],
        "valid_grades": tally.get("valid", 0),
        "heatmap": [
            (s.code, s.name, s.constrained, [tally.get(f"heat_{i}_{level}", 0) for level in scenario_levels])
            for i, s in enumerate(edition.scenarios)
        ],
        "scenario_levels": scenario_levels,
        "dimension_avg": dimension_avg,
        "stage_ages": _stage_ages(apps, now),
        "workload": _workload(counts, overdue_by_agency),
        "overdue": overdue_applications(overdue, today, limit=OVERDUE_SHOWN),
        "overdue_count": sum(overdue_by_agency.values()),
    }


def _stages(app, today):
    return [
        (_(STAGE_LABELS[name]), getattr(app, name), (today - getattr(app, name)).days)
        for name, states in STAGE_STATES.items()
        if app.state in states and getattr(app, name) and getattr(app, name) < today
    ]


def service_provider_of(enterprise) -> tuple[str, str] | None:
    """(name, credit code) of the enterprise's transformation service provider (数字化转型服务商), from the pilot
    roster — for the experts' conflict-of-interest check. None when the roster records none."""
    entry = (
        RosterEntry.objects.filter(credit_code=enterprise.credit_code)
        .only("service_provider_name", "service_provider_credit_code")
        .first()
    )
    if entry is None or not (entry.service_provider_name or entry.service_provider_credit_code):
        return None
    return entry.service_provider_name, entry.service_provider_credit_code
