"""A grade's figures for the dashboard: the scenario levels and dimension points of the result it was approved
on, stored on the grade so the dashboard adds them up in SQL instead of reading every result into Python."""

import json
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from assessments.framework import get_edition
from assessments.models import ApplicationVersion
from core.display import local_date
from experts.models import Proposal

from .models import Grade, GradeCell, GradeTally


def figures_of(result: dict | None, edition_code: str) -> dict:
    """{scenario_levels, dimension_points} of an engine result (RULES.md §6) under its edition."""
    result = result or {}
    edition = get_edition(edition_code)
    levels = result.get("scenario_levels") or {}
    dims = result.get("dimensions") or {}
    return {
        "scenario_levels": "".join(str(int(levels.get(s.code, 0))) for s in edition.scenarios),
        "dimension_points": {d.code: str(dims[d.code]) for d in edition.dimensions if d.code in dims},
    }


def rebuild(grades=None, *, chunk: int = 2000) -> int:
    """Write every grade's figures again from the results it stands on (after a data fix or a restore), in
    chunks with one read and one bulk update each. Returns how many grades were written."""
    qs = (grades if grades is not None else Grade.objects.all()).annotate(
        verified=Subquery(
            Proposal.objects.filter(application=OuterRef("application"), returned_at__isnull=True)
            .order_by("-submitted_at", "-id")
            .values("verified_result")[:1]
        ),
        submitted=Subquery(
            ApplicationVersion.objects.filter(application=OuterRef("application"))
            .order_by("-number")
            .values("result")[:1]
        ),
    )
    done, batch = 0, []
    for grade in qs.only("pk", "edition").order_by("pk").iterator(chunk_size=chunk):
        result = grade.verified or grade.submitted or {}
        if isinstance(result, str):  # a JSON subquery comes back as text on some databases
            result = json.loads(result)
        for name, value in figures_of(result, grade.edition).items():
            setattr(grade, name, value)
        batch.append(grade)
        if len(batch) >= chunk:
            done += _write(batch)
    done += _write(batch)
    rebuild_tally()
    return done


def _write(batch) -> int:
    Grade.objects.bulk_update(batch, ["scenario_levels", "dimension_points"])
    n = len(batch)
    batch.clear()
    return n


def grade_totals(grades, edition) -> dict:
    """Counts per level and per (scenario, level), and the summed points per dimension, of valid grades — one
    aggregate query over the grades' stored figures (supervision.figures), nothing read into Python.

    The ~90 sums are written as SQL around the ORM's own query for the grades: built as ORM aggregates, their
    expression trees cost more to compile than PostgreSQL takes to add up 65,000 rows."""
    dims = [d.code for d in edition.dimensions]
    inner = (
        grades.annotate(
            **{
                f"d_{i}": Cast(KT(f"dimension_points__{code}"), DecimalField(max_digits=9, decimal_places=4))
                for i, code in enumerate(dims)
            }
        )
        .order_by()
        .values("level", "edition", "scenario_levels", *[f"d_{i}" for i in range(len(dims))])
    )
    sql, params = inner.query.sql_with_params()
    columns, sums = ["valid"], ["COUNT(*)"]
    for n in edition.level_numbers:
        columns.append(f"level_{n}")
        sums.append(f"SUM(CASE WHEN g.level = {int(n)} THEN 1 ELSE 0 END)")
    columns.append("with_dimensions")
    sums.append("SUM(CASE WHEN g.d_0 IS NOT NULL THEN 1 ELSE 0 END)" if dims else "0")
    for i, code in enumerate(dims):
        columns.append(f"dim_{code}")
        sums.append(f"SUM(g.d_{i})")
    heat_params = []
    for i, _scenario in enumerate(edition.scenarios):
        for level in (0, *edition.scenario_level_numbers):
            columns.append(f"heat_{i}_{level}")
            sums.append(
                f"SUM(CASE WHEN g.edition = %s AND SUBSTR(g.scenario_levels, {i + 1}, 1) = '{int(level)}' THEN 1 ELSE 0 END)"
            )
            heat_params.append(edition.code)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sums)} FROM ({sql}) g", [*heat_params, *params])
        row = cursor.fetchone()
    return {name: (value or 0) for name, value in zip(columns, row, strict=True)}


def tally_of(grade) -> dict[str, Decimal]:
    """What one valid grade adds to its edition's GradeTally (the keys of the dashboard's aggregate)."""
    edition = get_edition(grade.edition)
    out = {"valid": Decimal(1), f"level_{grade.level}": Decimal(1)}
    for i, digit in enumerate(grade.scenario_levels or ""):
        out[f"heat_{i}_{digit}"] = Decimal(1)
    points = grade.dimension_points or {}
    if points:
        out["with_dimensions"] = Decimal(1)
    for d in edition.dimensions:
        if d.code in points:
            out[f"dim_{d.code}"] = Decimal(str(points[d.code]))
    return out


def _add(model, amounts: dict[str, Decimal], sign: int, **where) -> None:
    """Add `amounts` (times `sign`) to the rows of `model` (GradeTally, GradeCell) at `where`, in the caller's
    transaction: one locked read of the rows, one insert of missing keys, one UPDATE."""
    rows = model.objects.select_for_update().filter(key__in=amounts, **where)
    known = set(rows.values_list("key", flat=True))
    model.objects.bulk_create(
        [model(key=k, **where) for k in amounts if k not in known], ignore_conflicts=True
    )
    model.objects.filter(key__in=amounts, **where).update(
        value=F("value")
        + Case(
            *[When(key=k, then=Value(sign * v)) for k, v in amounts.items()],
            default=Value(Decimal(0)),
            output_field=DecimalField(max_digits=18, decimal_places=4),
        )
    )


# Where a grade counts among the filters' cells: read from its application (and that one's enterprise).
CELL_OF = {
    "cell_submitted_at": F("application__submitted_at"),
    "cell_agency_id": F("application__agency_id"),
    "cell_industry": F("application__enterprise__industry"),
}


def _cell(grade) -> dict | None:
    """{month, industry, agency_id} of a grade annotated with CELL_OF; None when it has no submitted application
    (no filter of the dashboard finds it then)."""
    if grade.cell_submitted_at is None:
        return None
    return {
        "month": local_date(grade.cell_submitted_at).replace(day=1),
        "industry": grade.cell_industry,
        "agency_id": grade.cell_agency_id,
    }


def count_grade(grade, sign: int = 1) -> None:
    """Add a newly valid grade to its edition's tally and to its cell (sign=-1: take a revoked one out), in the
    caller's transaction. Call it while the grade still holds its application."""
    amounts = tally_of(grade)
    _add(GradeTally, amounts, sign, edition=grade.edition)
    located = Grade.objects.filter(pk=grade.pk, application__isnull=False).annotate(**CELL_OF).first()
    cell = _cell(located) if located is not None else None
    if cell is not None:
        _add(GradeCell, amounts, sign, edition=grade.edition, **cell)


def move_industry(enterprise_id: int, old: str, new: str) -> int:
    """The enterprise's industry changed from `old` to `new`: its valid grades move to the cells of the new one
    (in the caller's transaction). Returns how many grades moved."""
    grades = Grade.objects.filter(
        enterprise_id=enterprise_id, revoked_at__isnull=True, application__isnull=False
    ).annotate(**CELL_OF)
    moved = 0
    for grade in grades:
        cell = _cell(grade)
        if cell is None:
            continue
        amounts = tally_of(grade)
        _add(GradeCell, amounts, -1, edition=grade.edition, **{**cell, "industry": old})
        _add(GradeCell, amounts, 1, edition=grade.edition, **{**cell, "industry": new})
        moved += 1
    return moved


def on_industry_changed(sender, *, enterprise, old, **kwargs) -> None:
    """accounts.signals.industry_changed: the enterprise's grades follow it to the new industry's cells."""
    move_industry(enterprise.pk, old, enterprise.industry)


def fill_cells(grade_model=Grade, cell_model=GradeCell) -> int:
    """Write every cell from the valid grades (the tables empty or just emptied); the models are parameters so
    that the migration that made the table can call it with its historical ones. Returns the number of rows."""
    totals: dict[tuple, Decimal] = {}
    grades = (
        grade_model.objects.filter(revoked_at__isnull=True, application__isnull=False)
        .annotate(**CELL_OF)
        .only("edition", "level", "scenario_levels", "dimension_points")
    )
    for grade in grades.iterator(chunk_size=2000):
        cell = _cell(grade)
        if cell is None:
            continue
        where = (grade.edition, cell["month"], cell["industry"], cell["agency_id"])
        for key, value in tally_of(grade).items():
            totals[*where, key] = totals.get((*where, key), Decimal(0)) + value
    cell_model.objects.bulk_create(
        [
            cell_model(edition=e, month=m, industry=i, agency_id=a, key=k, value=v)
            for (e, m, i, a, k), v in totals.items()
        ],
        batch_size=2000,
    )
    return len(totals)


@transaction.atomic
def rebuild_tally() -> int:
    """The tally again from the grades themselves (one aggregate per edition), and the filters' cells. Returns
    the number of tally rows."""
    GradeTally.objects.all().delete()
    GradeCell.objects.all().delete()
    fill_cells()
    rows = []
    valid = Grade.objects.filter(revoked_at__isnull=True)
    for code in valid.order_by().values_list("edition", flat=True).distinct():
        totals = grade_totals(valid.filter(edition=code), get_edition(code))
        rows += [GradeTally(edition=code, key=k, value=v) for k, v in totals.items() if v]
    GradeTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _combined(rows, edition) -> dict:
    """{key: total} of (edition, key, value) rows: counts and sums over every edition, the scenario levels of
    `edition` (the one the heatmap shows)."""
    totals: dict[str, Decimal] = {}
    for code, key, value in rows:
        if key.startswith("heat_") and code != edition.code:
            continue
        totals[key] = totals.get(key, Decimal(0)) + value
    return {k: v if k.startswith("dim_") else int(v) for k, v in totals.items()}


def tally_totals(edition) -> dict:
    """The dashboard's totals for all valid grades, from the tally."""
    return _combined(GradeTally.objects.values_list("edition", "key", "value"), edition)


def cell_totals(edition, *, first=None, last=None, industry: str = "", agency_id=None) -> dict:
    """The dashboard's totals for the valid grades of applications submitted in the months `first` to `last`
    (first days of months, both included; None: open), of an industry, an agency: one GROUP BY over the cells."""
    cells = GradeCell.objects.all()
    if first:
        cells = cells.filter(month__gte=first)
    if last:
        cells = cells.filter(month__lte=last)
    if industry:
        cells = cells.filter(industry=industry)
    if agency_id:
        cells = cells.filter(agency_id=agency_id)
    rows = (
        cells.order_by()
        .values("edition", "key")
        .annotate(total=Sum("value"))
        .values_list("edition", "key", "total")
    )
    return _combined(rows, edition)


def added(*totals: dict) -> dict:
    """Totals of disjoint sets of grades added up."""
    out: dict = {}
    for part in totals:
        for key, value in part.items():
            out[key] = out.get(key, 0) + value
    return out


def whole_months(start: date | None, end: date | None) -> tuple[tuple | None, list[tuple]]:
    """A period of Beijing days (both ends included; None: open) split into its whole months, (first, last) as
    first days of months or None when it holds none, and the periods of days left at its edges."""
    first = start if start is None or start.day == 1 else _next_month(start)
    last = None
    if end is not None:
        last = end.replace(day=1) if _next_month(end) == end + timedelta(days=1) else _previous_month(end)
    if first is not None and last is not None and first > last:
        return None, [(start, end)]
    edges = []
    if start is not None and start != first:
        edges.append((start, first - timedelta(days=1)))
    if end is not None and last is not None and end >= _next_month(last):
        edges.append((_next_month(last), end))
    return (first, last), edges


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)
