"""The audit page does not walk 1.5 million events per request: `verify_audit` keeps the outcome of its full
walk (AuditCheck) and the page checks only the events written since — a broken link among those still shows."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core import audit, chain, tasks
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


def test_a_page_never_walks_more_than_its_limit(personas, django_assert_num_queries):
    """With no full walk yet, or one long ago, the page checks nothing rather than the whole trail (at 1.5
    million events that was 17 s a request) and says it is behind; the nightly walk brings it back."""
    for i in range(5):
        record(actor=personas.bureau, action="roster.add", params={"name": f"企业{i}"})
    with django_assert_num_queries(2):  # the last check, and at most limit + 1 events
        state = trail_state(limit=3)
    assert state.behind and state.checked == 0 and state.full_check_at is None
    assert trail_state(limit=10).ok and not trail_state(limit=10).behind
    call_command("verify_audit", stdout=None)
    for i in range(4):
        record(actor=personas.bureau, action="roster.add", params={"name": f"之后{i}"})
    state = trail_state(limit=3)
    assert state.behind and state.full_check_at == AuditCheck.objects.get().at and state.checked == 5
    assert tasks.verify_audit_trail.apply().get() == {"ok": True, "checked": 9, "first_broken": None}
    state = trail_state(limit=3)
    assert state.ok and not state.behind and state.checked == 9


def test_the_audit_page_says_when_it_is_behind(personas, client_for, monkeypatch):
    for i in range(3):
        record(actor=personas.bureau, action="roster.add", params={"name": f"企业{i}"})
    monkeypatch.setattr(audit, "PAGE_CHECK_LIMIT", 2)
    page = client_for(personas.bureau).get(reverse("supervision:audit")).content.decode()
    assert (
        'data-testid="chain-behind"' in page
        and "尚未完整校验" in page
        and 'data-testid="chain-ok"' not in page
    )
    call_command("verify_audit", stdout=None)
    page = client_for(personas.bureau).get(reverse("supervision:audit")).content.decode()
    assert 'data-testid="chain-ok"' in page and 'data-testid="chain-behind"' not in page
