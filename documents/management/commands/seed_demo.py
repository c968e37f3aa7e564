"""Load the demo data (idempotent). Each app contributes its own part in `<app>/demo.py`, in layer order; the
command lives in the top app because it reaches every app."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from assessments import demo as assessments_demo
from documents import demo as documents_demo
from experts import demo as experts_demo
from supervision import demo as supervision_demo

DEMOS = [accounts_demo, assessments_demo, experts_demo, supervision_demo, documents_demo]


class Command(BaseCommand):
    help = "Create the demo accounts and cases (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for demo in DEMOS:
                demo.seed(self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Demo password for every account: demo-pass-2024")
        )
