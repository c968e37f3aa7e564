"""Tokens: shown once, stored only as a hash, made and revoked by the bureau (page or command), audited."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from api import services
from api.models import ApiToken
from core.models import AuditEvent
from tests.api.conftest import token

pytestmark = pytest.mark.django_db


def test_only_the_hash_is_stored(personas):
    row, raw = services.create_token(name="市级平台", scope="bureau", by=personas.bureau)
    assert raw.startswith("syapi_") and len(raw) > 40
    stored = [str(v) for v in ApiToken.objects.filter(pk=row.pk).values_list().get()]
    assert raw not in stored and services.hash_token(raw) in stored
    assert row.prefix == raw[:12]
    event = AuditEvent.objects.get(action="api.token_created")
    assert raw not in str(event.detail) and event.actor == personas.bureau
    assert event.text == f"创建接口令牌：市级平台（区经信局，{row.prefix}…）"


def test_scope_and_agency_must_agree(personas):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        services.create_token(name="x", scope="agency")
    with pytest.raises(DomainError):
        services.create_token(name="x", scope="bureau", agency=personas.agency)


def test_the_bureau_page_makes_a_token_and_shows_it_once(personas, client_for, call):
    c = client_for(personas.bureau)
    page = c.get(reverse("api_tokens:list"))
    assert page.status_code == 200 and "接口令牌" in page.content.decode()
    made = c.post(
        reverse("api_tokens:list"), {"name": "评测中心系统", "scope": "agency", "agency": personas.agency.pk}
    )
    assert made.status_code == 200
    raw = made.context["secret"]
    assert raw in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    listing = c.get(reverse("api_tokens:list")).content.decode()
    assert raw not in listing and raw[:12] in listing and personas.agency.name in listing
    assert call("get", "/api/grades", token=raw).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    event = AuditEvent.objects.get(action="api.token_created")
    assert event.text == f"创建接口令牌：评测中心系统（评测机构 {personas.agency.name}，{raw[:12]}…）"


def test_an_agency_token_needs_its_agency(personas, client_for):
    response = client_for(personas.bureau).post(reverse("api_tokens:list"), {"name": "x", "scope": "agency"})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert "评测机构令牌须选择评测机构。" in response.content.decode()


def test_revoking_asks_first_then_takes_effect_at_once(personas, client_for, call):
    raw = token()
    row = ApiToken.objects.get()
    c = client_for(personas.bureau)
    url = reverse("api_tokens:revoke", args=[row.pk])
    ask = c.post(url)
    assert ask.status_code == 200 and "确认吊销" in ask.content.decode()
    row.refresh_from_db()
    assert row.is_active
    done = c.post(url, {"confirmed": "1"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == personas.bureau
    assert call("get", "/api/grades", token=raw).json()["code"] == "token_revoked"
    assert AuditEvent.objects.filter(action="api.token_revoked", actor=personas.bureau).count() == 1
    assert c.post(url, {"confirmed": "1"}).status_code == 404  # already revoked


@pytest.mark.parametrize("who", ["owner", "expert", "agency_admin"])
def test_only_the_bureau_reaches_the_token_pages(personas, client_for, who):
    raw = token()
    c = client_for(getattr(personas, who))
    assert c.get(reverse("api_tokens:list")).status_code == 404
    assert c.post(reverse("api_tokens:list"), {"name": "x", "scope": "bureau"}).status_code == 404
    assert c.post(reverse("api_tokens:revoke", args=[1]), {"confirmed": "1"}).status_code == 404
    assert ApiToken.objects.get().is_active and raw
    assert client_for(None).get(reverse("api_tokens:list")).status_code == 302


def command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_makes_lists_and_revokes(personas, call):
    raw, note = command("create", "--name", "市级平台", "--scope", "bureau")
    assert raw.startswith("syapi_") and "not shown again" in note
    agency_raw, _ = command(
        "create", "--name", "机构系统", "--scope", "agency", "--agency", personas.agency.credit_code
    )
    assert call("get", "/api/statistics", token=raw).status_code == 200
    assert call("get", "/api/statistics", token=agency_raw).status_code == 403
    listing, _ = command("list")
    assert raw not in listing and raw[:12] in listing and personas.agency.name in listing
    command("revoke", raw[:12])
    assert call("get", "/api/statistics", token=raw).status_code == 401
    assert "revoked" in command("list")[0].splitlines()[0]
    events = AuditEvent.objects.filter(action__startswith="api.token_").order_by("id")
    assert [(e.action, e.actor_id) for e in events] == [
        ("api.token_created", None),
        ("api.token_created", None),
        ("api.token_revoked", None),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "--name", "x", "--scope", "agency"), "agency: "),
        (("create", "--name", "x", "--scope", "agency", "--agency", "NOPE"), "agency: no agency"),
        (("revoke", "syapi_nope"), "token: no token"),
    ],
)
def test_the_command_refuses_clearly(personas, args, message):
    with pytest.raises(CommandError) as info:
        command(*args)
    assert str(info.value).startswith(message)
