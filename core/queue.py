"""The one way work is queued: a transactional outbox, with ids as keyword arguments.

`enqueue(task, **kwargs)` writes an `OutboxMessage` row in the caller's transaction, so the work exists exactly
when the change that asked for it is committed. After the commit it tries to publish the row to the broker and
marks it sent. If the broker is down the user's action still succeeds: the row stays pending and is sent
later by whichever comes first:

- `python manage.py relay_outbox` (a loop, or `--once` from cron),
- the next successful `enqueue` (it re-sends a few overdue rows after its own),
- a worker starting (`worker_ready` signal) and Celery beat's `core.tasks.relay_outbox` every minute.

With no broker configured (the embedded default) Celery runs tasks eagerly: publishing a row runs its task in
this process, through the same code path.

`durable_task` is the decorator for every task: ids as keyword arguments, late acknowledgement (a killed
worker's task is delivered again), retries with exponential back-off.
"""

import logging
from datetime import timedelta

from celery import current_app, shared_task
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from .models import OutboxMessage

log = logging.getLogger(__name__)

RETRY_ON = (DatabaseOperationalError, BrokerOperationalError, ConnectionError, TimeoutError)
RELAY_BATCH = 100
# A pending row younger than this is left to its own on-commit publish (the relay does not race it).
RELAY_MIN_AGE = timedelta(seconds=5)


def durable_task(*args, **options):
    """`shared_task` with the house rules: bind, acks_late + reject_on_worker_lost, exponential back-off."""
    defaults = dict(
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=RETRY_ON,
        retry_backoff=2,
        retry_backoff_max=300,
        retry_jitter=True,
        max_retries=6,
        # State lives in the database (BackgroundJob, Report); no result backend round trips.
        ignore_result=True,
    )
    defaults.update(options)
    if args and callable(args[0]):
        return shared_task(**defaults)(args[0])
    return shared_task(*args, **defaults)


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def enqueue(task, **kwargs):
    """Queue `task` with these keyword arguments once the current transaction commits. Returns the outbox row."""
    message = OutboxMessage.objects.create(task=_task_name(task), kwargs=kwargs)
    transaction.on_commit(lambda: _after_commit(message.pk))
    return message


def _after_commit(message_id) -> None:
    if publish(message_id):
        relay_pending(limit=10, min_age=RELAY_MIN_AGE)


def _is_eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def publish(message_id) -> bool:
    """Send one outbox row to the broker (or run it, when eager). True when it is sent."""
    app = current_app
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    task = app.tasks.get(message.task)
    if task is None:
        app.loader.import_default_modules()
        task = app.tasks[message.task]
    if _is_eager():
        # Embedded default: run in process. A failing task is the task's failure (its job row says so),
        # not a delivery failure: the message counts as delivered either way.
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), attempts=message.attempts + 1
        )
        try:
            task.apply(kwargs=message.kwargs, task_id=str(message.pk), throw=False)
        except Exception:  # noqa: BLE001 - a task's own failure must not undo the user's committed action
            log.exception("Task %s failed in process", message.task)
        return True
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            task.apply_async(kwargs=message.kwargs, task_id=str(message.pk), connection=conn, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row pending for the relay
        attempts = message.attempts + 1
        delay = min(2**attempts, 300)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        log.warning("Broker unreachable, %s stays in the outbox: %s", message.task, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def pending_messages(*, min_age=timedelta(0), due_only=True):
    now = timezone.now()
    qs = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=now - min_age)
    if due_only:
        qs = qs.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return qs.order_by("created_at")


def relay_pending(
    *, limit: int = RELAY_BATCH, min_age=timedelta(0), due_only: bool = True
) -> tuple[int, int]:
    """Publish pending outbox rows, oldest first. Stops at the first broker failure. Returns (sent, left)."""
    sent = 0
    for message_id in list(
        pending_messages(min_age=min_age, due_only=due_only).values_list("pk", flat=True)[:limit]
    ):
        if not publish(message_id):
            break
        sent += 1
    return sent, pending_messages(due_only=False).count()
