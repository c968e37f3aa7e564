"""The bureau approves and publishes a grade in Chromium while the server's clock stands at 2026-12-01 19:30 UTC
(time-machine, ticking; the live server is a thread of this process, so it runs on the same clock), when it is
already 2026-12-02 03:30 in Beijing: the case page, the public verify page and the 等级证书 PDF (generated from
the case page, downloaded and read back) all say 2026-12-02, never the UTC day. The browser's own clock is UTC:
every date shown comes from the server."""

import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from assessments.models import ApplicationState as S
from supervision.models import Grade
from tests import factories
from tests.e2e.conftest import login
from tests.e2e.walk import BEIJING_DAY, FROZEN, UTC_DAY, check_page, new_page, submit
from tests.supervision import helpers


@pytest.mark.django_db(transaction=True)
def test_a_grade_approved_at_19_30_utc_is_dated_the_next_day_in_beijing(chromium, live_server, personas):
    with time_machine.travel(FROZEN, tick=True):
        app = helpers.application(personas.enterprise, state=S.PROPOSED, level=3, agency=personas.agency)
        helpers.proposal(app, admin=personas.agency_admin, level=3)
        page = new_page(chromium, live_server, "desktop", "zh-CN")
        login(page, "bureau", factories.PASSWORD)

        # Approve and publish, confirming the summary.
        page.goto(f"{page.base}/bureau/applications/{app.pk}/")
        page.get_by_test_id("approve-form").locator("button[type=submit]").click()
        submit(page.get_by_test_id("confirm-button"))
        number = page.get_by_test_id("certificate-number").inner_text()
        grade = Grade.objects.get(certificate_number=number)
        assert grade.approved_at.date().isoformat() == UTC_DAY  # stored in UTC: the day is still 12-01 there
        # (helpers.proposal titles each compared item by its code: the comparison shows them here.)
        text = check_page(page, "case page", item_codes=True)
        assert BEIJING_DAY in page.get_by_test_id("grade").inner_text()
        assert f"{BEIJING_DAY} 03:3" in page.get_by_test_id("stepper-now").inner_text()
        assert UTC_DAY not in text

        # The 等级证书, generated from the case page by the (in-process) worker, downloaded as a person would.
        reports = page.get_by_test_id("reports")
        reports.locator("[data-kind=certificate] button[type=submit]").click()
        page.wait_for_selector("[data-testid=job][data-state=done]")
        with page.expect_download() as download:
            page.get_by_test_id("job").locator("a").click()
        assert re.search(
            rf"-{BEIJING_DAY.replace('-', '')}03\d\d\.pdf$", download.value.suggested_filename
        ), download.value.suggested_filename
        with open(download.value.path(), "rb") as fh:
            reader = PdfReader(io.BytesIO(fh.read()))
        pdf = "".join("".join(p.extract_text() for p in reader.pages).split())
        assert number in pdf and personas.enterprise.name in pdf
        assert f"认定日期：{BEIJING_DAY}" in pdf and UTC_DAY not in pdf, pdf

        # The public verify page, signed out.
        page.context.clear_cookies()
        page.goto(f"{page.base}/verify/")
        page.fill("#id_number", number)
        submit(page.locator("main form[action$='/verify/'] button[type=submit]"))
        result = page.get_by_test_id("verify-result").inner_text()
        text = check_page(page, "verify page")
        assert f"认定日期：{BEIJING_DAY}" in result and number in result, result
        assert f"{BEIJING_DAY} 03:3" in page.get_by_test_id("certificate-sha256").inner_text()  # issued at
        assert UTC_DAY not in text
        page.context.close()
