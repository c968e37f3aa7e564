# Application numbers come from core's counter from now on (issue 12): each year's counter starts at the
# largest serial already used, compared as a number (as text, SY2026-9999 sorts after SY2026-10000).

import re

from django.db import migrations

NUMBER = re.compile(r"^SY(\d{4})-(\d+)$")


def seed_counters(apps, schema_editor):
    Application = apps.get_model("assessments", "Application")
    SerialCounter = apps.get_model("core", "SerialCounter")
    highest: dict[int, int] = {}
    for number in Application.objects.values_list("number", flat=True).iterator(chunk_size=5000):
        match = NUMBER.match(number)
        if match:
            year, serial = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), serial)
    for year, serial in highest.items():
        counter, _created = SerialCounter.objects.get_or_create(kind="application", year=year)
        if counter.last < serial:
            counter.last = serial
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_field_revisions"),
        ("core", "0004_serial_counter"),
    ]

    operations = [migrations.RunPython(seed_counters, migrations.RunPython.noop)]
