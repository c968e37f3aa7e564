"""Proves which services the suite really talks to: the ones DATABASE_URL and CELERY_BROKER_URL name. In CI
(SHUNYI_REQUIRE_SERVICES=1) they must be PostgreSQL and Redis on 127.0.0.1; a service that cannot be reached
fails these tests, it never skips them."""

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

REQUIRED = os.environ.get("SHUNYI_REQUIRE_SERVICES") == "1"
VENDORS = {"postgres": "postgresql", "postgresql": "postgresql", "sqlite": "sqlite", "mysql": "mysql"}


@pytest.mark.django_db
def test_database_is_the_configured_one():
    url = urlsplit(os.environ.get("DATABASE_URL") or "sqlite:///")
    if REQUIRED:
        assert url.scheme.startswith("postgres")
    assert connection.vendor == VENDORS[url.scheme]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            assert "PostgreSQL" in cursor.fetchone()[0]
            cursor.execute("SELECT coalesce(inet_server_addr()::text, 'local'), inet_server_port()")
            address, port = cursor.fetchone()
            if url.hostname in ("127.0.0.1", "localhost") and address != "local":
                assert address.split("/")[0] in ("127.0.0.1", "::1") and port == (url.port or 5432)
        else:
            cursor.execute("SELECT sqlite_version()")
            assert cursor.fetchone()[0].count(".") == 2


@pytest.mark.skipif(
    not REQUIRED and not settings.CELERY_BROKER_URL,
    reason="no CELERY_BROKER_URL: tasks run in process (the autouse fixture makes them eager)",
)
def test_broker_is_the_configured_redis():
    from shunyi_eval.celery import app

    url = urlsplit(settings.CELERY_BROKER_URL)
    assert url.scheme == "redis"
    if REQUIRED:
        assert (url.hostname, url.port) == ("127.0.0.1", 6379)
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.transport.driver_type == "redis"
        client = conn.default_channel.client
        assert client.ping() is True
        info = client.info("server")
        assert info["tcp_port"] == (url.port or 6379) and info["redis_version"]
