"""Grades keep their holder as approved: name, credit code and framework edition (level and score were already
stored). Existing grades are filled from what the enterprise submitted (the latest frozen version's profile,
the closest record to the approval), else from the enterprise as it is now; the edition from the proposal the
grade was approved on, else the assessment's."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Grade = apps.get_model("supervision", "Grade")
    ApplicationVersion = apps.get_model("assessments", "ApplicationVersion")
    Proposal = apps.get_model("experts", "Proposal")
    for grade in Grade.objects.select_related("enterprise", "application__assessment").iterator():
        version = ApplicationVersion.objects.filter(application_id=grade.application_id).order_by("-number").first()
        profile = version.profile if version is not None and isinstance(version.profile, dict) else {}
        proposal = (
            Proposal.objects.filter(application_id=grade.application_id, returned_at__isnull=True)
            .order_by("-submitted_at", "-id")
            .first()
        )
        framework = (proposal.verified_result or {}).get("framework") if proposal is not None else None
        grade.holder_name = str(profile.get("name") or grade.enterprise.name)[:200]
        grade.holder_credit_code = str(profile.get("credit_code") or grade.enterprise.credit_code)[:18]
        grade.edition = str(framework or (version.edition if version else "") or grade.application.assessment.edition)
        grade.save(update_fields=["holder_name", "holder_credit_code", "edition"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("experts", "0002_proposal"),
        ("supervision", "0003_audit_to_core_roster_to_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="grade",
            name="holder_name",
            field=models.CharField(default="", max_length=200, verbose_name="认定时企业名称"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="grade",
            name="holder_credit_code",
            field=models.CharField(default="", max_length=18, verbose_name="认定时统一社会信用代码"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="grade",
            name="edition",
            field=models.CharField(default="", max_length=40, verbose_name="评测框架版本"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="grade",
            constraint=models.CheckConstraint(
                condition=~models.Q(holder_name="") & ~models.Q(holder_credit_code="") & ~models.Q(edition=""),
                name="grade_holder_frozen",
            ),
        ),
    ]
