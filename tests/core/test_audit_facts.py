"""Audit events are facts: an action code, its parameters and the actor as they were; the sentence is rendered
when the trail is read, in the reader's language (issue 9 point 2)."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation

from accounts.models import User
from assessments.framework import get_edition
from assessments.lifecycle import TRANSITIONS
from core.actions import ACTIONS, label_of
from core.models import AuditEvent
from tests.assessments.conftest import save

AUDIT = "/bureau/audit/"
APPS = ["core", "accounts", "assessments", "experts", "supervision", "documents"]


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_edit_made_in_english_is_stored_without_language(personas, client_for, working):
    c = _english(client_for(personas.owner))
    assert "Saved" in save(c, "data.equipment_total", "50", revision=0).content.decode()  # the UI is English
    event = AuditEvent.objects.filter(action="assessment.answer").latest("id")
    assert event.summary == ""
    assert event.detail == {
        "field": "data.equipment_total",
        "edition": working.edition,
        "old": None,
        "new": "50",
        "revision": 1,
    }
    assert event.actor_snapshot == {
        "username": "owner",
        "name": "王经理",
        "role": "enterprise",
        "organisation": personas.enterprise.name,
    }


def test_the_audit_page_speaks_its_readers_language_and_shows_the_figures_label(
    personas, client_for, working
):
    save(_english(client_for(personas.owner)), "data.equipment_total", "50", revision=0)
    label = {f.path: f for f in get_edition().fields}["equipment_total"].label
    chinese = client_for(personas.bureau).get(AUDIT).content.decode()
    english = _english(client_for(personas.bureau)).get(AUDIT).content.decode()
    assert f"修改自评：{label}" in chinese
    assert f"Edit self-assessment: {label}" in english
    for page in (chinese, english):
        assert "data.equipment_total" not in page.replace('title="assessment.answer"', "")
        assert ">assessment.answer<" not in page  # the action's label is shown, not its code


def test_renaming_the_actor_afterwards_changes_nothing_in_the_trail(personas, client_for, working):
    save(client_for(personas.owner), "Q2", "1", revision=0)
    before = client_for(personas.bureau).get(AUDIT).content.decode()
    assert "王经理" in before and personas.enterprise.name in before
    User.objects.filter(pk=personas.owner.pk).update(full_name="改名之后", username="renamed")
    personas.enterprise.name = "改名后的企业"
    personas.enterprise.save(update_fields=["name"])
    after = client_for(personas.bureau).get(AUDIT).content.decode()
    assert "改名之后" not in after and "改名后的企业" not in after
    assert "王经理" in after
    found = client_for(personas.bureau).get(AUDIT, {"actor": "王经理"}).context["page"].object_list
    assert [e.action for e in found] == ["assessment.answer"]


def _recorded_codes():
    """Every action code passed to core.audit.record() as a literal anywhere in the apps."""
    codes = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record":
                    for kw in node.keywords:
                        if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                            codes.add(kw.value.value)
    return codes


def test_every_action_code_has_a_label_in_both_languages():
    codes = _recorded_codes() | {f"application.{a}" for a in TRANSITIONS}
    assert len(codes) > 30
    assert sorted(codes - set(ACTIONS)) == []
    with translation.override("en"):
        untranslated = [c for c in codes if any("\u4e00" <= ch <= "\u9fff" for ch in label_of(c))]
    assert untranslated == []


def test_an_edited_question_reads_as_its_number_in_the_questionnaire_not_its_code(
    personas, client_for, working
):
    save(client_for(personas.owner), "Q5", "1", revision=0)
    item = get_edition().item("Q5")
    page = client_for(personas.bureau).get(AUDIT).content.decode()
    assert f"修改自评：{item.number}. {item.name}" in page
    assert "修改自评：Q5" not in page
