"""Send the task outbox's pending messages to the broker: `--once` (cron) or a loop (a small service)."""

import time

from django.core.management.base import BaseCommand

from core.queue import relay_pending


class Command(BaseCommand):
    help = "Publish pending outbox messages (tasks queued while the broker was unreachable)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is pending now and exit")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes in a loop")
        parser.add_argument("--all", action="store_true", help="ignore the back-off delay of failed rows")

    def handle(self, *args, once=False, interval=5.0, all=False, **options):
        while True:
            sent, left = relay_pending(due_only=not all)
            if sent or once:
                self.stdout.write(f"sent {sent}, pending {left}")
            if once:
                return
            time.sleep(interval)
