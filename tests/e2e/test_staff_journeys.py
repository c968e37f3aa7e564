"""The expert's and the agency's main journeys in Chromium, on a phone (390 × 844) and a desktop (1366 × 900),
in Chinese and English, with the server's clock frozen at 2026-12-01 19:30 UTC (ticking): 2026-12-02 03:30 in
Beijing. Every page walked fits the screen, shows no internal code and no date of the UTC day (walk.check_page);
the 待办 box and the menu count follow each step, the 办事进度 stepper says where the case is, since when (Beijing
time) and what is overdue. Screenshots of each home go to test-artifacts/ (not committed).

Each journey is driven once, on the phone in Chinese (walk.Walk), and every page walked is loaded and checked in
all four combinations, each signed in as the same person. The buttons are found by their form or data attribute,
not their words. What the page would only repeat (verifying the other 30 items, the second expert's declaration) goes through the
services the pages call."""

import datetime
import re

import pytest
import time_machine

from assessments.framework import get_edition
from assessments.lifecycle import transition
from assessments.models import Application
from experts import services
from experts.models import ConflictKind, InspectionPhoto, TeamMember
from experts.rules import get_case
from experts.samples import DEFAULT_FILES, PNG, attach_evidence
from tests import factories
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.walk import BEIJING_DAY, FROZEN, Walk, stepper, submit, todo
from tests.experts.conftest import LOWERED


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=True):
        yield


def shoot(walk, name: str) -> None:
    """Screenshots of the page each combination shows (test-artifacts/staff-<view>-<lang>-<user>-<name>.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for where, page in walk.each():
        page.screenshot(path=str(ARTIFACTS / f"staff-{where.replace(' ', '-')}-{name}.png"), full_page=False)


def assert_todo(walk, expected: dict) -> None:
    """The 待办 box and the menu count, as every combination shows them."""
    for where, page in walk.each():
        assert todo(page) == expected, where


def verify_the_rest(app, expert) -> None:
    """Every item and scenario but Q2 verified as the service the review page calls would (31 clicks add
    nothing): the scenarios of LOWERED[1:] at level 2, which takes the verified level from 3 to 2."""
    case = get_case(expert, app.pk)
    version = app.latest_version
    ed = get_edition(version.edition)
    for code in (*ed.item_codes, *ed.scenario_codes):
        if code in LOWERED:
            services.save_verification(
                case=case, code=code, by=expert, value=[True, True, False, False], reason="现场未见三级要求"
            )
        elif code != "Q2":
            services.save_verification(
                case=case, code=code, by=expert, value=version.answers.get(code, version.scenarios.get(code))
            )


@pytest.mark.django_db(transaction=True)
def test_expert_journey_declaration_review_inspection_confirmation(
    chromium, live_server, frozen, personas, tmp_path
):
    app = factories.application(
        personas.enterprise, state="assigned", level=3, agency=personas.agency, by=personas.owner
    )
    app.review_due, app.site_due, app.proposal_due = (datetime.date(2026, 12, d) for d in (9, 16, 23))
    app.save()
    attach_evidence(app, by=personas.owner, files=DEFAULT_FILES[:1])  # an image for Q2
    services.form_team(
        application=app, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
    )
    walk = Walk(chromium, live_server, "expert", factories.PASSWORD)
    page = walk.driver
    case_url = f"/review/case/{app.pk}/"

    # 1. Home: one declaration to make, counted in the box and the menu; the enterprise not yet named.
    text = walk.visit("/review/")
    assert_todo(walk, {"declare": 1, "total": 1, "menu": 1})
    assert personas.enterprise.name not in text
    shoot(walk, "home")

    # 2. The declaration says who the enterprise is, and nothing of its case.
    page.locator(f"[data-testid=assignments] a[href$='/case/{app.pk}/declare/']").click()
    walk.visit(f"{case_url}declare/")
    for at, shown in walk.each():
        identity = shown.get_by_test_id("declare-identity").inner_text()
        for fact in (personas.enterprise.name, personas.enterprise.credit_code, personas.enterprise.address):
            assert fact in identity, (at, fact)
        assert "设备台账.png" not in shown.content(), at  # no file before the declaration
    page.locator("#c-none").check()
    submit(page.locator("form:has(input[name=conflict]) button[type=submit]"))
    assert page.get_by_test_id("enterprise-name").inner_text() == personas.enterprise.name
    walk.visit(case_url)
    for at, shown in walk.each():
        steps = stepper(shown)
        assert steps["current"] == "review", (at, steps)
        assert personas.agency.name in steps["now"] and "2026-12-09" in steps["now"], (at, steps)
        assert f"{BEIJING_DAY} 03:3" in steps["now"], (at, steps)  # since the case was assigned, Beijing time

    # Waiting for the agency to start the review: nothing to do.
    walk.visit("/review/")
    assert_todo(walk, {"total": 0, "menu": 0})

    services.declare(
        member=TeamMember.objects.get(expert=personas.expert2), by=personas.expert2, kind=ConflictKind.NONE
    )
    transition(app, "start_review", by=personas.agency_admin)
    walk.visit("/review/")
    assert_todo(walk, {"review": 1, "total": 1, "menu": 1})

    # 3. Document review: the Q2 image inline, a verdict on it, the item verified.
    walk.visit(f"{case_url}review/Q2/", item_codes=True)
    img = page.locator("main img[src*='/evidence/']").first
    img.wait_for()
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) == 1
    verdict = page.get_by_test_id("verdict-form").first
    verdict.locator("select[name=completeness]").select_option("unclear")
    verdict.locator("textarea[name=comment]").fill("台账缺少设备编号页")
    submit(verdict.locator("button[type=submit]"))
    walk.check("verdict saved", item_codes=True)
    submit(page.get_by_test_id("verify-form").locator("button[type=submit]:not([name])"))
    walk.check("Q2 verified", item_codes=True)
    verify_the_rest(app, personas.expert)
    walk.visit(case_url)
    assert "31/31" in page.get_by_test_id("progress").inner_text()

    # 4. On-site inspection: scheduled (Beijing time in, Beijing time out) half an hour before the frozen 03:30, so
    # the records that follow are not before the visit; started, recorded, photographed.
    walk.visit(f"{case_url}inspection/", item_codes=True)
    page.locator("#scheduled_for").fill(f"{BEIJING_DAY}T03:00")
    page.locator("#place").fill("顺义区精工路1号二号车间")
    page.locator("#attendees").fill("陈专家、刘专家、王经理")
    submit(page.locator("#schedule button[type=submit]"))
    walk.check("scheduled", item_codes=True)
    assert f"{BEIJING_DAY} 03:00" in page.get_by_test_id("schedule").inner_text()
    page.goto(page.base + case_url)
    submit(page.locator("button[data-action=start_site_visit]"))
    assert Application.objects.get(pk=app.pk).state == "on_site"
    walk.visit(case_url)
    for at, shown in walk.each():
        assert stepper(shown)["current"] == "site", at
    walk.visit("/review/")
    assert_todo(walk, {"inspection": 1, "total": 1, "menu": 1})

    page.goto(page.base + f"{case_url}inspection/")
    for section, listed, choice, fields in (
        (
            "interview",
            "interviews",
            ("role", "frontline"),
            {"interviewee": "赵师傅", "record": "每日在MES上报工"},
        ),
        (
            "check",
            "checks",
            ("kind", "system"),
            {"subject": "MES系统后台日志", "record": "近三个月报工日志完整"},
        ),
    ):
        form = page.locator(f"#{section} form")
        form.locator(f"select[name={choice[0]}]").select_option(choice[1])
        for name, value in fields.items():
            form.locator(f"[name={name}]").fill(value)
        submit(form.locator("button[type=submit]"))
        for value in fields.values():
            assert value in page.get_by_test_id(listed).inner_text(), section
    photo = tmp_path / "设计室.png"
    photo.write_bytes(PNG)
    photo_form = page.locator("#photo form")
    photo_form.locator("input[type=file]").set_input_files(str(photo))
    photo_form.locator("input[name=caption]").fill("设计室电脑")
    submit(photo_form.locator("button[type=submit]"))
    assert InspectionPhoto.objects.filter(inspection__team__application=app).count() == 1
    walk.visit(f"{case_url}inspection/", item_codes=True)
    for at, shown in walk.each():
        shown.locator("[data-testid=photos] img").first.wait_for()
        assert (
            shown.evaluate(
                "(el) => el.naturalWidth", shown.locator("[data-testid=photos] img").first.element_handle()
            )
            == 1
        ), at

    # 5. The proposal: the comparison shows the changed level; the lead writes the opinion and confirms it.
    walk.visit(f"{case_url}comparison/", item_codes=True)
    for at, shown in walk.each():
        levels = [
            re.sub(r"\D", "", shown.get_by_test_id(f"{k}-level").inner_text()) for k in ("self", "verified")
        ]
        assert levels == ["3", "2"], (at, levels)
    page.locator("#text").fill("资料基本真实完整，产品设计场景未达三级，建议认定为二级。")
    submit(page.get_by_test_id("opinion-form").locator("button[type=submit]"))
    walk.check("opinion saved", item_codes=True)
    submit(page.locator("form:has(input[name=form][value=confirm]) button[type=submit]"))
    walk.check("confirmed", item_codes=True)
    member = TeamMember.objects.get(team__application=app, expert=personas.expert)
    assert member.confirmed_at is not None
    # Confirmed: nothing left for this expert on the case until the agency submits it.
    walk.visit("/review/")
    assert_todo(walk, {"total": 0, "menu": 0})
    walk.close()


@pytest.mark.django_db(transaction=True)
def test_agency_journey_team_stages_and_overdue(chromium, live_server, frozen, personas):
    # A case just commissioned (no team yet) and one whose review is two days overdue (Beijing's today is
    # 2026-12-02 while UTC's is still 12-01: one day of the two is the time zone's).
    fresh = factories.application(personas.enterprise, state="assigned", level=3, agency=personas.agency)
    fresh.review_due, fresh.site_due, fresh.proposal_due = (datetime.date(2026, 12, d) for d in (9, 16, 23))
    fresh.save()
    late_ent = factories.enterprise("北京顺义逾期测试有限公司")
    late = factories.application(late_ent, state="in_review", level=3, agency=personas.agency)
    late.review_due, late.site_due, late.proposal_due = (
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 14),
    )
    late.save()
    services.form_team(application=late, by=personas.agency_admin, lead=personas.expert2, members=[])
    walk = Walk(chromium, live_server, "agency-admin", factories.PASSWORD)
    page = walk.driver

    # 1. Home: a team to form and an overdue stage, in the box and the menu; the late row marked.
    walk.visit("/review/")
    assert_todo(walk, {"team": 1, "overdue": 1, "total": 2, "menu": 2})
    for at, shown in walk.each():
        queue = shown.get_by_test_id("agency-queue")
        late_row = queue.locator("tr", has_text=late.number)
        assert "table-danger" in late_row.get_attribute("class"), at
        assert "2026-11-30" in late_row.inner_text(), at
        overdue = "资料审核已逾期" if "zh-CN" in at else "Document review overdue"
        assert late_row.locator(".badge.text-bg-danger").inner_text() == overdue, at
        assert "table-danger" not in (
            queue.locator("tr", has_text=fresh.number).get_attribute("class") or ""
        ), at
        assert personas.enterprise.name in queue.inner_text() and late_ent.name in queue.inner_text(), at
    shoot(walk, "home")

    # 2. The overdue case: the stepper names the stage, its due date and the days overdue.
    page.get_by_test_id("agency-queue").locator("tr", has_text=late.number).locator("a").click()
    walk.visit(f"/review/case/{late.pk}/")
    for at, shown in walk.each():
        steps = stepper(shown)
        assert steps["current"] == "review" and "2026-11-30" in steps["now"], (at, steps)
        badge = shown.get_by_test_id("stepper").locator(".badge.text-bg-danger").inner_text()
        assert re.fullmatch(r"\D*2\D*", badge), (at, badge)  # 2026-11-30 to Beijing's 12-02

    # 3. Forming the fresh case's team: a lead, a member and a due date.
    walk.visit(f"/review/case/{fresh.pk}/")
    for at, shown in walk.each():
        steps = stepper(shown)
        assert steps["current"] == "review" and f"{BEIJING_DAY} 03:3" in steps["now"], (at, steps)
    page.locator(f"a[href$='/case/{fresh.pk}/team/']").last.click()
    walk.visit(f"/review/case/{fresh.pk}/team/")
    page.locator("#lead").select_option(str(personas.expert.pk))
    page.locator(f"#m-{personas.expert2.pk}").check()
    page.locator("#due_on").fill("2026-12-20")
    submit(page.locator("form:has(#lead) button[type=submit]"))
    walk.check("team formed")
    team = page.get_by_test_id("team").inner_text()
    assert "陈专家" in team and "刘专家" in team, team
    members = TeamMember.objects.filter(team__application=fresh, removed_at__isnull=True)
    assert {m.expert_id for m in members} == {personas.expert.pk, personas.expert2.pk}

    # 4. Home again: the team is formed, the overdue stage is still there.
    walk.visit("/review/")
    assert_todo(walk, {"overdue": 1, "total": 1, "menu": 1})
    walk.close()
