"""The platform's look, measured in Chromium: chart labels readable on a phone (≥ 12 px as drawn, none cut, none
over another, in Chinese and English), every text at WCAG AA contrast against what it is drawn on, and the print
styles of the pages people print (no menu, no buttons, black on white, cards kept whole)."""

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import login
from tests.e2e.test_layout import VIEWPORTS, overflow
from tests.supervision import helpers

# Each chart text as drawn: its font size times the SVG's scale on the screen, its box, and its chart's box.
CHART_TEXTS = """() => [...document.querySelectorAll('svg[role=img]')].flatMap((svg, i) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {chart: i, text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            left: r.left - box.left, right: box.right - r.right, top: r.top - box.top, bottom: box.bottom - r.bottom,
            box: [r.left, r.top, r.right, r.bottom]};
  });
})"""

# Every visible text node's colour against its background, composited up the tree (a translucent background is
# laid over its parent's); the ratio is WCAG 2's. Large text (≥ 24 px, or ≥ 18.66 px bold) needs 3:1.
CONTRAST = """() => {
  const rgba = s => { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => top[3] >= 1 ? top : [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const bg = el => { if (!el || el.nodeType !== 1) return [255, 255, 255, 1];
    const c = rgba(getComputedStyle(el).backgroundColor) || [0, 0, 0, 0];
    return c[3] >= 1 ? c : over(c, bg(el.parentElement)); };
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg, [disabled], .disabled, .visually-hidden')) continue;
    const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || !el.checkVisibility({opacityProperty: true})) continue;
    const fg = over(rgba(cs.color), bg(el)); const size = parseFloat(cs.fontSize);
    const need = (size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700)) ? 3 : 4.5;
    const got = ratio(fg, bg(el));
    if (got < need) bad.push(`${node.textContent.trim().slice(0, 30)}: ${got.toFixed(2)} (${cs.color} on ${bg(el)})`);
  }
  return bad;
}"""


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1


@pytest.fixture
def dashboard_world(personas):
    from tests.supervision.test_dashboard import make_cases

    make_cases(personas, 4)
    return personas


def _context(chromium, live_server, view, lang):
    context = chromium.new_context(viewport=VIEWPORTS[view], locale=lang, timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = live_server.url
    return context, page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("view, lang", [("phone", "zh-CN"), ("phone", "en"), ("desktop", "en")])
def test_dashboard_chart_labels_are_at_least_12px_and_never_cut(
    chromium, live_server, dashboard_world, view, lang
):
    context, page = _context(chromium, live_server, view, lang)
    try:
        login(page, "bureau", factories.PASSWORD)
        page.goto(page.base + reverse("supervision:home"))
        texts = page.evaluate(CHART_TEXTS)
        charts = {t["chart"] for t in texts}
        assert len(charts) == 5, f"{view} {lang}: {len(charts)} charts"
        assert len(texts) > 60
        for t in texts:
            where = f"{view} {lang} chart {t['chart']} “{t['text']}”"
            assert t["px"] >= 12, f"{where}: drawn at {t['px']:.1f} px"
            assert min(t["left"], t["right"], t["top"], t["bottom"]) >= -1, f"{where}: cut {t}"
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                if a["chart"] == b["chart"]:
                    assert not _overlaps(a["box"], b["box"]), (
                        f"{view} {lang}: “{a['text']}” over “{b['text']}”"
                    )
        assert overflow(page) <= 0
        if view == "phone" and lang == "zh-CN":
            # Drawn for a phone: in Chinese every chart fits its card without scrolling sideways.
            wide = page.evaluate(
                "[...document.querySelectorAll('.chart-box')].filter(b => b.scrollWidth > b.clientWidth + 1).length"
            )
            assert wide == 0
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("view", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_text_on_the_main_pages_meets_wcag_aa_contrast(
    chromium, live_server, dashboard_world, view, lang
):
    p = dashboard_world
    app = helpers.approved(
        factories.enterprise("北京顺义对比度测试有限公司"),
        agency=p.agency,
        admin=p.agency_admin,
        bureau=p.bureau,
    )
    pages = {
        None: ["/", reverse("verify:number", args=[app.grade.certificate_number]), reverse("accounts:login")],
        "bureau": [reverse("supervision:home"), reverse("supervision:application", args=[app.pk])],
        "owner": [reverse("assessments:home")],
    }
    for user, urls in pages.items():
        context, page = _context(chromium, live_server, view, lang)
        try:
            if user:
                login(page, user, factories.PASSWORD)
            for url in urls:
                page.goto(page.base + url)
                bad = page.evaluate(CONTRAST)
                assert not bad, f"{view} {lang} {url}: {bad}"
                if view == "phone":  # the opened menu, too
                    page.locator(".navbar-toggler").click()
                    page.locator("#mainnav.show").wait_for()
                    bad = page.evaluate(CONTRAST)
                    assert not bad, f"{view} {lang} {url} (menu open): {bad}"
                    # A long (English) role name wraps inside the opened menu, not past the screen's edge.
                    past = page.evaluate(
                        "[...document.querySelectorAll('#mainnav .nav-link')]"
                        ".filter(a => a.getBoundingClientRect().right > innerWidth + 1).map(a => a.textContent)"
                    )
                    wide = page.evaluate(
                        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
                        "innerWidth + 1).slice(0, 5).map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"
                    )
                    assert past == [] and overflow(page) <= 0, f"{view} {lang} {url}: {past} {wide}"
        finally:
            context.close()


PRINT_STATE = """() => {
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const cs = getComputedStyle(document.body);
  return {
    menu: [...document.querySelectorAll('#mainnav, .navbar-toggler, .site-nav-main a')].filter(shown).length,
    buttons: [...document.querySelectorAll('.btn, button, form')].filter(shown).map(b => b.textContent.trim()),
    name: shown(document.querySelector('.site-name')) ? document.querySelector('.site-name').textContent : '',
    body: [cs.color, cs.backgroundColor],
    coloured: [...document.querySelectorAll('main *')].filter(shown).filter(el => {
      const c = getComputedStyle(el).color; return c !== 'rgb(0, 0, 0)' && c !== 'rgb(255, 255, 255)'; }).length,
    backgrounds: [...document.querySelectorAll('body, .site-header, .site-footer, main .card, main .badge')].filter(shown)
      .map(el => getComputedStyle(el).backgroundColor)
      .filter(c => !['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'].includes(c)),
    cards: [...document.querySelectorAll('main .card')].filter(c => !c.querySelector('table'))
      .map(c => getComputedStyle(c).breakInside),
    linkUrls: [...document.querySelectorAll('main a[href]')].map(a => getComputedStyle(a, '::after').content)
      .filter(c => c && c !== 'none' && c !== 'normal' && c !== '""'),
  };
}"""


@pytest.mark.django_db(transaction=True)
def test_print_shows_the_case_page_black_on_white_without_menu_or_buttons(page, personas):
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    login(page, "bureau", factories.PASSWORD)
    page.goto(page.base + reverse("supervision:application", args=[app.pk]))
    # On the screen the menu and the case's buttons (撤销认定结果, 生成报告 …) are there …
    assert page.locator(".navbar-toggler").is_visible()
    assert page.locator("main .btn:visible").count() > 0
    page.emulate_media(media="print")
    state = page.evaluate(PRINT_STATE)
    # … on paper: no menu, no button or form, the platform's name, black on white, cards never cut.
    assert state["menu"] == 0, state
    assert state["buttons"] == [], state
    assert state["name"] == "顺义区中小企业数字化水平评测平台"
    assert state["body"] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert state["coloured"] == 0, state
    assert state["backgrounds"] == [], state
    assert state["cards"] and set(state["cards"]) == {"avoid"}, state
    assert state["linkUrls"] == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["owner", "anonymous"])
def test_print_of_the_enterprise_s_pages_and_the_certificate(page, personas, who):
    app = helpers.approved(
        personas.enterprise, agency=personas.agency, admin=personas.agency_admin, bureau=personas.bureau
    )
    if who == "owner":
        login(page, "owner", factories.PASSWORD)
        urls = [
            reverse("assessments:application", args=[app.pk]),
            reverse("assessments:application_paper_sheet", args=[app.pk]),
        ]
    else:
        urls = [reverse("verify:number", args=[app.grade.certificate_number])]
    for url in urls:
        page.emulate_media(media="screen")
        page.goto(page.base + url)
        page.emulate_media(media="print")
        state = page.evaluate(PRINT_STATE)
        assert state["menu"] == 0 and state["buttons"] == [], (url, state)
        assert state["body"] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], url
        assert state["coloured"] == 0 and state["backgrounds"] == [], (url, state)
        assert state["linkUrls"] == [], url
