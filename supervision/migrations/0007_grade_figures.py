# The dashboard adds grades up in SQL (issue 12): each grade keeps the scenario levels and dimension points of
# the result it was approved on. Existing grades are filled from that result here.

from django.db import migrations, models


def fill(apps, schema_editor):
    from supervision.figures import figures_of  # the edition's order of scenarios and dimensions

    Grade = apps.get_model("supervision", "Grade")
    ApplicationVersion = apps.get_model("assessments", "ApplicationVersion")
    Proposal = apps.get_model("experts", "Proposal")
    for grade in Grade.objects.iterator(chunk_size=2000):
        proposal = (
            Proposal.objects.filter(application_id=grade.application_id, returned_at__isnull=True)
            .order_by("-submitted_at", "-id")
            .first()
        )
        result = proposal.verified_result if proposal is not None else None
        if not result:
            version = ApplicationVersion.objects.filter(application_id=grade.application_id).order_by("-number")
            version = version.first()
            result = version.result if version is not None else {}
        figures = figures_of(result, grade.edition)
        Grade.objects.filter(pk=grade.pk).update(**figures)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0006_certificate_counter_to_core"),
        ("experts", "0003_expertprofile_inspection_finding_inspectionphoto_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="grade",
            name="scenario_levels",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="grade",
            name="dimension_points",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddIndex(
            model_name="grade",
            index=models.Index(fields=["revoked_at", "edition"], name="grade_valid_edition"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
