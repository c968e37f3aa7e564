import pytest

from tests import factories
from tests.e2e.conftest import login


@pytest.mark.django_db(transaction=True)
def test_home_page_in_chromium_on_a_phone(page):
    page.goto(page.base + "/")
    assert "顺义区中小企业数字化水平评测平台" in page.title()
    assert page.locator("h1").inner_text() == "顺义区中小企业数字化水平评测平台"
    # Bootstrap from static/vendor is applied: the collapsed phone menu shows its toggler.
    assert page.locator(".navbar-toggler").is_visible()


@pytest.mark.django_db(transaction=True)
def test_login_in_chromium(page):
    factories.bureau("bureau-e2e", full_name="审核员甲")
    login(page, "bureau-e2e", factories.PASSWORD)
    page.locator(".navbar-toggler").click()
    assert "审核员甲" in page.get_by_test_id("whoami").inner_text()
