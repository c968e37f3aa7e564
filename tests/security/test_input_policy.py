"""Point 4 of issue 10: one input policy for every text a person types. Control characters other than newline
and tab (NUL included) are refused with a clear message — in the URL path and every query parameter of every
page (a 404, never a 500: NUL reaches PostgreSQL otherwise), in every posted text field (a 400 page that says
why, nothing saved) and in every form field (a form error) — and nothing is written when refused."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from accounts.forms import EnterpriseForm
from core.inputs import CONTROL_CHARACTERS, has_control_characters
from tests.supervision import helpers

pytestmark = pytest.mark.django_db

HOSTILE = ["a\x00b", "a\x0bb", "a\x1bb", "a\x7fb", "a\rb"]
COMMON_PARAMS = [
    "q", "page", "state", "status", "number", "kind", "level", "agency", "industry", "period", "start", "end",
    "actor", "action", "application", "text", "next", "sort", "a", "b", "name", "credit_code",
]  # fmt: skip


def plain_urls(patterns=None, prefix="") -> list[str]:
    """Every URL pattern of the site that takes no argument (generated from the resolver)."""
    found = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if "<" not in route and "(" not in route:
                found += plain_urls(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern) and "<" not in route and "(" not in route:
            found.append("/" + (prefix + route).lstrip("^").rstrip("$"))
    return sorted(set(found))


def snapshot() -> dict:
    """Every row of every table (sessions aside: a signed-in request may touch its own)."""
    return {
        m._meta.label: sorted(map(repr, m.objects.values_list()))
        for m in apps.get_models()
        if m._meta.label != "sessions.Session"
    }


@pytest.fixture
def world(personas):
    helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    return personas


def test_the_url_list_is_generated_and_covers_the_list_pages():
    urls = plain_urls()
    for name in ("supervision:applications", "supervision:grades", "supervision:audit", "verify:verify"):
        assert reverse(name) in urls
    assert len(urls) > 20


def test_nul_in_every_query_parameter_of_every_page_is_a_404(world, client_for):
    clients = [client_for(user) for user in (None, world.bureau, world.owner, world.expert)]
    before = snapshot()
    urls = plain_urls()
    for client in clients:
        for url in urls:
            for param in COMMON_PARAMS:
                response = client.get(url, {param: "a\x00b"})
                assert response.status_code == 404, (url, param, response.status_code)
            assert client.get(url, {"x\x00": "1"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("value", HOSTILE)
def test_control_characters_in_a_path_or_parameter_are_a_404(world, client, value):
    assert client.get(reverse("verify:verify"), {"number": value}).status_code == 404
    assert client.get("/verify/SYDL" + value + "/").status_code == 404


def test_a_clean_query_still_works(world, client):
    number = world.enterprise.grades.get().certificate_number
    response = client.get(reverse("verify:verify"), {"number": number})
    assert response.status_code == 200 and world.enterprise.name in response.content.decode()


def edit_form(ent, **changes):
    data = {
        "name": ent.name,
        "industry": ent.industry,
        "address": ent.address,
        "employees": ent.employees,
        "revenue": ent.revenue,
        "total_assets": "",
        "contact_name": ent.contact_name,
        "contact_mobile": ent.contact_mobile,
        "contact_email": ent.contact_email,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("value", HOSTILE)
def test_a_posted_text_with_a_control_character_is_refused_and_nothing_is_written(world, client_for, value):
    owner = client_for(world.owner)
    before = snapshot()
    url = reverse("accounts:enterprise_edit", args=[world.enterprise.pk])
    response = owner.post(url, edit_form(world.enterprise, name="某公司" + value))
    assert response.status_code == 400
    assert "不能包含控制字符" in response.content.decode()
    assert snapshot() == before


def test_registration_with_nul_is_refused_and_nothing_is_written(db, client):
    before = snapshot()
    response = client.post(
        reverse("accounts:register"), {"username": "evil\x00", "password1": "x", "name": "某\x00公司"}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_the_refusal_is_in_english_for_an_english_reader(world, client_for):
    url = reverse("accounts:enterprise_edit", args=[world.enterprise.pk])
    response = client_for(world.owner).post(
        url, edit_form(world.enterprise, address="x\x0b"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "control character" in response.content.decode()


@pytest.mark.parametrize("value", HOSTILE)
def test_every_form_text_field_refuses_control_characters(world, value):
    form = EnterpriseForm(
        data=edit_form(world.enterprise, name="某公司" + value, contact_email="a" + value + "@b.cn")
    )
    with translation.override("zh-hans"):
        assert not form.is_valid()
        assert "不能包含控制字符" in " ".join(form.errors["name"])
    assert "contact_email" in form.errors


def test_newlines_and_tabs_are_text(world):
    form = EnterpriseForm(data=edit_form(world.enterprise, address="北京市\t顺义区\r\n测试路1号"))
    assert form.is_valid(), form.errors
    assert not has_control_characters("第一行\n第二行\r\n\t缩进")
    assert CONTROL_CHARACTERS.search("\x00") and CONTROL_CHARACTERS.search("\x85")
