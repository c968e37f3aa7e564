import pytest
from django.utils import translation

from accounts.models import Notification
from assessments.lifecycle import transition
from core.models import AuditEvent
from tests import factories


@pytest.mark.django_db
def test_a_transition_by_someone_reading_english_is_recorded_as_facts_and_announced_in_chinese(personas):
    app = factories.application(personas.enterprise, state="submitted", level=3)
    with translation.override("en"):
        transition(app, "refuse", by=personas.bureau, reason="材料不全")
    event = AuditEvent.objects.get(application=app, action="application.refuse")
    assert (
        event.summary == "" and event.detail["to"] == "not_accepted" and event.detail["reason"] == "材料不全"
    )
    assert event.text == "不予受理：不予受理"
    with translation.override("en"):
        assert "not accepted" in event.text.lower()
    note = Notification.objects.filter(user=personas.owner).latest("created_at")
    assert "不予受理" in note.title
    assert "您的评测申请不予受理。" in note.body and "原因：材料不全" in note.body
