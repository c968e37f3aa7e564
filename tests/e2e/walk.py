"""What every walked page of the role journeys is checked for, in one place: it fits the screen, it shows no
internal code (the scanner of test_layout and test_journeys), and no date of the frozen UTC day when Beijing is
already on the next one. Plus a context per viewport and language, and the 待办 counts as the page shows them."""

import datetime
import re

from tests.e2e.conftest import login
from tests.e2e.test_journeys import KEY
from tests.e2e.test_layout import CODE, VIEWPORTS, overflow, shown_text

# The clock the journeys run at: 2026-12-01 19:30 UTC is 2026-12-02 03:30 in Beijing.
FROZEN = datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC)
BEIJING_DAY = "2026-12-02"
UTC_DAY = "2026-12-01"
# The experts' workbench (review, inspection and comparison pages) names each item by its code (Q2 beside its
# title, "Q2 已核定", the findings' list of items): shown there on purpose, like the scenario numbers S01 …;
# data.* keys are still never shown there.
DATA_KEY = re.compile(r"\bdata\.\w+")


def new_page(chromium, live_server, view: str, lang: str):
    """A signed-out page in a fresh context. The browser's own clock is UTC: every date shown must come from
    the server in Beijing time."""
    context = chromium.new_context(viewport=VIEWPORTS[view], locale=lang, timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = live_server.url
    return page


def check_page(page, where: str, *, item_codes: bool = False, settle: bool = True) -> str:
    """The walked page fits the screen, shows no code (item codes only where `item_codes`) and no UTC date;
    returns its text. `settle`: first wait until the network is idle (a page that is then used further); the
    pages of this site load nothing after their load event, so a page that is only looked at need not."""
    if settle:
        page.wait_for_load_state("networkidle")
    assert overflow(page) <= 0, f"{where}: {overflow(page)} px wider than the screen"
    text = shown_text(page)
    codes = set(CODE.findall(text)) | set((DATA_KEY if item_codes else KEY).findall(text))
    assert not codes, f"{where}: codes shown {codes}"
    assert UTC_DAY not in text, f"{where}: a date in UTC ({UTC_DAY}) is shown"
    return text


def goto(page, path: str, where: str, *, item_codes: bool = False, settle: bool = True) -> str:
    page.goto(page.base + path)
    return check_page(page, f"{where} {path}", item_codes=item_codes, settle=settle)


def submit(button) -> None:
    """Click a button that posts its form and wait for the answer page (the redirect included)."""
    with button.page.expect_navigation():
        button.click()
    button.page.wait_for_load_state("networkidle")


def todo(page) -> dict:
    """The 待办 box as shown: {kind: count} for each line, with the total under "total" and the menu's count
    under "menu" (0 when the menu shows none)."""
    box = page.get_by_test_id("todo")
    lines = {}
    for line in box.locator("li[data-testid^=todo-]").all():
        kind = line.get_attribute("data-testid").removeprefix("todo-")
        lines[kind] = int(line.locator(".badge").inner_text())
    lines["total"] = int(page.get_by_test_id("todo-count").inner_text())
    menu = page.get_by_test_id("nav-todo-count")
    # On a phone the menu is folded: its count is in the page all the same.
    lines["menu"] = int(menu.first.text_content()) if menu.count() else 0
    return lines


def stepper(page) -> dict:
    """The 办事进度 as shown: the current step's key and the line that says where the case is."""
    box = page.get_by_test_id("stepper")
    current = box.locator("[aria-current=step]").get_attribute("data-testid").removeprefix("step-")
    return {"current": current, "now": box.get_by_test_id("stepper-now").inner_text()}


class Walk:
    """One person's journey seen at once on a phone and a desktop, in Chinese and English: one signed-in page per
    combination. The first (the phone in Chinese) drives the journey: it fills and posts the forms; `visit`
    loads a page in every combination and checks each, so the four see every page walked without the journey
    being set up and posted four times."""

    COMBINATIONS = (("phone", "zh-CN"), ("phone", "en"), ("desktop", "zh-CN"), ("desktop", "en"))

    def __init__(self, chromium, live_server, username: str, password: str):
        self.pages = {}
        for view, lang in self.COMBINATIONS:
            page = new_page(chromium, live_server, view, lang)
            login(page, username, password)
            self.pages[f"{view} {lang} {username}"] = page
        self.where, self.driver = next(iter(self.pages.items()))

    def visit(self, path: str, *, item_codes: bool = False) -> str:
        """Load `path` in every combination and check each page; the driver's text."""
        for where, page in self.pages.items():
            text = goto(page, path, where, item_codes=item_codes, settle=False)
            if page is self.driver:
                shown = text
        return shown

    def each(self):
        """(where, page) of every combination, for assertions on what each of them shows."""
        return self.pages.items()

    def check(self, step: str, *, item_codes: bool = False) -> str:
        """Check the driver's page after it posted a form."""
        return check_page(self.driver, f"{self.where} {step}", item_codes=item_codes)

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
