"""Reads that may come from a read replica (DATABASE_REPLICA_URL): the dashboards' figures, never a case page.

With a replica configured, `DATABASES["replica"]` exists and `ReplicaRouter` sends the reads made inside
`replica_reads()` (or a view decorated with `@reads_from_replica`) there; every write, and every read outside
such a block, goes to the primary (`default`), so a page always reads its own writes. Without one, the block
changes nothing. A replica lags by its replication delay: only figures that may be seconds old belong here."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_active: ContextVar[bool] = ContextVar("replica_reads", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def reads_from_replica(view):
    """A view whose reads may come from the replica (put it under the access decorator: who is asking is read
    from the primary)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _active.get() and has_replica() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
