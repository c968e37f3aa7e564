"""A grade's figures for the dashboard: the scenario levels and dimension points of the result it was approved
on, stored on the grade so the dashboard adds them up in SQL instead of reading every result into Python."""

import json
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from assessments.framework import get_edition
from assessments.models import ApplicationVersion
from experts.models import Proposal

from .models import Grade, GradeTally


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


def count_grade(grade, sign: int = 1) -> None:
    """Add a newly valid grade to its edition's tally (sign=-1: take a revoked one out), in the caller's
    transaction: one locked read of the edition's rows, one insert of missing keys, one UPDATE."""
    amounts = tally_of(grade)
    rows = GradeTally.objects.select_for_update().filter(edition=grade.edition, key__in=amounts)
    known = set(rows.values_list("key", flat=True))
    GradeTally.objects.bulk_create(
        [GradeTally(edition=grade.edition, key=k) for k in amounts if k not in known], ignore_conflicts=True
    )
    GradeTally.objects.filter(edition=grade.edition, key__in=amounts).update(
        value=F("value")
        + Case(
            *[When(key=k, then=Value(sign * v)) for k, v in amounts.items()],
            default=Value(Decimal(0)),
            output_field=DecimalField(max_digits=18, decimal_places=4),
        )
    )


@transaction.atomic
def rebuild_tally() -> int:
    """The tally again from the grades themselves (one aggregate per edition). Returns the number of rows."""
    GradeTally.objects.all().delete()
    rows = []
    valid = Grade.objects.filter(revoked_at__isnull=True)
    for code in valid.order_by().values_list("edition", flat=True).distinct():
        totals = grade_totals(valid.filter(edition=code), get_edition(code))
        rows += [GradeTally(edition=code, key=k, value=v) for k, v in totals.items() if v]
    GradeTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def tally_totals(edition) -> dict:
    """The dashboard's totals for all valid grades from the tally: counts and sums over every edition, the
    scenario levels of `edition` (the one the heatmap shows)."""
    totals: dict[str, Decimal] = {}
    for code, key, value in GradeTally.objects.values_list("edition", "key", "value"):
        if key.startswith("heat_") and code != edition.code:
            continue
        totals[key] = totals.get(key, Decimal(0)) + value
    return {k: v if k.startswith("dim_") else int(v) for k, v in totals.items()}
