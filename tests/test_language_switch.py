"""The language switch (shunyi_eval.views.set_language): Django's set_language, guarded by where the browser says
the form came from (Sec-Fetch-Site, else Origin) instead of a CSRF token. From the site's own pages it switches;
from another site it is refused with 403 and changes nothing."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


def _switch(**headers):
    client = Client(enforce_csrf_checks=True, headers=headers)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/verify/"})
    return response, client.cookies.get(settings.LANGUAGE_COOKIE_NAME)


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin", "origin": "http://testserver"},
        {"sec-fetch-site": "none"},  # the user's own action
        {"origin": "http://testserver"},  # a browser without Fetch metadata
        {},  # no browser at all: nothing another site could lead
    ],
)
def test_a_switch_from_this_site_sets_the_language_without_a_token(headers):
    response, cookie = _switch(**headers)
    assert response.status_code == 302 and response["Location"] == "/verify/"
    assert cookie is not None and cookie.value == "en"


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site", "origin": "https://elsewhere.example"},
        {"sec-fetch-site": "same-site", "origin": "https://other.testserver"},
        {"sec-fetch-site": "cross-site"},
        {"origin": "https://elsewhere.example"},
        {"origin": "null"},
    ],
)
def test_a_switch_from_another_site_is_refused_and_changes_nothing(headers):
    response, cookie = _switch(**headers)
    assert response.status_code == 403
    assert cookie is None


def test_a_trusted_origin_may_switch(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://portal.example"]
    response, cookie = _switch(origin="https://portal.example")
    assert response.status_code == 302 and cookie.value == "en"


def test_a_get_changes_nothing():
    client = Client(headers={"sec-fetch-site": "cross-site"})
    response = client.get(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in client.cookies
