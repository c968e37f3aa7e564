"""The bureau's day in Chromium: roster import with a bad row, intake, commissioning, approval, a seeded sample,
a revocation — and the public check then shows the certificate revoked."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook

from accounts.credit_code import make_credit_code
from accounts.models import RosterEntry
from assessments.models import Application
from assessments.models import ApplicationState as S
from supervision.models import Grade, Sample
from tests import factories
from tests.e2e.conftest import login
from tests.supervision import helpers


def roster_file(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "数字化转型服务商", "服务商统一社会信用代码"])
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.django_db(transaction=True)
def test_bureau_runs_a_case_from_roster_to_revocation(page, tmp_path):
    factories.bureau("bureau-e2e", full_name="区经信局审核员")
    agency = factories.agency("北京数字化评测中心")
    admin = factories.agency_admin("agency-e2e", agency)
    ent = factories.enterprise("北京顺义精工机械有限公司")
    factories.enterprise_user("owner-e2e", ent)
    app = helpers.application(ent, state=S.SUBMITTED, level=3)
    bad_code = ent.credit_code[:17] + ("0" if ent.credit_code[17] != "0" else "1")
    provider = make_credit_code("91110105MA02PR777")

    login(page, "bureau-e2e", factories.PASSWORD)

    # 1. The roster: one good row, one with a wrong check character.
    page.goto(f"{page.base}/bureau/roster/")
    xlsx = roster_file(
        tmp_path / "名单.xlsx",
        [
            [ent.credit_code, ent.name, "北京数转服务有限公司", provider],
            [bad_code, "北京校验位错误有限公司", "", ""],
        ],
    )
    page.get_by_test_id("roster-upload").locator("input[name=file]").set_input_files(str(xlsx))
    page.get_by_test_id("roster-upload").get_by_role("button", name="导入").click()
    summary = page.get_by_test_id("import-summary")
    assert "导入1行，拒绝1行" in summary.inner_text()
    bad_row = page.locator("[data-testid=import-report] tr[data-row='3']")
    assert "校验位错误" in bad_row.inner_text()
    assert RosterEntry.objects.get(credit_code=ent.credit_code).service_provider_credit_code == provider

    # 2. Intake: the paper materials, all received today.
    page.goto(f"{page.base}/bureau/intake/")
    page.get_by_role("link", name=app.number).click()
    form = page.get_by_test_id("accept-form")
    for label in ("申请表", "自评表", "佐证材料汇编", "真实性承诺书", "营业执照复印件"):
        form.get_by_label(label, exact=True).check()
    form.get_by_role("button", name="受理").click()
    assert page.get_by_test_id("state").inner_text() == "已受理"

    # 3. Commissioning with due dates.
    today = timezone.localdate()
    form = page.get_by_test_id("commission-form")
    form.locator("select[name=agency]").select_option(label=agency.name)
    for name, days in (("review_due", 7), ("site_due", 14), ("proposal_due", 21)):
        form.locator(f"input[name={name}]").fill((today + datetime.timedelta(days=days)).isoformat())
    form.get_by_role("button", name="委托").click()
    assert page.get_by_test_id("state").inner_text() == "已分派"
    app.refresh_from_db()
    assert app.agency == agency and app.proposal_due == today + datetime.timedelta(days=21)

    # The agency's review (issue 4's pages) happens off stage: the team proposes level 3.
    Application.objects.filter(pk=app.pk).update(state=S.PROPOSED)
    app.refresh_from_db()
    helpers.proposal(app, admin=admin, level=3)

    # 4. Approval: the comparison is on the page; approving issues the certificate.
    page.reload()
    assert page.get_by_test_id("comparison-scenarios").is_visible()
    page.get_by_test_id("approve-form").get_by_role("button", name="审定并公布").click()
    assert "建议等级：3级" in page.get_by_test_id("confirm-summary").inner_text()  # asks with a summary first
    page.get_by_test_id("confirm-button").click()
    number = page.get_by_test_id("certificate-number").inner_text()
    assert number == f"SYDL-{today.year}-0001"
    assert Grade.objects.get(certificate_number=number).level == 3

    # 5. A sample drawn with a typed seed.
    page.goto(f"{page.base}/bureau/samples/")
    form = page.get_by_test_id("sample-form")
    form.locator("input[name=size]").fill("1")
    form.locator("input[name=seed]").fill("20261125")
    form.get_by_role("button", name="抽取").click()
    assert page.get_by_test_id("seed").inner_text() == "20261125"
    assert number in page.get_by_test_id("sample-members").inner_text()
    assert Sample.objects.get().seed == 20261125

    # 6. Revocation (第十二条).
    page.get_by_test_id("sample-members").get_by_role("link", name=number).click()
    page.get_by_role("link", name="撤销认定结果").click()
    form = page.get_by_test_id("revoke-form")
    form.locator("select[name=basis]").select_option("false_material")
    form.locator("textarea[name=basis_text]").fill("抽验发现设备联网率数据与现场不符")
    form.locator("textarea[name=reason]").fill("提供虚假材料")
    form.get_by_role("button", name="撤销认定结果").click()
    assert "提供虚假材料" in page.get_by_test_id("confirm-summary").inner_text()
    page.get_by_test_id("confirm-button").click()
    assert page.get_by_test_id("state").inner_text() == "已撤销"
    assert not RosterEntry.objects.get(credit_code=ent.credit_code).active

    # 7. The public check, signed out.
    page.context.clear_cookies()
    page.goto(f"{page.base}/verify/")
    page.fill("#id_number", number)
    page.get_by_role("button", name="查验").click()
    result = page.get_by_test_id("verify-result").inner_text()
    assert "已撤销" in result and ent.name in result and "3级" in result
    assert "提供虚假材料" not in page.content()
