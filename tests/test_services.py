"""Proves which services the suite really talks to. In CI (SHUNYI_REQUIRE_SERVICES=1) they must be PostgreSQL
and Redis; a service that cannot be reached fails these tests, it never skips them."""

import os

import pytest
from django.conf import settings
from django.db import connection

REQUIRED = os.environ.get("SHUNYI_REQUIRE_SERVICES") == "1"


@pytest.mark.django_db
def test_database_is_the_configured_one():
    with connection.cursor() as cursor:
        if REQUIRED:
            assert connection.vendor == "postgresql"
            cursor.execute("SELECT version()")
            assert "PostgreSQL" in cursor.fetchone()[0]
            cursor.execute("SELECT inet_server_addr()::text, inet_server_port()")
            address, port = cursor.fetchone()
            assert address.split("/")[0] == "127.0.0.1" and port == 5432
        else:
            cursor.execute("SELECT 1")
            assert cursor.fetchone()[0] == 1


def test_broker_is_redis_when_required():
    from shunyi_eval.celery import app

    if not REQUIRED:
        eager_expected = not settings.CELERY_BROKER_URL
        assert eager_expected is settings.CELERY_TASK_ALWAYS_EAGER
        return
    assert settings.CELERY_BROKER_URL.startswith("redis://127.0.0.1:6379")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.transport.driver_type == "redis"
        client = conn.default_channel.client
        assert client.ping() is True
        info = client.info("server")
        assert info["tcp_port"] == 6379 and info["redis_version"]
