"""Core's own periodic task: Celery beat re-sends overdue outbox rows."""

from .queue import durable_task, relay_pending


@durable_task(acks_late=False)
def relay_outbox(self):
    """Celery beat's periodic re-send of overdue outbox rows."""
    sent, left = relay_pending()
    return {"sent": sent, "left": left}
