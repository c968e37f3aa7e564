"""The unfiltered dashboard reads running totals (GradeTally) kept by the transactions that publish and revoke a
grade; they always equal the SQL aggregate over the grades themselves, and the rebuild command makes them so."""

import pytest
from django.core.management import call_command

from assessments.framework import get_edition
from assessments.lifecycle import transition
from supervision import figures
from supervision.models import Grade, GradeTally
from tests import factories
from tests.supervision import helpers

pytestmark = pytest.mark.django_db


def sql_totals():
    ed = get_edition()
    totals = figures.grade_totals(Grade.objects.filter(revoked_at__isnull=True), ed)
    return {k: (int(v) if not k.startswith("dim_") else round(float(v), 4)) for k, v in totals.items() if v}


def tally():
    return {
        k: (v if not k.startswith("dim_") else round(float(v), 4))
        for k, v in figures.tally_totals(get_edition()).items()
        if v
    }


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
