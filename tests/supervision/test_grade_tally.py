"""The unfiltered dashboard reads running totals (GradeTally) kept by the transactions that publish and revoke a
grade; they always equal the SQL aggregate over the grades themselves, and the rebuild command makes them so."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts import services
from assessments.framework import get_edition
from assessments.lifecycle import transition
from assessments.models import ApplicationState
from supervision import figures, selectors
from supervision.models import Grade, GradeCell, GradeTally
from supervision.publication import reissue_grade
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def rounded(totals):
    """Totals compared across sources: counts as ints, points to 4 places, the zeros left out."""
    return {k: (int(v) if not k.startswith("dim_") else round(float(v), 4)) for k, v in totals.items() if v}


def sql_totals():
    return rounded(figures.grade_totals(Grade.objects.filter(revoked_at__isnull=True), get_edition()))


def tally():
    return rounded(figures.tally_totals(get_edition()))


def test_publishing_and_revoking_keep_the_totals(personas):
    apps = [
        helpers.approved(
            factories.enterprise(f"计分企业{i}"),
            agency=personas.agency,
            admin=personas.agency_admin,
            bureau=personas.bureau,
            level=2 + i % 2,
        )
        for i in range(3)
    ]
    assert tally() == sql_totals() and tally()["valid"] == 3
    transition(
        apps[0],
        "revoke",
        by=personas.bureau,
        reason="材料不实",
        basis="false_material",
        basis_text="抽验复核发现佐证材料系伪造",
    )
    assert tally() == sql_totals() and tally()["valid"] == 2
    GradeTally.objects.all().delete()
    call_command("rebuild_grade_figures", stdout=None)
    assert tally() == sql_totals()


# The filtered dashboard: the cells of whole months (GradeCell) and the grades of the days at the edges.


def test_a_period_splits_into_whole_months_and_the_days_at_its_edges():
    d = datetime.date
    assert figures.whole_months(None, None) == ((None, None), [])
    assert figures.whole_months(d(2026, 1, 1), d(2026, 3, 31)) == ((d(2026, 1, 1), d(2026, 3, 1)), [])
    assert figures.whole_months(d(2026, 1, 15), None) == (
        (d(2026, 2, 1), None),
        [(d(2026, 1, 15), d(2026, 1, 31))],
    )
    assert figures.whole_months(None, d(2026, 2, 10)) == (
        (None, d(2026, 1, 1)),
        [(d(2026, 2, 1), d(2026, 2, 10))],
    )
    assert figures.whole_months(d(2025, 12, 30), d(2026, 3, 2)) == (
        (d(2026, 1, 1), d(2026, 2, 1)),
        [(d(2025, 12, 30), d(2025, 12, 31)), (d(2026, 3, 1), d(2026, 3, 2))],
    )
    # No whole month inside: the period is read from the grades alone.
    assert figures.whole_months(d(2026, 2, 3), d(2026, 2, 20)) == (None, [(d(2026, 2, 3), d(2026, 2, 20))])
    assert figures.whole_months(d(2026, 1, 20), d(2026, 2, 27)) == (None, [(d(2026, 1, 20), d(2026, 2, 27))])
    assert figures.whole_months(d(2024, 2, 1), d(2024, 2, 29)) == ((d(2024, 2, 1), d(2024, 2, 1)), [])


def approved_on(personas, name, day, *, industry, agency, level):
    """An application submitted at 12:00 Beijing time on `day`, approved through the lifecycle."""
    app = helpers.application(
        factories.enterprise(name, industry=industry),
        state=ApplicationState.PROPOSED,
        level=level,
        agency=agency,
    )
    app.submitted_at = datetime.datetime.combine(day, datetime.time(12), tzinfo=BEIJING)
    app.save(update_fields=["submitted_at"])
    helpers.proposal(app, admin=personas.agency_admin)
    transition(app, "approve", by=personas.bureau)
    app.refresh_from_db()
    return app


def truth(**filters):
    """The figures the way they were computed before the cells: one aggregate over the period's grades."""
    apps = selectors.filtered_applications(**filters)
    totals = figures.grade_totals(
        Grade.objects.filter(revoked_at__isnull=True, application__in=apps), get_edition()
    )
    return rounded(totals)


def shown(start=None, end=None, industry="", agency_id=None):
    return rounded(
        selectors._filtered_tally(get_edition(), start=start, end=end, industry=industry, agency_id=agency_id)
    )


FILTERS = [
    {"industry": "industrial"},
    {"industry": "software_it"},
    {"start": datetime.date(2026, 1, 1)},
    {"start": datetime.date(2025, 12, 31), "end": datetime.date(2026, 2, 28)},
    {"start": datetime.date(2026, 1, 10), "end": datetime.date(2026, 3, 5)},
    {"start": datetime.date(2026, 2, 14), "end": datetime.date(2026, 2, 14), "industry": "industrial"},
    {"end": datetime.date(2026, 1, 31), "industry": "software_it"},
]


def test_the_filtered_dashboard_equals_the_aggregate_over_its_grades(personas):
    d = datetime.date
    days = [d(2025, 12, 31), d(2026, 1, 1), d(2026, 1, 31), d(2026, 2, 14), d(2026, 3, 5), d(2026, 3, 6)]
    apps = [
        approved_on(
            personas,
            f"格子企业{i}",
            day,
            industry="industrial" if i % 2 else "software_it",
            agency=personas.agency if i % 3 else personas.other_agency,
            level=2 + i % 3,
        )
        for i, day in enumerate(days)
    ]
    filters = [*FILTERS, {"agency_id": personas.agency.pk}, {"agency_id": personas.other_agency.pk}]

    def check():
        for f in filters:
            assert shown(**f) == truth(**f), f
        return truth(start=d(2026, 1, 1), end=d(2026, 1, 31))

    january = check()
    assert january["valid"] == 2  # 1 and 31 January, both ends of the month included
    # Whole months come from the cells alone: January's figures without reading a grade.
    assert rounded(figures.cell_totals(get_edition(), first=d(2026, 1, 1), last=d(2026, 1, 1))) == january

    # A change of industry moves the enterprise's grades; a revocation and a re-check's reissue move them out.
    services.update_enterprise(enterprise=apps[0].enterprise, by=personas.bureau, industry="industrial")
    assert truth(industry="industrial")["valid"] == 4
    check()
    transition(
        apps[1],
        "revoke",
        by=personas.bureau,
        reason="材料不实",
        basis="false_material",
        basis_text="佐证材料系伪造",
    )
    check()
    reissue_grade(apps[2].grade, level=1, by=personas.bureau)
    assert truth(start=d(2026, 1, 1), end=d(2026, 1, 31)).get("level_1") == 1
    check()

    # The rebuild writes the same cells.
    before = sorted(GradeCell.objects.values_list("edition", "month", "industry", "agency", "key", "value"))
    before = [row for row in before if row[-1]]  # a cell taken down to 0 stays as a row of 0
    GradeCell.objects.all().delete()
    call_command("rebuild_grade_figures", stdout=StringIO())
    assert (
        sorted(GradeCell.objects.values_list("edition", "month", "industry", "agency", "key", "value"))
        == before
    )
    check()
