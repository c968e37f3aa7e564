"""The API docs page in Chromium: Swagger UI renders every operation from the site's own files, under the
Content Security Policy (the page fixture fails on any violation), and the browser asks no other host."""

from urllib.parse import urlsplit

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.viewport({"width": 1280, "height": 900})
def test_the_docs_page_renders_from_this_site_only(page):
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.goto(page.base + "/api/docs")
    page.locator(".opblock-summary-path", has_text="/api/grade").first.wait_for()
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/grade", "/api/applications", "/api/grades", "/api/statistics"} <= paths
    assert page.locator(".btn.authorize").is_visible()  # the bearer token can be entered to try a call
    assert set(hosts) == {urlsplit(page.base).netloc}
