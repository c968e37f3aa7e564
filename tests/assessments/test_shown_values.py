"""What the enterprise sees: points as decimals (never 15/2) and the unanswered counter that counts."""

import re

import pytest

from assessments.framework import get_edition

from .conftest import save

pytestmark = pytest.mark.django_db


def test_item_points_are_decimals_never_fractions(personas, client_for, working):
    body = client_for(personas.owner).get("/enterprise/self-assessment/").content.decode()
    halves = [i for i in get_edition().items if i.points.denominator != 1]
    assert halves, "the edition has items worth a fraction of a point (Q8–Q11)"
    for item in halves:
        assert f"满分 {float(item.points):.2f} 分" in body
    assert not re.search(r"\b\d+/\d+\b", re.sub(r"<[^>]+>", " ", body).replace("/ 100", ""))


def test_enterprise_home_counts_what_is_unanswered(personas, client_for, working):
    c = client_for(personas.owner)
    save(c, "Q1", "1", revision=0)
    body = c.get("/enterprise/").content.decode()
    ed = get_edition()
    n = len(ed.items) - 1 + len(ed.scenarios)
    assert f"尚有 {n} 项未填写" in body
    assert "尚有 0 项未填写" not in body


def test_applying_while_the_checks_fail_makes_no_numbered_draft(personas, client_for, working):
    from assessments.models import Application

    r = client_for(personas.owner).post("/enterprise/applications/start/", follow=True)
    body = r.content.decode()
    assert "暂不能申请评测" in body and "自评问卷尚未完成" in body
    assert not Application.objects.filter(enterprise=personas.enterprise).exists()


def test_absurd_figures_are_refused_with_a_clear_message(personas, client_for, working):
    r = save(client_for(personas.owner), "data.prev_year.revenue", "999999999999999", revision=0)
    assert "数值过大" in r.content.decode()
    working.refresh_from_db()
    assert "prev_year" not in working.data


def test_figure_errors_name_the_field_by_its_label_not_its_key(personas, client_for, working):
    c = client_for(personas.owner)
    save(c, "data.equipment_total", "50", revision=0)
    r = save(c, "data.equipment_digital", "80", revision=1)
    body = r.content.decode() + c.get("/enterprise/self-assessment/").content.decode()
    label = get_edition().figure_field("equipment_total").label
    assert f"大于 {label}" in body
    text = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    assert "data.equipment_total" not in re.sub(r"<[^>]+>", " ", text)  # the words shown, not the attributes
