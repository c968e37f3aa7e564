"""The guided questionnaire in a browser: a refused autosave puts the radio back; the live bar stays on a phone."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import ARTIFACTS, login


@pytest.mark.django_db(transaction=True)
def test_a_refused_autosave_unticks_the_radio_and_the_live_bar_stays_visible(page):
    ent = factories.enterprise("北京顺义引导测试有限公司")
    factories.enterprise_user("guide-ent", ent, full_name="引导经理")
    login(page, "guide-ent", factories.PASSWORD)
    page.goto(page.base + "/enterprise/self-assessment/")
    bar = page.get_by_test_id("live-bar")
    expect(bar).to_be_visible()
    # a save without the page's revision is refused: the radio must not stay ticked
    page.evaluate("document.getElementById('revision').value = ''")
    radio = page.locator("#o-Q5-3")
    # click(), not check(): check() insists the tick stays, and the refusal may already have taken it back
    radio.click()
    expect(page.get_by_test_id("field-error").first).to_be_visible()
    expect(radio).not_to_be_checked()
    # far down the page the live bar is still on screen
    page.locator("#section-scenarios").scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None and 0 <= box["y"] < 844
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "questionnaire-phone.png"))


@pytest.mark.django_db(transaction=True)
def test_jump_to_the_next_unanswered_works_from_the_keyboard(page):
    ent = factories.enterprise("北京顺义键盘测试有限公司")
    factories.enterprise_user("keys-ent", ent, full_name="键盘经理")
    login(page, "keys-ent", factories.PASSWORD)
    page.goto(page.base + "/enterprise/self-assessment/")
    jump = page.get_by_test_id("next-unanswered")
    target = jump.get_attribute("href").lstrip("#")
    jump.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=target)
    # the section links name their part and its progress for a screen reader
    assert page.get_by_role("progressbar").count() == page.get_by_test_id("section-link").count() >= 4
