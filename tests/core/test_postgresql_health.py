"""A kept PostgreSQL connection is health-checked by asking the kernel (core.postgresql): a healthy idle connection
costs no `SELECT 1` round trip, one the server closed is found and replaced at the next request instead of failing
it, and a connection that is not idle still gets Django's own check."""

import select

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's backend; CI runs this on PostgreSQL"
    ),
]


@pytest.fixture
def probe():
    """A second, independent connection to the test database through the site's backend, in autocommit and idle
    between queries, as a web worker's kept connection is between requests."""
    from core.postgresql.base import DatabaseWrapper

    wrapper = DatabaseWrapper({**connection.settings_dict}, alias="probe")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def pid_of(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_site_uses_the_backend():
    from core.postgresql.base import DatabaseWrapper

    assert connection.settings_dict["ENGINE"] == "core.postgresql"
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_healthy_idle_connection_is_usable_without_asking_the_server(probe, monkeypatch):
    pid_of(probe)

    def no_round_trip(self):
        raise AssertionError("SELECT 1 sent")

    monkeypatch.setattr(DjangoWrapper, "is_usable", no_round_trip)
    assert probe.is_usable() is True


def test_a_connection_the_server_closed_is_replaced_not_an_error(probe):
    old = pid_of(probe)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old])
        assert cursor.fetchone()[0] is True
    # The server's farewell (an error message, then the end of the stream) reaches the socket.
    assert select.select([probe.connection.pgconn.socket], [], [], 5)[0]
    assert probe.is_usable() is False
    # What Django does at the start of a request that uses the database, then the request's own query.
    probe.health_check_enabled, probe.health_check_done = True, False
    probe.close_if_health_check_failed()
    assert probe.connection is None
    assert pid_of(probe) != old


def test_a_connection_inside_a_transaction_gets_djangos_own_check(probe, monkeypatch):
    asked = []

    def select_one(self):
        asked.append(self.alias)
        return True

    monkeypatch.setattr(DjangoWrapper, "is_usable", select_one)
    probe.connection.execute("BEGIN")
    try:
        assert probe.is_usable() is True and asked == ["probe"]
    finally:
        probe.connection.execute("ROLLBACK")
