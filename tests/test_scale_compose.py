"""docker-compose.yml's profile "scale" (README "Where it outgrows one machine"), read by a real compose parser:
several web processes behind one proxy, a worker per queue, one PostgreSQL and one Redis."""

import json
import subprocess

from tests.test_skeleton import COMPOSE_ENV, ROOT, _compose_binary


def config(*args, **env) -> dict:
    done = subprocess.run(
        [str(_compose_binary()), "-f", str(ROOT / "docker-compose.yml"), *args, "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={**COMPOSE_ENV, **env, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["services"]


def command(service) -> str:
    return " ".join(service["command"])


def test_the_scale_profile_runs_web_replicas_behind_a_proxy_and_a_worker_per_queue():
    services = config("--profile", "scale", WORKER_QUEUES="celery")
    assert set(services) == {
        "web",
        "web-replica",
        "proxy",
        "worker",
        "worker-pdf",
        "worker-bulk",
        "db",
        "redis",
    }
    assert services["web-replica"]["deploy"]["replicas"] == 3
    assert "gunicorn" in command(services["web-replica"]) and "migrate" not in command(
        services["web-replica"]
    )
    assert services["proxy"]["ports"][0]["published"] == "8080"
    conf = (ROOT / "deploy" / "nginx-scale.conf").read_text()
    assert "server web:8000;" in conf and "server web-replica:8000;" in conf
    assert command(services["worker-pdf"]).endswith("-Q pdf -n pdf@%h")
    assert command(services["worker-bulk"]).endswith("-Q bulk -n bulk@%h")
    assert command(services["worker"]).endswith("-Q celery")
    for name in ("web", "web-replica", "worker", "worker-pdf", "worker-bulk"):
        env = services[name]["environment"]
        assert (env["CELERY_QUEUE_PDF"], env["CELERY_QUEUE_BULK"]) == ("pdf", "bulk"), name
        assert (
            env["CACHE_URL"] == "redis://redis:6379/1" and env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        )
        assert env["DATABASE_URL"].endswith("@db:5432/shunyi_eval")


def test_without_the_profile_one_worker_consumes_every_queue():
    services = config()
    assert set(services) == {"web", "worker", "db", "redis"}
    assert command(services["worker"]).endswith("-Q celery,pdf,bulk")
    assert config("--profile", "scale", WEB_REPLICAS="5")["web-replica"]["deploy"]["replicas"] == 5
