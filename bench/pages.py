"""Benchmark of the main pages on the current database (issue 12): gunicorn with two workers serves the site and
a bare hello-world view (bench/urls.py) side by side; every page is asked for by a signed-in user of its role
at concurrency 1 and 8, and compared with the hello-world of the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shunyi_scale .venv/bin/python bench/pages.py [--seconds 6]
    .venv/bin/python bench/pages.py --only verify       # the hello-world and the public verify page alone

Per page: requests/s, median and 95th percentile latency, the queries one request makes (counted in process
with the same user), and the ratio of its requests/s to the hello-world's, measured beside it: the page and the
hello-world take turns in six slices of each cell (`beside()`), so that both see the machine as it was then. Prints a Markdown table (with the
machine's load average before and after) to paste into bench/RESULTS.md. gunicorn runs with DEBUG off (the
production settings, HTTPS redirects and secure cookies off for plain HTTP on 127.0.0.1).
"""

import argparse
import datetime
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shunyi_eval.settings")
os.environ.setdefault("DEBUG", "1")  # this process only counts queries; gunicorn gets DEBUG=0 below
# One key for both processes: the sessions made here are gunicorn's signed-in users.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"  # as in bench/wsgi.py: the site plus the hello-world view
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from core.models import AuditEvent  # noqa: E402
from core.pages import key_of  # noqa: E402
from supervision.models import Grade, Recheck, Sample  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def user(role, username=None):
    qs = User.objects.filter(role=role, is_active=True)
    if username:
        qs = qs.filter(username=username)
    return qs.order_by("id").first()


def pages(only=()) -> list[tuple[str, object, str]]:
    """(label, user or None, path) of every page measured, or of the pages named in `only` (keys of the table below);
    the hello-world always comes first, the yardstick of every ratio."""
    bureau = user(Role.BUREAU, "demo-bureau") or user(Role.BUREAU)
    expert = user(Role.EXPERT, "demo-expert") or user(Role.EXPERT)
    admin = user(Role.AGENCY_ADMIN, "demo-agency") or user(Role.AGENCY_ADMIN)
    enterprise = user(Role.ENTERPRISE, "demo-enterprise") or user(Role.ENTERPRISE)
    from assessments.models import Application

    today = timezone.localdate()

    def dashboard_period():
        # ~13 months with ragged ends: the whole months from the cells, the days at both edges from the grades
        start, end = today - datetime.timedelta(days=410), today - datetime.timedelta(days=17)
        return bureau, f"/bureau/?start={start.isoformat()}&end={end.isoformat()}"

    def audit_deep():
        deep_event = (
            AuditEvent.objects.order_by("-at", "-id")[1_000_000:1_000_001].first()
            or AuditEvent.objects.order_by("at", "id").first()
        )
        return bureau, f"/bureau/audit/?after={key_of(deep_event.at, deep_event.pk)}"

    def list_deep():
        deep_app = (
            Application.objects.exclude(state="draft")
            .order_by("-state_changed_at", "-id")[60_000:60_001]
            .first()
            or Application.objects.order_by("state_changed_at").first()
        )
        return bureau, f"/bureau/applications/?after={key_of(deep_app.state_changed_at, deep_app.pk)}"

    def case():
        big_case = Application.objects.filter(state="approved").order_by("-id").first()
        return bureau, f"/bureau/applications/{big_case.pk}/"

    def sample():
        sample = Sample.objects.order_by("-id").first()
        return (bureau, f"/bureau/samples/{sample.pk}/") if sample is not None else None

    def verify():
        grade = Grade.objects.filter(revoked_at__isnull=True).order_by("-id").first()
        return None, f"/verify/{grade.certificate_number}/"

    def recheck():
        recheck = Recheck.objects.exclude(agency=None).order_by("id").first()
        recheck_admin = (
            user(Role.AGENCY_ADMIN)
            if recheck is None
            else (User.objects.filter(role=Role.AGENCY_ADMIN, agency=recheck.agency).order_by("id").first())
        )
        return (recheck_admin, "/recheck/") if recheck_admin is not None else None

    # key: (label, function giving (user, path), or None when the data set has no such page)
    table = {
        "hello": ("hello-world (bare Django view)", lambda: (None, "/bench/hello/")),
        "dashboard": ("bureau dashboard `/bureau/`", lambda: (bureau, "/bureau/")),
        "dashboard-filtered": (
            "bureau dashboard, filtered",
            lambda: (bureau, "/bureau/?industry=industrial"),
        ),
        "dashboard-year": (
            "bureau dashboard, this year",
            lambda: (bureau, f"/bureau/?start={today.year}-01-01"),
        ),
        "dashboard-period": ("bureau dashboard, a period of days", dashboard_period),
        "commissioning": ("commissioning page", lambda: (bureau, "/bureau/commissioning/")),
        "audit": ("audit trail, first page", lambda: (bureau, "/bureau/audit/")),
        "audit-deep": ("audit trail, deep page", audit_deep),
        "audit-filtered": (
            "audit trail, filtered",
            lambda: (bureau, "/bureau/audit/?action=application.approve&start=2026-01-01"),
        ),
        "list": ("application list, first", lambda: (bureau, "/bureau/applications/")),
        "list-filtered": (
            "application list, filtered",
            lambda: (bureau, "/bureau/applications/?state=approved&q=%E8%A7%84%E6%A8%A1"),
        ),
        "list-deep": ("application list, deep", list_deep),
        "intake": ("intake", lambda: (bureau, "/bureau/intake/")),
        "approvals": ("approvals", lambda: (bureau, "/bureau/approvals/")),
        "roster": ("roster", lambda: (bureau, "/bureau/roster/")),
        "sampling": ("sampling", lambda: (bureau, "/bureau/samples/")),
        "sample": ("sample page", sample),
        "case": ("bureau case page", case),
        "expert": ("expert home", lambda: (expert, "/review/")),
        "agency": ("agency home", lambda: (admin, "/review/")),
        "enterprise": ("enterprise home", lambda: (enterprise, "/enterprise/")),
        "questionnaire": ("enterprise questionnaire", lambda: (enterprise, "/enterprise/self-assessment/")),
        "verify": ("public verify page", verify),
        "recheck": ("re-check list", recheck),
    }
    unknown = set(only) - set(table)
    if unknown:
        raise SystemExit(f"unknown page(s) {', '.join(sorted(unknown))}; known: {', '.join(table)}")
    out = []
    for key, (label, where) in table.items():
        if key != "hello" and only and key not in only:
            continue
        found = where()
        if found is not None:
            out.append((label, *found))
    return out


def session_cookie(u) -> str:
    if u is None:
        return ""
    c = Client()
    c.force_login(u)
    return f"{settings.SESSION_COOKIE_NAME}={c.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(u, path) -> int:
    c = Client()
    if u is not None:
        c.force_login(u)
    c.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def run(port, path, cookie, concurrency, seconds) -> tuple[list, float, list]:
    """Requests for `seconds` from `concurrency` clients: (latencies of the answered ones, elapsed, errors)."""
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"}
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException) as exc:
                ok = False
                errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                errors.append(path)
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - began, errors


def summary(latencies, elapsed, errors) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    return {
        "rps": n / elapsed if elapsed else 0,
        "p50": statistics.median(latencies) * 1000 if n else float("nan"),
        "p95": latencies[min(n - 1, int(n * 0.95))] * 1000 if n else float("nan"),
        "n": n,
        "errors": len(errors),
    }


def load(port, path, cookie, concurrency, seconds) -> dict:
    return summary(*run(port, path, cookie, concurrency, seconds))


def beside(port, path, cookie, concurrency, seconds, hello="/bench/hello/", slices=6) -> tuple[dict, dict]:
    """The page and the hello-world in alternating slices, `seconds` each in all: (page, hello-world).

    Measured one after the other, a drift of the machine's speed (other processes, a CPU's clock) between the two
    cells moves their ratio either way; in alternating slices both see the same machine."""
    latencies, elapsed, errors = {path: [], hello: []}, {path: 0.0, hello: 0.0}, {path: [], hello: []}
    for _ in range(slices):
        for where, who in ((hello, ""), (path, cookie)):
            answered, took, failed = run(port, where, who, concurrency, seconds / slices)
            latencies[where] += answered
            elapsed[where] += took
            errors[where] += failed
    return tuple(summary(latencies[where], elapsed[where], errors[where]) for where in (path, hello))


def start_gunicorn(port, workers):
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static),
        "EMAIL_HOST": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "bench.wsgi:application", "-w", str(workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/bench/hello/")
            break
        except OSError:
            time.sleep(0.2)
    return proc


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="per page and concurrency")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only",
        nargs="+",
        default=(),
        metavar="PAGE",
        help="measure only these pages (and the hello-world), by key: verify, dashboard, list-deep, … (pages())",
    )
    args = parser.parse_args(argv)
    todo = pages(args.only)
    queries = {label: count_queries(u, path) for label, u, path in todo}
    cookies = {label: session_cookie(u) for label, u, path in todo}
    port = free_port()
    load_before = os.getloadavg()
    proc = start_gunicorn(port, args.workers)
    try:
        for label, _u, path in todo:  # warm every worker's caches and connections
            load(port, path, cookies[label], 2, 0.5)
        rows = []  # (label, c=1, c=8, the hello-world beside it at c=1, at c=8)
        for label, _u, path in todo:
            if path == "/bench/hello/":
                one, eight = (load(port, path, "", c, args.seconds) for c in (1, 8))
                rows.append((label, one, eight, one, eight))
                continue
            (one, hello1), (eight, hello8) = (
                beside(port, path, cookies[label], c, args.seconds) for c in (1, 8)
            )
            rows.append((label, one, eight, hello1, hello8))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f} (1 min), "
          f"{os.cpu_count()} cores, gunicorn {args.workers} workers, {args.seconds:g} s per cell; each page "
          f"measured beside the hello-world in alternating slices (hello-world beside it: its req/s then)")  # fmt: skip
    print()
    print(
        "| page | c=1 req/s | c=1 p50 ms | c=1 p95 ms | c=8 req/s | c=8 p95 ms | hello-world beside it (c=1 / c=8) "
        "| × hello (c=1 / c=8) | queries | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, one, eight, hello1, hello8 in rows:
        print(
            f"| {label} | {one['rps']:.1f} | {one['p50']:.1f} | {one['p95']:.1f} | {eight['rps']:.1f} | "
            f"{eight['p95']:.1f} | {hello1['rps']:.1f} / {hello8['rps']:.1f} | "
            f"{one['rps'] / hello1['rps']:.3f} / {eight['rps'] / hello8['rps']:.3f} | "
            f"{queries[label]} | {one['errors'] + eight['errors']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
