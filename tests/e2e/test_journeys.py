"""The enterprise's and the bureau's main journeys in Chromium, on a desktop (1366 × 900) and a phone
(390 × 844), in Chinese and English: every page walked fits the screen (document.documentElement.scrollWidth is
at most innerWidth), shows no internal code (snake_case words, item codes such as Q5, data.* keys; the framework's scenario
numbers S01 … are shown on purpose), and shows a
time stored at 19:30 UTC as the next morning in Beijing. Screenshots of each home and of the phone questionnaire
go to test-artifacts/ (not committed).

Here the Beijing-time check reads a submission stamped at 19:30 UTC; the journeys with the server's clock frozen
at 19:30 UTC (time-machine) are test_staff_journeys.py (expert, agency) and test_beijing_dates.py (the bureau's
approval: case page, verify page, certificate PDF). axe-core (vendored in tests/e2e/vendor/) scans every role's
main pages in test_accessibility.py."""

import datetime
import re

import pytest

from assessments.models import ApplicationState as S
from core.audit import record
from tests import factories
from tests.e2e.conftest import ARTIFACTS, login
from tests.e2e.test_layout import CODE, VIEWPORTS, overflow, shown_text
from tests.supervision import helpers

# Item codes and data keys: never shown (the questionnaire numbers its questions 1, 2, …). Scenario numbers
# (S01 …) are the published framework's own and are shown on purpose beside the scenario's name.
KEY = re.compile(r"\bQ\d+\b|\bdata\.\w+")
# 2026-12-01 19:30 UTC is 2026-12-02 03:30 in Beijing.
SUBMITTED = datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC)


@pytest.fixture
def journey_world(db):
    ent = factories.enterprise("北京顺义旅程测试有限公司")
    owner = factories.enterprise_user("journey-ent", ent, full_name="旅程经理")
    factories.bureau("journey-bureau", full_name="旅程审核员")
    app = helpers.application(ent, state=S.ACCEPTED, by=owner)
    app.submitted_at = SUBMITTED
    app.save(update_fields=["submitted_at"])
    for i in range(12):
        record(
            actor=owner,
            action="assessment.answer",
            application=app,
            params={"field": "Q5", "old": i, "new": i + 1},
        )
    return app


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("view", list(VIEWPORTS))
def test_main_journeys_fit_show_no_codes_and_beijing_dates(chromium, live_server, journey_world, view, lang):
    app = journey_world
    journeys = {
        "journey-ent": [
            ("home", "/enterprise/"),
            ("questionnaire", "/enterprise/self-assessment/"),
            ("application", f"/enterprise/applications/{app.pk}/"),
        ],
        "journey-bureau": [
            ("home", "/bureau/"),
            ("case", f"/bureau/applications/{app.pk}/"),
            ("audit", "/bureau/audit/"),
        ],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    for user, pages in journeys.items():
        # The browser's own clock is UTC: every date shown must come from the server in Beijing time.
        context = chromium.new_context(viewport=VIEWPORTS[view], locale=lang, timezone_id="UTC")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.base = live_server.url
        login(page, user, factories.PASSWORD)
        for name, url in pages:
            page.goto(page.base + url)
            page.wait_for_load_state("networkidle")
            where = f"{view} {lang} {user} {url}"
            assert overflow(page) <= 0, f"{where}: {overflow(page)} px wider than the screen"
            text = shown_text(page)
            codes = set(CODE.findall(text)) | set(KEY.findall(text))
            assert not codes, f"{where}: codes shown {codes}"
            if name == "case":
                assert "2026-12-02 03:30" in text, f"{where}: the submission time is not in Beijing time"
                assert "2026-12-01 19:30" not in text, where
                assert page.get_by_test_id("autosave-group").count() == 1, where
            if name == "home" or (name == "questionnaire" and view == "phone"):
                shot = ARTIFACTS / f"journey-{view}-{lang}-{user}-{name}.png"
                page.screenshot(path=str(shot), full_page=False)
        context.close()
