"""Queue a regrade: one assessment, or every assessment of a framework edition (after its data was corrected)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Assessment
from assessments.regrade import request_regrade


class Command(BaseCommand):
    help = "Grade assessments again with the engine and store their score and level (in the background)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--assessment", type=int, help="one assessment id")
        group.add_argument("--edition", help="every assessment of this framework edition, e.g. shunyi-2024")

    def handle(self, *args, assessment=None, edition=None, **options):
        with transaction.atomic():
            if assessment is not None:
                target = Assessment.objects.filter(pk=assessment).first()
                if target is None:
                    raise CommandError(f"no assessment {assessment}")
                job = request_regrade(by=None, assessment=target)
            else:
                job = request_regrade(by=None, edition=edition)
        job.refresh_from_db()
        self.stdout.write(f"regrade job {job.pk}: {job.get_state_display()} {job.message}")
