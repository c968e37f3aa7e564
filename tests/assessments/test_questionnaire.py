"""The questionnaire page, autosave with field-level merge, the live panel, and bad input."""

import pytest

from assessments import services
from assessments.models import Assessment
from core.models import AuditEvent

from .conftest import fill, save

URL = "/enterprise/self-assessment/"
# session, user, enterprise, savepoint + the working copy (with its application) + release, evidence, notifications,
# the menu's 待办 (supervision.todo: the enterprise's applications)
PAGE_QUERIES = 9


def test_page_is_generated_from_the_edition(personas, client_for, working):
    body = client_for(personas.owner).get(URL).content.decode()
    from assessments.framework import get_edition

    ed = get_edition()
    for item in ed.items:
        assert item.question in body
        for option in item.options:
            assert option.text in body
    for s in ed.scenarios:
        for text in s.criteria:
            assert text in body
    for source in ed.energy_sources:
        assert source.name in body
    assert "进阶规则" in body


def test_autosave_updates_live_panel_derived_option_and_audit(personas, client_for, working):
    c = client_for(personas.owner)
    r = save(c, "data.equipment_total", "50", revision=0)
    assert "已保存" in r.content.decode()
    r = save(c, "data.equipment_digital", "40", revision=1)
    body = r.content.decode()
    assert 'id="revision"' in body and 'value="2"' in body
    assert 'id="derived-Q2"' in body and "(60%,100%]" in body or "60%" in body
    r = save(c, "Q2", "1", revision=2)
    body = r.content.decode()
    assert 'data-testid="warning-Q2"' in body  # chosen option disagrees with the figures
    assert 'id="live-panel"' in body and "1.50" in body  # Q2 option 1 = 25% of 6 points
    working.refresh_from_db()
    assert working.answers == {"Q2": 1}
    assert working.data == {"equipment_total": "50", "equipment_digital": "40"}
    ev = AuditEvent.objects.filter(action="assessment.answer").order_by("id").last()
    assert ev.detail["field"] == "Q2" and ev.detail["old"] is None and ev.detail["new"] == 1


def test_energy_is_entered_per_source_and_tce_comes_from_the_engine(personas, client_for, working):
    c = client_for(personas.owner)
    save(c, "data.prev_year.energy.electricity", "310", revision=0)
    r = save(c, "data.prev_year.energy.blast_furnace_gas", "1.5", revision=1)
    assert "382.919 吨标准煤" in r.content.decode()
    r = save(c, "data.prev_year.recovered_tce", "2.919", revision=2)
    assert "380 吨标准煤" in r.content.decode()
    working.refresh_from_db()
    assert working.data["prev_year"]["energy"] == [
        {"source": "blast_furnace_gas", "amount": "1.5"},
        {"source": "electricity", "amount": "310"},
    ] or working.data["prev_year"]["energy"][0]["source"] in ("electricity", "blast_furnace_gas")


def test_scenario_progression_rule_is_shown(personas, client_for, working):
    c = client_for(personas.owner)
    save(c, "S05.1", "on", revision=0)
    r = save(c, "S05.3", "on", revision=1)
    body = r.content.decode()
    assert "三级不计入：需先满足二级全部要求" in body
    working.refresh_from_db()
    assert working.scenarios["S05"] == [True, False, True, False]
    assert working.level == 0


@pytest.mark.parametrize(
    ("key", "values", "message"),
    [
        ("data.equipment_total", ["abc"], "请输入数字"),
        ("data.equipment_total", ["-3"], "负"),
        ("data.equipment_total", ["3.5"], "整数"),
        ("data.pass_rate_before", ["97"], "100%"),
        ("Q1", ["0", "2"], "无"),
        ("Q2", ["9"], "请选择列出的选项"),
        ("Q2", ["1", "2"], "单选"),
        ("data.investment_by_year.2", ["100"], "按年份顺序"),
        ("nonsense", ["1"], "未知的问卷项"),
    ],
)
def test_bad_input_gets_a_chinese_field_message_and_saves_nothing(
    personas, client_for, working, key, values, message
):
    c = client_for(personas.owner)
    before = AuditEvent.objects.count()
    r = save(c, key, *values, revision=0)
    body = r.content.decode()
    assert 'data-testid="field-error"' in body
    assert message in body, body[:400]
    working.refresh_from_db()
    assert working.revision == 0 and working.answers == {} and working.data == {}
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("first", "key", "value", "message"),
    [
        ("data.prev_year.energy.electricity", "data.prev_year.recovered_tce", "5", "扣减量"),
        (None, "data.prev_year.recovered_tce", "5", "仅在填写能源消费明细"),
        (None, "data.prev_year.energy.electricity", "-1", "负"),
        ("data.investment_by_year.0", "data.revenue_by_year.0", "0", "为 0"),
    ],
)
def test_bad_figures_depending_on_others_are_refused(
    personas, client_for, working, first, key, value, message
):
    c = client_for(personas.owner)
    revision = 0
    if first:
        save(c, first, "1", revision=0)
        revision = 1
    working.refresh_from_db()
    data_before = working.data
    body = save(c, key, value, revision=revision).content.decode()
    assert "未保存" in body and message in body, body[:300]
    working.refresh_from_db()
    assert working.data == data_before and working.revision == revision


def test_part_above_total_is_refused_with_the_engine_message(personas, client_for, working):
    c = client_for(personas.owner)
    save(c, "data.equipment_total", "50", revision=0)
    r = save(c, "data.equipment_digital", "60", revision=1)
    body = r.content.decode()
    assert "未保存" in body and "比率超过 100%" in body
    working.refresh_from_db()
    assert "equipment_digital" not in working.data and working.revision == 1


def test_two_tabs_same_field_conflict_is_refused_with_the_newer_value(personas, client_for, working):
    tab1, tab2 = client_for(personas.owner), client_for(personas.colleague)
    assert "已保存" in save(tab1, "data.equipment_total", "50", revision=0).content.decode()
    r = save(tab2, "data.equipment_total", "70", revision=0)  # tab 2 never saw the 50
    body = r.content.decode()
    assert "保存冲突" in body and "“50”" in body
    assert 'value="0"' in body  # the stale tab stays on its revision
    working.refresh_from_db()
    assert working.data["equipment_total"] == "50"


def test_two_tabs_different_fields_merge(personas, client_for, working):
    tab1, tab2 = client_for(personas.owner), client_for(personas.owner)
    save(tab1, "data.equipment_total", "50", revision=0)
    r = save(tab2, "Q5", "3", revision=0)  # stale revision, but nobody else touched Q5
    assert "已保存" in r.content.decode()
    working.refresh_from_db()
    assert working.data["equipment_total"] == "50" and working.answers["Q5"] == 3 and working.revision == 2


def test_locked_after_submission(personas, client_for, submitted):
    a = submitted.assessment
    r = save(client_for(personas.owner), "Q5", "1", revision=a.revision)
    assert "已锁定" in r.content.decode()
    a.refresh_from_db()
    assert a.answers["Q5"] == 4


def test_query_count_pinned_and_flat_in_uploads_and_answers(personas, client_for, django_assert_num_queries):
    from .conftest import pdf

    c = client_for(personas.owner)
    a = services.working_assessment(enterprise=personas.enterprise, by=personas.owner)
    services.upload_evidence(
        assessment=a, target="Q1", upload=pdf(), content_type="application/pdf", by=personas.owner
    )
    with django_assert_num_queries(PAGE_QUERIES):
        c.get(URL)
    for i in range(9):
        target = "Q3" if i % 2 else "S05.2"
        services.upload_evidence(
            assessment=a,
            target=target,
            upload=pdf(f"f{i}.pdf"),
            content_type="application/pdf",
            by=personas.owner,
        )
    with django_assert_num_queries(PAGE_QUERIES):
        c.get(URL)
    fill(personas, 4)
    assert Assessment.objects.get(pk=a.pk).answers
    with django_assert_num_queries(PAGE_QUERIES):
        body = c.get(URL).content.decode()
    assert "f8.pdf" in body


def test_a_merged_save_shows_the_tab_what_others_changed(personas, client_for, working):
    """After a merge the tab's revision moves on, so it must first be shown the newer values it never saw;
    a later edit of that field in this tab is then an informed one, not a silent overwrite."""
    tab1, tab2 = client_for(personas.owner), client_for(personas.colleague)
    save(tab1, "data.equipment_total", "50", revision=0)
    save(tab1, "Q5", "3", revision=1)
    save(tab1, "S02.1", "on", revision=2)
    body = save(tab2, "Q6", "1", revision=0).content.decode()
    assert 'data-testid="field-merged"' in body
    assert (
        "5. 信息系统" in body
        and "Q5 信息系统" not in body
        and "生产设备数量" in body
        and "S02 工艺设计" in body
    )
    assert 'id="fld-data-equipment-total" hx-swap-oob="true"' in body and 'value="50"' in body
    assert 'id="item-Q5" hx-swap-oob="true"' in body and 'id="o-Q5-3" checked' in body
    assert 'id="scenario-S02" class="card mb-3 scenario-card" hx-swap-oob="true"' in body or (
        'id="scenario-S02"' in body
    )
    # nested swaps would tear the derived hint out of the item: inside a swapped item nothing is out-of-band
    item = body[body.index('id="item-Q5"') :]
    item = item[: item.index("</section>")]
    assert item.count("hx-swap-oob") == 1
