"""In Chromium: 生成报告 on a case page, live progress polled by htmx while a real worker renders, then the
download link (a real Celery worker on Redis, on the test database)."""

import pytest
from playwright.sync_api import expect

from core.models import BackgroundJob
from documents.models import Report
from tests.documents.cases import make_case
from tests.documents.conftest import celery_broker, workers  # noqa: F401 - fixtures
from tests.e2e.conftest import login
from tests.factories import PASSWORD


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("celery")
@pytest.mark.viewport({"width": 1280, "height": 900})
def test_bureau_generates_a_report_and_watches_it_progress(page, personas, workers):  # noqa: F811
    case = make_case(personas.enterprise, by=personas.owner, agency=personas.agency)
    workers.purge()  # the report the new version queued for itself: the bureau asks for its own here
    workers.start(env={"SHUNYI_TEST_TASK_PAUSE": "3"})
    login(page, "bureau", PASSWORD)
    page.goto(f"{page.base}/documents/cases/{case.pk}/reports/")
    section = page.get_by_test_id("reports")
    assert "报告下载" in section.inner_text()
    section.locator("[data-kind=self] button", has_text="生成报告").click()
    job = page.get_by_test_id("job")
    job.wait_for()
    # The worker holds the task at 20 % for a few seconds: the page shows it running, polled every 2 s.
    expect(page.get_by_test_id("job")).to_contain_text("20%", timeout=30_000)
    expect(page.get_by_test_id("job")).to_contain_text("进行中")
    page.wait_for_selector("[data-testid=job][data-state=done]", timeout=60_000)
    assert BackgroundJob.objects.get().state == "done"
    report = Report.objects.get()
    link = page.locator(f"a[href='/documents/reports/{report.pk}/download/']").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
