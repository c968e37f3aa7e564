"""A grade's figures for the dashboard: the scenario levels and dimension points of the result it was approved
on, stored on the grade so the dashboard adds them up in SQL instead of reading every result into Python."""

import json

from django.db.models import OuterRef, Subquery

from assessments.framework import get_edition
from assessments.models import ApplicationVersion
from experts.models import Proposal

from .models import Grade


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
    return done + _write(batch)


def _write(batch) -> int:
    Grade.objects.bulk_update(batch, ["scenario_levels", "dimension_points"])
    n = len(batch)
    batch.clear()
    return n
