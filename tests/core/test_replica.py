"""DATABASE_REPLICA_URL: the dashboard and the API's statistics read their figures from the replica, and
everything else — who is asking, the case pages, every write — from the primary. Shown with two real SQLite
files that differ (the replica is a copy taken before a case was added), in a fresh process with the real
settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, shutil, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()  # responses carry their template context
call_command("migrate", verbosity=0)
connections["default"].close()
shutil.copy(sys.argv[1], sys.argv[2])  # the replica: everything up to here

from api.services import create_token
from assessments.models import ApplicationState
from tests import factories

app = factories.application(factories.enterprise(), state=ApplicationState.SUBMITTED)  # after the copy
raw = create_token(name="replica test", scope="bureau")[1]
api = Client(headers={"authorization": "Bearer " + raw})
bureau = Client()
bureau.force_login(factories.bureau("replica-bureau"))
print(json.dumps({
    "statistics_total": api.get("/api/statistics").json()["total"],
    "application": api.get("/api/applications/" + app.number).status_code,
    "dashboard_total": bureau.get("/bureau/").context["data"]["total"],
    "bureau_list": len(bureau.get("/bureau/applications/").context["page"].object_list),  # a keyset page: no count
}))
"""


def run(tmp_path, **env) -> dict:
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "shunyi_eval.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{primary}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **{k: v.format(replica=replica) for k, v in env.items()},
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(primary), str(replica)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_dashboard_figures_come_from_the_replica_and_the_rest_from_the_primary(tmp_path):
    found = run(tmp_path, DATABASE_REPLICA_URL="sqlite:///{replica}")
    # the replica was copied before the case existed: the figures do not have it yet ...
    assert found["statistics_total"] == 0 and found["dashboard_total"] == 0
    # ... while the token, the signed-in bureau user, the case and the bureau's list are the primary's
    assert found["application"] == 200 and found["bureau_list"] == 1
