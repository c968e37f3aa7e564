"""The OpenAPI schema and the docs page are served by the site itself (nothing from a CDN, the CSP intact),
and each token has a request budget: over it, 429 with Retry-After."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.api.conftest import token

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/grade", "/api/applications", "/api/applications/{number}", "/api/grades"} <= set(
        schema["paths"]
    )
    assert {"/api/grades/{certificate_number}", "/api/statistics"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    body = schema["paths"]["/api/grade"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"][0]["required"] == ["answers", "scenarios"]


def test_the_schema_speaks_the_callers_language(client):
    schema = client.get("/api/openapi.json", headers={"accept-language": "en"}).json()
    assert schema["paths"]["/api/statistics"]["get"]["summary"] == "Statistics (as on the bureau dashboard)"


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()
    assert "<script>" not in html  # the settings are a JSON block; behaviour lives in static/js/api-docs.js
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert set(assets) == {
        "/static/ninja/swagger-ui.css",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/js/api-docs.js",
    }
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert '"validatorUrl": null' in html  # Swagger UI would send the schema to an outside validator


def test_rate_limit_answers_429_per_token(personas, call, settings):
    settings.API_RATE_LIMIT = "3/m"
    busy, other = token(name="忙碌的系统"), token(name="另一个系统")
    assert [call("get", "/api/grades", token=busy).status_code for _ in range(3)] == [200, 200, 200]
    refused = call("get", "/api/grades", token=busy)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "请求过于频繁，请稍后再试。", "code": "rate_limited"}
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert (
        call("post", "/api/grade", token=busy, data="{}", content_type="application/json").status_code == 429
    )
    assert call("get", "/api/grades", token=other).status_code == 200  # a budget per token


def test_the_rate_setting_is_checked():
    from api.auth import parse_rate

    assert (
        parse_rate("120/m") == (120, 60) and parse_rate("5/s") == (5, 1) and parse_rate("9/d") == (9, 86400)
    )
    for bad in ("0/m", "ten/m", "5/w", "5"):
        with pytest.raises(ValueError):
            parse_rate(bad)
