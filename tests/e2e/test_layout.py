"""Each role's main pages on a phone (390 × 844) and a desktop (1366 × 900), in Chinese and English: no
horizontal overflow, the stepper and 待办 where they belong, no internal code in the words shown. Screenshots of
the phone pages go to test-artifacts/ (not committed) for a reviewer."""

import re

import pytest

from assessments.models import ApplicationState as S
from tests import factories
from tests.e2e.conftest import ARTIFACTS, login
from tests.supervision import helpers

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# Words that are codes, not language: snake_case identifiers and data.* keys. (Q1…/S01… item codes are shown on
# purpose next to their names in the questionnaire; they are not scanned here.)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\bdata\.[a-z_.]+")


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def shown_text(page) -> str:
    return page.evaluate("document.body.innerText")


@pytest.mark.django_db(transaction=True)
def test_each_role_s_pages_fit_the_screen_and_show_no_codes(chromium, live_server):
    ent = factories.enterprise("北京顺义版式测试有限公司")
    factories.enterprise_user("layout-ent", ent, full_name="版式经理")
    factories.bureau("layout-bureau", full_name="版式审核员")
    app = helpers.application(ent, state=S.ACCEPTED)
    pages = {
        "layout-ent": ["/enterprise/", "/enterprise/self-assessment/", f"/enterprise/applications/{app.pk}/"],
        "layout-bureau": ["/bureau/", f"/bureau/applications/{app.pk}/", "/bureau/audit/"],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    for view, size in VIEWPORTS.items():
        for lang in ("zh-CN", "en"):
            for user, urls in pages.items():
                context = chromium.new_context(viewport=size, locale=lang, timezone_id="Asia/Shanghai")
                context.set_default_timeout(15_000)
                page = context.new_page()
                page.base = live_server.url
                login(page, user, factories.PASSWORD)
                for url in urls:
                    page.goto(page.base + url)
                    where = f"{view} {lang} {url}"
                    assert overflow(page) <= 0, f"{where}: {overflow(page)} px wider than the screen"
                    codes = set(CODE.findall(shown_text(page)))
                    assert not codes, f"{where}: codes shown {codes}"
                    if "/applications/" in url:
                        assert page.get_by_test_id("stepper").is_visible(), where
                    if view == "phone" and lang == "zh-CN":
                        name = url.strip("/").replace("/", "-") or "home"
                        page.screenshot(path=str(ARTIFACTS / f"{user}-{name}.png"), full_page=False)
                if user == "layout-ent":
                    page.goto(page.base + "/enterprise/")
                    assert page.get_by_test_id("todo-count").inner_text() == "0"
                context.close()


@pytest.mark.django_db(transaction=True)
def test_case_tabs_keep_each_label_on_one_line_on_a_phone(page, personas):
    from django.urls import reverse

    from experts import services
    from experts.models import ConflictKind, TeamMember

    app = factories.application(
        personas.enterprise, state="assigned", level=3, agency=personas.agency, by=personas.owner
    )
    services.form_team(application=app, by=personas.agency_admin, lead=personas.expert, members=[])
    member = TeamMember.objects.get(team__application=app, expert=personas.expert)
    services.declare(member=member, by=personas.expert, kind=ConflictKind.NONE)
    login(page, "expert", factories.PASSWORD)
    page.goto(page.base + reverse("experts:case", args=[app.pk]))
    tabs = page.locator(".case-tabs .nav-link")
    assert tabs.count() >= 5
    for i in range(tabs.count()):
        box = tabs.nth(i).bounding_box()
        assert box is not None and box["height"] < 2 * 21, f"tab {i} wraps: {box}"
    assert overflow(page) <= 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [VIEWPORTS["phone"], VIEWPORTS["desktop"]], ids=["phone", "desktop"])
def test_the_version_diff_s_columns_line_up_and_fit_a_phone(chromium, live_server, personas, size):
    from assessments import demo
    from assessments.lifecycle import transition
    from tests.assessments.test_versions import _resubmit_with_changes

    app = demo.make_submitted_application(personas.enterprise, level=3, by=personas.owner)
    transition(app, "return_for_correction", by=personas.bureau, reason="请补充设备台账")
    app.refresh_from_db()
    _resubmit_with_changes(personas, app)
    context = chromium.new_context(viewport=size, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.base = live_server.url
    login(page, "owner", factories.PASSWORD)
    page.goto(f"{page.base}/enterprise/applications/{app.pk}/changes/")
    assert overflow(page) <= 0
    # Where each of the three columns starts and ends, row by row: the same for every row of every part.
    edges = page.evaluate(
        """[...document.querySelectorAll('main tr')]
             .filter(tr => tr.cells.length === 3)
             .map(tr => [...tr.cells].map(c => { const r = c.getBoundingClientRect();
                                                  return [Math.round(r.left), Math.round(r.right)]; }))"""
    )
    assert len(edges) >= 6
    assert all(row == edges[0] for row in edges), edges
    assert edges[0][2][1] <= size["width"]  # the last column ends on the screen
    context.close()
