import subprocess
from pathlib import Path

import compose
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_home_page_answers_in_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "顺义区中小企业数字化水平评测平台" in body
    assert "二级（规范级）" in body


@pytest.mark.django_db
def test_english_is_the_second_locale(client):
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_assets_come_from_static_vendor_never_a_cdn(client):
    body = client.get("/").content.decode()
    assert "/static/vendor/bootstrap-5.3.8/bootstrap.min.css" in body
    assert "/static/vendor/htmx-2.0.8/htmx.min.js" in body
    assert "cdn" not in body.lower() and "https://" not in body
    for asset in (
        "bootstrap-5.3.8/bootstrap.min.css",
        "bootstrap-5.3.8/bootstrap.bundle.min.js",
        "htmx-2.0.8/htmx.min.js",
    ):
        assert (ROOT / "static" / "vendor" / asset).stat().st_size > 10_000


def _compose_binary() -> Path:
    # The PyPI wrapper script swallows the exit status; the packaged binary next to it does not.
    return Path(compose.__file__).parent / "docker-compose"


# What docker-compose.yml requires from the environment (README "Running with docker compose").
COMPOSE_ENV = {
    "SECRET_KEY": "compose-test",
    "POSTGRES_PASSWORD": "compose-db-password",
    "ALLOWED_HOSTS": "eval.example.org",
    "SITE_URL": "https://eval.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "noreply@example.org",
}


def _compose_config(path: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(_compose_binary()), "-f", str(path), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={**(COMPOSE_ENV if env is None else env), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_docker_compose_file_is_valid():
    import json

    result = _compose_config(ROOT / "docker-compose.yml")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    services = config["services"]
    assert set(services) == {"web", "worker", "db", "redis"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "celery" in " ".join(services["worker"]["command"])
    assert {"pgdata", "media"} <= set(config["volumes"])
    volumes = {v["source"] for v in services["web"]["volumes"]}
    assert "media" in volumes


def test_compose_parser_rejects_a_broken_file(tmp_path):
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  web:\n    image: 3\n")
    result = _compose_config(bad)
    assert result.returncode != 0
    assert "image must be a string" in result.stderr
