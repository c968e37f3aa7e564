"""Write every grade's dashboard figures again from the results it was approved on, and the running totals
(GradeTally) from the grades: after a data fix, a restore, or rows written around the services."""

from django.core.management.base import BaseCommand

from supervision.figures import rebuild


class Command(BaseCommand):
    help = "Rebuild the grades' stored figures and the dashboard's running totals."

    def handle(self, *args, **options):
        n = rebuild()
        self.stdout.write(f"rebuilt the figures of {n} grades and the dashboard totals")
