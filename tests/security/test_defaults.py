"""Issue 10 point 7 — safe defaults: DEBUG off unless set, no committed secret usable with DEBUG off,
`check --deploy` clean with the README's production settings, docker compose secrets from the environment,
Content Security Policy with no inline script, HSTS and Referrer-Policy, no-store on private responses, and
no debug page (nor DATABASE_URL) for visitors."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import path, reverse

from core.models import BackgroundJob
from tests.test_skeleton import COMPOSE_ENV, _compose_config

ROOT = Path(__file__).resolve().parents[2]
DEV_KEY = "dev-only-insecure-key-shunyi-eval"


def production_env(**extra) -> dict:
    """The production settings documented in the README (DEBUG=0 and a real SECRET_KEY; SMTP by default)."""
    dropped = {
        "DEBUG",
        "SECRET_KEY",
        "EMAIL_BACKEND",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # the last: tests/conftest
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="shunyi_eval.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="eval.example.org,testserver",
        SITE_URL="https://eval.example.org",
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env, **kw):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, **kw
    )


SHOW_DEBUG = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_debug_is_off_unless_set():
    result = run(["-c", SHOW_DEBUG], production_env(DEBUG=None))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("key", [None, "", DEV_KEY])
def test_start_up_refuses_a_missing_or_the_development_secret_key(key):
    result = run(["-c", SHOW_DEBUG], production_env(DEBUG=None, SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY must be set (and not to the development key) when DEBUG is off" in result.stderr


def test_check_deploy_passes_with_the_documented_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # The README documents exactly these variables for production.
    readme = (ROOT / "README.md").read_text()
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST", "SECURE_SSL_REDIRECT"):
        assert f"`{name}`" in readme


def test_check_deploy_fails_with_the_development_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(DEBUG="1", SECRET_KEY=None),
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", "--noinput", verbosity=0)
secure = Client().get("/", secure=True)
plain = Client().get("/")
print(json.dumps({"status": secure.status_code, "headers": dict(secure.headers),
                  "plain": plain.status_code, "location": plain.get("Location", "")}))
"""


def test_production_headers_hsts_referrer_policy_csp(tmp_path):
    env = production_env(
        STATIC_ROOT=str(tmp_path / "static"), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    result = run(["-c", HEADERS_SCRIPT], env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {k.lower(): v for k, v in out["headers"].items()}
    assert out["status"] == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert out["plain"] == 301 and out["location"].startswith("https://")


@pytest.mark.django_db
def test_every_page_carries_the_csp_without_inline_script(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def test_no_inline_script_in_any_template():
    """Scripts load from static/ only: no <script> body, no onclick=… handler, no javascript: URL."""
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for attrs in SCRIPT_TAG.findall(text):
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                offenders.append(f"{template}: <script{attrs}>")
        offenders += [f"{template}: {m.group(0)}" for m in INLINE_HANDLER.finditer(text)]
        if "javascript:" in text.lower():
            offenders.append(f"{template}: javascript: URL")
    assert offenders == []
    assert INLINE_HANDLER.search('<button onclick="x()">') and SCRIPT_TAG.search("<script>")


@pytest.mark.django_db
def test_private_pages_and_files_are_not_stored(client_for, personas):
    anonymous = Client().get("/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    owner = client_for(personas.owner)
    for url in (reverse("accounts:profile"), reverse("accounts:notifications")):
        assert "no-store" in owner.get(url)["Cache-Control"]
    bureau = client_for(personas.bureau)
    export = bureau.get(reverse("supervision:export_matrix"))
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        bureau.post(reverse("documents:export", args=["audit"]))
    job = BackgroundJob.objects.get(kind="export")
    download = bureau.get(reverse("documents:export_download", args=[job.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    # Static files stay cacheable.
    static = Client().get("/static/js/site.js")
    assert "no-store" not in static.get("Cache-Control", "")


# --- The debug page never reaches visitors ------------------------------------------------------------------

DB_SECRET = secrets.token_hex(12)  # made at run time: the source shown on the debug page cannot hold it


def boom(request):
    raise RuntimeError("boom")


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("ok/", ok)]


@pytest.mark.urls("tests.security.test_defaults")
def test_the_debug_page_is_for_the_developer_machine_only(settings):
    settings.DEBUG = True
    settings.CELERY_BROKER_URL = f"redis://:{DB_SECRET}@127.0.0.1:6379/0"
    environ = {"DATABASE_URL": f"postgres://shunyi:{DB_SECRET}@db:5432/shunyi_eval"}  # as runserver passes it
    visitor = Client(raise_request_exception=False, REMOTE_ADDR="203.0.113.9")
    response = visitor.get("/boom/", **environ)
    assert response.status_code == 500
    body = response.content.decode()
    assert DB_SECRET not in body and "Traceback" not in body and "DATABASE_URL" not in body
    # On the developer's own machine the technical page shows, with the secrets hidden.
    local = Client(raise_request_exception=False, REMOTE_ADDR="127.0.0.1")
    response = local.get("/boom/", **environ)
    assert response.status_code == 500
    body = response.content.decode()
    assert "RuntimeError" in body and "DATABASE_URL" in body
    assert DB_SECRET not in body


def test_settings_hold_no_database_url():
    from django.conf import settings

    assert not hasattr(settings, "DATABASE_URL")


# --- docker compose ------------------------------------------------------------------------------------------


def test_compose_takes_its_secrets_from_the_environment():
    text = (ROOT / "docker-compose.yml").read_text()
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "EMAIL_HOST"):
        assert f"${{{name}:?" in text
        missing = {k: v for k, v in COMPOSE_ENV.items() if k != name}
        result = _compose_config(ROOT / "docker-compose.yml", env=missing)
        assert result.returncode != 0 and name in result.stderr
    result = _compose_config(ROOT / "docker-compose.yml")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    web = services["web"]["environment"]
    assert web["DEBUG"] == "0" and web["SESSION_COOKIE_SECURE"] == "1" and web["CSRF_COOKIE_SECURE"] == "1"
    assert web["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert web["DATABASE_URL"] == "postgres://shunyi:compose-db-password@db:5432/shunyi_eval"
    assert services["db"]["environment"]["POSTGRES_PASSWORD"] == "compose-db-password"
    assert "compose-db-password" not in text
