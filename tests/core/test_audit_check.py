"""The audit page does not walk 1.5 million events per request: `verify_audit` keeps the outcome of its full
walk (AuditCheck) and the page checks only the events written since — a broken link among those still shows."""

import pytest
from django.core.management import call_command
from django.db import connection

from core import chain
from core.audit import record, trail_state
from core.models import AuditCheck, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_page_continues_from_the_last_full_check(personas):
    for i in range(5):
        record(actor=personas.bureau, action="roster.add", params={"name": f"企业{i}"})
    call_command("verify_audit", stdout=None)
    check = AuditCheck.objects.get()
    assert check.ok and check.checked == AuditEvent.objects.count()
    record(actor=personas.bureau, action="roster.add", params={"name": "之后"})
    with connection.cursor():
        state = trail_state()
    assert state.ok and state.checked == AuditEvent.objects.count() and state.full_check_at == check.at
    newest = AuditEvent.objects.order_by("-id").first()
    assert state.last_hash == newest.hash == chain.digest(newest)


def test_a_forged_event_after_the_check_is_found(personas):
    record(actor=personas.bureau, action="roster.add", params={"name": "甲"})
    call_command("verify_audit", stdout=None)
    event = AuditEvent(action="roster.add", prev_hash="f" * 64, detail={"name": "伪造"})
    event.hash = chain.digest(event)
    event.save()  # inserted behind record()'s back: it does not link to the chain
    state = trail_state()
    assert not state.ok and state.first_broken == event.pk
