"""Application and certificate numbers come from a counter (core.numbering), so they never collide and keep
counting past 9,999 a year — as text, SY2026-9999 sorts after SY2026-10000, and "the largest number plus one"
stopped there with "could not allocate an application number"."""

import importlib
import threading

import pytest
from django.apps import apps as installed_apps
from django.db import connection, connections, transaction
from django.utils import timezone

from assessments import services
from assessments.models import Application
from core import numbering
from core.models import SerialCounter
from supervision.publication import next_certificate_number
from tests import factories

pytestmark = pytest.mark.django_db


def _submitted(n: int) -> list[Application]:
    """n drafts numbered as their submission numbers them (a draft has none until then)."""
    apps = []
    for i in range(n):
        ent = factories.enterprise(f"计数企业{i}")
        app = services.start_application(enterprise=ent, by=factories.enterprise_user(f"count-{i}", ent))
        assert app.number is None
        services.assign_number(app)
        app.save(update_fields=["number"])
        apps.append(app)
    return apps


def test_application_numbers_count_on_past_ten_thousand():
    year = timezone.localdate().year
    SerialCounter.objects.create(kind=services.APPLICATION_SERIES, year=year, last=9998)
    numbers = [a.number for a in _submitted(3)]
    assert numbers == [f"SY{year}-9999", f"SY{year}-10000", f"SY{year}-10001"]
    assert Application.objects.filter(number__in=numbers).count() == 3
    assert services.next_application_number() == f"SY{year}-10002"


def test_a_counter_made_for_existing_numbers_starts_after_the_largest_as_a_number():
    """Numbers made before the counter (or a year's first): the next one follows the numeric maximum, not the
    alphabetical one (SY2026-9999 > SY2026-10000 as text)."""
    ent = factories.enterprise()
    for number in ("SY2031-9999", "SY2031-10000", "SY2031-0042"):
        factories.application(ent, number=number)
    assert services.next_application_number(2031) == "SY2031-10001"
    assert services.next_application_number(2031) == "SY2031-10002"
    assert services.next_application_number(2032) == "SY2032-0001"


def test_the_migration_seeds_each_year_from_the_numeric_suffix():
    ent = factories.enterprise()
    for number in ("SY2033-9999", "SY2033-10000", "SY2034-0007"):
        factories.application(ent, number=number)
    SerialCounter.objects.create(kind="application", year=2034, last=3)
    migration = importlib.import_module("assessments.migrations.0003_application_counter")
    migration.seed_counters(installed_apps, None)
    counters = dict(SerialCounter.objects.filter(kind="application").values_list("year", "last"))
    assert counters[2033] == 10000 and counters[2034] == 7


def test_certificate_numbers_count_on_past_ten_thousand():
    SerialCounter.objects.create(kind="certificate", year=2035, last=9999)
    assert next_certificate_number(2035) == "SYDL-2035-10000"
    assert next_certificate_number(2035) == "SYDL-2035-10001"


def test_highest_serial_compares_numbers():
    ent = factories.enterprise()
    for number in ("SY2036-9999", "SY2036-10000", "SY2037-20000"):
        factories.application(ent, number=number)
    assert numbering.highest_serial(Application.objects.all(), "number", "SY2036-") == 10000
    assert numbering.highest_serial(Application.objects.all(), "number", "SY2038-") == 0


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks; CI runs this on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "take", [lambda: services.next_application_number(2041), lambda: next_certificate_number(2041)]
)
def test_concurrent_writers_get_distinct_serials_across_ten_thousand(take):
    # The first writer makes the year's row; every other queues for its lock.
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(take())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    SerialCounter.objects.create(kind="application", year=2041, last=9996)
    SerialCounter.objects.create(kind="certificate", year=2041, last=9996)
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in results)
    assert serials == list(range(9997, 10005))
