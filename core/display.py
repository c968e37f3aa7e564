"""How dates and times are shown to people: always in the site's time zone (Beijing time, Asia/Shanghai).

Every date or time a person or a document shows — pages, PDFs rendered by the worker, e-mails, Excel, CSV, the
dossier, stamps in file names — goes through these helpers (or Django's `|date`, which converts the same way).
Never `.date()` or `.isoformat()` of a stored (UTC) datetime: at 19:30 UTC it is already the next day in Beijing.
This module is also a template library (a builtin: no `{% load %}`).
"""

from datetime import date, datetime, time, timedelta

from django import template
from django.utils import timezone

register = template.Library()


def local(dt: datetime | None) -> datetime | None:
    """The datetime in the site's zone (naive values are taken as already local)."""
    if dt is None:
        return None
    return timezone.localtime(dt) if timezone.is_aware(dt) else dt


def local_date(dt: datetime | date | None) -> date | None:
    """The calendar day in Beijing of a stored datetime (a plain date is returned as it is)."""
    if dt is None or (isinstance(dt, date) and not isinstance(dt, datetime)):
        return dt
    return local(dt).date()


def local_iso(dt: datetime | None) -> str:
    """ISO 8601 with the zone, to the second: ``2026-12-02T03:30:00+08:00`` (dossier manifests, CSV)."""
    return local(dt).isoformat(timespec="seconds") if dt else ""


def local_text(dt: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A date or time as people read it, in Beijing time: ``2026-12-02 03:30``."""
    if dt is None:
        return ""
    if isinstance(dt, datetime):
        return local(dt).strftime(fmt)
    return dt.strftime(fmt.split(" ")[0])


def day_start(day: date) -> datetime:
    """The first instant of a calendar day in Beijing, as an aware datetime: `at >= day_start(d)` is the
    indexable form of `at__date >= d` (which converts every row's time before comparing)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def day_range(field: str, start: date | None = None, end: date | None = None) -> dict:
    """Filter keywords for "on a Beijing calendar day from `start` to `end`, both included" on a datetime
    column, as a half-open range an index can answer: {field__gte: start 00:00, field__lt: the day after end}."""
    kw = {}
    if start:
        kw[f"{field}__gte"] = day_start(start)
    if end:
        kw[f"{field}__lt"] = day_start(end + timedelta(days=1))
    return kw


def file_stamp(dt: datetime | None = None) -> str:
    """The stamp in a file name, in Beijing time: ``202612020330`` (now when no datetime is given)."""
    return local(dt or timezone.now()).strftime("%Y%m%d%H%M")


register.filter("local_iso", local_iso)
register.filter("local_date", local_date)
