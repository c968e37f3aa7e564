"""Separate Celery queues (README "Where it outgrows one machine"): with CELERY_QUEUE_PDF and CELERY_QUEUE_BULK
set, a person's report or dossier never waits behind a regrade or an export; unset, everything stays on the
one default queue (a single worker does all, as before). Read from the real settings in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
import django
django.setup()
from shunyi_eval.celery import app
app.loader.import_default_modules()
routes = {n: app.amqp.router.route({}, n)["queue"].name for n in sorted(app.tasks) if not n.startswith("celery.")}
print(json.dumps({"routes": routes, "queues": sorted(app.amqp.queues)}))
"""


def probe(**env) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    environ |= {"DJANGO_SETTINGS_MODULE": "shunyi_eval.settings", "DEBUG": "1", **env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def kind(task: str) -> str:
    if task.startswith("documents.tasks."):
        return "pdf"  # 自评报告, 评测报告, 等级证书, the case dossier: someone is waiting for them
    if task.startswith(("assessments.tasks.regrade", "supervision.tasks.")):
        return "bulk"  # regrading and the bureau's exports: large, and nobody's page waits on them
    return "default"  # notifications, account e-mails, the outbox relay


def test_pdf_and_bulk_work_go_to_their_own_queues():
    found = probe(CELERY_QUEUE_PDF="pdf", CELERY_QUEUE_BULK="bulk", CELERY_TASK_DEFAULT_QUEUE="main")
    routes = found["routes"]
    expected = {"pdf": "pdf", "bulk": "bulk", "default": "main"}
    assert routes == {task: expected[kind(task)] for task in routes}
    assert {"documents.tasks.render_report", "documents.tasks.build_dossier"} <= set(routes)
    assert {"assessments.tasks.regrade_edition", "supervision.tasks.render_export"} <= set(routes)
    # a worker started without -Q consumes all three; dedicated workers name theirs
    assert found["queues"] == ["bulk", "main", "pdf"]


def test_without_the_settings_everything_stays_on_the_default_queue(settings):
    # (read from the settings, not from the Celery app: asking its router would cache its queues in this
    # process, and the worker tests change the default queue afterwards)
    assert not settings.CELERY_QUEUE_PDF and not settings.CELERY_QUEUE_BULK  # as in tests and `make run`
    assert settings.CELERY_TASK_ROUTES == {} and not hasattr(settings, "CELERY_TASK_QUEUES")
