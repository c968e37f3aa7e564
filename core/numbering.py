"""Serial numbers per kind and year (SY2026-0001, SYDL-2026-0001) from a locked counter row.

The counter, not the numbered table, says which serial comes next: the numbers are text, and as text
`SY2026-9999` sorts after `SY2026-10000`, so "the largest number plus one" breaks at the 10,000th of a year.
A serial is taken inside the caller's transaction; the row stays locked until it commits, so concurrent
writers queue for the row and each gets its own serial.
"""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Cast, Length, Substr

from .models import SerialCounter


def highest_serial(queryset, field: str, prefix: str) -> int:
    """The largest numeric suffix among `field` values that start with `prefix` (0 if none), compared as
    numbers in the database — the seed of a counter made for numbers that already exist."""
    value = (
        queryset.filter(**{f"{field}__startswith": prefix})
        .annotate(_serial=Cast(Substr(field, Length(models.Value(prefix)) + 1), models.BigIntegerField()))
        .aggregate(top=models.Max("_serial"))["top"]
    )
    return int(value or 0)


def next_serial(kind: str, year: int, *, existing: Callable[[], int] = lambda: 0) -> int:
    """Take the next serial of (kind, year). `existing()` gives the highest serial already used; it is read
    once, when the year's counter row is first made (a new year, or numbers made before the counter)."""
    with transaction.atomic():
        counter = SerialCounter.objects.select_for_update().filter(kind=kind, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    SerialCounter.objects.create(kind=kind, year=year, last=existing())
            except IntegrityError:
                pass  # another writer made the row first: lock theirs
            counter = SerialCounter.objects.select_for_update().get(kind=kind, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


def catch_up(kind: str, year: int, highest: int) -> None:
    """Raise the counter to at least `highest` (numbers were written without it: a restore, a bulk seed)."""
    with transaction.atomic():
        SerialCounter.objects.get_or_create(kind=kind, year=year)
        SerialCounter.objects.filter(kind=kind, year=year, last__lt=highest).update(last=highest)
