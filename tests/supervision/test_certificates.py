"""Certificate numbers under concurrency: the year's counter row is locked, so no number is issued twice."""

import threading

import pytest
from django.db import connection, connections, transaction

from core.models import SerialCounter
from supervision.publication import next_certificate_number


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks; CI runs this on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_get_distinct_numbers():
    numbers, errors = [], []
    barrier = threading.Barrier(6)

    def approve():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(next_certificate_number(2040))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"SYDL-2040-{i:04d}" for i in range(1, 7)]
    assert SerialCounter.objects.get(kind="certificate", year=2040).last == 6
