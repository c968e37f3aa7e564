"""Check the audit trail's hash chain: every event's hash matches its content and links to the one before.
Reports the first broken link and exits non-zero. The outcome is kept (core.models.AuditCheck) for the audit
page; the trail itself is never changed."""

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_trail


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 at the first broken link."

    def handle(self, *args, **options):
        state = verify_trail()  # kept for the audit page, which then checks only newer events
        if not state.ok:
            what = (
                "its content does not match its hash"
                if state.problem == "hash"
                else "it does not link to the event before"
            )
            raise CommandError(
                f"audit chain broken at event {state.first_broken}: {what} "
                f"({state.checked} events before it verified)"
            )
        self.stdout.write(f"audit chain intact: {state.checked} events, last hash {state.last_hash}")
