"""Django's PostgreSQL backend, with one change: the health check of a kept connection (CONN_HEALTH_CHECKS, run
once at the start of each request that uses the database) first asks the kernel instead of the server.

Django's check sends `SELECT 1` and waits for the answer: one more round trip on every request, ~0.1 ms on an
idle machine and several on a loaded one, where the database's process must be scheduled to answer it (on the
public verify page, whose own work is one query, it was a third of the time spent waiting for PostgreSQL).

An idle PostgreSQL connection receives nothing: the server writes to it only in answer to a query, or when it ends
the session (a restart, `pg_terminate_backend`, an idle timeout of the server or of a pooler: an error message,
then the close). So a socket with nothing to read, on a connection psycopg holds as open and idle, is one the
server has not closed; anything to read (the farewell, the end of the stream), or a connection not idle, gets
Django's own check. A connection lost without a word (a silent network partition) is caught by neither check
before the query itself, as before."""

import select

from django.db.backends.postgresql import base
from psycopg import Error, pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        try:
            idle = conn.info.transaction_status == pq.TransactionStatus.IDLE
            readable = select.select([conn.pgconn.socket], [], [], 0)[0]
        except (OSError, ValueError, Error):  # no socket any more
            return False
        if idle and not readable:
            return True
        return super().is_usable()
