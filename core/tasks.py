"""Core's own periodic tasks: Celery beat re-sends overdue outbox rows, and walks the audit trail's hash chain
nightly (the audit page then checks only what was written since)."""

from .audit import verify_trail
from .queue import durable_task, relay_pending


@durable_task(acks_late=False)
def relay_outbox(self):
    """Celery beat's periodic re-send of overdue outbox rows."""
    sent, left = relay_pending()
    return {"sent": sent, "left": left}


@durable_task(acks_late=False)
def verify_audit_trail(self):
    """Celery beat's nightly full walk of the audit trail (as `manage.py verify_audit`), kept for the page."""
    state = verify_trail()
    return {"ok": state.ok, "checked": state.checked, "first_broken": state.first_broken}
