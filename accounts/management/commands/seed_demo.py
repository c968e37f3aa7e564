"""Load the demo data (idempotent). Each app contributes its own part in `<app>/demo.py`, in app order."""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_APPS = ["accounts", "assessments", "experts", "supervision", "documents"]


class Command(BaseCommand):
    help = "Create the demo accounts and cases (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is None:
                    continue
                import_module(f"{app}.demo").seed(self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Demo password for every account: demo-pass-2024")
        )
