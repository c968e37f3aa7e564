"""The one way work is queued: after the database commit, with ids as keyword arguments."""

from django.db import transaction


def enqueue(task, **kwargs) -> None:
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs))
