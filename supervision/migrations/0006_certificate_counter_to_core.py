# Certificate numbers share core's counter with application numbers (issue 12): the per-year rows of
# CertificateSequence move there (kind "certificate"), raised to the largest serial issued, compared as a number.

import re

from django.db import migrations

NUMBER = re.compile(r"^SYDL-(\d{4})-(\d+)$")


def move_counters(apps, schema_editor):
    CertificateSequence = apps.get_model("supervision", "CertificateSequence")
    Grade = apps.get_model("supervision", "Grade")
    SerialCounter = apps.get_model("core", "SerialCounter")
    highest = dict(CertificateSequence.objects.values_list("year", "last"))
    for number in Grade.objects.values_list("certificate_number", flat=True).iterator(chunk_size=5000):
        match = NUMBER.match(number)
        if match:
            year, serial = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), serial)
    for year, serial in highest.items():
        counter, _created = SerialCounter.objects.get_or_create(kind="certificate", year=year)
        if counter.last < serial:
            counter.last = serial
            counter.save(update_fields=["last"])


def move_back(apps, schema_editor):
    CertificateSequence = apps.get_model("supervision", "CertificateSequence")
    SerialCounter = apps.get_model("core", "SerialCounter")
    for counter in SerialCounter.objects.filter(kind="certificate"):
        CertificateSequence.objects.update_or_create(year=counter.year, defaults={"last": counter.last})


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_certificatefile"),
        ("core", "0004_serial_counter"),
    ]

    operations = [
        migrations.RunPython(move_counters, move_back),
        migrations.DeleteModel(name="CertificateSequence"),
    ]
