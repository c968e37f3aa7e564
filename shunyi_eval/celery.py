"""The Celery app. With no broker configured (the embedded default) tasks run eagerly in process.

Outbox relay (see core.queue): a worker that starts sends whatever the outbox still holds
(`worker_ready`), and Celery beat, where it runs, re-sends overdue rows every minute.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shunyi_eval.settings")

app = Celery("shunyi_eval")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Queues and routes come from settings (CELERY_TASK_DEFAULT_QUEUE, CELERY_QUEUE_PDF, CELERY_QUEUE_BULK): one
# queue per deployment (or per test run) by default, separate PDF and bulk queues when they are set.
app.conf.beat_schedule = {
    "relay-outbox": {"task": "core.tasks.relay_outbox", "schedule": 60.0},
    # the audit page checks only the events since the last full walk (at most core.audit.PAGE_CHECK_LIMIT)
    "verify-audit-trail": {"task": "core.tasks.verify_audit_trail", "schedule": crontab(hour=2, minute=30)},
}


@worker_ready.connect
def _relay_outbox_on_start(sender=None, **kwargs):
    from core.queue import relay_pending

    try:
        relay_pending(due_only=False)
    except Exception:  # noqa: BLE001 - a worker must start even if the outbox cannot be read now
        import logging

        logging.getLogger(__name__).exception("Outbox relay at worker start failed")
