"""axe-core (tests/e2e/vendor/, never served by the site) on every role's main pages, on a desktop and a phone, in
Chinese and English: no violation of impact "serious" or "critical" (missing labels and names, contrast, ARIA
misuse, landmarks …). One signed-in context per role walks its pages.

The page's Content Security Policy allows no inline script, and Playwright injects the file as one: these
contexts bypass the CSP for the scan (every other browser test runs with it on and fails on anything it blocks)."""

from pathlib import Path

import pytest

from assessments.models import ApplicationState as S
from experts import services
from experts.models import ConflictKind, TeamMember
from tests import factories
from tests.e2e.conftest import login
from tests.e2e.test_layout import VIEWPORTS
from tests.supervision import helpers

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
BLOCKING = ("serious", "critical")


def _measured(node: dict) -> dict:
    data = next((c.get("data") for c in node.get("any", []) if isinstance(c.get("data"), dict)), None) or {}
    return {k: data[k] for k in ("fgColor", "bgColor", "contrastRatio", "expectedContrastRatio") if k in data}


def axe_violations(page) -> list[dict]:
    """axe-core's violations of the page as loaded, reduced to what a report needs."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            # The first few elements, with axe's measurements (colours and ratio for a contrast failure).
            "nodes": [(n["target"], _measured(n)) for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


@pytest.fixture
def world(personas):
    """A case in review with the persona enterprise (the expert has declared), an approved grade of another
    enterprise to verify, and a submitted case for the bureau's list."""
    app = helpers.application(
        personas.enterprise, state=S.ASSIGNED, level=3, agency=personas.agency, by=personas.owner
    )
    services.form_team(application=app, by=personas.agency_admin, lead=personas.expert, members=[])
    services.declare(
        member=TeamMember.objects.get(expert=personas.expert), by=personas.expert, kind=ConflictKind.NONE
    )
    helpers.application(factories.enterprise("北京顺义待受理科技有限公司"), state=S.SUBMITTED)
    approved = helpers.approved(
        factories.enterprise("北京顺义已认定科技有限公司"),
        agency=personas.agency,
        admin=personas.agency_admin,
        bureau=personas.bureau,
    )
    return {"app": app, "certificate": approved.grade.certificate_number}


@pytest.mark.django_db(transaction=True)
# Both sizes and both languages, in two runs (a scan takes seconds a page): the phone's folded menu and sideways
# tables in Chinese, the desktop's full menu in English (longer words, the page's lang="en").
@pytest.mark.parametrize(("view", "lang"), [("phone", "zh-CN"), ("desktop", "en")])
def test_main_pages_have_no_serious_accessibility_violation(chromium, live_server, world, view, lang):
    pk = world["app"].pk
    pages = {
        "owner": [
            "/enterprise/",
            "/enterprise/self-assessment/",
            f"/enterprise/applications/{pk}/",
        ],
        "expert": ["/review/", f"/review/case/{pk}/"],
        "agency-admin": ["/review/"],
        "bureau": ["/bureau/", "/bureau/applications/", f"/bureau/applications/{pk}/"],
        None: [f"/verify/{world['certificate']}/"],
    }
    found = {}
    for user, urls in pages.items():
        context = chromium.new_context(
            viewport=VIEWPORTS[view], locale=lang, timezone_id="Asia/Shanghai", bypass_csp=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.base = live_server.url
        if user is not None:
            login(page, user, factories.PASSWORD)
        for url in urls:
            page.goto(page.base + url)
            page.wait_for_load_state("networkidle")
            blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
            if blocking:
                found[f"{user or 'public'} {url}"] = blocking
        context.close()
    assert found == {}, f"{view} {lang}: {found}"
