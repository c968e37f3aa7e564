"""Keyset (seek) pagination for long lists ordered newest first by (a datetime column, id).

A page is found from the key of the row before it (`after`) or after it (`before`), never by OFFSET: page
5,000 costs what page 1 costs, on an index over (column DESC, id DESC). A key is "<microseconds since the
epoch>.<id>" in the URL; a garbled one gives the first page. No COUNT(*): the pager offers the first page,
the newer and the older page.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def key_of(value: datetime.datetime, pk: int) -> str:
    delta = value - EPOCH
    return f"{(delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds}.{pk}"


def parse_key(text: str | None) -> tuple[datetime.datetime, int] | None:
    try:
        micros, pk = (text or "").split(".")
        return EPOCH + datetime.timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass
class KeysetPage:
    rows: list
    newer: str | None = None  # the key for the page before (newer rows), None on the first page
    older: str | None = None  # the key for the page after (older rows), None on the last page
    is_first: bool = True
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.rows)

    @property
    def object_list(self) -> list:
        return self.rows

    def __len__(self):
        return len(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def keyset_page(qs, column: str, *, after: str | None = None, before: str | None = None, size: int = 50):
    """The page of `qs` (any filters; ordered here by `-column, -id`) after or before a key."""
    older_than, newer_than = parse_key(after), parse_key(before)
    if newer_than is not None:
        value, pk = newer_than
        # Rows just newer than the key, nearest first; shown newest first.
        window = qs.filter(Q(**{f"{column}__gte": value}) & (Q(**{f"{column}__gt": value}) | Q(pk__gt=pk)))
        rows = list(window.order_by(column, "pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        page = KeysetPage(rows, is_first=not more_newer)
        page.newer = key_of(getattr(rows[0], column), rows[0].pk) if more_newer and rows else None
        page.older = key_of(getattr(rows[-1], column), rows[-1].pk) if rows else None
        return page
    window = qs
    if older_than is not None:
        value, pk = older_than
        window = qs.filter(Q(**{f"{column}__lte": value}) & (Q(**{f"{column}__lt": value}) | Q(pk__lt=pk)))
    rows = list(window.order_by(f"-{column}", "-pk")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    page = KeysetPage(rows, is_first=older_than is None)
    if rows and older_than is not None:
        page.newer = key_of(getattr(rows[0], column), rows[0].pk)
    if rows and more_older:
        page.older = key_of(getattr(rows[-1], column), rows[-1].pk)
    return page
