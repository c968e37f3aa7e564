"""The one way to write the audit trail. An event is a fact, not a sentence:

    from core.audit import record

    record(actor=request.user, action="report.downloaded", obj=report, application=report.application,
           params={"kind": report.kind, "title": report.title, "sha256": report.content_sha256})

- `action`: a stable code "<area>.<verb>", registered with its label and sentence in the writing app's
  `audit.py` (core.actions: `action("report.downloaded", _("下载报告"), _("下载%(kind)s：%(title)s"))`);
- `params`: the facts, language-neutral — codes (a state, a kind, a field key: shown through a registered
  `param` formatter as their label when read), ids, numbers, names of things as they were — and what a person
  typed (a reason, a finding) exactly as typed. Never a sentence, never translated text;
- `obj`: the thing acted on (its "<app>.<model>" and pk are stored); an `Application` ties the event to its
  case by itself, otherwise pass `application=` for the case's trail;
- `actor`: the user (None or anonymous: no actor). Their username, name, role and organisation at this
  moment are kept with the event (a later rename changes nothing in the trail); the client address comes
  from core.middleware.

The sentence is rendered when the trail is read (`event.text`), in the reader's language. Each event is
chained to the one before by its hash (core.chain); the database refuses to change or delete one.
"""

import dataclasses
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import chain
from .middleware import current_client_address
from .models import AuditCheck, AuditEvent


def _identity(actor) -> dict:
    identify = getattr(actor, "audit_identity", None)
    return identify() if identify else {"username": actor.get_username()}


def record(*, actor, action: str, obj=None, application=None, params=None) -> AuditEvent:
    """Append one event. `obj` is the thing acted on; `application` ties the event to a case's trail."""
    if application is None and obj is not None and obj._meta.label_lower == "assessments.application":
        application = obj
    actor = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        actor=actor,
        actor_snapshot=_identity(actor) if actor is not None else {},
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        application=application,
        # As the database will give it back (the hash is over what is stored).
        detail=json.loads(json.dumps(params or {})),
        client_address=current_client_address.get(),
    )
    for attempt in range(5):
        try:
            with transaction.atomic():
                chain.lock()
                last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
                event.pk = None
                event.at = timezone.now()
                event.prev_hash = last or chain.GENESIS
                event.hash = chain.digest(event)
                event.save()
            return event
        except IntegrityError:
            # Another writer took this link first (a database without the advisory lock): chain after it.
            if attempt == 4:
                raise
    return event


def verify_trail() -> chain.ChainState:
    """Walk the whole chain from its first event and keep the outcome (an AuditCheck) for the audit page."""
    state = chain.verify(AuditEvent.objects.order_by("id").iterator(chunk_size=5000))
    AuditCheck.objects.create(
        last_event_id=state.last_id,
        last_hash=state.last_hash,
        checked=state.checked,
        ok=state.ok,
        first_broken=state.first_broken,
        problem=state.problem,
    )
    return state


# The most events a page checks itself, past the last full walk: a request never walks the whole trail.
PAGE_CHECK_LIMIT = 2000


def trail_state(limit: int | None = None) -> chain.ChainState:
    """Whether the chain holds, for the audit page: from the latest full walk (verify_trail, nightly by Celery
    beat and `manage.py verify_audit`) on, checking the events written since — at most `limit` of them. More
    than that (no walk for a long while, or never): nothing is walked, and the state says it is behind."""
    limit = PAGE_CHECK_LIMIT if limit is None else limit
    check = AuditCheck.objects.order_by("-at", "-id").first()
    if check is not None and not check.ok:
        return chain.ChainState(
            False, check.checked, check.first_broken, check.problem, check.last_hash, full_check_at=check.at
        )
    since = AuditEvent.objects.order_by("id")
    if check is not None and check.last_event_id is not None:
        since = since.filter(id__gt=check.last_event_id)
    events = list(since[: limit + 1])
    previous, checked, at = (check.last_hash, check.checked, check.at) if check else (chain.GENESIS, 0, None)
    if len(events) > limit:
        return chain.ChainState(True, checked, last_hash=previous, full_check_at=at, behind=True)
    return dataclasses.replace(chain.verify(events, previous=previous, checked=checked), full_check_at=at)
