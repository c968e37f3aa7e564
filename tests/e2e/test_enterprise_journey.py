"""The enterprise's journey in Chromium on a phone: registration and e-mail confirmation, figures and uploads in the questionnaire, the live level and
next-level gap changing, submitting; another enterprise at 一级 is told why it cannot submit."""

import re

import pytest
from playwright.sync_api import expect

from accounts.credit_code import make_credit_code
from accounts.models import Enterprise, RosterEntry, User
from assessments import demo, services
from assessments.models import Application
from tests import factories
from tests.e2e.conftest import login


def _prefill(enterprise, user, *, level, drop=()):
    """Most of the questionnaire filled through the real service; `drop` leaves items for the browser."""
    from accounts.services import mark_email_confirmed

    mark_email_confirmed(user=user)
    demo.ensure_roster(enterprise)
    a = services.working_assessment(enterprise=enterprise, by=user)
    answers, scenarios, data = demo.answer_set(level)
    for code in drop:
        answers.pop(code, None)
    for key in ("equipment_total", "equipment_digital"):
        data.pop(key)
    services.fill_assessment(assessment=a, answers=answers, scenarios=scenarios, data=data, by=user)
    return a


def _wait_saved(page, locator):
    expect(locator.locator("xpath=following::*[contains(@class,'field-status')][1]")).to_contain_text(
        "已保存"
    )


CODE = make_credit_code("91110113MA01JRNY0")
PASSWORD = "Shunyi-Phone-2024!"


def _register(page, mailoutbox):
    """Registration and e-mail confirmation through the real pages (accounts app)."""
    page.goto(page.base + "/accounts/register/")
    page.fill("input[name=credit_code]", CODE)
    page.fill("input[name=name]", "北京顺义旅程测试有限公司")
    page.select_option("select[name=industry]", index=1)
    page.fill("input[name=address]", "北京市顺义区仁和镇8号")
    page.fill("input[name=employees]", "85")
    page.fill("input[name=revenue]", "5200")
    page.fill("input[name=contact_name]", "钱经理")
    page.fill("input[name=contact_mobile]", "13700001111")
    page.fill("input[name=contact_email]", "qian@example.com")
    page.fill("input[name=username]", "journey")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form[data-testid=register-form] button[type=submit]")
    page.wait_for_url("**/accounts/register/done/")
    (mail,) = [m for m in mailoutbox if m.to == ["qian@example.com"]]
    page.goto(page.base + re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", mail.body).group(1))
    expect(page.get_by_test_id("confirm-result")).to_contain_text("已确认")
    # The 营业执照 and 授权委托书 for the bureau's account verification.
    page.goto(page.base + "/accounts/verification/")
    document = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    for field in ("business_licence", "authorization_letter"):
        page.set_input_files(
            f"input[name={field}]",
            files=[{"name": f"{field}.pdf", "mimeType": "application/pdf", "buffer": document}],
        )
    page.click("form[data-testid=verification-form] button[type=submit]")
    expect(page.get_by_test_id("verification-state")).to_contain_text("正在等待区经信局核验")


@pytest.mark.django_db(transaction=True)
def test_register_fill_upload_watch_level_and_submit_on_a_phone(page, tmp_path, mailoutbox):
    RosterEntry.objects.create(credit_code=CODE, name="北京顺义旅程测试有限公司")  # the bureau's pilot roster
    _register(page, mailoutbox)
    user = User.objects.get(username="journey")
    ent = Enterprise.objects.get(credit_code=CODE)
    assert user.enterprise_id == ent.pk and user.email_confirmed_at is not None
    # The bureau checks the documents and verifies the enterprise (its queue is tested in tests/security).
    from accounts import verification

    verification.decide_claim(claim=ent.claims.get(), by=factories.bureau("journey-bureau"), approve=True)
    # Most of the questionnaire is filled through the real service (the browser does the rest): the scenarios
    # stand at 一级 everywhere; Q2 and Q5 are still open; the equipment figures are not given.
    _prefill(ent, user, level=2, drop=("Q2", "Q5"))
    from assessments.models import Assessment

    a = Assessment.objects.get(enterprise=ent)
    a.scenarios = {code: [True, False, False, False] for code in a.scenarios}
    a.save()

    page.goto(page.base + "/enterprise/self-assessment/")
    level = page.get_by_test_id("panel-level").first
    expect(level).to_have_text("一级（初始级）")
    expect(page.get_by_test_id("panel-unanswered")).to_contain_text("2")
    expect(page.get_by_test_id("panel-next")).to_contain_text("距二级（规范级）还差")

    # figures → the option they imply appears next to Q2
    total = page.locator("#f-data\\.equipment_total")
    total.press_sequentially("50")
    _wait_saved(page, total)
    digital = page.locator("#f-data\\.equipment_digital")
    digital.press_sequentially("40")
    _wait_saved(page, digital)
    expect(page.get_by_test_id("derived-Q2")).to_have_text("(60%,100%]")

    # choosing an option the figures do not support shows a warning; the right one clears it
    page.locator("#o-Q2-1").check()
    expect(page.get_by_test_id("warning-Q2")).to_be_visible()
    page.locator("#o-Q2-4").check()
    expect(page.get_by_test_id("warning-Q2")).to_have_count(0)
    page.locator("#o-Q5-2").check()
    expect(page.get_by_test_id("panel-unanswered")).to_have_count(0)
    page.reload()  # what was saved is what the page shows again (each item is its own radio group)
    for option in ("#o-Q2-4", "#o-Q5-2", "#o-Q12-2", "#o-Q15-2"):
        expect(page.locator(option)).to_be_checked()
    expect(page.locator("#f-data\\.equipment_digital")).to_have_value("40")

    # an upload for Q2, on the phone
    pdf = tmp_path / "设备台账.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    item = page.get_by_test_id("item-Q2")
    item.locator("summary", has_text="佐证材料").click()
    item.get_by_test_id("evidence-input-Q2").set_input_files(str(pdf))
    item.get_by_role("button", name="上传").click()
    expect(item.get_by_test_id("evidence-file")).to_have_text("设备台账.pdf")

    # the progression rule is shown: level 3 ticked without level 2 does not count
    page.locator("#c-S01-3").check()
    expect(page.get_by_test_id("blocked-S01-3")).to_have_text("三级不计入：需先满足二级全部要求")
    page.locator("#c-S01-3").uncheck()
    expect(page.get_by_test_id("blocked-S01-3")).to_have_count(0)

    # six scenarios (all constrained) to level 2 → 二级, and the gap now speaks of 三级
    gap_before = page.get_by_test_id("panel-next").inner_text()
    for code in ("S01", "S03", "S06", "S07", "S08", "S09"):
        page.locator(f"#c-{code}-2").check()
        expect(page.get_by_test_id(f"scenario-level-{code}")).to_have_text("2")
    expect(level).to_have_text("二级（规范级）")
    expect(page.get_by_test_id("panel-next")).to_contain_text("距三级（集成级）还差")
    assert page.get_by_test_id("panel-next").inner_text() != gap_before

    # apply: start, pledge, submit
    page.goto(page.base + "/enterprise/")
    page.get_by_test_id("start-application").click()
    page.locator("#pledge").check()
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("app-state")).to_have_text("已提交")
    expect(page.get_by_role("alert").first).to_contain_text("评测申请已提交")
    expect(page.get_by_test_id("timeline")).to_contain_text("提交申请")
    expect(page.get_by_test_id("paper-status")).to_contain_text("待提交纸质材料")


@pytest.mark.django_db(transaction=True)
def test_an_enterprise_at_level_one_is_told_why(page):
    ent = factories.enterprise("北京顺义一级测试有限公司")
    user = factories.enterprise_user("level-one", ent, full_name="一级经理")
    _prefill(ent, user, level=1)
    a = services.working_assessment(enterprise=ent, by=user)
    a.data.update(equipment_total=50, equipment_digital=40)
    a.save()
    login(page, "level-one", factories.PASSWORD)
    page.goto(page.base + "/enterprise/")
    expect(page.get_by_test_id("panel-level")).to_have_text("一级（初始级）")
    page.get_by_test_id("start-application").click()
    # The checks fail: the reasons on the home page, and no numbered draft is made.
    expect(page.get_by_role("alert").first).to_have_text(
        re.compile("暂不能申请评测：.*一级（初始级）.*二级（规范级）及以上方可申请评测")
    )
    assert page.url.endswith("/enterprise/")
    assert not Application.objects.filter(enterprise=ent).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.viewport({"width": 1280, "height": 900})
def test_two_tabs_never_overwrite_each_other_silently(page):
    ent = factories.enterprise("北京顺义双页测试有限公司")
    factories.enterprise_user("two-tabs", ent, full_name="双页经理")
    login(page, "two-tabs", factories.PASSWORD)
    page.goto(page.base + "/enterprise/self-assessment/")
    other = page.context.new_page()
    other.goto(page.base + "/enterprise/self-assessment/")

    total = page.locator("#f-data\\.equipment_total")
    total.press_sequentially("50")
    _wait_saved(page, total)

    # the second tab never saw the 50: its edit of the same field is refused and shows the newer value
    stale = other.locator("#f-data\\.equipment_total")
    stale.press_sequentially("70")
    expect(other.get_by_test_id("field-error")).to_contain_text("保存冲突")
    expect(other.get_by_test_id("field-error")).to_contain_text("“50”")

    # a different field from the second tab merges, and the tab is shown the 50 it had missed
    other.locator("#o-Q5-3").check()
    expect(other.get_by_test_id("field-merged")).to_contain_text("生产设备数量")
    expect(other.locator("#f-data\\.equipment_total")).to_have_value("50")
    page.reload()
    expect(page.locator("#o-Q5-3")).to_be_checked()
    expect(page.locator("#f-data\\.equipment_total")).to_have_value("50")
    other.close()
