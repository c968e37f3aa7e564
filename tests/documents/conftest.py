"""Fixtures for the documents tests: a real Celery worker (subprocess) on Redis, on the test database.

Worker tests use `@pytest.mark.worker` (tests/conftest.py then turns eager mode off),
`@pytest.mark.django_db(transaction=True)` (the worker must see committed rows) and
`@pytest.mark.xdist_group("celery")`. The broker is CELERY_BROKER_URL (CI: redis://127.0.0.1:6379/0); an
unreachable Redis fails these tests, it never skips them. Each test gets its own queue name, so nothing left in
Redis by another run reaches its worker.
"""

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

BROKER_URL = os.environ.get("CELERY_BROKER_URL") or settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0"

# The worker is another process: an in-memory SQLite test database would be invisible to it. On SQLite the
# test database is a file (pytest-django adds the xdist suffix to this name), one per checkout: two checkouts
# testing at once on one machine must not share (and delete) each other's database.
_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not (_db.get("TEST") or {}).get("NAME"):
    _checkout = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:10]
    _db.setdefault("TEST", {})["NAME"] = str(
        Path(tempfile.gettempdir()) / f"shunyi-documents-test-{os.getuid()}-{_checkout}.sqlite3"
    )


def database_url() -> str:
    from django.db import connection

    d = connection.settings_dict
    if d["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{d['NAME']}"
    auth = quote(d["USER"] or "")
    if d.get("PASSWORD"):
        auth += ":" + quote(d["PASSWORD"])
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


class Workers:
    """Start and stop real `celery worker --pool=solo` processes for one test."""

    def __init__(self, tmp_path, queue):
        self.tmp_path = tmp_path
        self.queue = queue
        self.procs = []
        self.mail_dir = tmp_path / "sent-mail"

    def start(self, *, env=None, wait=True) -> subprocess.Popen:
        n = len(self.procs) + 1
        log = self.tmp_path / f"worker-{n}.log"
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shunyi_eval.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_RESULT_BACKEND": BROKER_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "SHUNYI_TEST_TASK_PAUSE": "",
            "CELERY_VISIBILITY_TIMEOUT": "3600",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            **(env or {}),
        }
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shunyi_eval",
            "worker",
            "--pool=solo",
            "-Q",
            self.queue,
            "-n",
            f"test-{self.queue}-{n}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        proc = subprocess.Popen(
            cmd,
            cwd=settings.BASE_DIR,
            env=environ,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log = log
        self.procs.append(proc)
        if wait:
            self.wait_ready(proc)
        return proc

    def wait_ready(self, proc, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = proc.log.read_text(errors="replace")
            if " ready." in text:
                return
            if proc.poll() is not None:
                raise AssertionError(f"Celery worker exited ({proc.returncode}):\n{text[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(
            f"Celery worker not ready in {timeout}s:\n{proc.log.read_text(errors='replace')[-3000:]}"
        )

    def kill(self, proc):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)

    def purge(self):
        """Drop what is waiting in this test's queue (e.g. the report a new case queued for itself)."""
        redis_client().delete(self.queue)

    def logs(self) -> str:
        return "\n".join(p.log.read_text(errors="replace")[-4000:] for p in self.procs)


def redis_client():
    import redis

    return redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3)


@pytest.fixture
def celery_broker(transactional_db):
    """Point this process's Celery app at the real Redis (reachable, or the test fails) and a private queue."""
    from shunyi_eval.celery import app

    redis_client().ping()  # raises when Redis is unreachable: a failure, never a skip
    queue = f"shunyi-test-{uuid.uuid4().hex[:10]}"
    saved = {
        k: app.conf[k] for k in ("broker_url", "broker_write_url", "task_default_queue", "task_always_eager")
    }
    app.conf.broker_url = app.conf.broker_write_url = BROKER_URL  # publishing uses the write URL
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    yield queue
    app.conf.update(saved)
    client = redis_client()
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.fixture
def workers(celery_broker, tmp_path):
    w = Workers(tmp_path, celery_broker)
    yield w
    w.stop_all()


def wait_for(predicate, *, timeout=60, interval=0.2, message="condition", logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}" + (f"\n{logs()}" if logs else ""))
