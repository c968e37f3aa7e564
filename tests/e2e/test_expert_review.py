"""An expert in Chromium on a phone: conflict declaration → document review (verdicts, an adjusted scenario with
its reason, a supplement request answered by the enterprise) → site inspection → proposal; the comparison
shows the changed level."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.framework import get_edition
from assessments.lifecycle import transition
from assessments.models import Application
from experts import services
from experts.models import ConflictKind, InspectionPhoto, Proposal, TeamMember
from experts.rules import get_case
from experts.samples import PNG, attach_evidence
from tests import factories
from tests.e2e.conftest import login
from tests.experts.conftest import LOWERED


def submit(button):
    """Click a submit button and wait until the answer page has fully loaded (previews included)."""
    pg = button.page
    with pg.expect_navigation():
        button.click()
    pg.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_expert_review_from_declaration_to_proposal(page, chromium, personas, tmp_path):
    app = factories.application(
        personas.enterprise, state="assigned", level=3, agency=personas.agency, by=personas.owner
    )
    attach_evidence(app, by=personas.owner)  # an image for Q2 and a PDF for S01 level 1
    services.form_team(
        application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
    )
    base = page.base

    # 1. The expert's home asks for the declaration first; the declaration says who the enterprise is (to declare
    # a relation to it) and nothing of its case.
    login(page, "expert", factories.PASSWORD)
    page.goto(f"{base}/review/")
    assert personas.enterprise.name not in page.content()
    page.get_by_text("请先作利益冲突声明").click()
    identity = page.get_by_test_id("declare-identity").inner_text()
    assert personas.enterprise.name in identity and personas.enterprise.credit_code in identity
    assert "得分" not in page.content()
    page.get_by_label("无利益关系").check()
    submit(page.get_by_role("button", name="提交声明"))
    assert page.get_by_test_id("enterprise-name").inner_text() == personas.enterprise.name

    services.declare(
        member=TeamMember.objects.get(expert=personas.expert2), by=personas.expert2, kind=ConflictKind.NONE
    )
    transition(app, "start_review", by=personas.agency_admin)

    # 2. Document review: the Q2 image inline, a verdict on it.
    page.goto(f"{base}/review/case/{app.pk}/review/Q2/")
    img = page.locator("img[alt='设备台账.png']")
    img.wait_for()
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) == 1
    form = page.get_by_test_id("verdict-form").first
    form.locator("select[name=completeness]").select_option("unclear")
    form.locator("textarea[name=comment]").fill("台账缺少设备编号页")
    submit(form.get_by_role("button", name="保存审核结论"))
    assert "已保存“设备台账.png”的审核结论" in page.content()
    submit(page.get_by_test_id("verify-form").get_by_role("button", name="保存核定"))
    assert "Q2 已核定" in page.content()

    # The S01 PDF is previewed in the page; the scenario is adjusted down, first without a reason.
    page.goto(f"{base}/review/case/{app.pk}/review/S01/")
    frame = page.locator("iframe[title='设计软件.pdf']")
    frame.wait_for()
    form = page.get_by_test_id("verdict-form").first
    submit(form.get_by_role("button", name="保存审核结论"))
    # Headless Chromium's PDF viewer above can swallow pointer events after a scroll: use the keyboard.
    page.locator("#met-3").focus()
    page.keyboard.press("Space")
    assert not page.locator("#met-3").is_checked() and not page.locator("#met-4").is_checked()
    submit(page.get_by_test_id("verify-form").get_by_role("button", name="保存核定"))
    assert "请填写调整理由" in page.get_by_test_id("form-errors").inner_text()
    page.locator("#reason").fill("现场未见产品设计知识库，三级标准不满足")
    submit(page.get_by_test_id("verify-form").get_by_role("button", name="保存核定"))
    assert "S01 已核定" in page.content()

    # 3. A supplement request for Q2, answered by the enterprise in its own browser.
    page.goto(f"{base}/review/case/{app.pk}/supplements/")
    page.locator("#codes").select_option(["Q2"])
    page.locator("#message").fill("请补充设备台账中的设备编号页")
    page.locator("#deadline").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    submit(page.get_by_role("button", name="发送给企业"))
    assert "待企业答复" in page.content()

    ctx = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    ent = ctx.new_page()
    ent.base = base
    login(ent, "owner", factories.PASSWORD)
    req = app.supplements.get()
    ent.goto(f"{base}/review/supplement/{req.pk}/")
    assert "请补充设备台账中的设备编号页" in ent.content()
    photo = tmp_path / "台账编号页.png"
    photo.write_bytes(PNG)
    ent.locator("#files_Q2").set_input_files(str(photo))
    ent.locator("#reply").fill("已补充编号页")
    submit(ent.get_by_role("button", name="提交补充材料"))
    assert "补充材料已提交给评测专家" in ent.content()
    ctx.close()

    page.goto(f"{base}/review/case/{app.pk}/supplements/")
    assert "企业已答复" in page.content() and "台账编号页.png" in page.content()
    page.get_by_role("link", name="Q2 · 台账编号页.png").click()
    submit(page.locator("#file-" + str(req.files.get().pk)).get_by_role("button", name="保存审核结论"))

    # The remaining items and scenarios are verified through the same service the page calls (31 clicks add
    # nothing to this test): eight more scenarios fall to level 2, which takes the verified level from 3 to 2.
    case = get_case(personas.expert, app.pk)
    version = app.latest_version
    ed = get_edition(version.edition)
    for code in (*ed.item_codes, *ed.scenario_codes):
        if code in LOWERED[1:]:
            services.save_verification(
                case=case,
                code=code,
                by=personas.expert,
                value=[True, True, False, False],
                reason="现场查验未见三级要求的系统集成",
            )
        elif code not in ("Q2", "S01"):
            value = version.answers.get(code, version.scenarios.get(code))
            services.save_verification(case=case, code=code, by=personas.expert, value=value)
    page.goto(f"{base}/review/case/{app.pk}/")
    assert "已核定指标和场景 31/31" in page.get_by_test_id("progress").inner_text()

    # 4. Site inspection: schedule (the visit began an hour ago: no record may be dated before it), start it
    # (the lead may), interview with a draft that survives a reload.
    page.goto(f"{base}/review/case/{app.pk}/inspection/")
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#scheduled_for").fill(when)
    page.locator("#place").fill("顺义区精工路1号二号车间")
    page.locator("#attendees").fill("陈专家、刘专家、王经理")
    submit(page.get_by_role("button", name="安排现场查验"))
    assert "顺义区精工路1号二号车间" in page.get_by_test_id("schedule").inner_text()
    page.goto(f"{base}/review/case/{app.pk}/")
    submit(page.locator("button[data-action=start_site_visit]"))
    assert Application.objects.get(pk=app.pk).state == "on_site"

    page.goto(f"{base}/review/case/{app.pk}/inspection/")
    interview = page.locator("#interview form")
    interview.locator("select[name=role]").select_option("frontline")
    interview.locator("input[name=interviewee]").fill("赵师傅 二车间操作工")
    interview.locator("textarea[name=record]").fill("每日在MES上报工，质检数据由扫码录入")
    page.wait_for_timeout(300)
    page.reload()  # the connection drops before sending: the text is still there
    assert (
        page.locator("#interview textarea[name=record]").input_value()
        == "每日在MES上报工，质检数据由扫码录入"
    )
    submit(page.locator("#interview").get_by_role("button", name="添加访谈记录"))
    assert "赵师傅" in page.get_by_test_id("interviews").inner_text()
    assert page.locator("#interview textarea[name=record]").input_value() == ""

    check = page.locator("#check form")
    check.locator("select[name=kind]").select_option("system")
    check.locator("input[name=subject]").fill("MES系统后台日志")
    check.locator("textarea[name=record]").fill("近三个月报工日志完整")
    submit(check.get_by_role("button", name="添加查验记录"))
    finding = page.locator("#finding form")
    finding.locator("textarea[name=text]").fill("产品设计仍以二维图纸为主，无知识库")
    finding.locator("select[name=codes]").select_option(["S01"])
    submit(finding.get_by_role("button", name="添加查验发现"))
    assert "S01" in page.get_by_test_id("findings").inner_text()
    photo_form = page.locator("#photo form")
    assert photo_form.locator("input[type=file]").get_attribute("capture") == "environment"
    photo_form.locator("input[type=file]").set_input_files(str(photo))
    photo_form.locator("input[name=caption]").fill("设计室电脑")
    submit(photo_form.get_by_role("button", name="上传照片"))
    page.locator("[data-testid=photos] img").first.wait_for()
    assert InspectionPhoto.objects.count() == 1

    # 5. The comparison shows the changed level; the lead writes the opinion and confirms.
    page.goto(f"{base}/review/case/{app.pk}/comparison/")
    assert page.get_by_test_id("self-level").inner_text() == "3 级"
    assert page.get_by_test_id("verified-level").inner_text() == "2 级"
    assert "核定等级由自评 3 级调整为 2 级" in page.get_by_test_id("level-changed").inner_text()
    page.locator("#text").fill("资料基本真实完整，产品设计场景未达三级，建议认定为二级。")
    submit(page.get_by_role("button", name="保存意见"))
    submit(page.get_by_role("button", name="确认评测建议"))
    assert "您已确认评测建议" in page.content()
    services.confirm(case=get_case(personas.expert2, app.pk), by=personas.expert2)

    # 6. The agency admin submits it.
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = ctx.new_page()
    admin.base = base
    login(admin, "agency-admin", factories.PASSWORD)
    admin.goto(f"{base}/review/case/{app.pk}/comparison/")
    submit(admin.locator("button[data-action=propose]"))
    assert "已提交评测建议" in admin.content()
    ctx.close()
    proposal = Proposal.objects.get(application=app)
    assert proposal.level == 2 and proposal.comparison["totals"]["self_level"] == 3
    assert Application.objects.get(pk=app.pk).state == "proposed"
