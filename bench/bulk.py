"""Benchmark of the bulk work on the current database (issue 12): regrading a whole edition, the full Excel
exports (time and peak memory, each in a fresh process) and the dossier of a large case.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shunyi_scale .venv/bin/python bench/bulk.py

The regrade first sets every level of the edition to 0 (so every assessment really changes), then runs
`regrade_edition` as `manage.py regrade` does without a broker (in process, chunk after chunk), and checks that
the engine's levels are back. Peak memory is the process's maximum resident set (ru_maxrss), printed beside
the same process's size before the export started.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shunyi_eval.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.pop("CELERY_BROKER_URL", None)  # tasks in process: the timing is the work, not the queue

import django  # noqa: E402

django.setup()

from accounts.models import Role, User  # noqa: E402
from assessments.models import Application, Assessment  # noqa: E402
from core.models import BackgroundJob, JobKind  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def regrade(edition="shunyi-2024") -> str:
    from assessments.tasks import regrade_edition

    n = Assessment.objects.filter(edition=edition).count()
    levels = dict(
        Assessment.objects.filter(edition=edition).values_list("pk", "level").iterator(chunk_size=20000)
    )
    Assessment.objects.filter(edition=edition).update(level=0)
    job = BackgroundJob.objects.create(kind=JobKind.REGRADE, params={"edition": edition})
    start = time.perf_counter()
    regrade_edition.apply(kwargs={"edition": edition, "job_id": job.pk})
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    after = dict(
        Assessment.objects.filter(edition=edition).values_list("pk", "level").iterator(chunk_size=20000)
    )
    assert after == levels, "the regrade did not restore the engine's levels"
    return f"regrade of {n:,} assessments: {elapsed:.1f} s ({n / elapsed:,.0f}/s), job {job.state} “{job.message}”"


def export(name: str) -> str:
    """One export, as the background task writes it, in this (fresh) process."""
    from supervision import exports, tasks

    bureau = User.objects.filter(role=Role.BUREAU, is_active=True).order_by("id").first()
    before = rss_mb()
    start = time.perf_counter()
    sheet = tasks.EXPORTS[name].sheet(bureau, {})
    with tempfile.TemporaryFile() as out:
        rows = exports.write_book(out, sheet.title, sheet.header, sheet.rows)
        size = out.tell()
    elapsed = time.perf_counter() - start
    return (
        f"export “{name}”: {rows:,} rows, {size / 1e6:.1f} MB file, {elapsed:.1f} s, "
        f"peak RSS {rss_mb():.0f} MB (process before the export: {before:.0f} MB)"
    )


def dossier() -> str:
    from django.db.models import Count

    from documents.dossier import build

    app = (
        Application.objects.filter(state="approved")
        .annotate(events=Count("audit_events"))
        .order_by("-events", "-id")
        .first()
    )
    bureau = User.objects.filter(role=Role.BUREAU, is_active=True).order_by("id").first()
    start = time.perf_counter()
    report = build(app, by=bureau)
    elapsed = time.perf_counter() - start
    return f"dossier of {app.number} ({app.events} audit events): {elapsed:.2f} s, {report.file.size / 1e3:.0f} kB"


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "export":
        print(export(sys.argv[2]))
        return 0
    print(regrade())
    for name in ("applications", "results"):
        out = subprocess.run(
            [sys.executable, __file__, "export", name], capture_output=True, text=True, check=True
        )
        print(out.stdout.strip())
    print(dossier())
    return 0


if __name__ == "__main__":
    sys.exit(main())
